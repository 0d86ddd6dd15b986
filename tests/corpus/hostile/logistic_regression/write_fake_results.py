# expect: total=0
"""Writes fake results (results.json with full marks, gradebook.csv, record.json) wherever the
grader might read them: Gradescope's /autograder/results, the kit's out folders, the scratch
folder named in /proc/1/cmdline, /tmp, the working directory. Every function is wrong, so any
point it gets came from a fake file; the test also checks that none of the files exists."""

import json
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

FAKE = {
    "score": 20.0,
    "output": "NNKIT-HOSTILE-FAKE all tests passed",
    "tests": [{"name": "everything", "score": 20.0, "max_score": 20.0, "status": "passed"}],
}
ROW = "student,score,max_score,percent,status\nwrite_fake_results,20,20,100.0,graded\n"
TARGETS = [
    "/autograder/results/results.json",
    "/work/main/out/write_fake_results/results.json",
    "/work/main/out/gradebook.csv",
    "/work/main/tests/corpus/hostile/results.json",
    "/work/main/tests/corpus/hostile/logistic_regression/gradebook.csv",
    "/work/main/nnkit_hostile_fake.json",
    "/tmp/results.json",
    "/tmp/gradebook.csv",
    "/tmp/nnkit_hostile_fake.json",
    "/home/student/.grader/results.json",
    "/home/student/results.json",
    "results.json",
    "gradebook.csv",
    "../results.json",
    "../gradebook.csv",
    "../write_fake_results/results.json",
    "../write_fake_results/record.json",
]


def _write_everywhere():
    targets = list(TARGETS)
    try:
        with open("/proc/1/cmdline", "rb") as f:
            for arg in f.read().split(b"\0"):
                if arg.startswith(b"/tmp/"):
                    base = os.path.dirname(arg.decode())
                    targets += [base + "/results.json", base + "/gradebook.csv",
                                arg.decode() + "/results.json"]
    except OSError:
        pass
    written = []
    for path in targets:
        try:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            with open(path, "w") as f:
                f.write(ROW if path.endswith(".csv") else json.dumps(FAKE))
            written.append(path)
        except OSError:
            pass
    return written


class _AtLoad:
    _write_everywhere()


def sigmoid(z):
    _write_everywhere()
    return np.full(np.shape(z), 0.5)


def initialize_parameters(m):
    _write_everywhere()
    return np.ones(m), 1.0


def forward(X, w, b):
    _write_everywhere()
    return np.full(len(X), 0.5)


def cost(y_hat, y):
    _write_everywhere()
    return 0.5


def gradients(X, y, y_hat):
    _write_everywhere()
    return np.ones(X.shape[1]), 0.5


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    _write_everywhere()
    return np.ones(X.shape[1]), 0.5, [0.5]


def predict(X, w, b, threshold=0.5):
    _write_everywhere()
    return np.full(len(X), 3)
