"""A network held in a small class whose methods the contract's functions call; mini-batches from
an index array shuffled in place with rng.shuffle; the binary cost through np.log1p."""

import numpy as np


class Layers:
    """Activations and their derivatives by name."""

    @staticmethod
    def apply(name, Z):
        if name == "softmax":
            shifted = Z - np.max(Z, axis=1, keepdims=True)
            e = np.exp(shifted)
            return e / np.sum(e, axis=1, keepdims=True)
        if name == "sigmoid":
            out = np.empty_like(Z)
            pos = Z >= 0
            out[pos] = 1 / (1 + np.exp(-Z[pos]))
            out[~pos] = np.exp(Z[~pos]) / (1 + np.exp(Z[~pos]))
            return out
        if name == "tanh":
            return np.tanh(Z)
        if name == "relu":
            return np.clip(Z, 0.0, None)
        if name == "leaky_relu":
            return np.where(Z > 0, Z, Z * 0.1)
        return np.array(Z)

    @staticmethod
    def slope(name, Z):
        if name == "sigmoid":
            s = Layers.apply("sigmoid", Z)
            return s * (1 - s)
        if name == "tanh":
            return 1 - np.tanh(Z) ** 2
        if name == "relu":
            return np.where(Z > 0, 1.0, 0.0)
        if name == "leaky_relu":
            return np.where(Z > 0, 1.0, 0.1)
        return np.ones(Z.shape)


def forward_propagation(X, params, hidden_activation="relu", output_activation="sigmoid"):
    depth = len(params) // 2
    cache = {"A0": X}
    A = X
    for l in range(1, depth + 1):
        Z = A.dot(params["W%d" % l]) + params["b%d" % l]
        A = Layers.apply(output_activation if l == depth else hidden_activation, Z)
        cache["Z%d" % l] = Z
        cache["A%d" % l] = A
    return A, cache


def compute_cost(A_L, Y):
    n = A_L.shape[0]
    if A_L.shape[1] == 1:
        p = np.clip(A_L, 1e-12, 1 - 1e-12)
        return float(-(Y * np.log(p) + (1 - Y) * np.log1p(-p)).sum() / n)
    return float(-(Y * np.log(np.clip(A_L, 1e-12, 1))).sum() / n)


def layer_backward(dA, A_prev, W, Z, activation):
    dZ = dA if activation == "linear" else dA * Layers.slope(activation, Z)
    return dZ.dot(W.T), A_prev.T.dot(dZ), dZ.sum(axis=0)


def backward_propagation(params, cache, Y, hidden_activation="relu"):
    depth = len(params) // 2
    grads = {}
    dZ = (cache["A%d" % depth] - Y) / Y.shape[0]
    for l in range(depth, 0, -1):
        grads["dW%d" % l] = cache["A%d" % (l - 1)].T.dot(dZ)
        grads["db%d" % l] = dZ.sum(axis=0)
        if l > 1:
            dA = dZ.dot(params["W%d" % l].T)
            dZ = dA * Layers.slope(hidden_activation, cache["Z%d" % (l - 1)])
    return grads


def update_parameters(params, grads, learning_rate):
    updated = dict(params)
    for key in params:
        updated[key] = params[key] - learning_rate * grads["d" + key]
    return updated


def gradient_check(params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7):
    def J(p):
        A_L, _ = forward_propagation(X, p, hidden_activation, output_activation)
        return compute_cost(A_L, Y)

    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    grads = backward_propagation(params, cache, Y, hidden_activation)
    order = []
    for l in range(1, len(params) // 2 + 1):
        order += ["W%d" % l, "b%d" % l]
    g = np.concatenate([grads["d" + k].reshape(-1) for k in order])
    g_num = []
    for key in order:
        for index in np.ndindex(*params[key].shape):
            up = {k: v.copy() for k, v in params.items()}
            down = {k: v.copy() for k, v in params.items()}
            up[key][index] += eps
            down[key][index] -= eps
            g_num.append((J(up) - J(down)) / (2 * eps))
    g_num = np.asarray(g_num)
    return float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))


def minibatches(n, batch_size, rng):
    index = np.arange(n)
    rng.shuffle(index)
    return [index[start : start + batch_size] for start in range(0, n, batch_size)]


def initialize_parameters(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params["W%d" % l] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])) / 100
        params["b%d" % l] = np.zeros(layer_sizes[l])
    return params


def train(X, Y, layer_sizes, learning_rate=0.1, epochs=1000, batch_size=None,
          hidden_activation="relu", output_activation="sigmoid", seed=0):
    if Y.ndim == 1:
        Y = Y[:, None]
    params = initialize_parameters(layer_sizes, seed)
    rng = np.random.default_rng(seed)
    history = {"cost": []}
    n = X.shape[0]
    for _ in range(epochs):
        batches = minibatches(n, batch_size, rng) if batch_size else [np.arange(n)]
        for batch in batches:
            _, cache = forward_propagation(X[batch], params, hidden_activation, output_activation)
            grads = backward_propagation(params, cache, Y[batch], hidden_activation)
            params = update_parameters(params, grads, learning_rate)
        A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
        history["cost"].append(compute_cost(A_L, Y))
    return params, history


def predict(X, params, hidden_activation="relu", output_activation="sigmoid"):
    A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
    if A_L.shape[1] == 1:
        return (A_L[:, 0] > 0.5).astype(int) + (A_L[:, 0] == 0.5).astype(int)
    return np.argmax(A_L, axis=1)
