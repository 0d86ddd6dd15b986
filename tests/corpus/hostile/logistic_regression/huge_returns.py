# expect: total=0
"""Returns values the wire must refuse or the checks must reject: arrays over the element limit,
an array of 7 dimensions, a complex array, a 6 MB string, a dict with 100,000 keys, and
non-string dict keys. Nothing of it earns points; the grader must stay up. (A reply frame over
64 MiB is tested in test_sandbox.py: producing one takes too long for a 1-second call.)"""

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
    return np.zeros((13,) * 6)  # 4.8 million elements: over the wire's element limit


def initialize_parameters(m):
    return np.zeros(m, dtype=complex), 0j


def forward(X, w, b):
    return np.full(1_200_000, 0.5)


def cost(y_hat, y):
    return "0.6931" * 1_000_000


def gradients(X, y, y_hat):
    return {i: 0.0 for i in range(10)}, {str(i): 0.0 for i in range(100_000)}


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    return np.zeros((1,) * 7), 0.0, np.zeros(1_000_001)


def predict(X, w, b, threshold=0.5):
    return np.zeros((len(X), 0, 10**6), dtype=int)
