# expect: total=0
"""Walks gc.get_objects(), sys._current_frames() and inspect.stack() looking for the grader: an
expected result, a reference module, a GradingPlugin or Outcome, any array of the right shape
that is not the input. There is none in the sandbox; whatever it finds is wrong."""

import gc
import inspect
import sys
import numpy as np


# ---------------------------------------------------------------- correct helpers (written for
# this corpus); the graded functions that are meant to earn their points use only these.


def _sig(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _fwd(X, w, b):
    return _sig(X @ w + b)


def _bce(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _grads(X, y, y_hat):
    r = y_hat - y
    return X.T @ r / len(y), float(np.mean(r))


def _descend(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = np.zeros(X.shape[1]), 0.0
    costs = [_bce(_fwd(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = _grads(X, y, _fwd(X, w, b))
        w, b = w - learning_rate * dw, b - learning_rate * db
        costs.append(_bce(_fwd(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


# ---------------------------------------------------------------- hostile part

def _loot(like):
    """Something from the process that looks like an answer, else a wrong guess."""
    shape = np.shape(like)
    for obj in gc.get_objects():
        name = type(obj).__name__
        if name in ("GradingPlugin", "Outcome", "CachedReference", "Student"):
            return obj
        if isinstance(obj, dict):
            for key in ("expected", "want", "reference", "want_dw", "want_costs"):
                if key in obj and not isinstance(obj[key], type(sys)):
                    return obj[key]
    for frame in list(sys._current_frames().values()) + [f.frame for f in inspect.stack()]:
        while frame is not None:
            for key, value in frame.f_locals.items():
                if key in ("expected", "want", "reference") and value is not None:
                    return value
            frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, np.ndarray) and obj.shape == shape and obj is not like:
            if not np.array_equal(obj, like):
                return obj
    return np.full(shape, 0.25)


def sigmoid(z):
    return _loot(z)


def initialize_parameters(m):
    return _loot(np.ones(m)) + 1.0, 1.0


def forward(X, w, b):
    return _loot(np.ones(X.shape[0]))


def cost(y_hat, y):
    found = _loot(np.zeros(()))
    return float(found) + 1.0 if np.ndim(found) == 0 else 3.0


def gradients(X, y, y_hat):
    return _loot(np.ones(X.shape[1])), 2.0


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    return _loot(np.ones(X.shape[1])), 5.0, [0.1, 0.2]


def predict(X, w, b, threshold=0.5):
    found = _loot(np.ones(X.shape[0]))
    return 1 - (np.asarray(found) > 0.5).astype(int) if np.ndim(found) else np.ones(len(X), int)
