"""Tests for `logistic_regression`: public ones run in the notebook, all of them in the grader.

Each function is graded on inputs built here, never on the student's other functions, except
`gradient_descent` and `predict`, which are meant to use them.
"""

import numpy as np
import pytest

from autograder.problems import Mismatch
from autograder.suite.compare import (
    as_numbers,
    as_scalar,
    check_array,
    check_no_warnings,
    check_scalar,
    check_unmutated,
    unpack,
)

# ------------------------------------------------------------------ inputs


@pytest.fixture
def data(rng):
    """A random problem with non-square shapes: 13 examples, 4 features."""
    X = rng.normal(size=(13, 4))
    y = (rng.random(13) < 0.5).astype(float)
    w, b = rng.normal(size=4), float(rng.normal())
    y_hat = rng.uniform(0.05, 0.95, size=13)
    return X, y, w, b, y_hat


@pytest.fixture
def separable_enough(rng):
    """Noisy, overlapping classes, so the optimum is finite."""
    X = rng.normal(size=(40, 2))
    y = (X @ [1.5, -2.0] + 0.3 + rng.normal(scale=1.5, size=40) > 0).astype(float)
    return X, y


def named(diagnose, costs):
    """The catalogued mistake that reproduces a cost history, for checks other than check_array."""
    try:
        got = np.asarray(costs, dtype=float)
    except (TypeError, ValueError):
        return ""
    return diagnose(got) or ""


TINY_X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -3.0]])
TINY_Y = np.array([1.0, 0.0, 1.0])

# ------------------------------------------------------------------ sigmoid


@pytest.mark.public
@pytest.mark.grades("sigmoid", points=1)
def test_sigmoid_small_example(student, reference, plot):
    """sigmoid of -2, 0 and 2"""
    grid = np.linspace(-6, 6, 49)
    plot("sigmoid(z)", grid, reference.sigmoid(grid), student.sigmoid(grid))
    z = np.array([-2.0, 0.0, 2.0])
    check_array(student.sigmoid(z), reference.sigmoid(z), what="sigmoid([-2, 0, 2])", reveal=True)


@pytest.mark.grades("sigmoid", points=1)
@pytest.mark.parametrize("shape", [(7,), (5, 3)])
def test_sigmoid_random(student, reference, mistakes, rng, shape):
    """sigmoid on random inputs of any shape"""
    z = rng.normal(scale=4, size=shape)
    check_array(
        student.sigmoid(z),
        reference.sigmoid(z),
        what=f"sigmoid(z), z of shape {shape}",
        diagnose=mistakes("sigmoid", z),
    )


@pytest.mark.grades("sigmoid", points=1)
def test_sigmoid_extremes_are_stable(student, reference, mistakes):
    """sigmoid stays finite, correct and warning-free for |z| up to 1e4"""
    z = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    reply = student.call("sigmoid", z)
    check_array(
        reply.value,
        reference.sigmoid(z),
        what="sigmoid of [-1e4, ..., 1e4]",
        reveal=True,
        diagnose=mistakes("sigmoid", z),
    )
    check_no_warnings(reply.warnings, what="sigmoid of [-1e4, ..., 1e4]")
    check_unmutated(reply.mutated, what="sigmoid")


# ------------------------------------------------------------------ initialize_parameters


@pytest.mark.public
@pytest.mark.grades("initialize_parameters", points=1)
@pytest.mark.parametrize("m", [1, 5])
def test_initialize_parameters(student, mistakes, m):
    """w is a zero vector of length m and b is the number 0.0"""
    w, b = unpack(student.initialize_parameters(m), ["w", "b"], what="initialize_parameters")
    check_array(
        w,
        np.zeros(m),
        what=f"w from initialize_parameters({m})",
        reveal=True,
        diagnose=mistakes("initialize_parameters", m, part=0),
    )
    check_scalar(b, 0.0, what=f"b from initialize_parameters({m})", reveal=True)


@pytest.mark.grades("initialize_parameters", points=1)
def test_initialize_parameters_types(student):
    """w is a float vector and b a plain number, for any number of features"""
    w, b = unpack(student.initialize_parameters(13), ["w", "b"], what="initialize_parameters")
    check_array(w, np.zeros(13), what="w from initialize_parameters(13)")
    assert np.asarray(w).dtype.kind == "f", "w should hold floats: use np.zeros(m)."
    check_scalar(b, 0.0, what="b from initialize_parameters(13)")


# ------------------------------------------------------------------ forward


@pytest.mark.public
@pytest.mark.grades("forward", points=1)
def test_forward_small_example(student, reference):
    """forward on 3 examples with 2 features"""
    w, b = np.array([0.5, -1.0]), 0.25
    check_array(
        student.forward(TINY_X, w, b),
        reference.forward(TINY_X, w, b),
        what="forward(X, w=[0.5, -1], b=0.25)",
        reveal=True,
    )


