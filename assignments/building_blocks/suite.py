"""Tests for `building_blocks`: public ones run in the notebook, all of them in the grader.

Every function is graded on its own, on inputs built here: none of them depends on another of the
student's functions. `initialize_parameters` is graded by its behaviour (layout, zero biases, the
mean and spread of the weights, seeding), not by exact values, so any numpy random call passes.
"""

import numpy as np
import pytest

from autograder.problems import Mismatch
from autograder.suite.compare import (
    as_scalar,
    check_array,
    check_keys,
    check_no_warnings,
    check_scalar,
    check_unmutated,
    unpack,
)

# ------------------------------------------------------------------ inputs and helpers

SMALL_Z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
SHAPES = [(7,), (5, 3)]
EXTREMES = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "linear"]


def shape_id(shape):
    return f"shape={shape}"


def random_z(rng, shape, *, zeros=False):
    """Random pre-activations; with `zeros`, a few entries are exactly 0 (the kink)."""
    z = rng.normal(scale=3.0, size=shape)
    if zeros:
        z.flat[:: max(z.size // 3, 1)] = 0.0
    return z


def one_hot(labels, k):
    return np.eye(k)[labels]


# ------------------------------------------------------------------ the activations and derivatives
# One table: each function earns 1 point on the small example (public), 1 on random inputs and 1
# on the inputs where it is easiest to get wrong.

KINK = np.array([[0.0, 3.0, 0.0], [-1.0, 0.0, 1e4]])


def graded(fn, *values, points=1):
    """A table row that grades `fn`."""
    return pytest.param(fn, *values, marks=pytest.mark.grades(fn, points=points), id=fn)


ELEMENTWISE = {  # function -> do its random inputs include exact zeros (its kink)?
    "sigmoid": False,
    "sigmoid_derivative": False,
    "tanh": False,
    "tanh_derivative": False,
    "relu": True,
    "relu_derivative": True,
    "leaky_relu": True,
    "leaky_relu_derivative": True,
}
HARD_CASES = [  # function, input (None: random with zeros), keyword arguments, what it is
    graded("sigmoid", EXTREMES, {}, "sigmoid of [-1e4, ..., 1e4]"),
    graded("sigmoid_derivative", EXTREMES, {}, "sigmoid_derivative of [-1e4, ..., 1e4]"),
    graded("tanh", EXTREMES, {}, "tanh of [-1e4, ..., 1e4]"),
    graded("tanh_derivative", EXTREMES, {}, "tanh_derivative of [-1e4, ..., 1e4]"),
    graded("relu", EXTREMES, {}, "relu of [-1e4, ..., 1e4]"),
    graded("relu_derivative", KINK, {}, "relu_derivative([[0, 3, 0], [-1, 0, 1e4]])"),
    *(
        graded(fn, None, {"alpha": alpha}, f"{fn}(z, alpha={alpha}), z of shape (6, 4)")
        for fn in ("leaky_relu", "leaky_relu_derivative")
        for alpha in (0.2, 0.01)
    ),
]


@pytest.mark.public
@pytest.mark.parametrize("fn", [graded(fn) for fn in ELEMENTWISE])
def test_small_example(expect, fn):
    """{fn} of -2, -0.5, 0, 0.5 and 2"""
    expect(fn, SMALL_Z, what=f"{fn}([-2, -0.5, 0, 0.5, 2])", reveal=True)


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
@pytest.mark.parametrize("fn", [graded(fn) for fn in ELEMENTWISE])
def test_random(expect, rng, fn, shape):
    """{fn} on random inputs of shape {shape}, without changing them"""
    expect(fn, random_z(rng, shape, zeros=ELEMENTWISE[fn]), what=f"{fn}(z), z of shape {shape}")


@pytest.mark.parametrize("fn, z, kwargs, what", HARD_CASES)
def test_hard_inputs(expect, rng, fn, z, kwargs, what):
    """{what}"""
    fixed = z is not None  # fixed inputs are no secret; random ones are
    z = z if fixed else random_z(rng, (6, 4), zeros=True)
    reply = expect(fn, z, what=what, reveal=fixed, **kwargs)
    if fn == "sigmoid":
        check_no_warnings(reply.warnings, what=what)


# ------------------------------------------------------------------ softmax


def check_softmax(student, reference, mistakes, Z, *, what, reveal=False, expected_of=None):
    """softmax(Z) in the sandbox: rows sum to 1, values right, Z unchanged, no warnings."""
    reply = student.call("softmax", Z)
    got = reply.value
    well_formed = isinstance(got, np.ndarray) and got.shape == Z.shape and np.isfinite(got).all()
    if well_formed and not np.allclose(got.sum(axis=1), 1.0, rtol=0, atol=1e-9):
        raise Mismatch(
            f"The rows of {what} do not sum to 1.",
            hint="Divide each row by its own sum: e.sum(axis=1, keepdims=True).",
            diagnosis=mistakes("softmax", Z)(got) or "",
        )
    expected = reference.softmax(Z if expected_of is None else expected_of)
    check_array(got, expected, what=what, reveal=reveal, diagnose=mistakes("softmax", Z))
    check_unmutated(reply.mutated, what="softmax")
    check_no_warnings(reply.warnings, what=what)


@pytest.mark.public
@pytest.mark.grades("softmax", points=1)
def test_softmax_small_example(student, reference, mistakes):
    """softmax of a 2 x 3 matrix, row by row"""
    Z = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0]])
    what = "softmax([[1, 2, 3], [0.5, 0.5, -1]])"
    check_softmax(student, reference, mistakes, Z, what=what, reveal=True)


