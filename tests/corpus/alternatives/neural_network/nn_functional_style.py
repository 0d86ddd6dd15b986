"""A functional style: dictionaries of activations and derivatives, comprehensions, zip over layer
pairs, softmax through log-sum-exp, the categorical cost from the labels' column, and
mini-batches cut with np.split at multiples of the batch size."""

import numpy as np

ACTIVATIONS = {
    "relu": lambda Z: np.maximum(Z, 0.0),
    "leaky_relu": lambda Z: np.maximum(Z, 0.1 * Z),
    "tanh": np.tanh,
    "sigmoid": lambda Z: 0.5 * (1.0 + np.tanh(0.5 * Z)),
    "linear": lambda Z: np.array(Z, dtype=float),
}
DERIVATIVES = {
    "relu": lambda Z: np.heaviside(Z, 0.0),
    "leaky_relu": lambda Z: np.where(Z > 0, 1.0, 0.1),
    "tanh": lambda Z: 1.0 - np.tanh(Z) ** 2,
    "sigmoid": lambda Z: 0.25 * (1.0 - np.tanh(0.5 * Z) ** 2),
    "linear": np.ones_like,
}


def _softmax(Z):
    log_norm = np.logaddexp.reduce(Z, axis=1, keepdims=True)
    return np.exp(Z - log_norm)


def _apply(name, Z):
    return _softmax(Z) if name == "softmax" else ACTIVATIONS[name](Z)


def forward_propagation(X, params, hidden_activation="relu", output_activation="sigmoid"):
    L = len(params) // 2
    names = [hidden_activation] * (L - 1) + [output_activation]
    cache = {"A0": X}
    for l, name in enumerate(names, start=1):
        cache[f"Z{l}"] = np.matmul(cache[f"A{l - 1}"], params[f"W{l}"]) + params[f"b{l}"]
        cache[f"A{l}"] = _apply(name, cache[f"Z{l}"])
    return cache[f"A{L}"], cache


def compute_cost(A_L, Y):
    n = len(Y)
    if A_L.shape[1] == 1:
        p = np.clip(A_L, 1e-12, 1 - 1e-12)
        return float(-np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p)) / n)
    labels = np.argmax(Y, axis=1)
    return float(-np.mean(np.log(np.clip(A_L[np.arange(n), labels], 1e-12, None))))


def layer_backward(dA, A_prev, W, Z, activation):
    dZ = np.multiply(dA, DERIVATIVES[activation](Z))
    return np.matmul(dZ, W.T), np.einsum("ni,nj->ij", A_prev, dZ), np.add.reduce(dZ, axis=0)


def backward_propagation(params, cache, Y, hidden_activation="relu"):
    L = len(params) // 2
    dZ = (cache[f"A{L}"] - Y) / len(Y)
    grads = {}
    for l in reversed(range(1, L + 1)):
        grads |= {f"dW{l}": cache[f"A{l - 1}"].T @ dZ, f"db{l}": dZ.sum(axis=0)}
        if l > 1:
            dZ = (dZ @ params[f"W{l}"].T) * DERIVATIVES[hidden_activation](cache[f"Z{l - 1}"])
    return grads


def update_parameters(params, grads, learning_rate):
    return {key: value - learning_rate * grads[f"d{key}"] for key, value in params.items()}


def gradient_check(params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7):
    def cost(p):
        return compute_cost(forward_propagation(X, p, hidden_activation, output_activation)[0], Y)

    grads = backward_propagation(
        params, forward_propagation(X, params, hidden_activation, output_activation)[1], Y,
        hidden_activation,
    )
    keys = sorted(params, key=lambda k: (int(k[1:]), k[0]))

    def shifted(key, index, delta):
        value = params[key].copy()
        value[index] += delta
        return {**params, key: value}

    numeric = np.array([
        (cost(shifted(k, i, eps)) - cost(shifted(k, i, -eps))) / (2 * eps)
        for k in keys
        for i in np.ndindex(params[k].shape)
    ])
    analytic = np.concatenate([grads["d" + k].ravel() for k in keys])
    diff = np.linalg.norm(analytic - numeric)
    return float(diff / (np.linalg.norm(analytic) + np.linalg.norm(numeric)))


def minibatches(n, batch_size, rng):
    return np.split(rng.permutation(n), np.arange(batch_size, n, batch_size))


def initialize_parameters(layer_sizes, seed=0):
    rng = np.random.default_rng(seed)
    shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    params = {}
    for l, shape in enumerate(shapes, start=1):
        params[f"W{l}"] = 0.01 * rng.standard_normal(shape)
        params[f"b{l}"] = np.zeros(shape[1])
    return params


def train(X, Y, layer_sizes, learning_rate=0.1, epochs=1000, batch_size=None,
          hidden_activation="relu", output_activation="sigmoid", seed=0):
    Y = np.reshape(Y, (X.shape[0], -1))
    params = initialize_parameters(layer_sizes, seed)
    rng = np.random.default_rng(seed)
    costs = []
    for _ in range(epochs):
        order = [np.arange(len(X))] if not batch_size else minibatches(len(X), batch_size, rng)
        for idx in order:
            _, cache = forward_propagation(X[idx], params, hidden_activation, output_activation)
            params = update_parameters(
                params, backward_propagation(params, cache, Y[idx], hidden_activation),
                learning_rate,
            )
        costs.append(compute_cost(forward_propagation(X, params, hidden_activation,
                                                      output_activation)[0], Y))
    return params, {"cost": costs}


def predict(X, params, hidden_activation="relu", output_activation="sigmoid"):
    A_L = forward_propagation(X, params, hidden_activation, output_activation)[0]
    return A_L.argmax(axis=1) if A_L.shape[1] > 1 else (A_L.ravel() >= 0.5).astype(int)
