"""Master notebooks: in sync with solutions/, run top to bottom, survive `otter assign`, and the
student notebooks generated from them are valid, score 0 untouched and 100% once completed, and
reveal no solution, hidden test or model answer."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import api
from autograder.assignments import IDS, ROOT, Assignment, get
from autograder.author.leaks import find_leaks, secrets
from autograder.author.master import load_master
from autograder.author.sync import RUN_SYNC, master_path, sync_assignment
from autograder.config import GenerateConfig, Limits
from autograder.grade.engine import grade_file
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.collect import collect

MASTERS = [i for i in IDS if master_path(get(i)).exists()]
OTTER = Path(sys.executable).parent / "otter"


@pytest.fixture(scope="session", autouse=True)
def playground_reference():
    """Grade playground against solutions.playground_lab, until autograder/assignments.py does."""
    if get("playground").reference.__name__ == "solutions.playground_lab":
        yield
        return
    lab = importlib.import_module("solutions.playground_lab")
    original = Assignment.reference
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            Assignment,
            "reference",
            property(lambda self: lab if self.id == "playground" else original.fget(self)),
        )
        yield


def test_at_least_one_master_exists():
    assert MASTERS, "no assignments/<id>/master.ipynb exists: nothing can be generated"


def masters():
    return pytest.mark.parametrize("assignment_id", MASTERS or ["(none)"])


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """`generate` for every assignment with a master, once for all test workers."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run
    out = base / "nnkit-generated"
    with _locked(base / "nnkit-generated.lock"):
        if MASTERS and not (out / "done").exists():
            api.generate(config=GenerateConfig(tuple(MASTERS), out))
            (out / "done").write_text("")
    return out


def _require(assignment_id: str) -> None:
    if assignment_id not in MASTERS:
        pytest.fail("no master notebook exists")


def _student(generated: Path, assignment_id: str) -> Path:
    return generated / assignment_id / "student" / f"{assignment_id}.ipynb"


# ---------------------------------------------------------------- the masters


@masters()
def test_master_is_in_sync_with_solutions(assignment_id):
    _require(assignment_id)
    changed = sync_assignment(get(assignment_id), check=True)
    assert not changed, f"{assignment_id}: {', '.join(changed)} differ from solutions/: {RUN_SYNC}"


@pytest.fixture(scope="session")
def executed(generated, tmp_path_factory):
    """Each master executed top to bottom in a real kernel (at most once per test process)."""
    from nbclient import NotebookClient

    runs: dict[str, nbformat.NotebookNode] = {}

    def run(assignment_id: str) -> nbformat.NotebookNode:
        if assignment_id not in runs:
            folder = tmp_path_factory.mktemp(f"run-{assignment_id}")
            for f in (generated / assignment_id / "solution").iterdir():
                if f.suffix in (".py", ".npz"):  # check file, kit modules, data, earlier models
                    shutil.copy(f, folder / f.name)
            nb = nbformat.read(master_path(get(assignment_id)), as_version=4)
            client = NotebookClient(
                nb,
                kernel_name="python3",
                timeout=300,
                resources={"metadata": {"path": str(folder)}},
            )
            client.execute()  # raises CellExecutionError, with the cell, on any error
            runs[assignment_id] = nb
        return runs[assignment_id]

    return run


def _printed(nb: nbformat.NotebookNode) -> str:
    """Everything the executed notebook's code cells printed or displayed as text."""
    texts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if o.output_type == "stream":
                texts.append(o.get("text", ""))
            else:
                data = o.get("data", {})
                texts += [data.get("text/markdown", ""), data.get("text/plain", "")]
    return "\n".join(texts)


@masters()
def test_master_runs_top_to_bottom(assignment_id, executed):
    """In a real kernel, next to the nnkit_check.py generated for it; every check passes."""
    _require(assignment_id)
    printed = "\n".join(
        o.get("text", "")
        for cell in executed(assignment_id).cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "stream"
    )
    for q in load_master(master_path(get(assignment_id))).graded:
        assert f"{q.name}: " in printed or f"{q.name} " in printed, f"no check output for {q.name}"
    assert "public checks passed." in printed
    assert "✗" not in printed, printed


# Numbers a notebook's text quotes that are not results of its run: the question's own numbers,
# arithmetic worked by hand, rounded constants. Every other number in the text of these masters
# must be printed by the run, or appear in its code.
NOT_FROM_THE_RUN = {
    "building_blocks": {"1.3", "1.4", "1.6", "1.7", "1.8", "1.9", "1.10"},  # section numbers
    "neural_network": {"4.0"},  # the digits licence, CC BY 4.0
    "logistic_regression": {"0.25", "0.001", "6.9", "0.9", "0.105", "2.3"},
    # the Playground's default learning rate and initial bias; the course's randn * 0.01 (the
    # earlier notebooks' code, which the playground notebook loads and no longer shows)
    "playground": {"0.03", "0.1", "0.01"},
}
QUOTED = re.compile(r"(?<![\w.^_{])\d+\.\d+(?:e[-+]?\d+)?(?![\w.])")


