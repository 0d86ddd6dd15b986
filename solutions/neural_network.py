"""Forward propagation, back-propagation and training: the model answer (numpy only)."""

import numpy as np

from solutions.building_blocks import (
    DERIVATIVES,
    binary_cross_entropy,
    cross_entropy,
    initialize_parameters,
    layer_forward,
)

Params = dict[str, np.ndarray]


def forward_propagation(
    X: np.ndarray,
    params: Params,
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
) -> tuple[np.ndarray, Params]:
    """Run every layer; returns A_L and a cache with A0..AL (A0 is X) and Z1..ZL."""
    L = len(params) // 2
    cache = {"A0": X}
    A = X
    for l in range(1, L + 1):
        activation = output_activation if l == L else hidden_activation
        A, Z = layer_forward(A, params[f"W{l}"], params[f"b{l}"], activation)
        cache[f"A{l}"], cache[f"Z{l}"] = A, Z
    return A, cache


def compute_cost(A_L: np.ndarray, Y: np.ndarray) -> float:
    """Binary cross-entropy for one output column, categorical cross-entropy otherwise."""
    return binary_cross_entropy(A_L, Y) if A_L.shape[1] == 1 else cross_entropy(A_L, Y)


def layer_backward(
    dA: np.ndarray, A_prev: np.ndarray, W: np.ndarray, Z: np.ndarray, activation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One layer's step back: (dA_prev, dW, db) from dA; the 1/n is already in dA."""
    dZ = dA * DERIVATIVES[activation](Z)  # (n, h) * (n, h) -> (n, h)
    dW = A_prev.T @ dZ  # (h_prev, n) @ (n, h) -> (h_prev, h)
    db = dZ.sum(axis=0)  # (h,)
    dA_prev = dZ @ W.T  # (n, h) @ (h, h_prev) -> (n, h_prev)
    return dA_prev, dW, db


def backward_propagation(
    params: Params, cache: Params, Y: np.ndarray, hidden_activation: str = "relu"
) -> Params:
    """Gradients dW{l}, db{l} of the cost (sigmoid + BCE or softmax + CE output)."""
    L = len(params) // 2
    grads = {}
    # dZ_L, passed to the output layer as its dA: "linear" (derivative 1) leaves it as it is
    dA = (cache[f"A{L}"] - Y) / len(Y)  # (n, k)
    for l in range(L, 0, -1):
        activation = "linear" if l == L else hidden_activation
        dA, grads[f"dW{l}"], grads[f"db{l}"] = layer_backward(
            dA, cache[f"A{l - 1}"], params[f"W{l}"], cache[f"Z{l}"], activation
        )
    return grads


def update_parameters(params: Params, grads: Params, learning_rate: float) -> Params:
    """One gradient-descent step; returns a new dict."""
    return {k: params[k] - learning_rate * grads["d" + k] for k in params}


def _nudged(params: Params, key: str, index: tuple[int, ...], delta: float) -> Params:
    """A copy of params with params[key][index] shifted by delta."""
    value = params[key].copy()
    value[index] += delta
    return {**params, key: value}


def gradient_check(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
    eps: float = 1e-7,
) -> float:
    """Relative difference ||g - g_num|| / (||g|| + ||g_num||) against central differences."""

    def cost_at(p: Params) -> float:
        A_L, _ = forward_propagation(X, p, hidden_activation, output_activation)
        return compute_cost(A_L, Y)

    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    grads = backward_propagation(params, cache, Y, hidden_activation)
    L = len(params) // 2
    g, g_num = [], []
    for key in [f"{name}{l}" for l in range(1, L + 1) for name in "Wb"]:
        g.append(grads["d" + key].ravel())
        for index in np.ndindex(params[key].shape):
            plus = cost_at(_nudged(params, key, index, eps))
            minus = cost_at(_nudged(params, key, index, -eps))
            g_num.append((plus - minus) / (2 * eps))
    g, g_num = np.concatenate(g), np.array(g_num)
    return float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One shuffled pass over range(n) in slices of batch_size (the last may be smaller)."""
    perm = rng.permutation(n)
    return [perm[i : i + batch_size] for i in range(0, n, batch_size)]


def train(
    X: np.ndarray,
    Y: np.ndarray,
    layer_sizes: list[int],
    learning_rate: float = 0.1,
    epochs: int = 1000,
    batch_size: int | None = None,
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
    seed: int = 0,
) -> tuple[Params, dict[str, list[float]]]:
    """Train by (mini-batch) gradient descent; history["cost"] has the full-data cost per epoch.

    Y is (n, 1) binary or (n, k) one-hot; binary labels of shape (n,) are accepted and
    reshaped to (n, 1). batch_size=None is full-batch gradient descent, 1 is SGD.
    """
    n = len(X)
    # binary labels (n,) become (n, 1); (n, 1) and one-hot (n, k) stay as they are
    Y = np.reshape(Y, (n, -1))  # (n, 1) or (n, k)
    params = initialize_parameters(layer_sizes, seed)
    rng = np.random.default_rng(seed)
    history: dict[str, list[float]] = {"cost": []}
    for _ in range(epochs):
        batches = [np.arange(n)] if batch_size is None else minibatches(n, batch_size, rng)
        for idx in batches:
            _, cache = forward_propagation(X[idx], params, hidden_activation, output_activation)
            grads = backward_propagation(params, cache, Y[idx], hidden_activation)
            params = update_parameters(params, grads, learning_rate)
        A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
        history["cost"].append(compute_cost(A_L, Y))
    return params, history


def predict(
    X: np.ndarray,
    params: Params,
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
) -> np.ndarray:
    """Integer labels (n,): threshold 0.5 for one output column, argmax otherwise."""
    A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
    return (A_L[:, 0] >= 0.5).astype(int) if A_L.shape[1] == 1 else A_L.argmax(axis=1)
