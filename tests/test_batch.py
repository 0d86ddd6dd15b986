"""A class keeps every row: many workers, grading into a folder with results, interruptions."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.assignments import ROOT
from autograder.batch import run as batch
from autograder.config import GradeConfig, Limits
from autograder.report.answers import export_answers

CORRECT = ROOT / "tests" / "corpus" / "alternatives" / "logistic_regression" / "lr_loops.py"
SLOW_SIGMOID = (
    "import time\n\n\ndef sigmoid(z):\n    time.sleep(0.3)\n    return _sigmoid(z)\n\n\n"
    "def _sigmoid(z):"
)
ANSWERED = 'ANSWER_q_why = """because"""\n'


def _config(out: Path, jobs: int) -> GradeConfig:
    return GradeConfig(assignment="logistic_regression", out=out, jobs=jobs, progress=False)


@pytest.mark.slow
@pytest.mark.parametrize("jobs, n", [(8, 24), (5, 12)])
def test_many_workers_lose_no_row(tmp_path, jobs, n, make_class, gradebook):
    """Workers that finish their feed are not deaths: every submission gets its row."""
    graded = grade(config=_config(tmp_path / "out", jobs), paths=[make_class(tmp_path / "c", n)])
    rows = gradebook(tmp_path / "out")
    assert len(graded.results) == len(rows) == n
    assert {r["score"] for r in rows.values()} == {"22"}


@pytest.mark.slow
def test_grading_into_the_class_folder_keeps_every_earlier_row(tmp_path, make_class, gradebook):
    out, first = tmp_path / "out", make_class(tmp_path / "c", 4)
    grade(config=_config(out, 2), paths=[first])
    late = tmp_path / "late"
    late.mkdir()
    (late / "latecomer.py").write_text("def sigmoid(z):\n    return z\n")
    graded = grade(config=_config(out, 2), paths=[late])
    rows = gradebook(out)
    assert set(rows) == {"s00", "s01", "s02", "s03", "latecomer"}
    assert rows["s01"]["score"] == "22" and rows["latecomer"]["score"] == "0"
    assert {r.student for r in graded.results} == set(rows)
    report = (out / "report.html").read_text()
    assert all(student in report for student in rows)
    (first / "s02.py").write_text("def sigmoid(z):\n    return 0\n")  # one changed submission
    grade(config=_config(out, 2), paths=[first / "s02.py"])
    rows = gradebook(out)
    assert len(rows) == 5 and rows["s02"]["score"] == "0" and rows["s03"]["score"] == "22"


def test_answer_exports_keep_earlier_students(tmp_path):
    first, late = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(ANSWERED)
    late.write_text(ANSWERED.replace("because", "late"))
    export_answers([first], tmp_path / "out", questions=["q_why"])
    [path] = export_answers([late], tmp_path / "out", questions=["q_why"])
    with path.open(newline="") as f:
        answers = {row["student"]: row["answer"] for row in csv.DictReader(f)}
    assert answers == {"a": "because", "b": "late"}


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_batch_keeps_its_finished_rows_and_says_how_to_go_on(
    tmp_path, how, make_class, gradebook
):
    slow = make_class(tmp_path / "c", 12)
    for f in sorted(slow.iterdir())[6:]:  # these take a while, so the signal comes mid-batch
        f.write_text(CORRECT.read_text().replace("def sigmoid(z):", SLOW_SIGMOID))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade", "logistic_regression", str(slow)]
    command += ["--out", str(out), "--jobs", "1", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*/record.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(process.pid, how)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "Traceback" not in err
    said = [line for line in err.splitlines() if line.startswith("interrupted")]
    assert len(said) == 1 and "run the same command again to finish" in said[0], err
    assert 3 <= len(gradebook(out)) < 12
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert len(gradebook(out)) == 12


@pytest.mark.slow
def test_a_worker_that_keeps_dying_gets_a_row_with_every_test_item(tmp_path, monkeypatch):
    killer = tmp_path / "c" / "killer.py"
    killer.parent.mkdir()
    killer.write_text(CORRECT.read_text())
    limits = Limits(call_seconds=2, submission_seconds=5, load_seconds=2)
    config = GradeConfig(
        assignment="logistic_regression", out=tmp_path / "out", jobs=1, progress=False,
        limits=limits,
    )  # fmt: skip

    def dying(config, isolation, digest, pages):
        def run(feed, send):
            next(feed)
            os._exit(3)  # the worker process itself dies, whatever the submission

        return run

    monkeypatch.setattr(batch, "_grader", dying)
    graded = grade(config=config, paths=[killer])
    [row] = graded.results
    assert row.status == "grader error" and row.score == 0
    assert row.max_score == 22 and len(row.outcomes) > 7
