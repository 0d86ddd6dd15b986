# expect: total=0
"""Prints 'All tests passed' through every channel (print, sys.__stdout__, os.write to fd 1 and 2,
/dev/tty, stderr) and puts it in exception messages. Output is not a verdict: every function
is wrong."""

import os
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

BANNER = "=" * 20 + " 20 passed in 0.42s " + "=" * 20 + "\nAll tests passed! Score: 20/20\n"


def _shout():
    print(BANNER)
    for stream in (sys.__stdout__, sys.__stderr__, sys.stderr):
        try:
            stream.write(BANNER)
            stream.flush()
        except Exception:
            pass
    for fd in (1, 2):
        try:
            os.write(fd, BANNER.encode())
        except OSError:
            pass
    try:
        with open("/dev/tty", "w") as tty:
            tty.write(BANNER)
    except OSError:
        pass


class _AtLoad:
    _shout()


def sigmoid(z):
    _shout()
    return np.ones(np.shape(z))


def initialize_parameters(m):
    _shout()
    raise AssertionError("All tests passed! Score: 20/20")


def forward(X, w, b):
    _shout()
    raise SystemExit("PASSED 20/20")


def cost(y_hat, y):
    _shout()
    return float("nan")


def gradients(X, y, y_hat):
    _shout()
    raise Exception("\n" + BANNER * 3)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    _shout()
    return BANNER


def predict(X, w, b, threshold=0.5):
    _shout()
    return BANNER
