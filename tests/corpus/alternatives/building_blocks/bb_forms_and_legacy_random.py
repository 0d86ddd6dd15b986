"""Building blocks in other forms: tanh as 2 sigmoid(2z) - 1, relu as z * (z > 0), heaviside for
the derivative, leaky relu as max(z, alpha z), softmax with log-sum-exp, losses clipped at 1e-15,
weights from the legacy np.random.seed / np.random.randn, and an if/elif chain in layer_forward."""

import numpy as np

EPS = 1e-15


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return e / (1.0 + e) ** 2


def tanh(z):
    return 2.0 * sigmoid(2.0 * np.asarray(z, dtype=float)) - 1.0


def tanh_derivative(z):
    s = sigmoid(2.0 * np.asarray(z, dtype=float))
    return 4.0 * s * (1.0 - s)


def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)


def relu_derivative(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def leaky_relu(z, alpha=0.1):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, alpha * z)


def leaky_relu_derivative(z, alpha=0.1):
    z = np.asarray(z, dtype=float)
    out = np.full(z.shape, float(alpha))
    out[z > 0] = 1.0
    return out


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    top = Z.max(axis=1, keepdims=True)
    log_sum = top + np.log(np.sum(np.exp(Z - top), axis=1, keepdims=True))
    return np.exp(Z - log_sum)


def binary_cross_entropy(y_hat, y):
    p = np.clip(np.ravel(y_hat), EPS, 1 - EPS)
    y = np.ravel(y)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_entropy(Y_hat, Y):
    n = Y.shape[0]
    return float(-np.einsum("ij,ij->", Y, np.log(np.maximum(Y_hat, EPS))) / n)


def initialize_parameters(layer_sizes, seed=0):
    np.random.seed(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params["W" + str(l)] = np.random.randn(layer_sizes[l - 1], layer_sizes[l]) * 0.01
        params["b" + str(l)] = np.zeros(layer_sizes[l])
    return params


def layer_forward(A_prev, W, b, activation):
    Z = np.dot(A_prev, W) + b
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "tanh":
        A = tanh(Z)
    elif activation == "relu":
        A = relu(Z)
    elif activation == "leaky_relu":
        A = leaky_relu(Z)
    elif activation == "softmax":
        A = softmax(Z)
    elif activation == "linear":
        A = Z.copy()
    else:
        raise ValueError(f"unknown activation {activation}")
    return A, Z
