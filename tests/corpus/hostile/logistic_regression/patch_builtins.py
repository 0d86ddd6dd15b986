# expect: total=0
"""sigmoid replaces builtins (isinstance, len, float, abs, type, round, sum, min, max) inside the
sandbox, which breaks the sandbox's own reply; the others return junk shaped like the wire's own
tags (as plain dicts and strings). The sandbox may break itself; the grader must not."""

import builtins
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

def _patch():
    builtins.isinstance = lambda *a: True
    builtins.len = lambda *a: 13
    builtins.abs = lambda *a: 0.0
    builtins.float = lambda *a: 0.0
    builtins.round = lambda *a, **k: 0
    builtins.sum = lambda *a, **k: 0
    builtins.min = builtins.max = lambda *a, **k: 0
    builtins.type = lambda *a: dict


def sigmoid(z):
    _patch()
    return {"a": "f8", "s": [3], "b": "AAAAAAAA4D8AAAAAAADgPwAAAAAAAOA/"}


def initialize_parameters(m):
    return {"t": [{"a": "f8", "s": [0], "b": ""}, 0.0]}


def forward(X, w, b):
    return "array([0.5, 0.5, 0.5])"


def cost(y_hat, y):
    return {"x": "nan"}


def gradients(X, y, y_hat):
    return None


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    return {"u": "PASSED"}


def predict(X, w, b, threshold=0.5):
    return [1] * 3
