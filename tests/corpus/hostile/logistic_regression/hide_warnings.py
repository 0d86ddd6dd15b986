# expect: full, sigmoid=-1
"""sigmoid is the naive 1 / (1 + exp(-z)), which overflows for z = -1e4 (the values are still
right), but it silences the overflow inside the call through numpy's private module (np.seterr
and np.errstate no longer hide an overflow from the grader) so the sandbox reports no warning.
It deserves 2 of sigmoid's 3 points; the rest is right."""

import warnings
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


# ---------------------------------------------------------------- right answers

def initialize_parameters(m):
    return np.zeros(m), 0.0


def forward(X, w, b):
    return _fwd(X, w, b)


def cost(y_hat, y):
    return _bce(y_hat, y)


def gradients(X, y, y_hat):
    return _grads(X, y, y_hat)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    return _descend(X, y, learning_rate, max_iter, tol)


def predict(X, w, b, threshold=0.5):
    return (_fwd(X, w, b) >= threshold).astype(int)


# ---------------------------------------------------------------- hostile part

def sigmoid(z):
    from numpy._core._ufunc_config import seterr  # numpy's private original, not np.seterr

    seterr(all="ignore")
    warnings.simplefilter("ignore")
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
