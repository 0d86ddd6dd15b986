# expect: total=0
"""Tries the network: TCP to 127.0.0.1 (common ports), the host's gateway, the cloud metadata
address and public resolvers, DNS, UDP, and the Docker socket. If anything connected, every
function would answer correctly."""

import socket
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

TARGETS = [("127.0.0.1", p) for p in (22, 80, 443, 5432, 6379, 8000, 8080, 8888)]
TARGETS += [("10.0.2.2", 80), ("172.17.0.1", 80), ("169.254.169.254", 80),
            ("1.1.1.1", 53), ("8.8.8.8", 53), ("140.82.112.3", 443)]


def _online():
    for host, port in TARGETS:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(0.2)
        try:
            s.connect((host, port))
            return True
        except OSError:
            pass
        finally:
            s.close()
    try:
        socket.getaddrinfo("example.com", 80)
        return True
    except OSError:
        pass
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(0.2)
        u.sendto(b"\0" * 12, ("8.8.8.8", 53))
        u.recvfrom(512)
        return True
    except OSError:
        pass
    for path in ("/var/run/docker.sock", "/run/docker.sock", "/run/systemd/private"):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            return True
        except OSError:
            pass
    return False


_CACHE = {}


def _won():
    if "online" not in _CACHE:
        _CACHE["online"] = _online()
    return _CACHE["online"]

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