@pytest.mark.grades("forward", points=2)
def test_forward_random(expect, data):
    """forward on 13 examples with 4 features"""
    X, _, w, b, _ = data
    expect("forward", X, w, b, what=f"forward(X, w, b), X of shape {X.shape}")


# ------------------------------------------------------------------ cost


@pytest.mark.public
@pytest.mark.grades("cost", points=1)
def test_cost_small_example(student, reference):
    """cost of three predictions"""
    y_hat = np.array([0.9, 0.2, 0.6])
    check_scalar(
        student.cost(y_hat, TINY_Y),
        reference.cost(y_hat, TINY_Y),
        what="cost([0.9, 0.2, 0.6], [1, 0, 1])",
        reveal=True,
    )


@pytest.mark.grades("cost", points=1)
def test_cost_random(student, reference, mistakes, data):
    """cost of 13 random predictions"""
    _, y, _, _, y_hat = data
    check_scalar(
        student.cost(y_hat, y),
        reference.cost(y_hat, y),
        what="cost(y_hat, y)",
        diagnose=mistakes("cost", y_hat, y),
    )


@pytest.mark.grades("cost", points=1)
def test_cost_is_finite_at_exact_zero_and_one(student, mistakes):
    """cost is finite when predictions are exactly 0 or 1, and about 0 when they are right"""
    y = np.array([1.0, 0.0, 1.0, 0.0])
    right = student.cost(y.copy(), y)
    check_scalar(
        right,
        0.0,
        what="cost(y, y) with predictions exactly equal to the labels",
        atol=1e-6,
        reveal=True,
        diagnose=mistakes("cost", y.copy(), y),
    )
    wrong = as_scalar(student.cost(1 - y, y), what="cost(1 - y, y)")
    assert np.isfinite(wrong) and wrong > 10, (
        "cost(1 - y, y), where every prediction is exactly wrong, should be large but finite: "
        "clip the predictions away from 0 and 1 before taking the log."
    )


# ------------------------------------------------------------------ gradients


@pytest.mark.public
@pytest.mark.grades("gradients", points=1)
def test_gradients_small_example(student, reference):
    """gradients on 3 examples"""
    y_hat = np.array([0.9, 0.2, 0.6])
    dw, db = unpack(student.gradients(TINY_X, TINY_Y, y_hat), ["dw", "db"], what="gradients")
    want_dw, want_db = reference.gradients(TINY_X, TINY_Y, y_hat)
    check_array(dw, want_dw, what="dw from gradients(X, y, y_hat)", reveal=True)
    check_scalar(db, want_db, what="db from gradients(X, y, y_hat)", reveal=True)


@pytest.mark.grades("gradients", points=2)
def test_gradients_random(student, reference, mistakes, data):
    """gradients on 13 examples with 4 features"""
    X, y, _, _, y_hat = data
    reply = student.call("gradients", X, y, y_hat)
    dw, db = unpack(reply.value, ["dw", "db"], what="gradients")
    want_dw, want_db = reference.gradients(X, y, y_hat)
    check_array(
        dw,
        want_dw,
        what=f"dw for X of shape {X.shape}",
        diagnose=mistakes("gradients", X, y, y_hat, part=0),
    )
    check_scalar(db, want_db, what="db", diagnose=mistakes("gradients", X, y, y_hat, part=1))
    check_unmutated(reply.mutated, what="gradients")


# ------------------------------------------------------------------ gradient_descent


@pytest.mark.public
@pytest.mark.grades("gradient_descent", points=1)
def test_gradient_descent_small_example(student, reference):
    """three steps of gradient descent on 3 examples"""
    w, b, costs = unpack(
        student.gradient_descent(TINY_X, TINY_Y, learning_rate=0.5, max_iter=3),
        ["w", "b", "costs"],
        what="gradient_descent",
    )
    costs = as_numbers(costs, what="costs")
    want_w, want_b, want_costs = reference.gradient_descent(
        TINY_X, TINY_Y, learning_rate=0.5, max_iter=3
    )
    what = "gradient_descent(X, y, learning_rate=0.5, max_iter=3)"
    check_array(
        costs,
        np.asarray(want_costs),
        what=f"costs from {what}",
        reveal=True,
    )
    check_array(w, want_w, what=f"w from {what}", reveal=True)
    check_scalar(b, want_b, what=f"b from {what}", reveal=True)


@pytest.mark.grades("gradient_descent", points=1)
def test_gradient_descent_starts_at_zero(student, reference, separable_enough):
    """costs[0] is the cost of w = 0, b = 0, which is log(2), and each update lowers it"""
    X, y = separable_enough
    _, _, costs = unpack(
        student.gradient_descent(X, y, max_iter=3), ["w", "b", "costs"], what="gradient_descent"
    )
    costs = as_numbers(costs, what="costs")
    check_scalar(costs[0], np.log(2), what="costs[0]", reveal=True)
    _, _, want = reference.gradient_descent(X, y, max_iter=3)
    check_array(costs, np.asarray(want), what="costs after 3 updates")


