"""The pieces behind the notebooks: the markup, sync, nnkit_check.py's messages, answers, and the
playground suite."""

from __future__ import annotations

import csv
import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from autograder import api
from autograder.__main__ import main
from autograder.assignments import IDS, ROOT, Assignment, get
from autograder.author import checkfile, sync
from autograder.author.master import (
    ANSWER_PLACEHOLDER,
    FormatError,
    load_master,
    solution_code,
    student_code,
)
from autograder.author.suite_info import public_part, read_suite
from autograder.config import Limits, SyncConfig
from autograder.grade.engine import grade_file
from autograder.report.answers import export_answers, read_answers
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.collect import collect

# ---------------------------------------------------------------- the markup


def test_student_code_replaces_each_kind_of_solution():
    source = "\n".join(
        [
            "# BEGIN SOLUTION NO PROMPT",
            "def _helper(x):",
            "    return x + 1",
            "# END SOLUTION",
            "def area(",
            "    r: float,",
            ") -> float:",
            '    """Area of a disc."""',
            "    # BEGIN SOLUTION",
            "    return 3.14159 * r**2",
            "    # END SOLUTION",
            "",
            "radius = 2.0  # SOLUTION",
            "print(area(radius))  # IGNORE",
        ]
    )
    student = student_code(source)
    assert "_helper" not in student and "3.14159" not in student and "print" not in student
    assert 'raise NotImplementedError("area is not implemented yet' in student
    assert "radius = ..." in student
    compile(student, "student", "exec")
    solution = solution_code(source)
    assert "_helper" in solution and "return 3.14159 * r**2" in solution
    assert "BEGIN SOLUTION" not in solution and "# SOLUTION" not in solution
    assert "print" not in solution


def test_student_stub_says_how_long_and_the_shapes_of_the_intermediates():
    source = "\n".join(
        [
            "def step(A, W):",
            "    # BEGIN SOLUTION",
            "    Z = A @ W  # (n, m) @ (m, h) -> (n, h)",
            "    # the activation",
            "    return np.tanh(Z)",
            "    # END SOLUTION",
        ]
    )
    student = student_code(source)
    hints = "    # About 2 lines. Shapes of the intermediates:\n    #   Z: (n, h)\n    raise"
    assert hints in student
    assert "A @ W" not in student and "tanh" not in student
    compile(student, "student", "exec")


def test_student_code_answer_strings_get_the_placeholder():
    source = 'ANSWER_q_x = """\n# BEGIN SOLUTION\nThe model answer.\n# END SOLUTION\n"""'
    namespace: dict = {}
    exec(student_code(source), namespace)
    assert namespace["ANSWER_q_x"].strip() == ANSWER_PLACEHOLDER
    exec(solution_code(source), namespace)
    assert namespace["ANSWER_q_x"].strip() == "The model answer."


def _notebook(tmp_path: Path, cells: list) -> Path:
    path = tmp_path / "master.ipynb"
    nbformat.write(v4.new_notebook(cells=cells), path)
    return path


@pytest.mark.parametrize(
    "cells, message",
    [
        ([v4.new_raw_cell("# END QUESTION")], "END QUESTION without BEGIN QUESTION"),
        ([v4.new_raw_cell("# BEGIN QUESTION\nmanual: true")], "needs `name:"),
        ([v4.new_raw_cell("# BEGIN TESTS")], "outside a question"),
        (
            [
                v4.new_raw_cell("# BEGIN QUESTION\nname: f"),
                v4.new_code_cell("x = 1"),
                v4.new_raw_cell("# END QUESTION"),
            ],
            "defines `def f(...)`",
        ),
        (
            [
                v4.new_raw_cell("# BEGIN QUESTION\nname: f"),
                v4.new_code_cell("def f():\n    pass"),
                v4.new_raw_cell("# BEGIN TESTS"),
                v4.new_code_cell("# HIDDEN\nassert f() is None"),
                v4.new_raw_cell("# END TESTS"),
                v4.new_raw_cell("# END QUESTION"),
            ],
            "hidden tests belong in the suite",
        ),
    ],
)
def test_bad_markup_names_the_cell(tmp_path, cells, message):
    with pytest.raises(FormatError, match=re.escape(message)) as error:
        load_master(_notebook(tmp_path, cells))
    assert "cell " in str(error.value)


