"""Tests for `neural_network`: public ones run in the notebook, all of them in the grader.

Each function is graded apart from the student's others: on inputs built here, against the model
answer; backward_propagation on the MODEL ANSWER's cache (and, when the student's own
forward_propagation and compute_cost are right there, against finite differences of them);
gradient_check with the model answer standing in for what it calls; minibatches and train by
behaviour (`SeededRng(seed)` arrives in the sandbox as np.random.default_rng(seed); accuracy is
measured with the model answer's predict).
"""

import numpy as np
import pytest

from autograder.problems import Mismatch, Problem
from autograder.suite.compare import (
    as_numbers,
    as_scalar,
    check_array,
    check_batches,
    check_keys,
    check_scalar,
    check_slope,
    check_unmutated,
    require_keys,
    unpack,
)
from autograder.suite.diagnose import ALL_PARTS
from autograder.suite.plugin import SeededRng

# ------------------------------------------------------------------ inputs and helpers
HIDDEN = ["relu", "tanh", "sigmoid", "leaky_relu"]
OUTPUT_UNITS = {"sigmoid": 1, "softmax": 3}
TRAIN_DEFAULTS = {"hidden_activation": "relu", "output_activation": "sigmoid"}
KINK_MARGIN = 0.05  # every hidden |Z| exceeds this: finite differences never cross a kink

# Each hidden activation meets each output layer once, and both depths.
BACKWARD_CASES = [("relu", "sigmoid", 1), ("relu", "softmax", 2), ("tanh", "sigmoid", 2),
                  ("tanh", "softmax", 1), ("sigmoid", "sigmoid", 1), ("sigmoid", "softmax", 2),
                  ("leaky_relu", "sigmoid", 2), ("leaky_relu", "softmax", 1)]  # fmt: skip
# Back-propagation is also checked against finite differences of the student's own cost here.
SLOPE_CASES = [("relu", "softmax", 2), ("leaky_relu", "sigmoid", 2)]
FORWARD_CASES = [("relu", "sigmoid", 2), ("tanh", "softmax", 1), ("sigmoid", "sigmoid", 1),
                 ("leaky_relu", "softmax", 2)]  # fmt: skip


def case_id(case):
    return "{}-{}-{}hidden".format(*case)


def layer_sizes(output, depth):
    """3 features, hidden layers of 5 (then 4) units, and 1 or 3 outputs."""
    return [3, *[5, 4][:depth], OUTPUT_UNITS[output]]


def network_of(output, depth):
    return f"params for layers {layer_sizes(output, depth)}"


def random_params(rng, sizes, scale=0.5):
    """Weights and biases randn * scale: large enough that no gradient is tiny."""
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(scale=scale, size=(sizes[l - 1], sizes[l]))
        params[f"b{l}"] = rng.normal(scale=scale, size=sizes[l])
    return params


def network(reference, rng, hidden, output, depth, n=12):
    """Parameters, n examples clear of every kink, and labels of the right shape."""
    sizes = layer_sizes(output, depth)
    params = random_params(rng, sizes)
    pool = rng.normal(size=(6 * n, sizes[0]))
    _, cache = reference.forward_propagation(pool, params, hidden, output)
    hidden_Z = np.hstack([cache[f"Z{l}"] for l in range(1, depth + 1)])
    keep = np.flatnonzero(np.abs(hidden_Z).min(axis=1) > KINK_MARGIN)
    assert keep.size >= n, "grader error: too few examples away from the kink"
    X = pool[keep[:n]]
    k = OUTPUT_UNITS[output]
    Y = (rng.random((n, 1)) < 0.5).astype(float) if k == 1 else np.eye(k)[rng.integers(0, k, n)]
    return params, X, Y


# Fixed public example: 4 examples, 3 features, 2 hidden units, 1 output.
SMALL_X = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0], [-1.0, 0.5, -0.5], [2.0, 0.0, 1.0]])
SMALL_Y = np.array([[1.0], [0.0], [0.0], [1.0]])
SMALL_PARAMS = {
    "W1": np.array([[0.2, -0.5], [0.1, 0.4], [-0.3, 0.2]]),
    "b1": np.array([0.1, -0.2]),
    "W2": np.array([[0.7], [-1.2]]),
    "b2": np.array([0.3]),
}


