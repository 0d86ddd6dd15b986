"""Mistakes students really make in `neural_network`, each with the message that names it.

Written as README.md's "How an instructor adds an exercise" describes: `patched(...)` where a
mistake is one edit of the model answer, written out otherwise.
"""

import numpy as np

from autograder.suite.diagnose import mistake, patched
from solutions.building_blocks import ACTIVATIONS as ACTIVATIONS  # used by a patch
from solutions.neural_network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    gradient_check,
    initialize_parameters,
    layer_backward,
    minibatches,
    predict,
    train,
    update_parameters,
)

# ------------------------------------------------------------------ forward_propagation


forward_propagation_output_uses_hidden = patched(
    forward_propagation,
    "activation = output_activation if l == L else hidden_activation",
    "activation = hidden_activation",
    message="The output layer uses the hidden activation: the last layer uses output_activation.",
)

forward_propagation_always_relu = patched(
    forward_propagation,
    "output_activation if l == L else hidden_activation",
    'output_activation if l == L else "relu"',
    message="The hidden layers always use ReLU and ignore hidden_activation.",
)

forward_propagation_without_bias = patched(
    forward_propagation,
    'params[f"b{l}"]',
    "0",
    message="The biases are missing: each layer computes Z = A_prev @ W + b.",
)

forward_propagation_skips_last_layer = patched(
    forward_propagation,
    "range(1, L + 1)",
    "range(1, L)",
    message="The loop stops one layer early (range(1, L)): it must run up to and including "
    "layer L, range(1, L + 1).",
)

forward_propagation_bias_after_activation = patched(
    forward_propagation,
    'A, Z = layer_forward(A, params[f"W{l}"], params[f"b{l}"], activation)',
    'A, Z = layer_forward(A, params[f"W{l}"], 0, activation)\n        A = A + params[f"b{l}"]',
    message="The bias is added after the activation: A = f(A_prev @ W + b), with b inside.",
)


@mistake(
    "forward_propagation",
    "forward_propagation returns the public example's answer whatever the input: compute it.",
)
def forward_propagation_hard_coded(
    X, params, hidden_activation="relu", output_activation="sigmoid"
):
    A = np.array(
        [[0.574442516811659], [0.34073961154861465], [0.4725276956554063], [0.6082590307465143]]
    )
    return A, {"A0": X, "A2": A}


# ------------------------------------------------------------------ compute_cost


compute_cost_always_binary = patched(
    compute_cost,
    " if A_L.shape[1] == 1 else cross_entropy(A_L, Y)",
    "",
    message="compute_cost always uses the binary cross-entropy: with several output columns "
    "(one-hot Y), use the categorical cross-entropy.",
)

compute_cost_always_categorical = patched(
    compute_cost,
    "binary_cross_entropy(A_L, Y) if A_L.shape[1] == 1 else ",
    "",
    message="compute_cost always uses the categorical formula: with one output column, the "
    "(1 - y) log(1 - a) term of the binary cross-entropy is missing.",
)

compute_cost_mean_over_classes = patched(
    compute_cost,
    "else cross_entropy(A_L, Y)",
    "else float(-np.mean(Y * np.log(np.clip(A_L, 1e-12, 1 - 1e-12))))",
    message="np.mean over the whole (n, k) matrix divides by n * k, so the categorical cost is k "
    "times too small: sum over classes, then divide by n.",
)


@mistake(
    "compute_cost",
    "log(0) gives -inf and 0 * log(0) gives NaN: clip A_L away from 0 and 1 before the log.",
)
def compute_cost_without_clipping(A_L, Y):
    if A_L.shape[1] == 1:
        return float(-np.mean(Y * np.log(A_L) + (1 - Y) * np.log(1 - A_L)))
    return float(-np.sum(Y * np.log(A_L)) / len(Y))


@mistake(
    "compute_cost",
    "The cost is negative: the cross-entropy has a minus sign in front.",
)
def compute_cost_missing_minus(A_L, Y):
    p = np.clip(A_L, 1e-12, 1 - 1e-12)
    if A_L.shape[1] == 1:
        return float(np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))
    return float(np.sum(Y * np.log(p)) / len(Y))


# ------------------------------------------------------------------ layer_backward


layer_backward_derivative_of_A = patched(
    layer_backward,
    "DERIVATIVES[activation](Z)",
    "DERIVATIVES[activation](ACTIVATIONS[activation](Z))",
    message="The derivative is taken at the layer's output A = f(Z); it is taken at Z: "
    "dZ = dA * f'(Z).",
)