@pytest.mark.grades("gradient_descent", points=2)
@pytest.mark.parametrize("learning_rate", [0.5, 2.0])
def test_gradient_descent_matches_reference(
    student, reference, mistakes, separable_enough, learning_rate
):
    """gradient descent reaches the same w, b and cost history as the model answer"""
    X, y = separable_enough
    # max_iter=300 bounds the cost of a wrong answer and of naming it; the model answer converges
    # sooner on this data (about 120 updates), and the comparison holds either way.
    kwargs = {"learning_rate": learning_rate, "max_iter": 300}
    w, b, costs = unpack(
        student.call("gradient_descent", X, y, **kwargs, seconds=30).value,
        ["w", "b", "costs"],
        what="gradient_descent",
    )
    costs = as_numbers(costs, what="costs")
    want_w, want_b, want_costs = reference.gradient_descent(X, y, **kwargs)
    check_array(
        costs,
        np.asarray(want_costs),
        rtol=1e-6,
        what=f"the list of costs (learning_rate={learning_rate})",
        diagnose=mistakes("gradient_descent", X, y, **kwargs, part=2),
    )
    check_array(w, want_w, what="the final w", rtol=1e-5)
    check_scalar(b, want_b, what="the final b", rtol=1e-5, atol=1e-8)


@pytest.mark.grades("gradient_descent", points=1)
@pytest.mark.parametrize("tol, max_iter", [(0.0, 25), (1e-2, 300)])
def test_gradient_descent_stopping_rule(
    student, reference, mistakes, separable_enough, tol, max_iter
):
    """gradient descent stops when the cost changes by less than tol, or after max_iter updates"""
    X, y = separable_enough
    _, _, costs = unpack(
        student.gradient_descent(X, y, tol=tol, max_iter=max_iter),
        ["w", "b", "costs"],
        what="gradient_descent",
    )
    costs = as_numbers(costs, what="costs")
    _, _, want = reference.gradient_descent(X, y, tol=tol, max_iter=max_iter)
    if len(costs) != len(want):
        diagnose = mistakes("gradient_descent", X, y, tol=tol, max_iter=max_iter, part=2)
        raise Mismatch(
            f"With tol={tol} and max_iter={max_iter}, costs should have {len(want)} entries (the "
            f"initial cost plus one per update) but has {len(costs)}.",
            hint="Stop as soon as abs(costs[-2] - costs[-1]) < tol, or after max_iter updates.",
            diagnosis=named(diagnose, costs),
        )
    check_array(costs, np.asarray(want), what=f"the costs with tol={tol}")


@pytest.mark.grades("gradient_descent", points=1)
def test_gradient_descent_cost_never_rises(student, reference, mistakes, separable_enough):
    """with a small learning rate the cost goes down at every step, to the cost of the final w, b"""
    X, y = separable_enough
    w, b, costs = unpack(
        student.gradient_descent(X, y, learning_rate=0.1, max_iter=200),
        ["w", "b", "costs"],
        what="gradient_descent",
    )
    costs = as_numbers(costs, what="costs")
    steps = np.diff(costs)
    if not (steps.size and (steps <= 1e-12).all()):
        diagnose = mistakes("gradient_descent", X, y, learning_rate=0.1, max_iter=200, part=2)
        raise Mismatch(
            "The cost went up during gradient descent.",
            hint="Update with w - learning_rate * dw (minus, not plus).",
            diagnosis=named(diagnose, costs),
        )
    final = reference.cost(
        reference.forward(X, np.asarray(w, dtype=float), as_scalar(b, what="b")), y
    )
    check_scalar(costs[-1], final, what="the last cost, compared with the cost of the w and b "
                 "returned")  # fmt: skip


# ------------------------------------------------------------------ predict


@pytest.mark.public
@pytest.mark.grades("predict", points=1)
def test_predict_small_example(student, reference, mistakes):
    """predict labels for 3 examples"""
    w, b = np.array([0.5, -1.0]), 0.25
    check_array(
        student.predict(TINY_X, w, b),
        reference.predict(TINY_X, w, b),
        what="predict(X, w=[0.5, -1], b=0.25)",
        reveal=True,
        integer=True,
        diagnose=mistakes("predict", TINY_X, w, b),
    )


@pytest.mark.grades("predict", points=1)
@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_predict_threshold(student, reference, mistakes, data, threshold):
    """predict uses the threshold it is given"""
    X, _, w, b, _ = data
    check_array(
        student.predict(X, w, b, threshold=threshold),
        reference.predict(X, w, b, threshold=threshold),
        what=f"predict(X, w, b, threshold={threshold})",
        integer=True,
        diagnose=mistakes("predict", X, w, b, threshold=threshold),
    )
