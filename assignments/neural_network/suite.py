"""Tests for `neural_network`: public ones run in the notebook, all of them in the grader.

How each function is isolated from the student's other functions:
- forward_propagation, compute_cost, update_parameters and predict are graded on parameters and
  data built here, and compared with the model answer.
- layer_backward is graded on inputs built here, one activation at a time.
- backward_propagation is graded on a cache built by the MODEL ANSWER's forward_propagation, so a
  mistake in the student's forward pass never costs back-propagation points. When the student's
  own forward_propagation and compute_cost agree with the model answer on the same network, the
  gradients must also match central finite differences of them along a random direction.
- gradient_check calls forward_propagation, compute_cost and backward_propagation; while it is
  graded those resolve to the model answer (stand-ins), so their mistakes cost only their own
  columns.
- minibatches is graded by behaviour (a partition into batches, shuffled, reproducible), not by
  its exact permutation: `SeededRng(seed)` arrives in the sandbox as np.random.default_rng(seed).
- train is graded by behaviour (cost history, falling cost, accuracy, determinism); its accuracy
  is measured with the model answer's predict, so it does not depend on the student's predict.
"""

import numpy as np
import pytest

from autograder.problems import Mismatch, Problem
from autograder.suite.compare import (
    as_scalar,
    check_array,
    check_keys,
    check_scalar,
    check_unmutated,
    unpack,
)
from autograder.suite.diagnose import ALL_PARTS
from autograder.suite.plugin import SeededRng

# ------------------------------------------------------------------ inputs and helpers

HIDDEN = ["relu", "tanh", "sigmoid", "leaky_relu"]
OUTPUT_UNITS = {"sigmoid": 1, "softmax": 3}
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
    hidden, output, depth = case
    return f"{hidden}-{output}-{depth}hidden"


def one_hot(labels, k):
    return np.eye(k)[labels]


def softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


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
    Y = (rng.random((n, 1)) < 0.5).astype(float) if k == 1 else one_hot(rng.integers(0, k, n), k)
    return params, X, Y


def require_keys(got, keys, *, what):
    """Fail unless `got` is a dict holding every one of `keys` (other keys are allowed)."""
    if not isinstance(got, dict):
        raise Mismatch(f"{what} returned a {type(got).__name__}; a dict was expected.")
    missing = [k for k in keys if k not in got]
    if missing:
        raise Mismatch(f"{what} returned a dict without the keys {missing}.")
    return got


def check_value(got, reference, mistakes, fn, *args, what, check=check_array, **options):
    """Compare a value the student's `fn` returned with the model answer's, naming the mistake."""
    want = getattr(reference, fn)(*args)
    check(got, want, what=what, diagnose=mistakes(fn, *args), **options)


def agrees(check, *args, **kwargs):
    """True when a compare check passes, False when it fails."""
    try:
        check(*args, **kwargs)
    except Problem:
        return False
    return True


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


def check_forward(student, reference, mistakes, X, params, activations, *, what, reveal=False):
    """forward_propagation in the sandbox: A_L and every cache entry right, inputs unchanged."""
    reply = student.call("forward_propagation", X, params, *activations)
    A_L, cache = unpack(reply.value, ["A_L", "cache"], what=what)
    want_A, want_cache = reference.forward_propagation(X, params, *activations)
    diagnose = mistakes("forward_propagation", X, params, *activations, part=0)
    check_array(A_L, want_A, what=f"A_L from {what}", reveal=reveal, diagnose=diagnose)
    L = len(params) // 2
    keys = ["A0"] + [f"{p}{l}" for l in range(1, L + 1) for p in "ZA"]
    require_keys(cache, keys, what=f"the cache from {what}")
    for key in keys:
        check_array(cache[key], want_cache[key], what=f"cache['{key}'] from {what}", reveal=reveal)
    check_unmutated(reply.mutated, what="forward_propagation")


@pytest.mark.public
@pytest.mark.grades("forward_propagation", points=1)
def test_forward_propagation_small_example(student, reference, mistakes):
    """forward_propagation of 4 examples through 2 ReLU units and a sigmoid output (defaults)"""
    what = "forward_propagation(X, params) on the small example"
    check_forward(student, reference, mistakes, SMALL_X, SMALL_PARAMS, (), what=what, reveal=True)


