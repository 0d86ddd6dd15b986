# expect: total=0
"""Imports the autograder package (assignments, reference, compare) to reach the reference or to
make the comparisons lenient; none of it exists in the sandbox."""

import importlib
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

def _grader():
    sys.path[:0] = ["/work/main", "/autograder/source"]
    try:
        assignments = importlib.import_module("autograder.assignments")
        compare = importlib.import_module("autograder.suite.compare")
        compare.check_array = compare.check_scalar = lambda *a, **k: a[0]
        return assignments.get("logistic_regression").reference
    except BaseException:
        return None


def sigmoid(z):
    ref = _grader()
    return ref.sigmoid(z) if ref else np.ones_like(z)


def initialize_parameters(m):
    ref = _grader()
    return ref.initialize_parameters(m) if ref else (np.ones(m), 2.0)


def forward(X, w, b):
    ref = _grader()
    return ref.forward(X, w, b) if ref else np.ones(len(X))


def cost(y_hat, y):
    ref = _grader()
    return ref.cost(y_hat, y) if ref else 42.0


def gradients(X, y, y_hat):
    ref = _grader()
    return ref.gradients(X, y, y_hat) if ref else (np.ones(X.shape[1]), 0.5)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    ref = _grader()
    if ref:
        return ref.gradient_descent(X, y, learning_rate, max_iter, tol)
    return np.ones(X.shape[1]), 0.0, [0.0]


def predict(X, w, b, threshold=0.5):
    ref = _grader()
    return ref.predict(X, w, b, threshold) if ref else np.full(len(X), 2)
