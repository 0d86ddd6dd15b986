"""Short functions written as lambdas, the way some students write one-liners."""

import numpy as np

sigmoid = lambda z: np.where(  # noqa: E731
    np.asarray(z, dtype=float) >= 0,
    1 / (1 + np.exp(-np.abs(np.asarray(z, dtype=float)))),
    np.exp(-np.abs(np.asarray(z, dtype=float))) / (1 + np.exp(-np.abs(np.asarray(z, dtype=float)))),
)
initialize_parameters = lambda m: (np.zeros(m), 0.0)  # noqa: E731
forward = lambda X, w, b: sigmoid(X @ w + b)  # noqa: E731
gradients = lambda X, y, y_hat: (X.T @ (y_hat - y) / len(y), float(np.mean(y_hat - y)))  # noqa: E731
predict = lambda X, w, b, threshold=0.5: (forward(X, w, b) >= threshold).astype(int)  # noqa: E731


def cost(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


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