@pytest.mark.grades("softmax", points=1)
@pytest.mark.parametrize("shape", [(6, 4), (3, 7)], ids=shape_id)
def test_softmax_random(student, reference, mistakes, rng, shape):
    """softmax of random scores: each row sums to 1"""
    Z = rng.normal(scale=3.0, size=shape)
    check_softmax(student, reference, mistakes, Z, what=f"softmax(Z), Z of shape {shape}")


@pytest.mark.grades("softmax", points=1)
def test_softmax_shift_invariance(student, reference, mistakes, rng):
    """adding a constant to a row leaves its softmax unchanged"""
    Z = rng.normal(scale=2.0, size=(5, 4))
    shifted = Z + rng.normal(scale=30.0, size=(5, 1))
    what = "softmax(Z + c), c a different constant for each row of Z (5, 4)"
    check_softmax(student, reference, mistakes, shifted, expected_of=Z, what=what)


STABILITY_CASES = {
    "offset_1000": ("every row offset by 1000", lambda rng: rng.normal(size=(4, 3)) + 1000.0),
    "plus_minus_1e4": (
        "entries of -1e4 and 1e4",
        lambda rng: np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, 1e4 - 1.0], [1e4, 1e4, 1e4]]),
    ),
    "rows_far_apart": (
        "one row near 1e4 and another near 0",
        lambda rng: rng.normal(size=(3, 4)) + np.array([[1e4], [0.0], [-50.0]]),
    ),
}


@pytest.mark.grades("softmax", points=2)
@pytest.mark.parametrize("case", list(STABILITY_CASES))
def test_softmax_is_stable(student, reference, mistakes, rng, case):
    """softmax stays finite, correct and warning-free for large scores (subtract each row's max)"""
    description, make = STABILITY_CASES[case]
    check_softmax(student, reference, mistakes, make(rng), what=f"softmax of {description}")


# ------------------------------------------------------------------ binary_cross_entropy


@pytest.mark.public
@pytest.mark.grades("binary_cross_entropy", points=1)
def test_binary_cross_entropy_small_example(student, reference, mistakes):
    """binary_cross_entropy of four predictions"""
    y_hat, y = np.array([0.9, 0.2, 0.6, 0.7]), np.array([1.0, 0.0, 1.0, 0.0])
    check_scalar(
        student.binary_cross_entropy(y_hat, y),
        reference.binary_cross_entropy(y_hat, y),
        what="binary_cross_entropy([0.9, 0.2, 0.6, 0.7], [1, 0, 1, 0])",
        reveal=True,
        diagnose=mistakes("binary_cross_entropy", y_hat, y),
    )


@pytest.mark.grades("binary_cross_entropy", points=1)
@pytest.mark.parametrize("shape", [(13,), (13, 1)], ids=shape_id)
def test_binary_cross_entropy_random(expect, rng, shape):
    """binary_cross_entropy of random predictions, as (n,) or (n, 1) arrays"""
    y_hat = rng.uniform(0.02, 0.98, size=shape)
    y = (rng.random(shape) < 0.5).astype(float)
    what = f"binary_cross_entropy(y_hat, y), both of shape {shape}"
    expect("binary_cross_entropy", y_hat, y, what=what, scalar=True)


