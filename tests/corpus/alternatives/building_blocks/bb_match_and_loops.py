"""Building blocks with a match statement, loops over rows and elements, sigmoid through
logaddexp, the losses clipped at 1e-9, and weights from a Generator's normal(0, 0.01)."""

import math

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s * s


def tanh(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for i, value in np.ndenumerate(z):
        out[i] = math.tanh(value)
    return out


def tanh_derivative(z):
    return 1.0 / np.cosh(np.clip(np.asarray(z, dtype=float), -350, 350)) ** 2


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_derivative(z):
    return np.greater(z, 0).astype(np.float64)


def leaky_relu(z, alpha=0.1):
    z = np.asarray(z, dtype=float)
    out = z.copy()
    out[z <= 0] *= alpha
    return out


def leaky_relu_derivative(z, alpha=0.1):
    return np.where(np.asarray(z) > 0, 1.0, alpha).astype(float)


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    rows = []
    for row in Z:
        e = np.exp(row - row.max())
        rows.append(e / e.sum())
    return np.array(rows)


def binary_cross_entropy(y_hat, y):
    y_hat = np.asarray(y_hat, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    total = 0.0
    for p, t in zip(y_hat, y):
        p = min(max(p, 1e-9), 1 - 1e-9)
        total -= t * math.log(p) + (1 - t) * math.log(1 - p)
    return total / len(y)


def cross_entropy(Y_hat, Y):
    picked = np.sum(Y * np.log(np.clip(Y_hat, 1e-9, None)), axis=1)
    return float(-picked.mean())


def initialize_parameters(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    pairs = zip(layer_sizes[:-1], layer_sizes[1:])
    params = {}
    for l, (fan_in, fan_out) in enumerate(pairs, start=1):
        params[f"W{l}"] = rng.normal(0.0, 0.01, size=(fan_in, fan_out))
        params[f"b{l}"] = np.zeros(fan_out)
    return params


def layer_forward(A_prev, W, b, activation):
    Z = np.einsum("nm,mh->nh", A_prev, W) + b
    match activation:
        case "sigmoid":
            A = sigmoid(Z)
        case "tanh":
            A = np.tanh(Z)
        case "relu":
            A = relu(Z)
        case "leaky_relu":
            A = leaky_relu(Z)
        case "softmax":
            A = softmax(Z)
        case "linear":
            A = np.array(Z)
        case _:
            raise ValueError(activation)
    return A, Z
