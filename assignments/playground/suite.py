"""Tests for `playground`: the lecture's TensorFlow Playground grid, run with the student's network.

What can be checked with a number is checked here; the free-text answers are exported for manual
grading. The student's network differs from the reference (its own initialisation, its own
arithmetic), so the reference's numbers are never expected. Instead:

- the losses and accuracy a student reports must be those of the parameters they return, which the
  grader recomputes with the reference network on the same split;
- the configurations that should learn must reach a test accuracy that any working network with
  the default settings reaches (circle with 3 or 6 neurons, gauss with 1, xor with 6);
- `run_grid` must agree with `run_experiment`, pass its settings on, and show the lecture's
  finding on the circle.

Catalogued mistakes (assignments/playground/mistakes.py) cannot be named by value, since no two
networks give the same numbers; a hidden test names one only when the result shows a property that
the mistake has whatever the network (a test loss equal to the loss on the training half, the
parameters of another network, a percentage), with the catalogue's message.

Every call trains small networks on 100 points for 500 epochs: well under a second each.
"""

import numpy as np
import pytest

from autograder.problems import Mismatch
from autograder.suite.compare import as_scalar, check_keys, check_scalar, check_unmutated
from autograder.wire import Unreadable
from solutions.playground import make_dataset, train_test_split

N = 200  # points per data set: half to train, half to test
RESULT_KEYS = ("train_loss", "test_loss", "test_accuracy")
GRID_KEYS = ("[1]", "[3]", "[6]", "[3, 3]")


def split(name, noise=0.0, seed=0):
    """The Playground data set `name`, split half and half, in train_test_split's order."""
    X, y = make_dataset(name, n=N, noise=noise, seed=seed)
    return train_test_split(X, y, train_fraction=0.5, seed=seed)


def check_numbers(result, *, what):
    """The three reported numbers: finite floats, losses positive, accuracy a share."""
    values = {}
    for key in RESULT_KEYS:
        value = as_scalar(result[key], what=f"{what}[{key!r}]")
        if not np.isfinite(value):
            raise Mismatch(f"{what}[{key!r}] is {value}; a finite number was expected.")
        values[key] = value
    for key in ("train_loss", "test_loss"):
        if values[key] < 0:
            raise Mismatch(
                f"{what}[{key!r}] is negative ({values[key]:.4g}): a cross-entropy cost is >= 0."
            )
    if not 0 <= values["test_accuracy"] <= 1:
        raise Mismatch(
            f"{what}['test_accuracy'] is {values['test_accuracy']:.4g}; it should be the share "
            "of test points classified right, between 0 and 1 (not a percentage)."
        )
    return values


def named(mistakes, name):
    """The catalogued message of the mistake called `name`, or "" without a catalogue."""
    found = [
        m.message for m in getattr(mistakes, "mistakes", []) if m.implementation.__name__ == name
    ]
    return found[0] if found else ""


def network_sizes(params):
    """The layer sizes of a well-formed parameter dict, or None."""
    try:
        L = len(params) // 2
        shapes = [(np.shape(params[f"W{l}"]), np.shape(params[f"b{l}"])) for l in range(1, L + 1)]
    except (KeyError, TypeError):
        return None
    sizes = [shapes[0][0][0]] if shapes and len(shapes[0][0]) == 2 else None
    for W, b in shapes:
        if sizes is None or len(W) != 2 or W[0] != sizes[-1] or b != (W[1],):
            return None
        sizes.append(W[1])
    return sizes


def check_params(params, sizes, *, what):
    """params has W1, b1, ... with the shapes of layer sizes `sizes`."""
    keys = [f"{p}{l}" for l in range(1, len(sizes)) for p in "Wb"]
    check_keys(params, dict.fromkeys(keys), what=what)
    for l in range(1, len(sizes)):
        for key, shape in ((f"W{l}", (sizes[l - 1], sizes[l])), (f"b{l}", (sizes[l],))):
            got = np.shape(params[key]) if isinstance(params[key], np.ndarray) else None
            if got != shape:
                raise Mismatch(
                    f"{what}[{key!r}] has shape {got}; layer sizes {sizes} need {shape}.",
                    hint="layer_sizes is [2, *hidden_layers, 1]: 2 inputs, one output.",
                )


