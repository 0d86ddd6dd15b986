# expect: full
"""Starts four busy setsid daemons at load, so other submissions graded at the
same time compete for the CPU, then answers correctly. It earns full marks; its neighbours
must not lose points, and the daemons must be gone after grading."""

import os
import signal
import time
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

def sigmoid(z):
    return _sig(z)


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

def _daemon(busy=False):
    """Double fork, setsid, ignore the polite signals, close the grader's pipes, live forever."""
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_IGN)
        os.closerange(3, 256)
        while True:
            if busy:
                for _ in range(10**6):
                    pass
            else:
                time.sleep(0.2)
            try:
                with open("/tmp/daemon-alive", "a") as f:
                    f.write(".")
            except OSError:
                pass
    finally:
        os._exit(0)


class _AtLoad:
    for _ in range(4):
        _daemon(busy=True)