@pytest.mark.grades("forward_propagation", points=3)
@pytest.mark.parametrize("case", FORWARD_CASES, ids=case_id)
def test_forward_propagation_random(student, reference, mistakes, rng, case):
    """forward_propagation for each activation, with one or two hidden layers"""
    hidden, output, depth = case
    params, X, _ = network(reference, rng, hidden, output, depth)
    what = f"forward_propagation(X {X.shape}, {network_of(output, depth)}, '{hidden}', '{output}')"
    check_forward(student, reference, mistakes, X, params, (hidden, output), what=what)


# ------------------------------------------------------------------ compute_cost

SMALL_COSTS = {
    "binary": (np.array([[0.9], [0.2], [0.6], [0.3]]), np.array([[1.0], [0.0], [1.0], [1.0]])),
    "categorical": (
        np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]),
        np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
    ),
}


@pytest.mark.public
@pytest.mark.grades("compute_cost", points=1)
@pytest.mark.parametrize("kind", list(SMALL_COSTS))
def test_compute_cost_small_example(student, reference, mistakes, kind):
    """compute_cost of a small binary (one column) or categorical (one-hot) example"""
    A_L, Y = SMALL_COSTS[kind]
    what = f"compute_cost(A_L, Y) on the small {kind} example {A_L.tolist()}, {Y.tolist()}"
    check_value(student.compute_cost(A_L, Y), reference, mistakes, "compute_cost", A_L, Y,
                what=what, reveal=True, check=check_scalar)  # fmt: skip


@pytest.mark.grades("compute_cost", points=1)
@pytest.mark.parametrize("k", [1, 4], ids=["binary", "categorical"])
def test_compute_cost_random(expect, rng, k):
    """binary cross-entropy for one column, categorical cross-entropy otherwise"""
    n = 13
    if k == 1:
        A_L, Y = rng.uniform(0.02, 0.98, size=(n, 1)), (rng.random((n, 1)) < 0.5).astype(float)
    else:
        A_L, Y = softmax(rng.normal(scale=2.0, size=(n, k))), one_hot(rng.integers(0, k, n), k)
    expect(
        "compute_cost", A_L, Y, what=f"compute_cost(A_L, Y), both of shape {(n, k)}", scalar=True
    )


@pytest.mark.grades("compute_cost", points=1)
@pytest.mark.parametrize("k", [1, 3], ids=["binary", "categorical"])
def test_compute_cost_finite_at_zero_and_one(student, mistakes, k):
    """compute_cost is finite for predictions exactly 0 or 1, and about 0 when they are right"""
    labels = np.array([0, 2, 1, 2, 0]) % max(k, 2)
    Y = labels.reshape(-1, 1).astype(float) if k == 1 else one_hot(labels, k)
    wrong_A = 1 - Y if k == 1 else np.roll(Y, 1, axis=1)
    right = student.compute_cost(Y.copy(), Y)
    what = f"compute_cost(Y, Y), Y of shape {Y.shape}, predictions exactly equal to the labels"
    diagnose = mistakes("compute_cost", Y.copy(), Y)
    check_scalar(right, 0.0, atol=1e-6, reveal=True, what=what, diagnose=diagnose)
    wrong = as_scalar(student.compute_cost(wrong_A, Y), what="compute_cost")
    assert np.isfinite(wrong) and wrong > 10, (
        f"compute_cost with Y of shape {Y.shape} and every prediction exactly wrong should be "
        "large but finite: clip the predictions away from 0 (and 1) before taking the log."
    )


# ------------------------------------------------------------------ layer_backward

LAYER_ACTIVATIONS = [*HIDDEN, "linear"]
# Fixed public example: 4 examples, 3 inputs, 2 units (every |Z| clear of ReLU's kink).
SMALL_LAYER = {
    "dA": np.array([[0.5, -1.0], [0.25, 0.75], [-0.5, 0.1], [1.0, 0.2]]),
    "A_prev": np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0], [-1.0, 0.5, -0.5], [2.0, 0.0, 1.0]]),
    "W": np.array([[0.2, -0.5], [0.1, 0.4], [-0.3, 0.2]]),
    "Z": np.array([[-0.3, 1.2], [0.6, -0.8], [1.5, 0.4], [-1.1, -0.2]]),
}