def experiment(student, data, hidden_layers, mistakes=None, **kwargs):
    """Call run_experiment and check the layout of its result; returns (numbers, params)."""
    what = f"run_experiment(..., hidden_layers={hidden_layers})"
    reply = student.call("run_experiment", *data, hidden_layers, **kwargs)
    result = reply.value
    check_keys(result, dict.fromkeys([*RESULT_KEYS, "params"]), what=what)
    sizes = [2, *hidden_layers, 1]
    try:
        check_params(result["params"], sizes, what=f"{what}['params']")
    except Mismatch as problem:
        got = network_sizes(result["params"])
        if got is not None and got[0] == 2 and got[-1] == 1 and got != sizes:
            problem.diagnosis = named(mistakes, "run_experiment_one_hidden_layer_of_three")
        raise
    check_unmutated(reply.mutated, what="run_experiment")
    try:
        return check_numbers(result, what=what), result["params"]
    except Mismatch as problem:
        accuracy = result["test_accuracy"]
        if isinstance(accuracy, (int, float, np.floating)) and 1 < accuracy <= 100:
            problem.diagnosis = named(mistakes, "run_experiment_accuracy_in_percent")
        raise


def grid(student, data, mistakes=None, **kwargs):
    """Call run_grid and check the layout of its table; returns the table."""
    table = student.run_grid(*data, **kwargs)
    if isinstance(table, Unreadable) and table.type_name == "dict":
        raise Mismatch(
            "run_grid(...) returned a dict whose keys or values cannot be read: the keys must be "
            'strings such as "[3, 3]", the values dicts of numbers.',
            diagnosis=named(mistakes, "run_grid_tuple_keys"),
        )
    try:
        check_keys(table, dict.fromkeys(GRID_KEYS), what="run_grid(...)")
        for key in GRID_KEYS:
            check_keys(table[key], dict.fromkeys(RESULT_KEYS), what=f"run_grid(...)[{key!r}]")
            check_numbers(table[key], what=f"run_grid(...)[{key!r}]")
    except Mismatch as problem:
        keys = set(table) if isinstance(table, dict) else set()
        rows = [row for row in table.values() if isinstance(row, dict)] if keys else []
        if keys == set(GRID_KEYS) - {"[3, 3]"}:
            problem.diagnosis = named(mistakes, "run_grid_one_layer_only")
        elif keys == set(GRID_KEYS) and all(set(r) == {*RESULT_KEYS, "params"} for r in rows):
            problem.diagnosis = named(mistakes, "run_grid_keeps_params")
        raise
    return table


# ------------------------------------------------------------------ run_experiment


@pytest.mark.public
@pytest.mark.grades("run_experiment", points=1)
def test_run_experiment_returns_losses_and_params(student):
    """run_experiment returns the losses, the test accuracy and the trained parameters"""
    experiment(student, split("circle"), [3])


@pytest.mark.public
@pytest.mark.grades("run_experiment", points=1)
def test_run_experiment_learns_the_circle(student):
    """3 neurons learn the circle: test accuracy of at least 0.85"""
    numbers, _ = experiment(student, split("circle"), [3])
    accuracy = numbers["test_accuracy"]
    assert accuracy >= 0.85, (
        f"With one hidden layer of 3 neurons, the circle should be learned (test accuracy at "
        f"least 0.85 with the default settings), but run_experiment reports {accuracy:.2f}. "
        "Train on the training split with the given learning rate and number of epochs, with a "
        "sigmoid output, then measure the accuracy on the test split."
    )


@pytest.mark.grades("run_experiment", points=2)
@pytest.mark.parametrize(
    "name, hidden_layers, activation",
    [("circle", [3], "tanh"), ("xor", [3, 3], "relu")],
    ids=["circle-3-tanh", "xor-3-3-relu"],
)
def test_run_experiment_reports_its_own_losses(
    student, reference, mistakes, name, hidden_layers, activation
):
    """the reported losses and accuracy are those of the returned parameters"""
    X_train, X_test, y_train, y_test = data = split(name, noise=0.25, seed=1)
    numbers, params = experiment(student, data, hidden_layers, mistakes, activation=activation)
    settings = f"hidden_layers={hidden_layers}, activation={activation!r}"

    def recomputed(hidden_activation):
        losses = {}
        for key, X, y in (("train_loss", X_train, y_train), ("test_loss", X_test, y_test)):
            A, _ = reference.forward_propagation(X, params, hidden_activation=hidden_activation)
            losses[key] = reference.compute_cost(A, y.reshape(-1, 1))
        return losses

    def close(a, b):
        return bool(np.isclose(a, b, rtol=1e-6, atol=1e-12))

    losses = recomputed(activation)
    tanh_losses = recomputed("tanh") if activation != "tanh" else losses
    for key in ("train_loss", "test_loss"):
        try:
            check_scalar(
                numbers[key],
                losses[key],
                what=f"{key} of run_experiment(..., {settings})",
                rtol=1e-6,
            )
        except Mismatch as problem:
            if key == "test_loss" and close(numbers[key], losses["train_loss"]):
                problem.diagnosis = named(mistakes, "run_experiment_test_loss_on_training_half")
            elif activation != "tanh" and close(numbers[key], tanh_losses[key]):
                problem.diagnosis = named(mistakes, "run_experiment_ignores_activation")
            raise
    labels = reference.predict(X_test, params, hidden_activation=activation)
    try:
        check_scalar(
            numbers["test_accuracy"],
            float(np.mean(labels == y_test)),
            what=f"test_accuracy of run_experiment(..., {settings})",
            atol=1e-9,
        )
    except Mismatch as problem:
        train_labels = reference.predict(X_train, params, hidden_activation=activation)
        if close(numbers["test_accuracy"], float(np.mean(train_labels == y_train))):
            problem.diagnosis = named(mistakes, "run_experiment_accuracy_on_training_half")
        raise


