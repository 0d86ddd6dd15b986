"""A right submission whose comments ask questions: several lines of code end with an inline
comment that ends with '?', as students' notes often do."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # why exp(-|z|)? it is at most 1, so it never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def initialize_parameters(m):
    return np.zeros(m), 0.0


def forward(X, w, b):
    return sigmoid(X @ w + b)  # (n, m) @ (m,) gives (n,), right?


def cost(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)  # is 1e-12 small enough?
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def gradients(X, y, y_hat):
    error = y_hat - y
    return X.T @ error / len(y), float(np.mean(error))


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w - learning_rate * dw  # minus, since we go downhill?
        b = b - learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    return (forward(X, w, b) >= threshold).astype(int)