def _quoted_numbers(nb: nbformat.NotebookNode) -> dict[str, set[str]]:
    """Decimal numbers in each markdown cell and each model answer, by cell id."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown" or (
            cell.cell_type == "code" and cell.source.startswith("ANSWER_")
        ):
            found[cell.id] = set(QUOTED.findall(cell.source))
    return found


def _unprinted(nb: nbformat.NotebookNode, allowed: set[str]) -> dict[str, list[str]]:
    """The quoted numbers, by cell id, that the run neither printed nor has in its code."""
    printed = _printed(nb)
    code = "\n".join(
        c.source for c in nb.cells if c.cell_type == "code" and not c.source.startswith("ANSWER_")
    )
    missing: dict[str, list[str]] = {}
    for cell_id, numbers in _quoted_numbers(nb).items():
        for number in sorted(numbers - allowed):
            pattern = re.compile(rf"(?<![\d.]){re.escape(number)}(?![\d])")
            if not pattern.search(printed) and not pattern.search(code):
                missing.setdefault(cell_id, []).append(number)
    return missing


@pytest.mark.parametrize("assignment_id", sorted(NOT_FROM_THE_RUN))
def test_quoted_numbers_come_from_the_run(assignment_id, executed):
    """A number in the text or a model answer is one the notebook printed (or a known constant)."""
    missing = _unprinted(executed(assignment_id), NOT_FROM_THE_RUN[assignment_id])
    assert not missing, f"numbers quoted but not printed by the run, by cell: {missing}"


def test_quoted_number_check_finds_an_unprinted_number():
    new = nbformat.v4
    run = new.new_code_cell(
        "print(round(0.1692, 3))", outputs=[new.new_output("stream", text="0.169\n")]
    )
    text = new.new_markdown_cell("test loss 0.228, not 0.169; 0.1692 is in the code")
    nb = new.new_notebook(cells=[run, text])
    assert _unprinted(nb, set()) == {text.id: ["0.228"]}
    assert _unprinted(nb, {"0.228"}) == {}


@masters()
def test_otter_assign_accepts_the_master(assignment_id, tmp_path):
    _require(assignment_id)
    assignment = get(assignment_id)
    shutil.copy(master_path(assignment), tmp_path / "master.ipynb")
    done = subprocess.run(
        [str(OTTER), "assign", "master.ipynb", "dist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    student = tmp_path / "dist" / "student" / "master.ipynb"
    nb = nbformat.read(student, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "grader." not in code, "otter added cells that need its own client"
    leaks = find_leaks(secrets(assignment, load_master(master_path(assignment))), [student])
    assert not leaks, leaks


# ---------------------------------------------------------------- the student notebooks


STUDENT_SCRIPT = """
import inspect, json, sys
from pathlib import Path
from autograder.sandbox.load import load_submission

path = Path(sys.argv[1])
sys.path.insert(0, str(path.parent))
import nnkit_check

namespace = {"__name__": "student_notebook"}
for chunk in load_submission(path).chunks:  # the definitions, as the grader loads them
    try:
        exec(compile(chunk["source"], chunk["cell"], "exec"), namespace)
    except Exception:
        pass  # as in the sandbox: a failing statement costs only its own definitions