# ------------------------------------------------------------------ forward_propagation
@pytest.mark.public
@pytest.mark.grades("forward_propagation", points=1)
def test_forward_propagation_small_example(expect):
    """forward_propagation of 4 examples through 2 ReLU units and a sigmoid output (defaults)"""
    what = "forward_propagation(X, params) on the small example"
    parts = ["A_L", ("cache", ["A0", "Z1", "A1", "Z2", "A2"])]
    expect("forward_propagation", SMALL_X, SMALL_PARAMS, what=what, reveal=True, parts=parts)


@pytest.mark.grades("forward_propagation", points=3)
@pytest.mark.parametrize("case", FORWARD_CASES, ids=case_id)
def test_forward_propagation_random(expect, reference, rng, case):
    """forward_propagation for each activation, with one or two hidden layers"""
    hidden, output, depth = case
    params, X, _ = network(reference, rng, hidden, output, depth)
    what = f"forward_propagation(X {X.shape}, {network_of(output, depth)}, '{hidden}', '{output}')"
    parts = ["A_L", ("cache", ["A0"] + [f"{p}{l}" for l in range(1, depth + 2) for p in "ZA"])]
    expect("forward_propagation", X, params, hidden, output, what=what, parts=parts)


# ------------------------------------------------------------------ compute_cost
SMALL_COSTS = {  # A_L, Y
    "binary": ([[0.9], [0.2], [0.6], [0.3]], [[1.0], [0.0], [1.0], [1.0]]),
    "categorical": ([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
}


@pytest.mark.public
@pytest.mark.grades("compute_cost", points=1)
@pytest.mark.parametrize("kind", list(SMALL_COSTS))
def test_compute_cost_small_example(student, reference, mistakes, kind):
    """compute_cost of a small binary (one column) or categorical (one-hot) example"""
    A_L, Y = (np.array(value) for value in SMALL_COSTS[kind])
    what = f"compute_cost(A_L, Y) on the small {kind} example {A_L.tolist()}, {Y.tolist()}"
    got, want = student.compute_cost(A_L, Y), reference.compute_cost(A_L, Y)
    check_scalar(got, want, what=what, reveal=True, diagnose=mistakes("compute_cost", A_L, Y))


@pytest.mark.grades("compute_cost", points=1)
@pytest.mark.parametrize("k", [1, 4], ids=["binary", "categorical"])
def test_compute_cost_random(expect, rng, k):
    """binary cross-entropy for one column, categorical cross-entropy otherwise"""
    n = 13
    if k == 1:
        A_L, Y = rng.uniform(0.02, 0.98, size=(n, 1)), (rng.random((n, 1)) < 0.5).astype(float)
    else:
        Z = rng.normal(scale=2.0, size=(n, k))
        e = np.exp(Z - Z.max(axis=1, keepdims=True))  # softmax
        A_L, Y = e / e.sum(axis=1, keepdims=True), np.eye(k)[rng.integers(0, k, n)]
    what = f"compute_cost(A_L, Y), both of shape {(n, k)}"
    expect("compute_cost", A_L, Y, what=what, scalar=True)


@pytest.mark.grades("compute_cost", points=1)
@pytest.mark.parametrize("k", [1, 3], ids=["binary", "categorical"])
def test_compute_cost_finite_at_zero_and_one(student, mistakes, k):
    """compute_cost is finite for predictions exactly 0 or 1, and about 0 when they are right"""
    labels = np.array([0, 2, 1, 2, 0]) % max(k, 2)
    Y = labels.reshape(-1, 1).astype(float) if k == 1 else np.eye(k)[labels]
    wrong_A = 1 - Y if k == 1 else np.roll(Y, 1, axis=1)
    what = f"compute_cost(Y, Y), Y of shape {Y.shape}, predictions exactly equal to the labels"
    right, diagnose = student.compute_cost(Y.copy(), Y), mistakes("compute_cost", Y.copy(), Y)
    check_scalar(right, 0.0, atol=1e-6, reveal=True, what=what, diagnose=diagnose)
    wrong = as_scalar(student.compute_cost(wrong_A, Y), what="compute_cost")
    assert np.isfinite(wrong) and wrong > 10, (
        f"compute_cost with Y of shape {Y.shape} and every prediction exactly wrong should be "
        "large but finite: clip the predictions away from 0 (and 1) before taking the log."
    )


# ------------------------------------------------------------------ layer_backward
LAYER_ACTIVATIONS = [*HIDDEN, "linear"]
LAYER_PARTS = ["dA_prev", "dW", "db"]
# Fixed public example (dA, A_prev, W, Z): 4 examples, 3 inputs, 2 units, |Z| clear of the kink.
SMALL_LAYER = (
    np.array([[0.5, -1.0], [0.25, 0.75], [-0.5, 0.1], [1.0, 0.2]]),
    np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0], [-1.0, 0.5, -0.5], [2.0, 0.0, 1.0]]),
    np.array([[0.2, -0.5], [0.1, 0.4], [-0.3, 0.2]]),
    np.array([[-0.3, 1.2], [0.6, -0.8], [1.5, 0.4], [-1.1, -0.2]]),
)


