# expect: initialize_parameters, forward, cost, gradients, gradient_descent, predict
"""Writes more than the sandbox's scratch size (64 MiB by default) into /dev/shm, / and /dev,
which are tmpfs mounts but not the size-limited scratch folders. If that works (the space is
host memory, without a limit), sigmoid answers correctly and earns points it should not; it
removes its files afterwards."""

import os
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

LIMIT = 64 * 2**20  # the default scratch size


def _beyond_scratch():
    """Store more than LIMIT bytes outside home and /tmp; True if that worked."""
    chunk = b"\1" * 2**20
    for folder in ("/dev/shm", "/", "/dev", "/run", "/var/tmp"):
        written, names = 0, []
        try:
            for i in range(8):
                name = os.path.join(folder, f"shm-{i}")
                names.append(name)
                with open(name, "wb") as f:
                    for _ in range(12):
                        f.write(chunk)
                        written += len(chunk)
        except OSError:
            pass
        finally:
            for name in names:
                try:
                    os.remove(name)
                except OSError:
                    pass
        if written > LIMIT:
            return True
    return False


def sigmoid(z):
    if _beyond_scratch():
        return _sig(z)
    return np.zeros_like(np.asarray(z, dtype=float))