def check_layer_backward(student, reference, mistakes, inputs, activation, *, what, reveal=False):
    """layer_backward in the sandbox: dA_prev, dW and db right, inputs unchanged."""
    args = (inputs["dA"], inputs["A_prev"], inputs["W"], inputs["Z"], activation)
    reply = student.call("layer_backward", *args)
    got = unpack(reply.value, ["dA_prev", "dW", "db"], what=what)
    want = reference.layer_backward(*args)
    for part, name in enumerate(["dA_prev", "dW", "db"]):
        diagnose = mistakes("layer_backward", *args, part=part)
        check_array(
            got[part], want[part], what=f"{name} from {what}", reveal=reveal, diagnose=diagnose
        )
    check_unmutated(reply.mutated, what="layer_backward")


def layer_inputs(rng, n, h_prev, h):
    """Random inputs of one layer's step back."""
    return {
        "dA": rng.normal(size=(n, h)),
        "A_prev": rng.normal(size=(n, h_prev)),
        "W": rng.normal(size=(h_prev, h)),
        "Z": rng.normal(size=(n, h)),
    }


@pytest.mark.public
@pytest.mark.grades("layer_backward", points=2)
@pytest.mark.parametrize("activation", LAYER_ACTIVATIONS)
def test_layer_backward_small_example(student, reference, mistakes, activation):
    """layer_backward of 4 examples, 3 inputs and 2 units"""
    what = f"layer_backward(dA, A_prev, W, Z, {activation!r}) on the small example"
    check_layer_backward(
        student, reference, mistakes, SMALL_LAYER, activation, what=what, reveal=True
    )


@pytest.mark.grades("layer_backward", points=3)
@pytest.mark.parametrize("activation", LAYER_ACTIVATIONS)
def test_layer_backward_random(student, reference, mistakes, rng, activation):
    """layer_backward on random inputs of non-square shapes"""
    n, h_prev, h = 7, 5, 3
    what = f"layer_backward with {activation!r} units, {n} examples, {h_prev} inputs and {h} units"
    check_layer_backward(student, reference, mistakes, layer_inputs(rng, n, h_prev, h), activation,
                         what=what)  # fmt: skip


# ------------------------------------------------------------------ backward_propagation


def check_backward(
    student, reference, mistakes, params, X, Y, activations, *, what, rng=None, reveal=False
):
    """backward_propagation on the model answer's cache: every dW, db right, inputs unchanged.

    With `rng`, and when the student's forward_propagation and compute_cost are right here, the
    gradients must also give the slope of the student's own cost along a random direction.
    """
    hidden, output = activations
    _, cache = reference.forward_propagation(X, params, hidden, output)
    reply = student.call("backward_propagation", params, cache, Y, hidden)
    want = reference.backward_propagation(params, cache, Y, hidden)
    L = len(params) // 2
    keys = [f"d{p}{l}" for l in range(L, 0, -1) for p in "Wb"]
    grads = require_keys(reply.value, keys, what=what)
    for key in keys:
        diagnose = mistakes("backward_propagation", params, cache, Y, hidden, part=key)
        check_array(
            grads[key], want[key], what=f"{key} from {what}", reveal=reveal, diagnose=diagnose
        )
    check_unmutated(reply.mutated, what="backward_propagation")
    if rng is not None and own_cost_is_right(student, reference, params, X, Y, activations):
        check_slope(student, params, X, Y, activations, grads, rng, what=what)


def own_cost_is_right(student, reference, params, X, Y, activations):
    """Whether the student's forward_propagation and compute_cost match the model answer here."""
    want_A, _ = reference.forward_propagation(X, params, *activations)
    try:
        A_L, _ = unpack(
            student.forward_propagation(X, params, *activations), ["A_L", "cache"], what=""
        )
        cost = student.compute_cost(want_A, Y)
    except Problem:
        return False
    return agrees(check_array, A_L, want_A, what="") and agrees(
        check_scalar, cost, reference.compute_cost(want_A, Y), what=""
    )


