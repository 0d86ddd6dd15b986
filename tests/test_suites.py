"""Meta-tests of the grading suites, run through the engine as the instructor's command runs them.

For each assignment, two submissions are graded once, in one batch: the model answer (made
standalone, since the sandbox cannot import `solutions`) and stubs generated from the model
answer's own signatures, every one of which raises NotImplementedError. The model answer must
earn full marks, the stubs nothing; every graded function of the contract must have its
gradebook column, and at least one public and one hidden test.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

from autograder import assignments
from autograder.config import Limits
from autograder.grade.engine import grade_files
from autograder.model import SubmissionResult
from autograder.proof.mutants import standalone_source
from autograder.sandbox.launcher import detect_isolation

# The contract's graded functions (CONTRACT.md, section 2), for each assignment.
CONTRACT = {
    "logistic_regression": [
        "sigmoid",
        "initialize_parameters",
        "forward",
        "cost",
        "gradients",
        "gradient_descent",
        "predict",
    ],
    "building_blocks": [
        "sigmoid",
        "sigmoid_derivative",
        "tanh",
        "tanh_derivative",
        "relu",
        "relu_derivative",
        "leaky_relu",
        "leaky_relu_derivative",
        "softmax",
        "binary_cross_entropy",
        "cross_entropy",
        "initialize_parameters",
        "layer_forward",
    ],
    "neural_network": [
        "forward_propagation",
        "compute_cost",
        "backward_propagation",
        "layer_backward",
        "update_parameters",
        "gradient_check",
        "minibatches",
        "train",
        "predict",
    ],
}

# Known gaps, reported to the suite's owner; strict, so fixing one makes its entry fail here.


def stub_source(assignment_id: str) -> str:
    """Each public function of the model answer, same signature, raising NotImplementedError."""
    module = importlib.import_module(f"solutions.{assignment_id}")
    stubs = []
    for name, fn in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
            continue
        signature = inspect.signature(fn)
        plain = signature.replace(
            parameters=[
                p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()
            ],
            return_annotation=inspect.Signature.empty,
        )
        stubs.append(f"def {name}{plain}:\n    raise NotImplementedError\n")
    return "import numpy as np\n\n\n" + "\n\n".join(stubs)


@pytest.fixture(scope="module", params=list(CONTRACT))
def graded(request, tmp_path_factory) -> tuple[str, dict[str, SubmissionResult]]:
    """Grade the model answer and the stubs of one assignment, once for this module."""
    assignment_id = request.param
    folder = tmp_path_factory.mktemp(assignment_id)
    reference, stubs = folder / "reference.py", folder / "stubs.py"
    reference.write_text(standalone_source(assignment_id))
    stubs.write_text(stub_source(assignment_id))
    results: dict[str, SubmissionResult] = {}
    grade_files(
        [(reference, "reference"), (stubs, "stubs")],
        assignment=assignments.get(assignment_id),
        limits=Limits(),
        isolation=detect_isolation(),
        on_result=lambda r: results.__setitem__(r.student, r),
    )
    return assignment_id, results


def test_stubs_define_every_graded_function(graded):
    assignment_id, _ = graded
    source = stub_source(assignment_id)
    missing = [fn for fn in CONTRACT[assignment_id] if f"def {fn}(" not in source]
    assert not missing, f"the model answer does not define {missing}"


def test_reference_scores_full_marks(graded):
    assignment_id, results = graded
    result = results["reference"]
    lost = [f"{o.name}: {o.output} {o.debug}" for o in result.outcomes if not o.passed]
    assert result.status == "graded", f"{assignment_id}: {result.status} {result.notes}"
    assert not lost, "\n".join(lost)
    assert result.score == result.max_score > 0


def test_stubs_score_zero(graded):
    assignment_id, results = graded
    result = results["stubs"]
    earned = [f"{o.name}: {o.score}" for o in result.outcomes if o.score > 0]
    assert result.status == "graded", f"{assignment_id}: {result.status} {result.notes}"
    assert not earned, "stubs that raise NotImplementedError earned points:\n" + "\n".join(earned)
    assert result.score == 0 and result.max_score == results["reference"].max_score


def test_every_graded_function_has_a_column(graded):
    assignment_id, results = graded
    columns = {o.function for o in results["reference"].outcomes}
    assert columns == set(CONTRACT[assignment_id]), (
        f"missing: {sorted(set(CONTRACT[assignment_id]) - columns)}, "
        f"not in the contract: {sorted(columns - set(CONTRACT[assignment_id]))}"
    )


def test_every_function_has_public_and_hidden_tests(graded):
    assignment_id, results = graded
    outcomes = results["reference"].outcomes
    public = {o.function for o in outcomes if o.visible}
    hidden = {o.function for o in outcomes if not o.visible}
    functions = CONTRACT[assignment_id]
    assert not set(functions) - public, f"no public test: {sorted(set(functions) - public)}"
    assert not set(functions) - hidden, f"no hidden test: {sorted(set(functions) - hidden)}"
