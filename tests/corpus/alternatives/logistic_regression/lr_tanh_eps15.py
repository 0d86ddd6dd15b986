"""sigmoid through tanh, 0.5 * (1 + tanh(z / 2)), which never overflows; costs clipped at 1e-15."""

import numpy as np

EPSILON = 1e-15


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def initialize_parameters(m):
    return np.zeros(m, dtype=np.float64), 0.0


def forward(X, w, b):
    return sigmoid(X.dot(w) + b)


def cost(y_hat, y):
    y_hat = np.clip(y_hat, EPSILON, 1 - EPSILON)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def gradients(X, y, y_hat):
    n = len(y)
    dz = y_hat - y
    return X.T.dot(dz) / n, float(dz.sum() / n)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    y_hat = forward(X, w, b)
    costs = [cost(y_hat, y)]
    iteration = 0
    while iteration < max_iter:
        dw, db = gradients(X, y, y_hat)
        w -= learning_rate * dw
        b -= learning_rate * db
        y_hat = forward(X, w, b)
        costs.append(cost(y_hat, y))
        iteration += 1
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    return np.where(forward(X, w, b) >= threshold, 1, 0)
