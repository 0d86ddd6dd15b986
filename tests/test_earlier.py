"""A notebook that builds on an earlier assignment is graded on the earlier model answers."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from autograder.assignments import ROOT, get
from autograder.author import checkfile, nnkit_earlier
from autograder.author.generate import generate_assignment, model_modules, student_notebook
from autograder.author.leaks import find_leaks, secrets
from autograder.author.master import load_master
from autograder.author.sync import master_path
from autograder.config import Limits
from autograder.grade.engine import grade_file
from autograder.sandbox.earlier import earlier_chunks
from autograder.sandbox.launcher import detect_isolation
from autograder.sandbox.load import keeps, load_submission
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


# ---------------------------------------------------------------- the student's side


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def test_the_loader_keeps_what_the_grader_keeps():
    sources = [p.read_text() for p in (ROOT / "solutions").glob("*.py")]
    for master in (ROOT / "assignments").glob("*/master.ipynb"):
        nb = nbformat.read(master, as_version=4)
        sources += [c.source for c in nb.cells if c.cell_type == "code"]
    sources.append(
        "x = [i for i in range(3)]\nf = lambda z: z\ny = train(X)\nfrom nnkit_check import check"
    )
    statements = []
    for source in sources:
        try:
            statements += ast.parse(source).body
        except SyntaxError:  # IPython syntax in a cell
            continue
    assert len(statements) > 200
    assert {nnkit_earlier.keeps(s) for s in statements} == {True, False}
    assert [nnkit_earlier.keeps(s) for s in statements] == [keeps(s) for s in statements]


def test_load_earlier_runs_the_definitions_of_the_students_notebook(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _notebook(
        tmp_path / "building_blocks.ipynb",
        "import numpy as np\nEPS = 1e-12\n\ndef relu(z):\n    return np.maximum(z, 0)",
        "raise SystemExit('an experiment: not run')\nrelu(1)",
        "%time relu(2)\n"
        "def sigmoid(z):\n"
        '    """Logistic."""\n'
        '    raise NotImplementedError("sigmoid is not implemented yet")',
    )
    namespace: dict = {}
    defined = nnkit_earlier.load_earlier("building_blocks", namespace=namespace)
    assert defined == ["relu", "sigmoid"]
    assert namespace["relu"](-2.0) == 0 and namespace["EPS"] == 1e-12
    with pytest.raises(
        NotImplementedError, match=r"sigmoid in building_blocks.ipynb is not written"
    ):
        namespace["sigmoid"](0.0)
    assert "Warning: sigmoid in building_blocks.ipynb is not written yet" in capsys.readouterr().out


def test_load_earlier_says_what_to_do_when_the_notebook_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as e:
        nnkit_earlier.load_earlier("building_blocks", path="bb/mine.ipynb", namespace={})
    message = str(e.value)
    assert message.startswith("bb/mine.ipynb was not found.")
    assert "put your building_blocks notebook in this folder as building_blocks.ipynb" in message


def test_load_earlier_prefers_the_model_answers_the_instructor_provides(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in model_modules(get("playground")).items():
        (tmp_path / name).write_text(text)
    assert "from building_blocks_model import" in (tmp_path / "neural_network_model.py").read_text()
    namespace: dict = {}
    nnkit_earlier.load_earlier("neural_network", namespace=namespace)
    assert {"train", "layer_forward", "DERIVATIVES"} <= namespace.keys()


def test_the_grader_ignores_the_loader(tmp_path):
    path = _notebook(
        tmp_path / "nn.ipynb",
        'from nnkit_earlier import load_earlier\n\nload_earlier("building_blocks")',
        "def train():\n    return layer_forward",
    )
    assert [c["source"] for c in load_submission(path).chunks] == [
        "def train():\n    return layer_forward"
    ]


def test_the_student_notebook_holds_no_model_answer_of_the_earlier_assignment(tmp_path):
    assignment = get("neural_network")
    master = load_master(master_path(assignment))
    secret = [s for s in secrets(assignment, master) if "building_blocks's model" in s.origin]
    assert secret
    student = tmp_path / "neural_network.ipynb"
    nbformat.write(student_notebook(assignment, master), student)
    assert not find_leaks(secret, [student])
    model = tmp_path / "building_blocks_model.py"  # and the check finds them where they are
    model.write_text(model_modules(assignment)["building_blocks_model.py"])
    assert find_leaks(secret, [model])


@pytest.mark.slow
def test_the_instructor_can_provide_the_earlier_model_answers(tmp_path, monkeypatch):
    assignment = get("neural_network")
    text = checkfile.build(assignment)
    generate_assignment(assignment, tmp_path / "own", text)
    generate_assignment(assignment, tmp_path / "given", text, ("building_blocks",))
    own, given = (tmp_path / k / "neural_network" / "student" for k in ("own", "given"))
    assert (own / "nnkit_earlier.py").exists() and not (own / "building_blocks_model.py").exists()
    assert (tmp_path / "own/neural_network/solution/building_blocks_model.py").exists()
    monkeypatch.chdir(given)
    namespace: dict = {}
    nnkit_earlier.load_earlier("building_blocks", namespace=namespace)
    assert namespace["layer_forward"] is not None and "DERIVATIVES" in namespace