layer_backward_no_derivative = patched(
    layer_backward,
    "dZ = dA * DERIVATIVES[activation](Z)",
    "dZ = dA",
    message="The activation's derivative is missing: dZ = dA * f'(Z), not dA.",
)

layer_backward_dW_transposed = patched(
    layer_backward,
    "dW = A_prev.T @ dZ",
    "dW = dZ.T @ A_prev",
    message="dW is transposed: with examples as rows, dW = A_prev.T @ dZ, of W's shape.",
)

layer_backward_divides_by_n = patched(
    layer_backward,
    "return dA_prev, dW, db",
    "return dA_prev / len(dA), dW / len(dA), db / len(dA)",
    message="The 1/n is applied again: it is already in the output layer's dZ_L, so "
    "layer_backward does not divide by n.",
)

layer_backward_db_wrong_axis = patched(
    layer_backward,
    "db = dZ.sum(axis=0)",
    "db = dZ.sum(axis=1)",
    message="db is summed over the wrong axis: sum over the examples (axis=0), one value per unit.",
)

layer_backward_db_mean = patched(
    layer_backward,
    "db = dZ.sum(axis=0)",
    "db = dZ.mean(axis=0)",
    message="db is the mean over the examples: the 1/n is already in dA, so db = dZ.sum(axis=0).",
)

layer_backward_dA_prev_from_dA = patched(
    layer_backward,
    "dA_prev = dZ @ W.T",
    "dA_prev = dA @ W.T",
    message="dA_prev is computed from dA: it is dZ @ W.T, after the activation's derivative.",
)

layer_backward_always_relu = patched(
    layer_backward,
    "DERIVATIVES[activation](Z)",
    "(Z > 0)",
    message="The derivative is always ReLU's: use the derivative of the `activation` argument.",
)

# ------------------------------------------------------------------ backward_propagation


backward_propagation_not_averaged = patched(
    backward_propagation,
    'dA = (cache[f"A{L}"] - Y) / len(Y)',
    'dA = cache[f"A{L}"] - Y',
    message="Every gradient is n times too large: dZ_L = (A_L - Y) / n, did you forget to "
    "divide by n?",
)

backward_propagation_derivative_of_A = patched(
    backward_propagation,
    'cache[f"Z{l}"], activation',
    'cache[f"A{l}"], activation',
    message="The activation's derivative is taken at A (the layer's output); it is taken at Z: "
    "f'(Z), with Z from the cache.",
)

backward_propagation_always_relu = patched(
    backward_propagation,
    '"linear" if l == L else hidden_activation',
    '"linear" if l == L else "relu"',
    message="The hidden layers always use ReLU's derivative: use the derivative of "
    "hidden_activation.",
)

backward_propagation_db_mean = patched(
    backward_propagation,
    'cache[f"Z{l}"], activation\n        )',
    'cache[f"Z{l}"], activation\n        )\n        grads[f"db{l}"] = grads[f"db{l}"] / len(Y)',
    message="db is n times too small: dZ already holds the 1/n, so db = dZ.sum(axis=0), not the "
    "mean.",
)

backward_propagation_dW_transposed = patched(
    backward_propagation,
    'cache[f"Z{l}"], activation\n        )',
    'cache[f"Z{l}"], activation\n        )\n        grads[f"dW{l}"] = grads[f"dW{l}"].T',
    message="dW is transposed: with examples as rows, dW{l} = A{l-1}.T @ dZ{l}, of W{l}'s shape.",
)

backward_propagation_output_derivative = patched(
    backward_propagation,
    '"linear" if l == L else hidden_activation',
    '"sigmoid" if l == L else hidden_activation',
    message="dZ_L is multiplied by sigmoid'(Z_L): with the cross-entropy cost that factor "
    "cancels, and dZ_L is simply (A_L - Y) / n.",
)

backward_propagation_no_hidden_derivative = patched(
    backward_propagation,
    '"linear" if l == L else hidden_activation',
    '"linear"',
    message="The hidden layers' dZ misses the activation's derivative: dZ = (dZ_next @ W.T) * "
    "f'(Z).",
)

# ------------------------------------------------------------------ update_parameters