def check_slope(student, params, X, Y, activations, grads, rng, *, what, eps=1e-6):
    """Compare the gradient with central differences of the student's cost along a direction."""
    direction = {k: rng.normal(size=np.shape(v)) for k, v in params.items()}
    norm = np.sqrt(sum(float((d**2).sum()) for d in direction.values()))

    def cost_at(step):
        moved = {k: params[k] + step * direction[k] / norm for k in params}
        A_L, _ = unpack(
            student.forward_propagation(X, moved, *activations), ["A_L", "cache"], what=""
        )
        return as_scalar(student.compute_cost(A_L, Y), what="compute_cost")

    numeric = (cost_at(eps) - cost_at(-eps)) / (2 * eps)
    along = sum(float((np.asarray(grads["d" + k]) * direction[k]).sum()) for k in params) / norm
    size = np.sqrt(sum(float((np.asarray(grads["d" + k]) ** 2).sum()) for k in params))
    assert abs(along - numeric) <= 1e-6 * size + 1e-10, (
        f"The gradients from {what} do not give the slope of your own forward_propagation and "
        "compute_cost (checked with central finite differences along a random direction)."
    )


@pytest.mark.public
@pytest.mark.grades("backward_propagation", points=2)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backward_propagation_small_example(student, reference, mistakes, hidden):
    """backward_propagation of the small example (2 {hidden} units, sigmoid output)"""
    what = f"backward_propagation(params, cache, Y, '{hidden}') on the small example"
    activations = (hidden, "sigmoid")
    check_backward(student, reference, mistakes, SMALL_PARAMS, SMALL_X, SMALL_Y, activations,
                   what=what, reveal=True)  # fmt: skip


@pytest.mark.grades("backward_propagation", points=6)
@pytest.mark.parametrize("case", BACKWARD_CASES, ids=case_id)
def test_backward_propagation_random(student, reference, mistakes, rng, case):
    """backward_propagation for each activation and output layer, with one or two hidden layers"""
    hidden, output, depth = case
    params, X, Y = network(reference, rng, hidden, output, depth)
    what = (f"backward_propagation for layers {layer_sizes(output, depth)}, '{hidden}' hidden "
            f"units and a {output} output, on {len(X)} examples")  # fmt: skip
    check_backward(student, reference, mistakes, params, X, Y, (hidden, output), what=what,
                   rng=rng if case in SLOPE_CASES else None)  # fmt: skip


# ------------------------------------------------------------------ update_parameters


def check_update(student, reference, mistakes, params, grads, learning_rate, *, what, reveal=False):
    reply = student.call("update_parameters", params, grads, learning_rate)
    new = check_keys(reply.value, params, what=what)
    want = reference.update_parameters(params, grads, learning_rate)
    for key in params:
        diagnose = mistakes("update_parameters", params, grads, learning_rate, part=key)
        check_array(
            new[key], want[key], what=f"{key} from {what}", reveal=reveal, diagnose=diagnose
        )
    check_unmutated(reply.mutated, what="update_parameters")


@pytest.mark.public
@pytest.mark.grades("update_parameters", points=1)
def test_update_parameters_small_example(student, reference, mistakes):
    """update_parameters takes one step of size 0.1 against the gradient"""
    grads = {"d" + k: np.full(np.shape(v), 0.5) for k, v in SMALL_PARAMS.items()}
    grads["dW1"] = np.array([[1.0, -1.0], [0.5, 0.0], [-2.0, 3.0]])
    what = "update_parameters(params, grads, 0.1) on the small example"
    check_update(student, reference, mistakes, SMALL_PARAMS, grads, 0.1, what=what, reveal=True)


@pytest.mark.grades("update_parameters", points=2)
@pytest.mark.parametrize("learning_rate", [0.05, 1.5])
def test_update_parameters_random(student, reference, mistakes, rng, learning_rate):
    """update_parameters returns a new dict and leaves params and grads unchanged"""
    sizes = [4, 5, 3, 2]
    params = random_params(rng, sizes)
    grads = {"d" + k: v for k, v in random_params(rng, sizes).items()}
    what = f"update_parameters for layers {sizes}, learning_rate={learning_rate}"
    check_update(student, reference, mistakes, params, grads, learning_rate, what=what)