@pytest.mark.grades("binary_cross_entropy", points=1)
def test_binary_cross_entropy_finite_at_zero_and_one(student, mistakes):
    """binary_cross_entropy is finite for predictions exactly 0 or 1, and about 0 when right"""
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    reply = student.call("binary_cross_entropy", y.copy(), y)
    what = "binary_cross_entropy(y, y), predictions exactly equal to the labels"
    diagnose = mistakes("binary_cross_entropy", y.copy(), y)
    check_scalar(reply.value, 0.0, atol=1e-6, reveal=True, what=what, diagnose=diagnose)
    wrong = as_scalar(student.binary_cross_entropy(1 - y, y), what="binary_cross_entropy(1 - y, y)")
    assert np.isfinite(wrong) and wrong > 10, (
        "binary_cross_entropy(1 - y, y), where every prediction is exactly wrong, should be large "
        "but finite: clip the predictions away from 0 and 1 before taking the log."
    )
    check_unmutated(reply.mutated, what="binary_cross_entropy")


# ------------------------------------------------------------------ cross_entropy


@pytest.mark.public
@pytest.mark.grades("cross_entropy", points=1)
def test_cross_entropy_small_example(student, reference, mistakes):
    """cross_entropy of 2 examples over 3 classes"""
    Y_hat = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    check_scalar(
        student.cross_entropy(Y_hat, Y),
        reference.cross_entropy(Y_hat, Y),
        what="cross_entropy([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], [[1, 0, 0], [0, 1, 0]])",
        reveal=True,
        diagnose=mistakes("cross_entropy", Y_hat, Y),
    )


@pytest.mark.grades("cross_entropy", points=1)
@pytest.mark.parametrize("n, k", [(9, 4), (5, 2)])
def test_cross_entropy_random(expect, reference, rng, n, k):
    """cross_entropy of random predictions and one-hot labels"""
    Y_hat = reference.softmax(rng.normal(scale=2.0, size=(n, k)))
    Y = one_hot(rng.integers(0, k, size=n), k)
    what = f"cross_entropy(Y_hat, Y), both of shape {(n, k)}"
    expect("cross_entropy", Y_hat, Y, what=what, scalar=True)


@pytest.mark.grades("cross_entropy", points=1)
def test_cross_entropy_finite_at_zero_and_one(student, mistakes):
    """cross_entropy is finite for predictions exactly 0 or 1, and about 0 when right"""
    Y = one_hot(np.array([0, 2, 1, 2]), 3)
    right = student.cross_entropy(Y.copy(), Y)
    what = "cross_entropy(Y, Y), predictions exactly equal to the one-hot labels"
    diagnose = mistakes("cross_entropy", Y.copy(), Y)
    check_scalar(right, 0.0, atol=1e-6, reveal=True, what=what, diagnose=diagnose)
    wrong = as_scalar(
        student.cross_entropy(np.roll(Y, 1, axis=1), Y),
        what="cross_entropy with every prediction exactly wrong",
    )
    assert np.isfinite(wrong) and wrong > 10, (
        "cross_entropy, where every prediction is exactly wrong (probability 0 on the label), "
        "should be large but finite: clip the predictions away from 0 before taking the log."
    )


# ------------------------------------------------------------------ initialize_parameters


def check_layout(params, sizes, *, what, reveal=False):
    """Keys W1, b1, ...; W{l} (size[l-1], size[l]) and b{l} (size[l],) of zeros."""
    L = len(sizes) - 1
    check_keys(params, {f"{p}{l}": None for l in range(1, L + 1) for p in "Wb"}, what=what)
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        want = (sizes[l - 1], sizes[l])
        if not isinstance(W, np.ndarray) or W.shape != want:
            got = W.shape if isinstance(W, np.ndarray) else type(W).__name__
            raise Mismatch(
                f"W{l} from {what} has shape {got}; expected {want}, that is (size[l-1], size[l]).",
                hint="Examples are rows, so W maps size[l-1] inputs to size[l] units.",
            )
        check_array(b, np.zeros(sizes[l]), what=f"b{l} from {what}", reveal=reveal)


@pytest.mark.public
@pytest.mark.grades("initialize_parameters", points=1)
def test_initialize_parameters_layout(student):
    """initialize_parameters([3, 4, 2]) gives W1 (3, 4), b1 (4,), W2 (4, 2), b2 (2,)"""
    params = student.initialize_parameters([3, 4, 2])
    check_layout(params, [3, 4, 2], what="initialize_parameters([3, 4, 2])", reveal=True)


@pytest.mark.grades("initialize_parameters", points=1)
def test_initialize_parameters_deeper(student):
    """initialize_parameters for a network with three layers"""
    sizes = [5, 7, 3, 2]
    params = student.initialize_parameters(sizes, seed=4)
    check_layout(params, sizes, what=f"initialize_parameters({sizes}, seed=4)")