update_parameters_plus = patched(
    update_parameters,
    "params[k] - learning_rate",
    "params[k] + learning_rate",
    message="The update goes uphill: it is W - learning_rate * dW (minus, not plus).",
)


@mistake(
    "update_parameters",
    "params.copy() copies the dict but not its arrays, so new[k] -= ... still changes the "
    "caller's params: build new arrays, new[k] = params[k] - learning_rate * grads['d' + k].",
)
def update_parameters_shallow_copy(params, grads, learning_rate):
    new = params.copy()
    for k in new:
        new[k] -= learning_rate * grads["d" + k]
    return new


update_parameters_fixed_rate = patched(
    update_parameters,
    "learning_rate * grads",
    "0.1 * grads",
    message="update_parameters ignores its learning_rate argument (it always uses 0.1).",
)

update_parameters_weights_only = patched(
    update_parameters,
    "for k in params}",
    'if k[0] == "W" else params[k] for k in params}',
    message="Only the weights are updated: the biases b{l} take a step too, "
    "b - learning_rate * db.",
)


# ------------------------------------------------------------------ gradient_check


def _cost_at(params, X, Y, hidden_activation, output_activation):
    A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
    return compute_cost(A_L, Y)


def _keys(params):
    L = len(params) // 2
    return [f"{name}{l}" for l in range(1, L + 1) for name in "Wb"]


gradient_check_one_sided = patched(
    gradient_check,
    "minus = cost_at(_nudged(params, key, index, -eps))\n"
    "            g_num.append((plus - minus) / (2 * eps))",
    "g_num.append((plus - cost_at(params)) / eps)",
    message="gradient_check uses one-sided differences (J(theta + eps) - J(theta)) / eps: use "
    "central differences, (J(theta + eps) - J(theta - eps)) / (2 eps).",
)

gradient_check_no_denominator = patched(
    gradient_check,
    " / (np.linalg.norm(g) + np.linalg.norm(g_num))",
    "",
    message="gradient_check returns ||g - g_num|| without the denominator: divide by "
    "||g|| + ||g_num||.",
)

gradient_check_weights_only = patched(
    gradient_check,
    'for name in "Wb"]',
    'for name in "W"]',
    message="gradient_check checks the weights only: the biases are parameters too, include "
    "every b{l}.",
)


@mistake(
    "gradient_check",
    "Each parameter is nudged in place and never put back (theta + eps, then - 2 eps, but "
    "not + eps again): restore it, or nudge a copy.",
)
def gradient_check_not_restored(
    params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7
):
    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    grads = backward_propagation(params, cache, Y, hidden_activation)
    g, g_num = [], []
    for key in _keys(params):
        g.append(grads["d" + key].ravel())
        for index in np.ndindex(params[key].shape):
            params[key][index] += eps
            plus = _cost_at(params, X, Y, hidden_activation, output_activation)
            params[key][index] -= 2 * eps
            minus = _cost_at(params, X, Y, hidden_activation, output_activation)
            g_num.append((plus - minus) / (2 * eps))
    g, g_num = np.concatenate(g), np.array(g_num)
    return float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))


@mistake(
    "gradient_check",
    "gradient_check ignores its eps argument (it always uses 1e-7): nudge by eps.",
)
def gradient_check_fixed_eps(
    params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7
):
    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    grads = backward_propagation(params, cache, Y, hidden_activation)
    g, g_num = [], []
    for key in _keys(params):
        g.append(grads["d" + key].ravel())
        for index in np.ndindex(params[key].shape):
            moved = {k: v.copy() for k, v in params.items()}
            moved[key][index] += 1e-7
            plus = _cost_at(moved, X, Y, hidden_activation, output_activation)
            moved[key][index] -= 2e-7
            minus = _cost_at(moved, X, Y, hidden_activation, output_activation)
            g_num.append((plus - minus) / 2e-7)
    g, g_num = np.concatenate(g), np.array(g_num)
    return float(np.linalg.norm(g - g_num) / (np.linalg.norm(g) + np.linalg.norm(g_num)))


# ------------------------------------------------------------------ minibatches


minibatches_drops_last = patched(
    minibatches,
    "range(0, n, batch_size)",
    "range(0, n - batch_size + 1, batch_size)",
    message="The last, smaller batch is dropped, so some examples are never used: keep the "
    "remainder as a last batch, range(0, n, batch_size).",
)

