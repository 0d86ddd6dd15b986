"""A notebook that builds on an earlier assignment is graded on the earlier model answers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autograder.assignments import ROOT, get
from autograder.config import Limits
from autograder.grade.engine import grade_file
from autograder.sandbox.earlier import earlier_chunks
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.collect import collect

ISOLATION = detect_isolation()


def _without_earlier_imports(reference: str) -> str:
    """The model answer as the student's notebook holds it: the earlier functions not pasted."""
    lines = reference.splitlines()
    for stmt in reversed(ast.parse(reference).body):
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("solutions"):
            del lines[stmt.lineno - 1 : stmt.end_lineno]
    return "\n".join(lines) + "\n"


def _grade(tmp_path: Path, assignment: str, source: str):
    path = tmp_path / "student.py"
    path.write_text(source)
    result = grade_file(path, assignment=get(assignment), limits=Limits(), isolation=ISOLATION)
    return result, collect(get(assignment).suite).points()


def test_which_assignment_builds_on_which_is_said_once():
    assert get("neural_network").builds_on == ("building_blocks",)
    assert get("playground").builds_on == ("building_blocks", "neural_network")
    assert get("building_blocks").builds_on == ()
    assert earlier_chunks("building_blocks", set()) == []


def test_no_graded_function_of_the_assignment_is_supplied():
    graded = set(collect(get("playground").suite).points())
    sources = "\n".join(c["source"] for c in earlier_chunks("playground", graded))
    defined = {s.name for s in ast.parse(sources).body if isinstance(s, ast.FunctionDef)}
    assert {"layer_forward", "train", "sigmoid"} <= defined
    assert not defined & graded
    assert "from solutions" not in sources


@pytest.mark.slow
@pytest.mark.parametrize(
    ("assignment", "module"),
    [("neural_network", "neural_network"), ("playground", "playground_lab")],
)
def test_the_model_answer_without_the_earlier_functions_gets_full_marks(
    tmp_path, assignment, module
):
    source = _without_earlier_imports((ROOT / "solutions" / f"{module}.py").read_text())
    assert "from solutions" not in source
    result, points = _grade(tmp_path, assignment, source)
    assert result.status == "graded", result.notes
    assert result.by_function() == points, result.notes


@pytest.mark.slow
def test_the_students_own_earlier_function_wins(tmp_path):
    """A wrong layer_forward of the student's is the one their network calls."""
    source = _without_earlier_imports((ROOT / "solutions" / "neural_network.py").read_text())
    wrong = "def layer_forward(A_prev, W, b, activation):\n    Z = A_prev @ W\n    return Z, Z\n"
    result, points = _grade(tmp_path, "neural_network", wrong + source)
    earned = result.by_function()
    assert earned["forward_propagation"] < points["forward_propagation"]
    assert earned["layer_backward"] == points["layer_backward"]  # does not call it