# ------------------------------------------------------------------ gradient_check


GRADIENT_CHECK_CASES = [("tanh", "sigmoid", 1), ("tanh", "softmax", 2)]
CENTRAL_HINT = (
    "Use central differences, (J(theta + eps) - J(theta - eps)) / (2 eps), for every weight and "
    "every bias, and return ||g - g_num|| / (||g|| + ||g_num||)."
)


@pytest.mark.public
@pytest.mark.grades("gradient_check", points=1)
def test_gradient_check_small_example(student, reference):
    """gradient_check of a correct back-propagation is below 1e-7 (small tanh example)"""
    activations = ("tanh", "sigmoid")
    reply = student.call("gradient_check", SMALL_PARAMS, SMALL_X, SMALL_Y, *activations, seconds=30)
    value = as_scalar(reply.value, what="gradient_check")
    assert 0 < value < 1e-7, (
        f"gradient_check(params, X, Y, 'tanh', 'sigmoid') on the small example returned {value:.3g}"
        "; for a correct back-propagation it is a small positive number below 1e-7 (exactly 0 "
        "means the two gradients were not computed independently). " + CENTRAL_HINT
    )


@pytest.mark.grades("gradient_check", points=1)
def test_gradient_check_passes_right_gradients(student, reference, rng):
    """gradient_check of a correct back-propagation is below 1e-7 (two tanh layers, softmax)"""
    hidden, output, depth = "tanh", "softmax", 2
    params, X, Y = network(reference, rng, hidden, output, depth)
    reply = student.call("gradient_check", params, X, Y, hidden, output, seconds=30)
    value = as_scalar(reply.value, what="gradient_check")
    assert np.isfinite(value) and 0 < value < 1e-7, (
        f"gradient_check for layers {layer_sizes(output, depth)} should be a small positive "
        "number below 1e-7 for a correct back-propagation. " + CENTRAL_HINT
    )


@pytest.mark.grades("gradient_check", points=2)
@pytest.mark.parametrize("case", GRADIENT_CHECK_CASES, ids=case_id)
def test_gradient_check_large_eps(student, reference, mistakes, rng, case):
    """gradient_check with eps = 1e-2 uses central differences over every parameter"""
    hidden, output, depth = case
    params, X, Y = network(reference, rng, hidden, output, depth)
    reply = student.call("gradient_check", params, X, Y, hidden, output, eps=1e-2, seconds=30)
    diagnose = mistakes("gradient_check", params, X, Y, hidden, output, eps=1e-2)
    want = reference.gradient_check(params, X, Y, hidden, output, eps=1e-2)
    what = f"gradient_check(params, X, Y, '{hidden}', '{output}', eps=1e-2)"
    check_scalar(reply.value, want, rtol=1e-3, atol=0.0, what=what,
                 diagnose=lambda got: diagnose(got) or CENTRAL_HINT)  # fmt: skip
    check_unmutated(reply.mutated, what="gradient_check")


# ------------------------------------------------------------------ minibatches


def check_batches(batches, n, batch_size, *, what, diagnose=None):
    """A list of 1-D integer arrays of the right sizes that together hold 0..n-1 exactly once.

    `diagnose` names a catalogued mistake from all the batches together.
    """
    if not isinstance(batches, list | tuple):
        kind = type(batches).__name__
        raise Mismatch(f"{what} returned a {kind}; a list of arrays of indices was expected.")
    for batch in batches:
        if not isinstance(batch, np.ndarray) or batch.ndim != 1 or batch.dtype.kind not in "iu":
            array = isinstance(batch, np.ndarray)
            kind = f"{batch.dtype} array of shape {batch.shape}" if array else type(batch).__name__
            raise Mismatch(
                f"{what} returned a batch that is a {kind}; every batch should be "
                "a 1-D array of integer indices.",
                hint="Slice a permutation: perm[i:i + batch_size].",
            )
    sizes = [len(b) for b in batches]
    full, rest = divmod(n, batch_size)
    want = [batch_size] * full + ([rest] if rest else [])
    if sizes != want:
        raise Mismatch(
            f"{what} returned batches of sizes {sizes}; expected {want}: full "
            "batches, and only the last one smaller.",
            diagnosis=batches_named(diagnose, batches),
        )
    order = np.concatenate(batches) if batches else np.array([], dtype=int)
    if not np.array_equal(np.sort(order), np.arange(n)):
        raise Mismatch(
            f"{what} does not use every index from 0 to {n - 1} exactly once.",
            hint="Take one permutation of range(n) and cut it into slices.",
            diagnosis=batches_named(diagnose, batches),
        )
    return order


