# expect: total=0
"""Looks for the grader's output (results.json, gradebook.csv, record.json) in every place it
might be, including the Gradescope layout and pytest's temporary folders, and raises what it
finds. In the sandbox none is visible."""

import glob
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


# ---------------------------------------------------------------- hostile part

PLACES = (
    "/autograder/results/results.json",
    "/work/main/out/gradebook.csv",
    "/work/main/demo_out/gradebook.csv",
    "/tmp/pytest-of-*/pytest-*/*/out/gradebook.csv",
    "/tmp/pytest-of-*/pytest-*/*/*/*/results.json",
    "/tmp/*/gradebook.csv",
    "/tmp/*/*/results.json",
    "../gradebook.csv",
    "../../gradebook.csv",
    "gradebook.csv",
    "results.json",
    os.path.expanduser("~/../gradebook.csv"),
)


def _found():
    hits = []
    for pattern in PLACES:
        for path in glob.glob(pattern):
            try:
                with open(path) as f:
                    hits.append(f"{path}: {f.read(120)}")
            except OSError:
                pass
    return hits


def _won():
    hits = _found()
    if hits:
        raise RuntimeError("FOUND GRADER OUTPUT " + " | ".join(hits))
    return False

# If the attack worked, every function answers correctly: points it must not get.


def sigmoid(z):
    return _sig(z) if _won() else np.zeros_like(np.asarray(z, dtype=float))


def initialize_parameters(m):
    return (np.zeros(m), 0.0) if _won() else (np.ones(m), 1.0)


def forward(X, w, b):
    return _fwd(X, w, b) if _won() else np.zeros(len(X))


def cost(y_hat, y):
    return _bce(y_hat, y) if _won() else 0.0


def gradients(X, y, y_hat):
    return _grads(X, y, y_hat) if _won() else (np.zeros(X.shape[1]), 0.0)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    if _won():
        return _descend(X, y, learning_rate, max_iter, tol)
    return np.zeros(X.shape[1]), 0.0, [1.0, 2.0]


def predict(X, w, b, threshold=0.5):
    return (_fwd(X, w, b) >= threshold).astype(int) if _won() else np.full(len(X), 7)
