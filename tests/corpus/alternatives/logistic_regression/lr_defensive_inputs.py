"""Defensive style: inputs converted with np.asarray, shapes checked with assertions, helper
functions with type hints and docstrings, f-string error messages."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

CLIP = 1e-12


def sigmoid(z: ArrayLike) -> np.ndarray:
    """1 / (1 + e^-z), computed from e^-|z| so that nothing overflows."""
    z = np.asarray(z, dtype=np.float64)
    small = np.exp(-np.abs(z))
    return np.where(z < 0, small, 1.0) / (1.0 + small)


def initialize_parameters(m: int) -> tuple[np.ndarray, float]:
    assert m > 0, f"m must be positive, got {m}"
    return np.zeros(int(m)), 0.0


def forward(X: ArrayLike, w: ArrayLike, b: float) -> np.ndarray:
    X, w = np.asarray(X, dtype=float), np.asarray(w, dtype=float)
    assert X.ndim == 2 and w.shape == (X.shape[1],), f"bad shapes {X.shape} and {w.shape}"
    return sigmoid(X @ w + float(b))


def cost(y_hat: ArrayLike, y: ArrayLike) -> float:
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    assert y_hat.shape == y.shape
    p = np.clip(y_hat, CLIP, 1.0 - CLIP)
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))


def gradients(X: ArrayLike, y: ArrayLike, y_hat: ArrayLike) -> tuple[np.ndarray, float]:
    X, y, y_hat = (np.asarray(a, dtype=float) for a in (X, y, y_hat))
    n = X.shape[0]
    residual = y_hat - y
    return np.einsum("ij,i->j", X, residual) / n, float(residual.sum() / n)


def gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = initialize_parameters(X.shape[1])
    history: list[float] = [cost(forward(X, w, b), y)]
    for _ in range(int(max_iter)):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w - learning_rate * dw
        b = b - learning_rate * db
        history.append(cost(forward(X, w, b), y))
        if abs(history[-2] - history[-1]) < tol:
            break
    return w, b, history


def predict(X, w, b, threshold: float = 0.5) -> np.ndarray:
    return (forward(X, w, b) >= threshold).astype(np.int64)
