"""Activations, output layers, costs and initialisation: the model answer (numpy only)."""

from collections.abc import Callable

import numpy as np

EPS = 1e-12  # predictions are clipped to [EPS, 1 - EPS] inside the costs


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-z), without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """sigmoid'(z) = s (1 - s)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = sech^2(z) = 1 - tanh(z)^2."""
    return 1.0 - tanh(z) ** 2


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z)."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (0 at the kink)."""
    return (np.asarray(z) > 0).astype(float)


def leaky_relu(z: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """z where z > 0, else alpha * z."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """1 where z > 0, else alpha (alpha at the kink)."""
    return np.where(np.asarray(z) > 0, 1.0, alpha)


def linear(z: np.ndarray) -> np.ndarray:
    """Identity (a copy, so A and Z never share memory)."""
    return np.array(z, dtype=float)


def linear_derivative(z: np.ndarray) -> np.ndarray:
    """Ones."""
    return np.ones(np.shape(z))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise exp(z_k) / sum_j exp(z_j); rows sum to 1."""
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=-1, keepdims=True))  # largest exponent is 0: no overflow
    return e / e.sum(axis=-1, keepdims=True)


def binary_cross_entropy(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy; y_hat and y are both (n,) or both (n, 1)."""
    p = np.clip(y_hat, EPS, 1 - EPS)
    y = np.reshape(y, np.shape(p))  # never broadcast (n,) against (n, 1)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_entropy(Y_hat: np.ndarray, Y: np.ndarray) -> float:
    """Mean categorical cross-entropy; Y is one-hot (n, k)."""
    return float(-np.sum(Y * np.log(np.clip(Y_hat, EPS, 1.0))) / len(Y))


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softmax": softmax,
    "linear": linear,
}

DERIVATIVES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "leaky_relu": leaky_relu_derivative,
    "linear": linear_derivative,
}


def initialize_parameters(layer_sizes: list[int], seed: int = 0) -> dict[str, np.ndarray]:
    """Small random weights W{l} (size[l-1], size[l]) and zero biases b{l} (size[l],)."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])) * 0.01
        params[f"b{l}"] = np.zeros(layer_sizes[l])
    return params


def layer_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, np.ndarray]:
    """One layer: Z = A_prev W + b, A = f(Z); returns (A, Z)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; use one of {', '.join(ACTIVATIONS)}")
    Z = A_prev @ W + b  # (n, m) @ (m, h) + (h,) -> (n, h)
    return ACTIVATIONS[activation](Z), Z
