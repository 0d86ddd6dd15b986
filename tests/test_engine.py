"""The engine's own parts: loading, trusted comparison, batch books, the command line."""

import csv
import json
import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import api, assignments
from autograder.__main__ import main
from autograder.batch import run as batch
from autograder.config import GradeConfig, Limits
from autograder.grade.engine import grade_file
from autograder.problems import Mismatch, NotGradable
from autograder.sandbox.launcher import IsolationWarning, fallback_isolation
from autograder.sandbox.load import load_submission
from autograder.suite.compare import as_scalar, check_array, check_scalar

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "solutions" / "logistic_regression.py"
CONTRACT_HEAD = ["student", "score", "max_score", "percent", "status"]
LR_FUNCTIONS = [
    "sigmoid",
    "initialize_parameters",
    "forward",
    "cost",
    "gradients",
    "gradient_descent",
    "predict",
]


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, path)
    return path


# ------------------------------------------------------------------ loading


def test_loader_keeps_definitions_and_drops_experiments(tmp_path):
    path = notebook(
        tmp_path / "s.ipynb",
        "%matplotlib inline\nimport numpy as np\n!pip install foo\nALPHA = 0.1",
        "def f(x):\n    %time y = 1\n    return x * ALPHA",
        "for i in range(10**12):\n    pass\nprint('training')\nw = f(3)",
        "%%bash\necho hi",
        "def broken(:\n    pass",
    )
    program = load_submission(path)
    sources = "\n".join(c["source"] for c in program.chunks)
    assert "def f" in sources and "ALPHA = 0.1" in sources and "import numpy" in sources
    assert "range(10**12)" not in sources and "echo hi" not in sources and "w = f" not in sources
    assert any("syntax error" in n and "cell 5" in n for n in program.notes)
    assert any("were not run" in n for n in program.notes)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\xff\xfe\x00binary", "not a text file"), (b"{broken", "not a valid")],
)
def test_unreadable_files_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "s.ipynb"
    path.write_bytes(content)
    with pytest.raises(NotGradable, match=message):
        load_submission(path)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("x = 1\n" * 4_000_000)
    with pytest.raises(NotGradable, match="limit"):
        load_submission(path)


# ------------------------------------------------------------------ trusted comparison


@pytest.mark.parametrize(
    ("got", "expected", "message"),
    [
        (np.ones((4, 4)), np.ones(4), "broadcasts into an \\(n, n\\) matrix"),
        (np.ones((4, 1)), np.ones(4), "ravel"),
        (np.ones((3, 2)), np.ones((2, 3)), "transposed"),
        (np.array([1.0, np.nan]), np.ones(2), "NaN"),
        (np.ones(3, dtype=np.float32), np.ones(3), "float32"),
        (np.full(3, 4.0), np.ones(3), "4 times too large"),
        (-np.arange(1.0, 4.0), np.arange(1.0, 4.0), "wrong sign"),
        (None, np.ones(3), "return"),
        ("text", np.ones(3), "returned a str"),
    ],
)
def test_mismatch_messages_name_the_problem(got, expected, message):
    with pytest.raises(Mismatch, match=message):
        check_array(got, expected, what="f(x)")


def test_tolerance_scales_with_the_quantity():
    tiny = np.array([1e-9, -2e-9, 3e-9])
    check_array(tiny * (1 + 1e-9), tiny, what="dW")
    with pytest.raises(Mismatch, match="3 of 3 values are wrong"):
        check_array(np.zeros(3), tiny, what="dW")


def test_hidden_values_are_not_revealed_unless_asked():
    with pytest.raises(Mismatch) as hidden:
        check_array(np.array([1.0, 2.5]), np.array([1.0, 2.0]), what="f(x)")
    assert "2.5" not in str(hidden.value) and "largest error is 0.5" in str(hidden.value)
    with pytest.raises(Mismatch, match=r"Expected 2, got 2\.5"):
        check_array(np.array([1.0, 2.5]), np.array([1.0, 2.0]), what="f(x)", reveal=True)


def test_scalars():
    assert check_scalar(np.float64(0.5), 0.5, what="cost") == 0.5
    with pytest.raises(Mismatch, match="shape \\(1, 1\\)"):
        as_scalar(np.ones((1, 1)), what="cost")
    with pytest.raises(Mismatch, match="returned None"):
        as_scalar(None, what="cost")


# ------------------------------------------------------------------ batch and command line


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    (folder / "alice.py").write_text(REFERENCE.read_text())
    (folder / "bob.py").write_text("def sigmoid(z):\n    raise NotImplementedError\n")
    (folder / "carol.ipynb").write_text("{broken")
    notebook(
        folder / "dave.ipynb",
        "import numpy as np\n%matplotlib inline",
        REFERENCE.read_text().split("def gradient_descent")[0],
    )
    return folder


