"""Module-level constants computed with builtins: float(), max(), pow(), int(), as a student
would write them to name their choices."""

import numpy as np

EPS = float("1e-12")
ONE = pow(10, 0)
HALF = max(0.5, 0.0)
ZERO = float(0)


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, ONE / (ONE + e), e / (ONE + e))


def initialize_parameters(m):
    return np.zeros(m), ZERO


def forward(X, w, b):
    return sigmoid(X @ w + b)


def cost(y_hat, y):
    p = np.clip(y_hat, EPS, ONE - EPS)
    return float(-np.mean(y * np.log(p) + (ONE - y) * np.log(ONE - p)))


def gradients(X, y, y_hat):
    return X.T @ (y_hat - y) / len(y), float(np.mean(y_hat - y))


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w, b = w - learning_rate * dw, b - learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=HALF):
    return (forward(X, w, b) >= threshold).astype(int)