@pytest.mark.grades("initialize_parameters", points=2)
def test_initialize_parameters_statistics(student):
    """weights are random normal numbers times 0.01: mean about 0, standard deviation about 0.01"""
    sizes = [30, 40, 20]
    params = student.initialize_parameters(sizes, seed=1)
    check_layout(params, sizes, what=f"initialize_parameters({sizes}, seed=1)")
    for l in (1, 2):
        W = np.asarray(params[f"W{l}"], dtype=float)
        assert np.unique(W).size > W.size // 2, (
            f"Most entries of W{l} are equal: the weights must be random, or every unit of a "
            "layer learns the same thing."
        )
        # W1 has 1200 and W2 800 entries: for randn * 0.01 the mean is within 7 standard errors
        # of 0 and the standard deviation within 8 of 0.01, so a correct answer always passes.
        assert abs(W.mean()) < 0.0025, (
            f"The mean of W{l} is far from 0: use np.random's standard normal numbers "
            "(randn / standard_normal), not uniform ones (rand / random)."
        )
        assert 0.008 < W.std() < 0.012, (
            f"The standard deviation of W{l} should be about 0.01: multiply standard normal "
            "numbers by 0.01."
        )


@pytest.mark.grades("initialize_parameters", points=1)
def test_initialize_parameters_seed(student):
    """the same seed gives the same weights, a different seed different ones"""
    sizes = [4, 6, 3]
    first = student.initialize_parameters(sizes, seed=7)
    check_layout(first, sizes, what=f"initialize_parameters({sizes}, seed=7)")
    again = student.initialize_parameters(sizes, seed=7)
    check_layout(again, sizes, what=f"initialize_parameters({sizes}, seed=7)")
    for key in first:
        what = f"{key} from a second call with the same seed (7)"
        check_array(again[key], first[key], rtol=0, atol=0, what=what)
    other = student.initialize_parameters(sizes, seed=8)
    check_layout(other, sizes, what=f"initialize_parameters({sizes}, seed=8)")
    assert not np.array_equal(other["W1"], first["W1"]), (
        "Seeds 7 and 8 gave the same W1: build the random generator from the seed argument "
        "(np.random.default_rng(seed) or np.random.seed(seed))."
    )
    default = student.initialize_parameters(sizes)
    zero = student.initialize_parameters(sizes, seed=0)
    check_layout(default, sizes, what=f"initialize_parameters({sizes})")
    check_layout(zero, sizes, what=f"initialize_parameters({sizes}, seed=0)")
    assert np.array_equal(default["W1"], zero["W1"]), (
        "initialize_parameters(layer_sizes) should use seed=0 by default, and give the same "
        "weights as seed=0."
    )


# ------------------------------------------------------------------ layer_forward


def check_layer(student, reference, mistakes, A_prev, W, b, activation, *, what, reveal=False):
    """layer_forward in the sandbox: (A, Z) both right, inputs unchanged."""
    reply = student.call("layer_forward", A_prev, W, b, activation)
    A, Z = unpack(reply.value, ["A", "Z"], what=what)
    want_A, want_Z = reference.layer_forward(A_prev, W, b, activation)
    for name, got, want, part in (("Z", Z, want_Z, 1), ("A", A, want_A, 0)):
        diagnose = mistakes("layer_forward", A_prev, W, b, activation, part=part)
        check_array(got, want, what=f"{name} from {what}", reveal=reveal, diagnose=diagnose)
    check_unmutated(reply.mutated, what="layer_forward")


@pytest.mark.public
@pytest.mark.grades("layer_forward", points=1)
def test_layer_forward_small_example(student, reference, mistakes):
    """layer_forward of 2 examples with 3 features into 2 sigmoid units"""
    A_prev = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]])
    W = np.array([[0.2, -0.5], [0.1, 0.4], [-0.3, 0.2]])
    b = np.array([0.1, -0.2])
    what = "layer_forward(A_prev, W, b, 'sigmoid') on the small example"
    check_layer(student, reference, mistakes, A_prev, W, b, "sigmoid", what=what, reveal=True)


@pytest.mark.grades("layer_forward", points=3)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_layer_forward_random(student, reference, mistakes, rng, activation):
    """layer_forward of 7 examples with 3 features into 5 units, for each activation"""
    A_prev, W, b = rng.normal(size=(7, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    what = f"layer_forward(A_prev (7, 3), W (3, 5), b (5,), '{activation}')"
    check_layer(student, reference, mistakes, A_prev, W, b, activation, what=what)