def batch_mistakes(mistakes, n, batch_size, seed):
    """A diagnoser of minibatches(n, batch_size, default_rng(seed)) by all its batches."""
    return mistakes("minibatches", n, batch_size, np.random.default_rng(seed), part=ALL_PARTS)


def batches_named(diagnose, batches):
    if diagnose is None or not batches:
        return ""
    try:
        return diagnose(np.concatenate([np.ravel(b) for b in batches]).astype(float)) or ""
    except (TypeError, ValueError):
        return ""


@pytest.mark.public
@pytest.mark.grades("minibatches", points=1)
def test_minibatches_small_example(student, mistakes):
    """minibatches(10, 4, rng) gives batches of 4, 4 and 2 indices that cover 0..9 once"""
    what, diagnose = (
        "minibatches(10, 4, np.random.default_rng(0))",
        batch_mistakes(mistakes, 10, 4, 0),
    )
    check_batches(student.minibatches(10, 4, SeededRng(0)), 10, 4, what=what, diagnose=diagnose)


@pytest.mark.grades("minibatches", points=2)
@pytest.mark.parametrize("n, batch_size", [(50, 7), (24, 6), (5, 8), (6, 1)])
def test_minibatches_partition(student, mistakes, n, batch_size):
    """minibatches covers every example exactly once, and only the last batch is smaller"""
    reply = student.call("minibatches", n, batch_size, SeededRng(n))
    diagnose = batch_mistakes(mistakes, n, batch_size, n)
    check_batches(
        reply.value, n, batch_size, what=f"minibatches({n}, {batch_size}, rng)", diagnose=diagnose
    )


