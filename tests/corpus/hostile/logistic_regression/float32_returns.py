# expect: cost, predict, gradient_descent=3
"""The right numbers in float32: arrays and numpy float32 scalars. The course works in float64, so
the arrays earn nothing. Scalars and lists are converted with float() before they are compared,
so the float32 cost and gradient_descent's cost history keep their points (3 of
gradient_descent's 5: not the test of the final w); predict returns integers."""

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

def sigmoid(z):
    return _sig(z).astype(np.float32)


def initialize_parameters(m):
    return np.zeros(m, dtype=np.float32), np.float32(0.0)


def forward(X, w, b):
    return _fwd(X, w, b).astype(np.float32)


def cost(y_hat, y):
    return np.float32(_bce(y_hat, y))


def gradients(X, y, y_hat):
    dw, db = _grads(X, y, y_hat)
    return dw.astype(np.float32), np.float32(db)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b, costs = _descend(X, y, learning_rate, max_iter, tol)
    return w.astype(np.float32), np.float32(b), [np.float32(c) for c in costs]


def predict(X, w, b, threshold=0.5):
    return (_fwd(X, w, b) >= threshold).astype(int)