minibatches_not_shuffled = patched(
    minibatches,
    "perm = rng.permutation(n)",
    "perm = np.arange(n)",
    message="The examples are not shuffled: slice rng.permutation(n), not np.arange(n).",
)


@mistake(
    "minibatches",
    "Each batch draws its own random indices, so some examples appear twice and others never: "
    "shuffle once (one permutation per epoch), then cut it into slices.",
)
def minibatches_reused_indices(n, batch_size, rng):
    return [rng.permutation(n)[: min(batch_size, n - i)] for i in range(0, n, batch_size)]


# ------------------------------------------------------------------ train


@mistake(
    "train",
    "X and Y are shuffled with two different permutations, so examples lose their labels: "
    "index both with the same batch of indices.",
)
def train_shuffles_separately(
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
    n = len(X)
    Y = np.reshape(Y, (n, -1))
    params = initialize_parameters(layer_sizes, seed)
    rng = np.random.default_rng(seed)
    history = {"cost": []}
    size = n if batch_size is None else batch_size
    for _ in range(epochs):
        X_shuffled, Y_shuffled = X[rng.permutation(n)], Y[rng.permutation(n)]
        for i in range(0, n, size):
            X_batch, Y_batch = X_shuffled[i : i + size], Y_shuffled[i : i + size]
            _, cache = forward_propagation(X_batch, params, hidden_activation, output_activation)
            grads = backward_propagation(params, cache, Y_batch, hidden_activation)
            params = update_parameters(params, grads, learning_rate)
        A_L, _ = forward_propagation(X, params, hidden_activation, output_activation)
        history["cost"].append(compute_cost(A_L, Y))
    return params, history


train_fixed_rate = patched(
    train,
    "update_parameters(params, grads, learning_rate)",
    "update_parameters(params, grads, 0.01)",
    message="train ignores its learning_rate argument (it always steps by 0.01): pass "
    "learning_rate to update_parameters.",
)

train_ignores_batch_size = patched(
    train,
    "batches = [np.arange(n)] if batch_size is None else minibatches(n, batch_size, rng)",
    "batches = [np.arange(n)]",
    message="train ignores batch_size and always takes one full-batch step per epoch: cut each "
    "epoch into minibatches(n, batch_size, rng) and update once per batch.",
)


@mistake(
    "train",
    "The cost is recorded after every batch: history['cost'] holds one cost per epoch, "
    "computed on all the data after the epoch's updates.",
)
def train_cost_per_batch(
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
    n = len(X)
    Y = np.reshape(Y, (n, -1))
    params = initialize_parameters(layer_sizes, seed)
    rng = np.random.default_rng(seed)
    history = {"cost": []}
    for _ in range(epochs):
        batches = [np.arange(n)] if batch_size is None else minibatches(n, batch_size, rng)
        for idx in batches:
            A_L, cache = forward_propagation(X[idx], params, hidden_activation, output_activation)
            history["cost"].append(compute_cost(A_L, Y[idx]))
            grads = backward_propagation(params, cache, Y[idx], hidden_activation)
            params = update_parameters(params, grads, learning_rate)
    return params, history


# ------------------------------------------------------------------ predict


predict_argmax_wrong_axis = patched(
    predict,
    "A_L.argmax(axis=1)",
    "A_L.argmax(axis=0)",
    message="argmax runs over the wrong axis: axis=0 picks an example for each class. Take the "
    "most likely class of each example, A_L.argmax(axis=1).",
)

predict_always_argmax = patched(
    predict,
    "(A_L[:, 0] >= 0.5).astype(int) if A_L.shape[1] == 1 else ",
    "",
    message="With one output column, argmax is always 0: threshold the probability at 0.5 instead.",
)

predict_always_threshold = patched(
    predict,
    " if A_L.shape[1] == 1 else A_L.argmax(axis=1)",
    "",
    message="With several classes, predict thresholds the first column at 0.5: take the most "
    "likely class with A_L.argmax(axis=1).",
)

predict_column = patched(
    predict,
    "A_L[:, 0] >= 0.5",
    "A_L >= 0.5",
    message="predict returns a column (n, 1): labels are a flat array of shape (n,), e.g. "
    "(A_L[:, 0] >= 0.5).astype(int).",
)


@mistake(
    "predict",
    "predict returns the public example's labels whatever the input: compute them.",
)
def predict_hard_coded(X, params, hidden_activation="relu", output_activation="sigmoid"):
    return np.array([1, 0, 0, 1])
