"""One mistake costs once: a test of one graded function calls the model answer of the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.assignments import ROOT, get
from autograder.config import Limits
from autograder.grade.engine import grade_file
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.collect import collect
from autograder.suite.standins import model_calls

REFERENCE = (ROOT / "solutions" / "logistic_regression.py").read_text()
ISOLATION = detect_isolation()


def _grade(tmp_path: Path, source: str):
    path = tmp_path / "submission.py"
    path.write_text(source)
    result = grade_file(
        path, assignment=get("logistic_regression"), limits=Limits(), isolation=ISOLATION
    )
    return result, result.by_function(), collect(get("logistic_regression").suite).points()


def test_the_model_answers_calls_are_read_from_the_reference():
    calls = {
        a: model_calls(get(a).reference, list(collect(get(a).suite).points()))
        for a in ("logistic_regression", "building_blocks", "neural_network")
    }
    assert calls["logistic_regression"]["forward"] == ["sigmoid"]
    assert calls["logistic_regression"]["gradient_descent"] == [
        "cost", "forward", "gradients", "initialize_parameters"
    ]  # fmt: skip
    assert calls["logistic_regression"]["sigmoid"] == []
    assert calls["building_blocks"]["layer_forward"] == [  # through the ACTIVATIONS table
        "leaky_relu", "relu", "sigmoid", "softmax", "tanh"
    ]  # fmt: skip
    assert "forward_propagation" in calls["neural_network"]["gradient_check"]


def test_a_wrong_sigmoid_costs_only_sigmoid_and_forward_is_told_why(tmp_path):
    wrong = REFERENCE.replace("1.0 / (1.0 + e), e / (1.0 + e)", "e / (1.0 + e), 1.0 / (1.0 + e)")
    assert wrong != REFERENCE
    result, earned, points = _grade(tmp_path, wrong)
    assert earned["sigmoid"] < points["sigmoid"]
    assert {fn: p for fn, p in earned.items() if fn != "sigmoid"} == {
        fn: p for fn, p in points.items() if fn != "sigmoid"
    }
    assert not [o.diagnosis for o in result.outcomes if o.function != "sigmoid" and o.diagnosis]
    assert "forward is right; it calls your sigmoid, which is wrong: fix sigmoid first." in (
        result.notes
    )


def test_a_function_never_reaches_its_own_model_answer(tmp_path):
    """sigmoid written as a call of forward: forward's model answer is not there for it."""
    source = REFERENCE.replace(
        "def sigmoid(z: np.ndarray) -> np.ndarray:",
        "def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n"
        "    return forward(z.reshape(-1, 1), np.ones(1), 0.0).reshape(z.shape)\n\n\n"
        "def _unused(z: np.ndarray) -> np.ndarray:",
    )
    _, earned, points = _grade(tmp_path, source)
    assert earned["sigmoid"] == 0
    assert earned["initialize_parameters"] == points["initialize_parameters"]


@pytest.mark.parametrize("stub", ["forward", "cost"])
def test_a_stub_costs_only_its_own_column(tmp_path, stub):
    body = f"def {stub}("
    head, rest = REFERENCE.split(body, 1)
    signature, _ = rest.split(":\n", 1)
    after = rest.split("\n\n\ndef ", 1)[1]
    source = f"{head}{body}{signature}:\n    raise NotImplementedError\n\n\ndef {after}"
    _, earned, points = _grade(tmp_path, source)
    assert earned[stub] == 0
    assert {fn: p for fn, p in earned.items() if fn != stub} == {
        fn: p for fn, p in points.items() if fn != stub
    }


def test_hidden_tests_say_what_failed_but_reveal_no_value(tmp_path):
    """An oracle cannot read hidden expected values or smuggle hidden inputs out."""
    smuggler = REFERENCE.replace(
        "def cost(y_hat: np.ndarray, y: np.ndarray) -> float:",
        "def cost(y_hat, y):\n    raise ValueError('leak ' + ' '.join(map(str, y_hat)))\n\n\n"
        "def _cost(y_hat: np.ndarray, y: np.ndarray) -> float:",
    ).replace("1.0 / (1.0 + e), e / (1.0 + e)", "1.0 / (1.0 + e) + 1e-3, e / (1.0 + e)")
    result, _, _ = _grade(tmp_path, smuggler)
    hidden = [o for o in result.outcomes if not o.visible and not o.passed]
    assert {o.function for o in hidden} >= {"sigmoid", "cost"}
    for o in hidden:
        assert "leak" not in o.output and "largest error" not in o.output, o.output
        assert o.detail and o.detail != o.output
    assert any("values are wrong" in o.output for o in hidden if o.function == "sigmoid")
    assert any(o.output == "Calling `cost` raised ValueError." for o in hidden)
    public = [o for o in result.outcomes if o.visible and o.function == "cost" and not o.passed]
    assert public and "leak" in public[0].output  # public tests keep their whole message


def test_a_stand_ins_error_reaches_the_sandbox_as_its_kind_alone(tmp_path):
    """The model answer's own error message never reaches the submission, only its type."""
    asker = REFERENCE.replace(
        "def forward(",
        "def forward(X, w, b):\n    try:\n        sigmoid('z')\n    except ValueError as e:\n"
        "        raise ValueError('told: ' + str(e)) from None\n\n\ndef _forward(",
    )
    result, earned, _ = _grade(tmp_path, asker)
    told = [o.output for o in result.outcomes if o.visible and o.function == "forward"]
    assert earned["forward"] == 0 and told, told
    assert all("told: the grader's sigmoid failed on these arguments" in t for t in told), told
    assert not any("convert" in t for t in told), told