@pytest.mark.public
@pytest.mark.grades("layer_backward", points=2)
@pytest.mark.parametrize("activation", LAYER_ACTIVATIONS)
def test_layer_backward_small_example(expect, activation):
    """layer_backward of 4 examples, 3 inputs and 2 units"""
    what = f"layer_backward(dA, A_prev, W, Z, {activation!r}) on the small example"
    expect("layer_backward", *SMALL_LAYER, activation, what=what, reveal=True, parts=LAYER_PARTS)


@pytest.mark.grades("layer_backward", points=3)
@pytest.mark.parametrize("activation", LAYER_ACTIVATIONS)
def test_layer_backward_random(expect, rng, activation):
    """layer_backward on random inputs of non-square shapes"""
    n, h_prev, h = 7, 5, 3
    inputs = [rng.normal(size=shape) for shape in [(n, h), (n, h_prev), (h_prev, h), (n, h)]]
    what = f"layer_backward with {activation!r} units, {n} examples, {h_prev} inputs and {h} units"
    expect("layer_backward", *inputs, activation, what=what, parts=LAYER_PARTS)


# ------------------------------------------------------------------ backward_propagation
def check_backward(expect, reference, params, X, Y, hidden, output, *, what, reveal=False):
    """backward_propagation on the model answer's cache: every dW, db right, inputs unchanged;
    returns the student's gradients."""
    _, cache = reference.forward_propagation(X, params, hidden, output)
    keys = [f"d{p}{l}" for l in range(len(params) // 2, 0, -1) for p in "Wb"]
    args = (params, cache, Y, hidden)
    return expect("backward_propagation", *args, what=what, reveal=reveal, parts=keys).value


def check_own_slope(student, reference, params, X, Y, activations, grads, rng, *, what):
    """When the student's own forward_propagation and compute_cost are right here, the gradients
    must give the slope of their cost (see check_slope)."""

    def own_A(at):
        got = student.forward_propagation(X, at, *activations)
        return unpack(got, ["A_L", "cache"], what="")[0]

    def own_cost(at):
        return as_scalar(student.compute_cost(own_A(at), Y), what="compute_cost")

    want_A, _ = reference.forward_propagation(X, params, *activations)
    try:
        A_L, cost = own_A(params), student.compute_cost(want_A, Y)
        check_array(A_L, want_A, what="")
        check_scalar(cost, reference.compute_cost(want_A, Y), what="")
    except Problem:
        return  # their own mistakes cost points in their own tests
    of = "your own forward_propagation and compute_cost"
    check_slope(own_cost, params, grads, rng, what=what, of=of)


@pytest.mark.public
@pytest.mark.grades("backward_propagation", points=2)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backward_propagation_small_example(expect, reference, hidden):
    """backward_propagation of the small example (2 {hidden} units, sigmoid output)"""
    what = f"backward_propagation(params, cache, Y, '{hidden}') on the small example"
    args = (SMALL_PARAMS, SMALL_X, SMALL_Y, hidden, "sigmoid")
    check_backward(expect, reference, *args, what=what, reveal=True)


@pytest.mark.grades("backward_propagation", points=6)
@pytest.mark.parametrize("case", BACKWARD_CASES, ids=case_id)
def test_backward_propagation_random(expect, student, reference, rng, case):
    """backward_propagation for each activation and output layer, with one or two hidden layers"""
    hidden, output, depth = case
    params, X, Y = network(reference, rng, hidden, output, depth)
    what = (
        f"backward_propagation for layers {layer_sizes(output, depth)}, '{hidden}' hidden "
        f"units and a {output} output, on {len(X)} examples"
    )
    grads = check_backward(expect, reference, params, X, Y, hidden, output, what=what)
    if case in SLOPE_CASES:
        check_own_slope(student, reference, params, X, Y, (hidden, output), grads, rng, what=what)


# ------------------------------------------------------------------ update_parameters
@pytest.mark.public
@pytest.mark.grades("update_parameters", points=1)
def test_update_parameters_small_example(expect):
    """update_parameters takes one step of size 0.1 against the gradient"""
    grads = {"d" + k: np.full(np.shape(v), 0.5) for k, v in SMALL_PARAMS.items()}
    grads["dW1"] = np.array([[1.0, -1.0], [0.5, 0.0], [-2.0, 3.0]])
    what = "update_parameters(params, grads, 0.1) on the small example"
    args = (SMALL_PARAMS, grads, 0.1)
    expect("update_parameters", *args, what=what, reveal=True, parts=list(SMALL_PARAMS), exact=True)


@pytest.mark.grades("update_parameters", points=2)
@pytest.mark.parametrize("learning_rate", [0.05, 1.5])
def test_update_parameters_random(expect, rng, learning_rate):
    """update_parameters returns a new dict and leaves params and grads unchanged"""
    sizes = [4, 5, 3, 2]
    params = random_params(rng, sizes)
    grads = {"d" + k: v for k, v in random_params(rng, sizes).items()}
    what = f"update_parameters for layers {sizes}, learning_rate={learning_rate}"
    keys = list(params)
    expect("update_parameters", params, grads, learning_rate, what=what, parts=keys, exact=True)


# ------------------------------------------------------------------ gradient_check
CENTRAL_HINT = (
    "Use central differences, (J(theta + eps) - J(theta - eps)) / (2 eps), for every weight and "
    "every bias, and return ||g - g_num|| / (||g|| + ||g_num||)."
)


@pytest.mark.public
@pytest.mark.grades("gradient_check", points=1)
def test_gradient_check_small_example(student):
    """gradient_check of a correct back-propagation is below 1e-7 (small tanh example)"""
    args = (SMALL_PARAMS, SMALL_X, SMALL_Y, "tanh", "sigmoid")
    reply = student.call("gradient_check", *args, seconds=30)
    value = as_scalar(reply.value, what="gradient_check")
    assert 0 < value < 1e-7, (
        f"gradient_check(params, X, Y, 'tanh', 'sigmoid') on the small example returned {value:.3g}"
        "; for a correct back-propagation it is a small positive number below 1e-7 (exactly 0 "
        "means the two gradients were not computed independently). " + CENTRAL_HINT
    )


@pytest.mark.grades("gradient_check", points=1)
def test_gradient_check_passes_right_gradients(student, reference, rng):
    """gradient_check of a correct back-propagation is below 1e-7 (two tanh layers, softmax)"""
    params, X, Y = network(reference, rng, "tanh", "softmax", 2)
    reply = student.call("gradient_check", params, X, Y, "tanh", "softmax", seconds=30)
    value = as_scalar(reply.value, what="gradient_check")
    assert np.isfinite(value) and 0 < value < 1e-7, (
        f"gradient_check for layers {layer_sizes('softmax', 2)} should be a small positive "
        "number below 1e-7 for a correct back-propagation. " + CENTRAL_HINT
    )


@pytest.mark.grades("gradient_check", points=2)
@pytest.mark.parametrize("case", [("tanh", "sigmoid", 1), ("tanh", "softmax", 2)], ids=case_id)
def test_gradient_check_large_eps(expect, reference, rng, case):
    """gradient_check with eps = 1e-2 uses central differences over every parameter"""
    hidden, output, depth = case
    params, X, Y = network(reference, rng, hidden, output, depth)
    what = f"gradient_check(params, X, Y, '{hidden}', '{output}', eps=1e-2)"
    expect("gradient_check", params, X, Y, hidden, output, eps=1e-2, what=what, scalar=True,
           tolerance={"rtol": 1e-3, "atol": 0.0}, otherwise=CENTRAL_HINT, seconds=30)  # fmt: skip


# ------------------------------------------------------------------ minibatches
def minibatch_order(student, n, batch_size, seed, *, what, mistakes=None):
    """minibatches(n, batch_size, default_rng(seed)) in the sandbox, checked by check_batches;
    with `mistakes`, a wrong split names the catalogued mistake its batches reproduce."""
    diagnose = batch_mistakes(mistakes, n, batch_size, seed) if mistakes else None
    batches = student.minibatches(n, batch_size, SeededRng(seed))
    return check_batches(batches, n, batch_size, what=what, diagnose=diagnose)


def batch_mistakes(mistakes, n, batch_size, seed):
    """A diagnoser of minibatches(n, batch_size, default_rng(seed)) by all its batches, joined."""
    return mistakes("minibatches", n, batch_size, np.random.default_rng(seed), part=ALL_PARTS)


@pytest.mark.public
@pytest.mark.grades("minibatches", points=1)
def test_minibatches_small_example(student, mistakes):
    """minibatches(10, 4, rng) gives batches of 4, 4 and 2 indices that cover 0..9 once"""
    what = "minibatches(10, 4, np.random.default_rng(0))"
    minibatch_order(student, 10, 4, 0, what=what, mistakes=mistakes)


@pytest.mark.grades("minibatches", points=2)
@pytest.mark.parametrize("n, batch_size", [(50, 7), (24, 6), (5, 8), (6, 1)])
def test_minibatches_partition(student, mistakes, n, batch_size):
    """minibatches covers every example exactly once, and only the last batch is smaller"""
    what = f"minibatches({n}, {batch_size}, rng)"
    minibatch_order(student, n, batch_size, n, what=what, mistakes=mistakes)


@pytest.mark.grades("minibatches", points=1)
def test_minibatches_shuffled_and_seeded(student, mistakes):
    """minibatches shuffles, and the same generator seed gives the same batches"""
    n, size, what = 50, 10, "minibatches(50, 10, rng)"
    first = minibatch_order(student, n, size, 3, what=what)
    if np.array_equal(first, np.arange(n)):
        raise Mismatch(
            f"{what} returned the examples in their original order.",
            hint="Shuffle them with rng.permutation(n).",
            diagnosis=batch_mistakes(mistakes, n, size, 3)(first.astype(float)) or "",
        )
    assert np.array_equal(first, minibatch_order(student, n, size, 3, what=what)), (
        f"{what} gave different batches for two generators with the same seed: draw the "
        "shuffle from the rng argument, not from np.random."
    )
    assert not np.array_equal(first, minibatch_order(student, n, size, 4, what=what)), (
        f"{what} gave the same batches for generators with different seeds: draw the shuffle "
        "from the rng argument."
    )


# ------------------------------------------------------------------ train
def blobs(rng, k, n=60):
    """n examples in k well-separated clusters: X (n, 2), labels (n,), Y (n, 1) or one-hot."""
    angles = 2 * np.pi * np.arange(k) / k + 0.3
    centers = 2.0 * np.c_[np.cos(angles), np.sin(angles)]
    labels = np.arange(n) % k
    X = centers[labels] + rng.normal(scale=0.6, size=(n, 2))
    Y = labels.reshape(-1, 1).astype(float) if k == 2 else np.eye(k)[labels]
    return X, labels, Y


def run_train(student, reference, X, Y, sizes, **kwargs):
    """train in the sandbox: (params, history), the last cost that of the params on all of X;
    returns the params, the costs and the call's description."""
    options = ", ".join(f"{name}={value!r}" for name, value in kwargs.items())
    what = f"train(X {X.shape}, Y {Y.shape}, {sizes}, {options})"
    reply = student.call("train", X, Y, sizes, seconds=30, **kwargs)
    params, history = unpack(reply.value, ["params", "history"], what=what)
    shapes = {}
    for l in range(1, len(sizes)):
        shapes[f"W{l}"], shapes[f"b{l}"] = (sizes[l - 1], sizes[l]), (sizes[l],)
    check_keys(params, shapes, what=f"the params from {what}")
    for key, shape in shapes.items():
        if not isinstance(params[key], np.ndarray) or params[key].shape != shape:
            raise Mismatch(f"{key} from {what} should be an array of shape {shape}.")
    history = require_keys(history, ["cost"], what=f"the history from {what}")
    costs = as_numbers(history["cost"], what=f"history['cost'] from {what}")
    if costs.shape != (kwargs["epochs"],):
        raise Mismatch(
            f"history['cost'] from {what} has shape {costs.shape}; it should hold "
            f"one cost per epoch, {kwargs['epochs']} in all.",
            hint="Append the cost once per epoch, after the epoch's updates.",
        )
    if not np.isfinite(costs).all():
        raise Mismatch(f"history['cost'] from {what} contains NaN or infinite values.")
    activations = [kwargs.get(name, default) for name, default in TRAIN_DEFAULTS.items()]
    A_L, _ = reference.forward_propagation(X, params, *activations)
    what_cost = f"the last cost in history['cost'] from {what}, compared with the cost of the "
    what_cost += "parameters it returned, on all of X"
    check_scalar(costs[-1], reference.compute_cost(A_L, Y), rtol=1e-6, what=what_cost)
    check_unmutated(reply.mutated, what="train")
    return params, costs, what


@pytest.mark.public
@pytest.mark.grades("train", points=1)
def test_train_small_example(student, reference, rng):
    """train records one cost per epoch, and the cost falls"""
    X, _, Y = blobs(rng, 2)
    _, costs, what = run_train(student, reference, X, Y, [2, 4, 1], learning_rate=1.0, epochs=20)
    assert costs[-1] < costs[0], (
        f"With {what}, the last cost ({costs[-1]:.4g}) should be below the first "
        f"({costs[0]:.4g}): check the sign of the update and the learning rate you pass on."
    )


TRAIN_MODES = {
    "full_batch": dict(batch_size=None, epochs=20, learning_rate=1.0),
    "sgd": dict(batch_size=1, epochs=2, learning_rate=0.1),
    "mini_batch": dict(batch_size=16, epochs=10, learning_rate=0.5),
}


@pytest.mark.grades("train", points=2)
@pytest.mark.parametrize("mode", list(TRAIN_MODES))
def test_train_cost_falls(student, reference, rng, mode):
    """train lowers the cost with full batches, single examples (SGD) and mini-batches"""
    X, _, Y = blobs(rng, 2)
    _, costs, what = run_train(student, reference, X, Y, [2, 4, 1], **TRAIN_MODES[mode])
    assert costs[-1] < costs[0], (
        f"With {what}, the cost after the last epoch should be below the cost after the first."
    )
    assert costs[-1] < 0.6, (
        f"After {what}, the cost should be well below log(2) = 0.69, the cost of an untrained "
        "network: take one step per batch, so that an epoch makes n / batch_size updates."
    )


@pytest.mark.grades("train", points=2)
@pytest.mark.parametrize("k, hidden, output", [(2, "relu", "sigmoid"), (3, "tanh", "softmax")])
def test_train_fits_separable_data(student, reference, rng, k, hidden, output):
    """train reaches at least 90% training accuracy on well-separated clusters"""
    X, labels, Y = blobs(rng, k)
    kwargs = dict(learning_rate=1.0, epochs=30, hidden_activation=hidden, output_activation=output)
    params, _, what = run_train(student, reference, X, Y, [2, 6, OUTPUT_UNITS[output]], **kwargs)
    accuracy = float(np.mean(reference.predict(X, params, hidden, output) == labels))
    assert accuracy >= 0.9, (
        f"After {what}, the network classifies only {accuracy:.0%} of the training examples "
        "correctly; at least 90% was expected."
    )


@pytest.mark.grades("train", points=1)
def test_train_is_deterministic(student, reference, rng):
    """train with the same seed gives the same parameters and costs"""
    X, _, Y = blobs(rng, 2)
    kwargs = dict(learning_rate=0.5, epochs=5, batch_size=16, seed=3)
    first, first_costs, what = run_train(student, reference, X, Y, [2, 4, 1], **kwargs)
    again, again_costs, _ = run_train(student, reference, X, Y, [2, 4, 1], **kwargs)
    same = np.array_equal(first_costs, again_costs)
    same = same and all(np.array_equal(first[key], again[key]) for key in first)
    assert same, (
        f"Two calls of {what} gave different results: take every random choice from the seed "
        "(initialize_parameters(layer_sizes, seed) and np.random.default_rng(seed) for the "
        "mini-batches)."
    )


# ------------------------------------------------------------------ predict
@pytest.mark.public
@pytest.mark.grades("predict", points=1)
def test_predict_small_example(student, reference, mistakes):
    """predict labels 0/1 for the small example (threshold 0.5)"""
    what, args = "predict(X, params) on the small example", (SMALL_X, SMALL_PARAMS)
    got, want = student.predict(*args), reference.predict(*args)
    diagnose = mistakes("predict", *args)
    check_array(got, want, what=what, reveal=True, integer=True, diagnose=diagnose)


@pytest.mark.grades("predict", points=2)
@pytest.mark.parametrize("case", [("relu", "sigmoid", 2), ("tanh", "softmax", 1)], ids=case_id)
def test_predict_random(expect, reference, rng, case):
    """predict thresholds one output at 0.5, and takes the most likely of several classes"""
    hidden, output, depth = case
    params, X, _ = network(reference, rng, hidden, output, depth, n=15)
    what = f"predict(X {X.shape}, {network_of(output, depth)}, '{hidden}', '{output}')"
    expect("predict", X, params, hidden, output, what=what, integer=True)
