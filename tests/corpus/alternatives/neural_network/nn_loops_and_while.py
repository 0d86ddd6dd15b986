"""A network written with explicit loops: while loops over layers and epochs, a loop over mini-batch
starts, per-parameter loops in gradient_check, and the hidden derivatives spelled out."""

import numpy as np


def _activate(Z, name):
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z > 0, Z, 0.1 * Z)
    if name == "tanh":
        return np.tanh(Z)
    if name == "sigmoid":
        e = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
    if name == "softmax":
        e = np.exp(Z - Z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if name == "linear":
        return Z.copy()
    raise ValueError(name)


def _slope(Z, name):
    if name == "relu":
        return (Z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(Z > 0, 1.0, 0.1)
    if name == "tanh":
        return 1 - np.tanh(Z) ** 2
    if name == "sigmoid":
        s = _activate(Z, "sigmoid")
        return s * (1 - s)
    return np.ones_like(Z)


def forward_propagation(X, params, hidden_activation="relu", output_activation="sigmoid"):
    L = len(params) // 2
    cache = {"A0": X}
    l = 1
    while l <= L:
        Z = cache[f"A{l - 1}"] @ params[f"W{l}"] + params[f"b{l}"]
        cache[f"Z{l}"] = Z
        cache[f"A{l}"] = _activate(Z, output_activation if l == L else hidden_activation)
        l += 1
    return cache[f"A{L}"], cache


def compute_cost(A_L, Y):
    n, k = A_L.shape
    total = 0.0
    for i in range(n):
        if k == 1:
            p = min(max(A_L[i, 0], 1e-12), 1 - 1e-12)
            total -= Y[i, 0] * np.log(p) + (1 - Y[i, 0]) * np.log(1 - p)
        else:
            for j in range(k):
                if Y[i, j]:
                    total -= Y[i, j] * np.log(max(A_L[i, j], 1e-12))
    return float(total / n)


def layer_backward(dA, A_prev, W, Z, activation):
    dZ = dA * _slope(Z, activation)
    n, h = dZ.shape
    dW = np.zeros((A_prev.shape[1], h))
    db = np.zeros(h)
    for i in range(n):
        dW += np.outer(A_prev[i], dZ[i])
        db += dZ[i]
    return dZ @ W.T, dW, db


def backward_propagation(params, cache, Y, hidden_activation="relu"):
    L = len(params) // 2
    n = Y.shape[0]
    grads = {}
    dZ = (cache[f"A{L}"] - Y) / n
    l = L
    while l >= 1:
        grads[f"dW{l}"] = cache[f"A{l - 1}"].T @ dZ
        grads[f"db{l}"] = np.sum(dZ, axis=0)
        if l > 1:
            dZ = (dZ @ params[f"W{l}"].T) * _slope(cache[f"Z{l - 1}"], hidden_activation)
        l -= 1
    return grads


def update_parameters(params, grads, learning_rate):
    new = {}
    for key, value in params.items():
        new[key] = value - learning_rate * grads["d" + key]
    return new


def gradient_check(params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7):
    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    grads = backward_propagation(params, cache, Y, hidden_activation)
    analytic, numeric = [], []
    L = len(params) // 2
    for l in range(1, L + 1):
        for name in ("W", "b"):
            key = f"{name}{l}"
            flat = params[key].ravel()
            for i in range(flat.size):
                costs = []
                for sign in (+1, -1):
                    moved = {k: v.copy() for k, v in params.items()}
                    moved[key].flat[i] = flat[i] + sign * eps
                    A_L, _ = forward_propagation(X, moved, hidden_activation, output_activation)
                    costs.append(compute_cost(A_L, Y))
                numeric.append((costs[0] - costs[1]) / (2 * eps))
                analytic.append(grads["d" + key].flat[i])
    g, g_num = np.array(analytic), np.array(numeric)
    return float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))


def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    batches = []
    start = 0
    while start < n:
        batches.append(order[start : start + batch_size])
        start += batch_size
    return batches


def initialize_parameters(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])) * 0.01
        params[f"b{l}"] = np.zeros(layer_sizes[l])
    return params


def train(
    X,
    Y,
    layer_sizes,
    learning_rate=0.1,
    epochs=1000,
    batch_size=None,
    hidden_activation="relu",
    output_activation="sigmoid",
    seed=0,
):
    Y = Y.reshape(len(X), -1)
    params = initialize_parameters(layer_sizes, seed)
    rng = np.random.default_rng(seed)
    history = {"cost": []}
    epoch = 0
    while epoch < epochs:
        if batch_size is None:
            batches = [np.arange(len(X))]
        else:
            batches = minibatches(len(X), batch_size, rng)
        for idx in batches:
            _, cache = forward_propagation(X[idx], params, hidden_activation, output_activation)
            grads = backward_propagation(params, cache, Y[idx], hidden_activation)
            params = update_parameters(params, grads, learning_rate)
        A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
        history["cost"].append(compute_cost(A_L, Y))
        epoch += 1
    return params, history


def predict(X, params, hidden_activation="relu", output_activation="sigmoid"):
    A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
    if A_L.shape[1] > 1:
        return np.argmax(A_L, axis=1)
    return np.where(A_L[:, 0] >= 0.5, 1, 0)
