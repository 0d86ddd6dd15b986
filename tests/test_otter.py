"""The otter autograder built from a suite (autograder/export/otter.py) scores as our engine does.

`otter run` (non-containerised) grades the generated solution notebook and part of the sample
class: the complete, not-started and partial notebooks, a complete .py file, some catalogued
mistakes, the hostile files and a corrupt notebook. Every score must equal our engine's on the same
folder, except where our sandbox protects against a cheat (the hostile files, and one extra probe
that patches otter's own doctest runner): there our score must be no higher than otter's, and the
difference is printed. Run with `-s` to see the table.

What otter does with each hostile file is a finding, not a requirement: it has no sandbox and no
time limit, so this harness gives each otter run a wall-clock budget and kills the process group
and the kernel it started when the budget runs out.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.author.generate import generate
from autograder.config import GradeConfig, Limits
from autograder.export.otter import build_otter_autograder
from autograder.proof.samples import build_sample_class

OTTER = Path(sys.executable).parent / "otter"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not OTTER.exists(), reason="otter-grader is not installed"),
]
SECONDS = 240  # an otter run of a fair submission takes 5-70 s here, on a loaded machine
HOSTILE_SECONDS = 45  # informational: a hostile run still going after this is "stuck"
PROBES = {  # cheats aimed at otter itself, not part of the sample class
    "60_hostile_patches_otters_doctest": (
        "import doctest\n"
        "doctest.DocTestRunner.summarize = lambda self, verbose=None: doctest.TestResults(0, 0)\n"
    ),
    "61_hostile_replays_the_zips_answers": (  # otter copies the zip's support files next to it
        "from nnkit_otter.grader import FUNCTIONS, RECORDED, ReplayReference, _Store\n"
        "_answers = ReplayReference(_Store(RECORDED))\n"
        "for _name in FUNCTIONS:\n"
        "    globals()[_name] = getattr(_answers, _name)\n"
    ),
}


@dataclass
class OtterResult:
    status: str  # "graded", "crashed" (no results), "stuck" (killed after its budget)
    total: float | None = None
    possible: float | None = None
    by_function: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    said: str = ""


def _descendants(pid: int) -> list[int]:
    """Processes started by `pid`, at any depth (otter's kernel runs in a session of its own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def otter_run(archive: Path, submission: Path, out: Path, seconds: float) -> OtterResult:
    """`otter run -a ARCHIVE -o OUT SUBMISSION`, its scores read from the results it pickles."""
    out.mkdir(parents=True)
    command = [str(OTTER), "run", "-p", "--no-logo", "-a", str(archive), "-o", str(out)]
    start = time.monotonic()
    process = subprocess.Popen(
        [*command, str(submission)],
        cwd=out,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        said, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        started = _descendants(process.pid)
        os.killpg(process.pid, signal.SIGKILL)
        for pid in started:  # the kernel, which otter started in a session of its own
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.communicate()
        return OtterResult("stuck", seconds=time.monotonic() - start)
    took = time.monotonic() - start
    tail = "\n".join(line for line in said.splitlines() if "WARNING" not in line)[-600:]
    pickled = out / "results.pkl"
    if process.returncode != 0 or not pickled.exists():
        return OtterResult("crashed", seconds=took, said=tail)
    import dill

    results = dill.loads(pickled.read_bytes())
    if results.has_catastrophic_failure():
        return OtterResult("crashed", seconds=took, said=str(results.catastrophic_error)[-600:])
    scores = {name: float(results.get_result(name).score) for name in results.test_files}
    return OtterResult("graded", float(results.total), float(results.possible), scores, took, tail)


def _subset(assignment: str, samples: list[Path]) -> list[Path]:
    """The part of the sample class otter runs (an otter run costs 5-30 s here)."""
    mistakes = [p for p in samples if "_mistake_" in p.name]
    if assignment == "logistic_regression":  # the whole range, hostile files included
        prefixes = ("01_", "03_", "04_", "07_", "40_")
        return [
            p for p in samples if p.stem.startswith(prefixes) or "_hostile_" in p.name
        ] + mistakes[::5][:2]
    return [p for p in samples if p.stem.startswith(("01_", "04_"))] + mistakes[:1]


def _prepare(assignment: str, work: Path) -> tuple[Path, Path, Path, Path]:
    """(work, the otter zip, the solution notebook, a folder holding part of the sample class)."""
    generate([assignment], work / "gen")
    generated = work / "gen" / assignment
    archive = build_otter_autograder(
        assignment,
        work / "zip",
        check_text=(generated / "student" / "nnkit_check.py").read_text(),
    )
    samples = build_sample_class(assignment, generated, work / "class")
    folder = work / "subset"
    folder.mkdir()
    for path in _subset(assignment, samples):
        shutil.copy(path, folder / path.name)
    if assignment == "logistic_regression":
        for stem, source in PROBES.items():
            (folder / f"{stem}.py").write_text(source)
    solution = next((generated / "solution").glob("*.ipynb"))
    return work, archive, solution, folder


@pytest.fixture(scope="module")
def logistic(tmp_path_factory):
    return _prepare("logistic_regression", tmp_path_factory.mktemp("otter"))


def test_the_zip_holds_one_ok_test_per_function_and_every_hidden_test(logistic):
    _, archive, _, _ = logistic
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        sigmoid = z.read("tests/sigmoid.py").decode()
        student_side = z.read("files/nnkit_check/checks.py").decode()
        instructor_side = z.read("files/nnkit_otter/grader.py").decode()
    functions = json.loads(
        (logistic[0] / "gen/logistic_regression/grading/manifest.json").read_text()
    )
    assert {f"tests/{fn}.py" for fn in functions["points"]} <= names
    assert {"run_autograder", "otter_config.json", "environment.yml"} <= names
    env: dict = {}
    exec(sigmoid, env)
    cases = env["test"]["suites"][0]["cases"]
    assert env["OK_FORMAT"] is True
    assert sum(c["points"] for c in cases) == functions["points"]["sigmoid"]
    assert [c["hidden"] for c in cases] == [False, True, True, True]
    assert "def test_sigmoid_extremes_are_stable" in instructor_side
    assert "def test_sigmoid_extremes_are_stable" not in student_side
    assert "INCLUDE_HIDDEN = True" in instructor_side and "INCLUDE_HIDDEN = False" in student_side


@pytest.mark.parametrize("assignment", ["logistic_regression", "building_blocks"])
def test_otter_run_scores_as_our_engine(assignment, request, tmp_path):
    if assignment == "logistic_regression":
        work, archive, solution, folder = request.getfixturevalue("logistic")
    else:
        work, archive, solution, folder = _prepare(assignment, tmp_path)
    files = sorted(folder.iterdir())
    same_as_solution = {p for p in files if p.read_bytes() == solution.read_bytes()}
    to_run = [solution] + [p for p in files if p not in same_as_solution]
    to_run.sort(key=lambda p: "_hostile_" not in p.name)  # the slow ones first
    with ThreadPoolExecutor(max_workers=3) as pool:
        running = {
            p: pool.submit(
                otter_run,
                archive,
                p,
                work / "runs" / p.stem,
                HOSTILE_SECONDS if "_hostile_" in p.name else SECONDS,
            )
            for p in to_run
        }
        ours = grade(
            config=GradeConfig(
                assignment=assignment,
                out=work / "ours",
                jobs=2,
                progress=False,
                limits=Limits(call_seconds=3.0, submission_seconds=30.0),
            ),
            paths=[folder],
        )
        theirs = {p.stem: f.result() for p, f in running.items()}
    for p in same_as_solution:
        theirs[p.stem] = theirs[solution.stem]

    # (a) the reference: full marks
    full = theirs[solution.stem]
    assert full.status == "graded", full.said
    assert full.total == pytest.approx(full.possible, abs=1e-9)
    assert full.possible == pytest.approx(ours.results[0].max_score, abs=1e-9)

    # (b) the sample class
    rows, problems = [], []
    for result in ours.results:
        other = theirs[result.student]
        hostile = "_hostile_" in result.student
        got = "-" if other.total is None else f"{other.total:g}"
        rows.append(
            f"{result.student:<50} ours {result.score:>5g}  otter {got:>5} "
            f"({other.status}, {other.seconds:4.1f} s){'  hostile' if hostile else ''}"
        )
        if hostile:
            if other.total is not None and result.score > other.total + 1e-6:
                problems.append(f"{result.student}: ours {result.score} > otter {other.total}")
            continue
        if result.status == "unreadable" and other.status == "crashed":
            assert result.score == 0  # otter cannot read it either: no score at all
            continue
        if other.status != "graded":
            problems.append(f"{result.student}: otter {other.status}: {other.said}")
            continue
        if abs(result.score - other.total) > 1e-6:
            problems.append(f"{result.student}: ours {result.score} != otter {other.total}")
        for fn, points in result.by_function().items():
            if abs(points - other.by_function.get(fn, -1)) > 1e-6:
                problems.append(
                    f"{result.student}, {fn}: ours {points} != otter {other.by_function}"
                )
    print("\n" + "\n".join(rows))
    assert not problems, "\n".join(problems)
    assert set(theirs) == {r.student for r in ours.results} | {solution.stem}
