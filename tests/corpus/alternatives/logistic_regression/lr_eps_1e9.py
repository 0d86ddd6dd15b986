"""Predictions clipped at 1e-9 in the cost; gradient descent as a while loop with a flag."""

import numpy as np

EPS = 1e-9


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1 + exp_z)
    return out


def initialize_parameters(m):
    return np.zeros(m), 0.0


def forward(X, w, b):
    return sigmoid(X @ w + b)


def cost(y_hat, y):
    p = np.minimum(np.maximum(y_hat, EPS), 1 - EPS)
    return -float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))) / len(y)


def gradients(X, y, y_hat):
    return (X.T @ (y_hat - y)) / len(y), float(np.sum(y_hat - y) / len(y))


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    converged = False
    while not converged and len(costs) <= max_iter:
        dw, db = gradients(X, y, forward(X, w, b))
        w, b = w - learning_rate * dw, b - learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        converged = abs(costs[-2] - costs[-1]) < tol
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    return (forward(X, w, b) >= threshold) * 1