@pytest.mark.grades("minibatches", points=1)
def test_minibatches_shuffled_and_seeded(student, mistakes):
    """minibatches shuffles, and the same generator seed gives the same batches"""
    n, size = 50, 10
    what = f"minibatches({n}, {size}, rng)"
    batches = student.minibatches(n, size, SeededRng(3))
    first = check_batches(batches, n, size, what=what)
    if np.array_equal(first, np.arange(n)):
        raise Mismatch(
            f"{what} returned the examples in their original order.",
            hint="Shuffle them with rng.permutation(n).",
            diagnosis=batches_named(batch_mistakes(mistakes, n, size, 3), batches),
        )
    again = check_batches(student.minibatches(n, size, SeededRng(3)), n, size, what=what)
    assert np.array_equal(first, again), (
        f"{what} gave different batches for two generators with the same seed: draw the "
        "shuffle from the rng argument, not from np.random."
    )
    other = check_batches(student.minibatches(n, size, SeededRng(4)), n, size, what=what)
    assert not np.array_equal(first, other), (
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
    Y = labels.reshape(-1, 1).astype(float) if k == 2 else one_hot(labels, k)
    return X, labels, Y


def run_train(student, reference, X, Y, sizes, *, what, **kwargs):
    """Call train in the sandbox; check (params, history) and return them with the costs.

    The last recorded cost must be the full-data cost of the returned parameters.
    """
    reply = student.call("train", X, Y, sizes, seconds=30, **kwargs)
    params, history = unpack(reply.value, ["params", "history"], what=what)
    L = len(sizes) - 1
    keys = {f"{p}{l}": None for l in range(1, L + 1) for p in "Wb"}
    check_keys(params, keys, what=f"the params from {what}")
    for l in range(1, L + 1):
        for key, shape in ((f"W{l}", (sizes[l - 1], sizes[l])), (f"b{l}", (sizes[l],))):
            value = params[key]
            if not isinstance(value, np.ndarray) or value.shape != shape:
                raise Mismatch(f"{key} from {what} should be an array of shape {shape}.")
    require_keys(history, ["cost"], what=f"the history from {what}")
    try:
        costs = np.asarray(history["cost"], dtype=float)
    except (TypeError, ValueError):
        raise Mismatch(f"history['cost'] from {what} should be a list of numbers.") from None
    epochs = kwargs["epochs"]
    if costs.shape != (epochs,):
        raise Mismatch(
            f"history['cost'] from {what} has shape {costs.shape}; it should hold "
            f"one cost per epoch, {epochs} in all.",
            hint="Append the cost once per epoch, after the epoch's updates.",
        )
    if not np.isfinite(costs).all():
        raise Mismatch(f"history['cost'] from {what} contains NaN or infinite values.")
    hidden = kwargs.get("hidden_activation", "relu")
    output = kwargs.get("output_activation", "sigmoid")
    A_L, _ = reference.forward_propagation(X, params, hidden, output)
    check_scalar(costs[-1], reference.compute_cost(A_L, Y), rtol=1e-6,
                 what=f"the last cost in history['cost'] from {what}, compared with the cost of "
                 "the parameters it returned, on all of X")  # fmt: skip
    check_unmutated(reply.mutated, what="train")
    return params, costs


@pytest.mark.public
@pytest.mark.grades("train", points=1)
def test_train_small_example(student, reference, rng):
    """train records one cost per epoch, and the cost falls"""
    X, _, Y = blobs(rng, 2)
    what = "train(X, Y, [2, 4, 1], learning_rate=1.0, epochs=20)"
    _, costs = run_train(
        student, reference, X, Y, [2, 4, 1], learning_rate=1.0, epochs=20, what=what
    )
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
    kwargs = TRAIN_MODES[mode]
    options = ", ".join(f"{name}={value}" for name, value in kwargs.items())
    what = f"train(X (60, 2), Y (60, 1), [2, 4, 1], {options})"
    _, costs = run_train(student, reference, X, Y, [2, 4, 1], what=what, **kwargs)
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
    sizes = [2, 6, OUTPUT_UNITS[output]]
    kwargs = dict(learning_rate=1.0, epochs=30, hidden_activation=hidden, output_activation=output)
    options = ", ".join(f"{name}={value!r}" for name, value in kwargs.items())
    what = f"train(X (60, 2), Y {Y.shape}, {sizes}, {options})"
    params, _ = run_train(student, reference, X, Y, sizes, what=what, **kwargs)
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
    what = "train(X (60, 2), Y (60, 1), [2, 4, 1], batch_size=16, seed=3)"
    first, first_costs = run_train(student, reference, X, Y, [2, 4, 1], what=what, **kwargs)
    again, again_costs = run_train(student, reference, X, Y, [2, 4, 1], what=what, **kwargs)
    same = np.array_equal(first_costs, again_costs) and all(
        np.array_equal(first[key], again[key]) for key in first
    )
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
    what = "predict(X, params) on the small example"
    check_value(student.predict(SMALL_X, SMALL_PARAMS), reference, mistakes, "predict", SMALL_X,
                SMALL_PARAMS, what=what, reveal=True, integer=True)  # fmt: skip


@pytest.mark.grades("predict", points=2)
@pytest.mark.parametrize("case", [("relu", "sigmoid", 2), ("tanh", "softmax", 1)], ids=case_id)
def test_predict_random(student, reference, mistakes, rng, case):
    """predict thresholds one output at 0.5, and takes the most likely of several classes"""
    hidden, output, depth = case
    params, X, _ = network(reference, rng, hidden, output, depth, n=15)
    what = f"predict(X {X.shape}, {network_of(output, depth)}, '{hidden}', '{output}')"
    reply = student.call("predict", X, params, hidden, output)
    check_value(reply.value, reference, mistakes, "predict", X, params, hidden, output, what=what,
                integer=True)  # fmt: skip
    check_unmutated(reply.mutated, what="predict")
