"""The functions live in a class; the module exports them under the contract's names."""

import numpy as np


class LogisticRegression:
    eps = 1e-12

    @staticmethod
    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    @staticmethod
    def initialize_parameters(m):
        return np.zeros(m), 0.0

    @classmethod
    def forward(cls, X, w, b):
        return cls.sigmoid(X @ w + b)

    @classmethod
    def cost(cls, y_hat, y):
        p = np.clip(y_hat, cls.eps, 1 - cls.eps)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    @staticmethod
    def gradients(X, y, y_hat):
        return X.T @ (y_hat - y) / len(y), float(np.mean(y_hat - y))

    @classmethod
    def gradient_descent(cls, X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
        w, b = cls.initialize_parameters(X.shape[1])
        costs = [cls.cost(cls.forward(X, w, b), y)]
        for _ in range(max_iter):
            dw, db = cls.gradients(X, y, cls.forward(X, w, b))
            w, b = w - learning_rate * dw, b - learning_rate * db
            costs.append(cls.cost(cls.forward(X, w, b), y))
            if abs(costs[-2] - costs[-1]) < tol:
                break
        return w, b, costs

    @classmethod
    def predict(cls, X, w, b, threshold=0.5):
        return (cls.forward(X, w, b) >= threshold).astype(int)


sigmoid = LogisticRegression.sigmoid
initialize_parameters = LogisticRegression.initialize_parameters
forward = LogisticRegression.forward
cost = LogisticRegression.cost
gradients = LogisticRegression.gradients
gradient_descent = LogisticRegression.gradient_descent
predict = LogisticRegression.predict
