# expect: total=0
"""Returns objects that claim to equal anything: __eq__ always True, a float subclass, objects with
__array__, __float__, __len__ and __iter__ that lie, and object arrays full of them."""

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

class Anything:
    def __eq__(self, other):
        return True

    __le__ = __ge__ = __lt__ = __gt__ = __eq__

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __float__(self):
        return 0.6931471805599453

    def __array__(self, dtype=None, copy=None):
        return np.zeros(13)

    def __len__(self):
        return 13

    def __iter__(self):
        return iter([Anything(), Anything(), Anything()])

    def __bool__(self):
        return True

    def __repr__(self):
        return "array([0.5])"


class LyingFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __abs__(self):
        return 0.0

    __hash__ = float.__hash__


def sigmoid(z):
    return Anything()


def initialize_parameters(m):
    return Anything(), LyingFloat(1.0)


def forward(X, w, b):
    out = np.empty(len(X), dtype=object)
    out[:] = [Anything() for _ in range(len(X))]
    return out


def cost(y_hat, y):
    return LyingFloat(123.0)


def gradients(X, y, y_hat):
    return Anything(), LyingFloat(9.0)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    return Anything(), LyingFloat(0.0), Anything()


def predict(X, w, b, threshold=0.5):
    return [Anything() for _ in range(len(X))]