outcomes = nnkit_check.run_checks(None, namespace=namespace)
result = {"answers": {k: v for k, v in namespace.items() if k.startswith("ANSWER_")}}
for fn in nnkit_check.FUNCTIONS:
    target = namespace.get(fn)
    required = [
        p for p in inspect.signature(target).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    try:
        target(*[None] * len(required))
        raised = "nothing"
    except Exception as e:
        raised = f"{type(e).__name__}: {e}"
    mine = [o for o in outcomes if o.function == fn]
    result[fn] = {"raised": raised, "public": len(mine), "report": nnkit_check.summarise(fn, mine)}
print(json.dumps(result))
"""


@masters()
def test_student_notebook_stubs_and_checks(assignment_id, generated):
    """Valid, output-free; each stub raises NotImplementedError naming its function, and
    check("fn") says it is not implemented (in a fresh Python, as a notebook would)."""
    _require(assignment_id)
    path = _student(generated, assignment_id)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert not [c for c in nb.cells if c.cell_type == "raw" and "QUESTION" in c.source.upper()]
    done = subprocess.run(
        [sys.executable, "-c", STUDENT_SCRIPT, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    master = load_master(master_path(get(assignment_id)))
    reports = []
    for q in master.graded:
        seen = result[q.name]
        assert seen["raised"].startswith("NotImplementedError: ") and q.name in seen["raised"]
        if seen["public"]:
            # A check may first need the functions it builds on; either way, nothing passes.
            assert "not implemented" in seen["report"] or " 0 of " in seen["report"], seen
            reports.append(seen["report"])
    assert any("not implemented" in r for r in reports)
    for q in master.manual:
        assert "Replace this line with your answer" in result["answers"][f"ANSWER_{q.name}"]


def _completed(generated: Path, assignment_id: str, folder: Path) -> Path:
    """The student notebook with every stripped cell replaced by the solution notebook's."""
    student = nbformat.read(_student(generated, assignment_id), as_version=4)
    solution_path = generated / assignment_id / "solution" / f"{assignment_id}_solution.ipynb"
    solution = {c.id: c for c in nbformat.read(solution_path, as_version=4).cells}
    filled = copy.deepcopy(student)
    replaced = 0
    for i, cell in enumerate(filled.cells):
        if cell.id in solution and solution[cell.id].source != cell.source:
            filled.cells[i] = copy.deepcopy(solution[cell.id])
            replaced += 1
    assert replaced
    path = folder / "completed.ipynb"
    nbformat.write(filled, path)
    return path


@masters()
def test_reference_answers_score_full_marks_and_stubs_score_zero(
    assignment_id, generated, tmp_path, monkeypatch
):
    _require(assignment_id)
    # Every suite is a module named `suite`: the engine grades one assignment per process.
    monkeypatch.delitem(sys.modules, "suite", raising=False)
    assignment, isolation = get(assignment_id), detect_isolation()
    full = grade_file(
        _completed(generated, assignment_id, tmp_path),
        assignment=assignment,
        limits=Limits(),
        isolation=isolation,
    )
    failed = [f"{o.name}: {o.output}" for o in full.outcomes if not o.passed]
    assert full.score == full.max_score > 0, failed
    untouched = tmp_path / "untouched.ipynb"
    shutil.copy(_student(generated, assignment_id), untouched)
    zero = grade_file(untouched, assignment=assignment, limits=Limits(), isolation=isolation)
    assert zero.score == 0 and zero.max_score == full.max_score


@masters()
def test_no_solution_or_hidden_test_reaches_students(assignment_id, generated):
    _require(assignment_id)
    assignment = get(assignment_id)
    master = load_master(master_path(assignment))
    secret = secrets(assignment, master)
    assert secret, "nothing to look for"
    files = [p for p in (generated / assignment_id / "student").iterdir() if p.is_file()]
    assert {p.name for p in files} >= {f"{assignment_id}.ipynb", "nnkit_check.py"}
    leaks = find_leaks(
        secret, [p for p in files if p.name != "playground_data.py" and p.suffix != ".npz"]
    )
    assert not leaks, leaks
    # and the detector does find them where they are
    solution = generated / assignment_id / "solution" / f"{assignment_id}_solution.ipynb"
    assert find_leaks(secret, [solution])


@masters()
def test_student_folder_says_what_to_install(assignment_id, generated):
    """requirements.txt beside the notebook names numpy, matplotlib and check()'s pytest."""
    _require(assignment_id)
    text = (generated / assignment_id / "student" / "requirements.txt").read_text()
    assert set(text.split()) == {"numpy>=1.24", "matplotlib>=3.7", "pytest>=8"}


def test_a_data_set_ships_beside_the_notebook_that_loads_it(generated):
    """The digits capstone's data set is in the neural_network student folder, and only there."""
    _require("neural_network")
    student = generated / "neural_network" / "student" / "digits.npz"
    assert np.load(student)["images"].shape == (1797, 8, 8)
    assert not list(generated.glob("building_blocks/student/*.npz"))


@masters()
def test_grading_bundle(assignment_id, generated):
    _require(assignment_id)
    bundle = generated / assignment_id / "grading"
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["assignment"] == assignment_id
    assert manifest["max_score"] == sum(manifest["points"].values()) > 0
    assert collect(bundle / "suite.py").points() == manifest["points"]
    assert list(manifest["points"]) == list(collect(get(assignment_id).suite).points())
    reference = Path(get(assignment_id).reference.__file__).name
    assert manifest["reference"] == f"solutions/{reference}"
    assert (bundle / "solutions" / reference).exists()
    assert (bundle / "solutions" / "__init__.py").exists()