def test_public_part_never_holds_a_hidden_test():
    for assignment_id in IDS:
        items = collect(get(assignment_id).suite)
        public, hidden = items.tests(public=True), items.tests(public=False)
        part = public_part(read_suite(items.path), public, hidden, ("autograder", "solutions"))
        names = {getattr(n, "name", None) for n in part.statements}
        assert public <= names
        assert not names & hidden


# ---------------------------------------------------------------- sync


def test_sync_check_finds_a_stale_master_and_sync_repairs_it(tmp_path, monkeypatch, capsys):
    original = sync.master_path(get("logistic_regression"))
    copy = tmp_path / "master.ipynb"
    shutil.copy(original, copy)
    monkeypatch.setattr(sync, "master_path", lambda assignment: copy)
    nb = nbformat.read(copy, as_version=4)
    master = load_master(copy)
    nb.cells[master.question("forward").code_cell].source = "def forward(X, w, b):\n    pass"
    nbformat.write(nb, copy)
    assert main(["sync", "logistic_regression", "--check"]) == 1
    assert "run python -m autograder sync" in capsys.readouterr().out
    assert api.sync(config=SyncConfig(("logistic_regression",))) == {str(copy): ["forward"]}
    assert main(["sync", "logistic_regression", "--check"]) == 0
    assert copy.read_text() == original.read_text()


def test_sync_names_what_the_master_lacks(tmp_path, monkeypatch):
    copy = tmp_path / "master.ipynb"
    nb = nbformat.read(sync.master_path(get("logistic_regression")), as_version=4)
    nb.cells = [c for c in nb.cells if not c.source.startswith("EPS =")]
    nbformat.write(nb, copy)
    monkeypatch.setattr(sync, "master_path", lambda assignment: copy)
    with pytest.raises(sync.SyncError, match="uses EPS, which the master does not define"):
        sync.sync_assignment(get("logistic_regression"), check=True)


def test_sync_command_line_check():
    ids = [i for i in IDS if sync.master_path(get(i)).exists()]
    if get("playground").reference.__name__ != "solutions.playground_lab":
        ids = [i for i in ids if i != "playground"]  # until the registry points at the lab
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "sync", "--check", *ids],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("in sync") == len(ids)


# ---------------------------------------------------------------- nnkit_check.py's messages

WRONG_LOGISTIC = """
import numpy as np

EPS = 1e-12


def sigmoid(z):
    return 1 / (1 + np.exp(z))


def initialize_parameters(m):
    return np.zeros((m, 1)), 0.0


def forward(X, w, b):
    return X @ w + b


def cost(y_hat, y):
    raise NotImplementedError("cost is not implemented yet")
"""

NOTEBOOK_SIDE = """
import dataclasses, json, sys
sys.path.insert(0, sys.argv[1])
import nnkit_check
namespace = {}
exec(open(sys.argv[2]).read(), namespace)
outcomes = nnkit_check.run_checks(None, namespace=namespace)
reports = {fn: nnkit_check.summarise(fn, [o for o in outcomes if o.function == fn])
           for fn in nnkit_check.FUNCTIONS}
print(json.dumps({"outcomes": [dataclasses.asdict(o) for o in outcomes], "reports": reports}))
"""


