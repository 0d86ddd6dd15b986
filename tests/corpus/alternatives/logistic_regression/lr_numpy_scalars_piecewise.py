"""numpy scalars instead of Python floats (b, the cost, db), and a piecewise stable sigmoid."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.piecewise(
        z,
        [z >= 0, z < 0],
        [lambda t: 1.0 / (1.0 + np.exp(-t)), lambda t: np.exp(t) / (1.0 + np.exp(t))],
    )


def initialize_parameters(m):
    return np.zeros(m), np.float64(0.0)


def forward(X, w, b):
    return sigmoid(X @ w + b)


def cost(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  # a numpy float64


def gradients(X, y, y_hat):
    r = y_hat - y
    return X.T @ r / len(y), np.mean(r)  # db is a numpy float64


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w - np.float64(learning_rate) * dw
        b = b - np.float64(learning_rate) * db
        costs.append(cost(forward(X, w, b), y))
        if np.abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    return np.where(forward(X, w, b) >= threshold, np.int64(1), np.int64(0))