@pytest.mark.grades("run_experiment", points=2)
@pytest.mark.parametrize(
    "name, noise, hidden_layers, threshold",
    [("circle", 0.1, [6], 0.8), ("gauss", 0.0, [1], 0.9), ("xor", 0.0, [6], 0.8)],
    ids=["circle-6", "gauss-1", "xor-6"],
)
def test_run_experiment_learns(student, reference, mistakes, name, noise, hidden_layers, threshold):
    """the configurations that should learn do, on the held-out split"""
    data = split(name, noise=noise, seed=2)
    X_test, y_test = data[1], data[3]
    _, params = experiment(student, data, hidden_layers, mistakes)
    accuracy = float(np.mean(reference.predict(X_test, params, hidden_activation="tanh") == y_test))
    assert accuracy >= threshold, (
        f"On {name} (noise {noise}) with hidden layers {hidden_layers}, the returned parameters "
        f"classify {accuracy:.2f} of the test points right; a working network reaches "
        f"{threshold} with the default settings. Check the training (learning rate, epochs, "
        "the hidden activation) and that the test split is not used for training."
    )


# ------------------------------------------------------------------ run_grid


@pytest.mark.public
@pytest.mark.grades("run_grid", points=1)
def test_run_grid_covers_the_lecture_grid(student):
    """run_grid has one entry per configuration of the lecture's grid"""
    grid(student, split("gauss"))


@pytest.mark.grades("run_grid", points=1)
@pytest.mark.parametrize(
    "settings",
    [{}, {"learning_rate": 0.5, "epochs": 60, "seed": 2, "activation": "relu"}],
    ids=["defaults", "other-settings"],
)
def test_run_grid_agrees_with_run_experiment(student, reference, mistakes, settings):
    """run_grid's row for 3 neurons is what run_experiment gives with the same settings"""
    data = split("circle", seed=3)
    table = grid(student, data, mistakes, **settings)
    numbers = reference.run_experiment(*data, [3], **settings)  # the model's, as run_grid sees it
    for key in RESULT_KEYS:
        got = as_scalar(table["[3]"][key], what=f"run_grid(...)['[3]'][{key!r}]")
        if not np.isclose(got, numbers[key], rtol=1e-9, atol=1e-12):
            problem = Mismatch(
                f"run_grid(..., {settings})['[3]'][{key!r}] is {got:.6g} but "
                f"run_experiment(..., [3], {settings}) gives {numbers[key]:.6g} on the same split.",
                hint="run_grid should call run_experiment with the same settings; each run "
                "must be reproducible, so initialise with the given seed.",
            )
            if settings:
                defaults = reference.run_experiment(*data, [3])
                if np.isclose(got, defaults[key], rtol=1e-9, atol=1e-12):
                    problem.diagnosis = named(mistakes, "run_grid_drops_settings")
            raise problem


@pytest.mark.grades("run_grid", points=1)
def test_run_grid_shows_more_neurons_help_on_the_circle(student, mistakes):
    """on the circle, 3 and 6 neurons reach a lower test loss than 1 neuron"""
    table = grid(student, split("circle", seed=4), mistakes)
    loss = {k: as_scalar(table[k]["test_loss"], what=f"run_grid(...)[{k!r}]") for k in GRID_KEYS}
    assert loss["[3]"] < loss["[1]"] and loss["[6]"] < loss["[1]"], (
        "On the circle, one neuron can only draw a straight boundary, so 3 and 6 neurons should "
        f"reach a lower test loss; run_grid reports {loss}."
    )