def read_gradebook(out: Path) -> list[dict]:
    with open(out / "gradebook.csv", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_cli_grades_a_class_into_the_contract_outputs(class_folder, tmp_path):
    out = tmp_path / "out"
    code = main(
        [
            "grade",
            "logistic_regression",
            str(class_folder),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--no-progress",
        ]
    )
    assert code == 0
    with open(out / "gradebook.csv", newline="") as f:
        head = next(csv.reader(f))
    assert head[: len(CONTRACT_HEAD + LR_FUNCTIONS)] == CONTRACT_HEAD + LR_FUNCTIONS
    assert "source_file" in head[len(CONTRACT_HEAD + LR_FUNCTIONS) :]
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert set(rows) == {"alice", "bob", "carol", "dave"}
    assert rows["alice"]["percent"] == "100.0" and rows["bob"]["score"] == "0"
    assert rows["carol"]["status"] == "unreadable"
    assert float(rows["dave"]["sigmoid"]) == 3 and float(rows["dave"]["gradient_descent"]) == 0
    results = json.loads((out / "carol" / "results.json").read_text())
    assert {"score", "execution_time", "output", "tests"} <= set(results)
    assert all(
        set(t) == {"name", "score", "max_score", "status", "output", "visibility"}
        for t in results["tests"]
    )
    assert "not a valid Jupyter notebook" in results["tests"][0]["output"]


@pytest.mark.slow
def test_unchanged_submissions_are_not_graded_again(class_folder, tmp_path):
    config = GradeConfig(assignment="logistic_regression", out=tmp_path, jobs=2, progress=False)
    first = api.grade(config=config, paths=[class_folder])
    again = api.grade(config=config, paths=[class_folder])
    assert first.skipped == 0 and again.skipped == 4
    assert [r.score for r in first.results] == [r.score for r in again.results]
    forced = api.grade(
        config=GradeConfig(**{**config.__dict__, "force": True}), paths=[class_folder]
    )
    assert forced.skipped == 0


@pytest.mark.slow
def test_a_changed_model_answer_regrades_every_submission(class_folder, tmp_path, monkeypatch):
    """Expected values and patched mistakes come from the model answer: a saved row is not
    reused once it changes."""
    config = GradeConfig(assignment="logistic_regression", out=tmp_path / "out", jobs=2,
                         progress=False)  # fmt: skip
    api.grade(config=config, paths=[class_folder])
    copy = tmp_path / "kit"
    shutil.copytree(assignments.ROOT / "solutions", copy / "solutions")
    monkeypatch.setattr(assignments, "ROOT", copy)
    assert api.grade(config=config, paths=[class_folder]).skipped == 4
    with (copy / "solutions" / "logistic_regression.py").open("a") as f:
        f.write("\n# the model answer, edited\n")
    assert api.grade(config=config, paths=[class_folder]).skipped == 0


@pytest.mark.slow
def test_a_dying_worker_costs_only_its_submission(class_folder, tmp_path, monkeypatch):
    real = batch.grade_files

    def dies_on_bob(submissions, **kwargs):
        def feed():
            for path, student in submissions:
                if student == "bob":
                    os._exit(3)
                yield path, student

        real(feed(), **kwargs)

    monkeypatch.setattr(batch, "grade_files", dies_on_bob)
    config = GradeConfig(
        assignment="logistic_regression",
        out=tmp_path,
        jobs=1,
        progress=False,
        limits=Limits(call_seconds=5),
    )
    graded = api.grade(config=config, paths=[class_folder])
    rows = {r["student"]: r for r in read_gradebook(tmp_path)}
    assert set(rows) == {"alice", "bob", "carol", "dave"}
    assert rows["bob"]["status"] == "grader error" and rows["alice"]["percent"] == "100.0"
    assert "died" in next(r for r in graded.results if r.student == "bob").notes[0]


def test_cli_reports_bad_input_clearly(tmp_path, capsys):
    assert (
        main(["grade", "logistic_regression", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    )
    assert "No such file or folder" in capsys.readouterr().err


def test_without_bubblewrap_grading_still_works_and_says_it_is_weaker(tmp_path):
    with pytest.warns(IsolationWarning, match="SANDBOX IS WEAKER"):
        isolation = fallback_isolation()
    assert isolation.bwrap is None and isolation.gaps
    result = grade_file(
        REFERENCE,
        assignment=assignments.get("logistic_regression"),
        limits=Limits(),
        isolation=isolation,
    )
    assert result.score == result.max_score > 0
