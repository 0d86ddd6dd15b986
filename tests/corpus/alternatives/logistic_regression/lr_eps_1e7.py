"""Predictions clipped at 1e-7 (Keras' epsilon) in the cost; y_hat computed once per step."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def initialize_parameters(m):
    return np.zeros(m), 0.0


def forward(X, w, b):
    return sigmoid(X @ w + b)


def cost(y_hat, y):
    y_hat = np.clip(y_hat, 1e-7, 1 - 1e-7)
    return float(-(y @ np.log(y_hat) + (1 - y) @ np.log(1 - y_hat)) / y.size)


def gradients(X, y, y_hat):
    error = y_hat - y
    return X.T @ error / y.size, error.mean().item()


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    y_hat = forward(X, w, b)
    costs = [cost(y_hat, y)]
    for step in range(1, max_iter + 1):
        dw, db = gradients(X, y, y_hat)
        w = w - learning_rate * dw
        b = b - learning_rate * db
        y_hat = forward(X, w, b)
        costs.append(cost(y_hat, y))
        if abs(costs[step - 1] - costs[step]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    return np.asarray(forward(X, w, b) >= threshold, dtype=int)
