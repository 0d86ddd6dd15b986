"""Logistic regression from scratch: the model answer (self-contained, numpy only)."""

import numpy as np

EPS = 1e-12  # predictions are clipped to [EPS, 1 - EPS] inside the cost


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-z), without overflow for large |z|.

    Shapes: z is a number or an array of any shape; the result has the same shape.
    Steps: e = the exponential of -|z| (every entry in (0, 1]); pick 1 / (1 + e) where z >= 0 and
    e / (1 + e) elsewhere (np.where). About 3 lines.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def initialize_parameters(m: int) -> tuple[np.ndarray, float]:
    """Zero weights (m,) and a zero bias.

    Returns (w, b): w a float array of shape (m,), b the Python float 0.0. About 1 line.
    """
    return np.zeros(m), 0.0


def forward(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Predicted probabilities y_hat = sigmoid(X w + b).

    Shapes: X (n, m), w (m,), b a float; the scores z = X w + b are (n,), and so is y_hat.
    About 1 line.
    """
    return sigmoid(X @ w + b)  # (n, m) @ (m,) + scalar -> (n,)


def cost(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy.

    Shapes: y_hat and y are (n,). Steps: clip y_hat into [EPS, 1 - EPS] (n,); the per-example
    losses -(y log p + (1 - y) log(1 - p)) are (n,); return their mean as a float. About 2 lines.
    """
    p = np.clip(y_hat, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def gradients(X: np.ndarray, y: np.ndarray, y_hat: np.ndarray) -> tuple[np.ndarray, float]:
    """Gradients (dw, db) of the cost with respect to w and b.

    Shapes: X (n, m), y and y_hat (n,). Steps: the errors y_hat - y are (n,); dw is X transposed
    (m, n) times the errors, divided by n: shape (m,); db is the mean error, a float.
    About 3 lines.
    """
    error = y_hat - y  # (n,)
    dw = X.T @ error / len(y)  # (m, n) @ (n,) -> (m,)
    return dw, float(np.mean(error))


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    learning_rate: float = 0.1,
    max_iter: int = 10_000,
    tol: float = 1e-6,
) -> tuple[np.ndarray, float, list[float]]:
    """Batch gradient descent; costs[0] is the initial cost, one entry per update after it.

    Shapes: X (n, m), y (n,); w (m,) and b (a float) start from initialize_parameters; y_hat is
    (n,); dw (m,) and db (a float) come from gradients. Steps: costs = [the cost at the start];
    then at most max_iter times: gradients, update w and b, predict again, append the new cost,
    and stop once abs(costs[-2] - costs[-1]) < tol. Returns (w, b, costs). About 12 lines.
    """
    w, b = initialize_parameters(X.shape[1])
    y_hat = forward(X, w, b)
    costs = [cost(y_hat, y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, y_hat)
        w = w - learning_rate * dw
        b = b - learning_rate * db
        y_hat = forward(X, w, b)
        costs.append(cost(y_hat, y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


def predict(X: np.ndarray, w: np.ndarray, b: float, threshold: float = 0.5) -> np.ndarray:
    """Class labels (n,) in {0, 1}.

    Shapes: X (n, m); the probabilities from forward are (n,); compare them with threshold
    (>=) and turn the booleans into integers (.astype(int)): (n,). About 1 line.
    """
    return (forward(X, w, b) >= threshold).astype(int)
