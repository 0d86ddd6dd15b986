# expect: full, sigmoid=0, softmax=0, cross_entropy=0
"""Patches numpy's comparisons at load, returns an object equal to everything from sigmoid, an
ndarray subclass whose rows sum to 1 (but are wrong) and lies about itself from softmax, and a
float subclass equal to everything from cross_entropy. Those earn nothing; the rest is right.
sigmoid_derivative and layer_forward use the right sigmoid kept under another name."""

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
_right_sigmoid = sigmoid


def sigmoid_derivative(z):
    s = _right_sigmoid(z)
    return s * (1.0 - s)


def layer_forward(A_prev, W, b, activation):
    Z = A_prev @ W + b
    f = {"sigmoid": _right_sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu,
         "softmax": _right_softmax, "linear": linear}[activation]
    return f(Z), Z


_right_softmax = softmax


class _Patch:
    np.allclose = np.isclose = np.array_equal = lambda *a, **k: True


class Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __array__(self, dtype=None, copy=None):
        return np.zeros(5)


class Liar(np.ndarray):
    def __eq__(self, other):
        return True

    def __array_ufunc__(self, *args, **kwargs):
        return True

    def __array_function__(self, *args, **kwargs):
        return True


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def sigmoid(z):
    return Anything()


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    return np.full(Z.shape, 1.0 / Z.shape[1]).view(Liar)


def cross_entropy(Y_hat, Y):
    return LyingFloat(-1.0)
