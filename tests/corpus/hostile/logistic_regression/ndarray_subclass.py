# expect: sigmoid, initialize_parameters, gradient_descent, predict
"""ndarray subclasses that lie: __array_function__ and __array_ufunc__ answer anything, and shape,
__len__, __eq__ and view are overridden. sigmoid wraps the right values in such a subclass (the
data are right, so it earns its points); forward, cost and gradients wrap wrong data and must
earn nothing."""

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


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    return _descend(X, y, learning_rate, max_iter, tol)


def predict(X, w, b, threshold=0.5):
    return (_fwd(X, w, b) >= threshold).astype(int)


# ---------------------------------------------------------------- hostile part

class Liar(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(3).view(Liar)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __len__(self):
        return 13

    @property
    def shape(self):
        return (13,)

    def view(self, *args, **kwargs):
        return np.full(13, 0.5)

    def __reduce__(self):
        raise RuntimeError("no pickling")


def _liar(values):
    return np.asarray(values, dtype=float).view(Liar)


def sigmoid(z):
    return _liar(_sig(z))


def forward(X, w, b):
    return _liar(np.zeros(X.shape[0]))


def cost(y_hat, y):
    return _liar(np.array(99.0))


def gradients(X, y, y_hat):
    return _liar(np.ones(X.shape[1])), _liar(np.array(7.0))
