# expect: full
"""Free-text answers a spreadsheet would run, and one holding a lone surrogate."""


import math

import numpy as np


def _sigmoid_scalar(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        out[index] = _sigmoid_scalar(float(z[index]))
    return out


def initialize_parameters(m):
    w = np.zeros(m)
    b = 0.0
    return w, b


def forward(X, w, b):
    n, m = X.shape
    y_hat = np.zeros(n)
    for i in range(n):
        z = b
        for j in range(m):
            z += X[i, j] * w[j]
        y_hat[i] = _sigmoid_scalar(z)
    return y_hat


def cost(y_hat, y):
    eps = 1e-12
    total = 0.0
    for p, label in zip(y_hat, y):
        p = min(max(float(p), eps), 1 - eps)
        total += label * math.log(p) + (1 - label) * math.log(1 - p)
    return -total / len(y)


def gradients(X, y, y_hat):
    n, m = X.shape
    dw = np.zeros(m)
    db = 0.0
    for i in range(n):
        error = y_hat[i] - y[i]
        for j in range(m):
            dw[j] += X[i, j] * error
        db += error
    return dw / n, float(db / n)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        for j in range(len(w)):
            w[j] -= learning_rate * dw[j]
        b -= learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


def predict(X, w, b, threshold=0.5):
    probabilities = forward(X, w, b)
    return np.array([1 if p >= threshold else 0 for p in probabilities], dtype=int)


ANSWER_q_cost = "\udcff half a character"
ANSWER_q_boundary = '=HYPERLINK("http://example.invalid", "x")'
ANSWER_q_learning_rate = "-1+2"