@pytest.fixture(scope="module")
def logistic_check(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("check")
    (folder / "nnkit_check.py").write_text(checkfile.build(get("logistic_regression")))
    return folder


def test_check_prints_the_graders_own_messages(logistic_check, tmp_path, monkeypatch):
    submission = tmp_path / "wrong.py"
    submission.write_text(WRONG_LOGISTIC)
    done = subprocess.run(
        [sys.executable, "-c", NOTEBOOK_SIDE, str(logistic_check), str(submission)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    notebook = json.loads(done.stdout.strip().splitlines()[-1])
    monkeypatch.delitem(sys.modules, "suite", raising=False)
    graded = grade_file(
        submission,
        assignment=get("logistic_regression"),
        limits=Limits(),
        isolation=detect_isolation(),
    )
    public = {o.name: o for o in graded.outcomes if o.visible}
    seen = {o["name"]: o for o in notebook["outcomes"]}
    assert set(seen) == set(public)
    for name, outcome in public.items():
        assert seen[name]["passed"] == outcome.passed, name
        if outcome.kind == "missing":  # worded for the notebook: run the cell that defines it
            assert "There is no function named" in seen[name]["output"]
        else:
            assert seen[name]["output"] == outcome.output, name
    reports = notebook["reports"]
    assert "2 of 3 values are wrong" in reports["sigmoid"] and "Expected" in reports["sigmoid"]
    assert "flat vector" in reports["initialize_parameters"]  # the catalogued mistake, replayed
    assert "apply the sigmoid" in reports["forward"] or "Expected" in reports["forward"]
    assert "cost is not implemented yet" in reports["cost"]
    assert "There is no function named `gradients`" in reports["gradients"]
    assert "public checks passed" not in reports["gradient_descent"]
    for report in reports.values():
        assert "all tests passed" not in report.lower()


def test_check_says_how_many_passed_and_that_hidden_tests_remain(logistic_check, tmp_path):
    submission = tmp_path / "right.py"
    submission.write_text((ROOT / "solutions" / "logistic_regression.py").read_text())
    done = subprocess.run(
        [sys.executable, "-c", NOTEBOOK_SIDE, str(logistic_check), str(submission)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    reports = json.loads(done.stdout.strip().splitlines()[-1])["reports"]
    assert reports["sigmoid"] == (
        "sigmoid: 1 of 1 public checks passed. Hidden tests will also grade this function."
    )
    assert "2 of 2 public checks passed" in reports["initialize_parameters"]


def test_check_file_holds_no_reference_code():
    text = (ROOT / "solutions" / "logistic_regression.py").read_text()
    built = checkfile.assemble(
        get("logistic_regression"), collect(get("logistic_regression").suite), ""
    )
    assert "e = np.exp(-np.abs(z))" in text and "e = np.exp(-np.abs(z))" not in built
    assert "from solutions" not in built and "import autograder" not in built


# ---------------------------------------------------------------- free-text answers


def test_export_answers_one_csv_per_question(tmp_path):
    def notebook(name: str, *sources: str) -> Path:
        path = tmp_path / name
        nbformat.write(v4.new_notebook(cells=[v4.new_code_cell(s) for s in sources]), path)
        return path

    ada = notebook(
        "ada.ipynb",
        "%matplotlib inline\nimport numpy as np",
        'ANSWER_q_one = """\nIt converges faster.\n"""',
        'ANSWER_q_two = "=HYPERLINK(1)"',
        "this cell does not parse (",
    )
    bob = notebook("bob.ipynb", f'ANSWER_q_one = """\n{ANSWER_PLACEHOLDER}\n"""')
    cyd = tmp_path / "cyd.py"
    cyd.write_text('ANSWER_q_two: str = "A line."\nANSWER_q_two = "A better line."\n')
    broken = tmp_path / "dan.ipynb"
    broken.write_text("{not json")
    assert read_answers(ada) == {"q_one": "\nIt converges faster.\n", "q_two": "=HYPERLINK(1)"}

    written = export_answers([ada, bob, cyd, broken], tmp_path / "out")
    assert [p.name for p in written] == ["answers_q_one.csv", "answers_q_two.csv"]
    rows = {p.stem: [r[:2] for r in csv.reader(p.open())] for p in written}
    assert next(csv.reader(written[0].open())) == ["student", "answer", "score", "comment"]
    assert rows["answers_q_one"] == [
        ["student", "answer"],
        ["ada", "It converges faster."],
        ["bob", ""],
        ["cyd", ""],
        ["dan", ""],
    ]
    assert rows["answers_q_two"][1:] == [
        ["ada", "'=HYPERLINK(1)"],
        ["bob", ""],
        ["cyd", "A better line."],
        ["dan", ""],
    ]

    by_id = export_answers({ada: "s1"}, tmp_path / "out2", assignment="logistic_regression")
    assert [p.name for p in by_id] == [
        "answers_q_cost.csv",
        "answers_q_learning_rate.csv",
        "answers_q_boundary.csv",
    ]


# ---------------------------------------------------------------- the playground suite


def _self_contained(*modules: str) -> str:
    """The reference modules as one student file: no `solutions` imports."""
    parts = []
    for name in modules:
        text = (ROOT / "solutions" / f"{name}.py").read_text()
        text = re.sub(r"^from solutions\.\S+ import \((?:.|\n)*?\)\n", "", text, flags=re.M)
        parts.append(re.sub(r"^from solutions\.\S+ import .*\n", "", text, flags=re.M))
    return "\n\n".join(parts)


@pytest.fixture
def playground(monkeypatch) -> Assignment:
    """The playground assignment, graded against solutions.playground_lab."""
    assignment = get("playground")
    if assignment.reference.__name__ != "solutions.playground_lab":
        # Until autograder/assignments.py points playground's reference at playground_lab.
        lab = importlib.import_module("solutions.playground_lab")
        original = Assignment.reference
        monkeypatch.setattr(
            Assignment,
            "reference",
            property(lambda self: lab if self.id == "playground" else original.fget(self)),
        )
    monkeypatch.delitem(sys.modules, "suite", raising=False)
    return assignment


def test_playground_reference_scores_full_marks_and_stubs_zero(playground, tmp_path):
    full = tmp_path / "full.py"
    full.write_text(_self_contained("building_blocks", "neural_network", "playground_lab"))
    stub = tmp_path / "stub.py"
    stub.write_text(
        "def run_experiment(*args, **kwargs):\n    raise NotImplementedError\n\n\n"
        "def run_grid(*args, **kwargs):\n    raise NotImplementedError\n"
    )
    isolation = detect_isolation()
    result = grade_file(full, assignment=playground, limits=Limits(), isolation=isolation)
    assert result.score == result.max_score == 9, [o.output for o in result.outcomes]
    zero = grade_file(stub, assignment=playground, limits=Limits(), isolation=isolation)
    assert zero.score == 0


def test_playground_catches_made_up_losses(playground, tmp_path):
    lying = tmp_path / "lying.py"
    lying.write_text(
        _self_contained("building_blocks", "neural_network", "playground_lab").replace(
            '"test_loss": compute_cost(A_test, Y_test),', '"test_loss": 0.01,'
        )
    )
    result = grade_file(lying, assignment=playground, limits=Limits(), isolation=detect_isolation())
    failed = {o.name for o in result.outcomes if not o.passed}
    assert any("reported losses" in name for name in failed), failed


CHECK_SIDE = """
import sys
sys.path.insert(0, sys.argv[1])
exec(open(sys.argv[2]).read())
import nnkit_check
nnkit_check.check("forward")
"""


def test_check_says_when_a_function_fails_because_of_one_it_calls(logistic_check, tmp_path):
    right = (ROOT / "solutions" / "logistic_regression.py").read_text()
    submission = tmp_path / "wrong_sigmoid.py"
    submission.write_text(right.replace("1.0 / (1.0 + e), e / (1.0 + e)", "e / (1.0 + e), 0 * e"))
    done = subprocess.run(
        [sys.executable, "-c", CHECK_SIDE, str(logistic_check), str(submission)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "forward calls your sigmoid, which fails its own public checks" in done.stdout


CHECK_ONE = """
import sys
sys.path.insert(0, sys.argv[1])
exec(open(sys.argv[2]).read())
import nnkit_check
nnkit_check.check(sys.argv[3])
"""


def _stubbed(source: str, functions: list[str]) -> str:
    """The source with each of these functions' bodies replaced by the stub's raise."""
    for fn in functions:
        head, rest = source.split(f"\ndef {fn}(", 1)
        signature, body = rest.split(":\n", 1)
        after = body.split("\n\n\ndef ", 1)[1]
        source = f"{head}\ndef {fn}({signature}:\n    raise NotImplementedError\n\n\ndef {after}"
    return source


def test_check_of_a_stub_says_it_is_not_implemented_and_blames_nothing_else(tmp_path):
    """check("gradient_check") on its stub, beside stubs it calls, names gradient_check alone."""
    from autograder.proof.mutants import standalone_source

    folder = tmp_path / "check"
    folder.mkdir()
    (folder / "nnkit_check.py").write_text(checkfile.build(get("neural_network")))
    submission = tmp_path / "stubs.py"
    stubs = ["forward_propagation", "backward_propagation", "gradient_check"]
    submission.write_text(_stubbed(standalone_source("neural_network"), stubs))
    done = subprocess.run(
        [sys.executable, "-c", CHECK_ONE, str(folder), str(submission), "gradient_check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("gradient_check is not implemented yet"), done.stdout
    assert "calls your" not in done.stdout and "first" not in done.stdout, done.stdout
