"""np.dot, np.matmul and np.einsum instead of @; sigmoid as exp(-log(1 + e^-z)) via logaddexp."""

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def initialize_parameters(m):
    return np.zeros((m,)), float(0)


def forward(X, w, b):
    return sigmoid(np.dot(X, w) + b)


def cost(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1.0 - 1e-12)
    losses = np.einsum("i,i->i", y, np.log(p)) + np.einsum("i,i->i", 1.0 - y, np.log1p(-p))
    return float(-losses.sum() / y.shape[0])


def gradients(X, y, y_hat):
    residual = y_hat - y
    dw = np.matmul(X.T, residual) / X.shape[0]
    db = np.einsum("i->", residual) / X.shape[0]
    return dw, float(db)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w = np.subtract(w, np.multiply(learning_rate, dw))
        b = b - learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        if np.abs(costs[-1] - costs[-2]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    return np.greater_equal(forward(X, w, b), threshold).astype(np.int64)
