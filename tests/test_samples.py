"""The demo's sample classes show what they claim: each sample earns the points of the graded
functions its `samples.csv` row says it completes, and a mistake sample loses points in its own
column only. A subset of each class is graded: every partial notebook, two mistakes per function.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder import api
from autograder.assignments import get
from autograder.config import GenerateConfig, GradeConfig, Limits
from autograder.proof.samples import SAMPLES_CSV, build_sample_class
from autograder.suite.collect import collect

CLASSES = ["playground", "logistic_regression"]


@dataclass
class Graded:
    """One sample class: what each sample claims, and what the chosen samples earned."""

    rows: dict[str, dict[str, str]]
    book: dict[str, dict[str, str]]
    points: dict[str, float]
    calls: dict[str, set[str]]  # graded functions each model answer reaches through its calls


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    done: dict[str, Graded] = {}

    def grade(assignment_id: str) -> Graded:
        if assignment_id in done:
            return done[assignment_id]
        work = tmp_path_factory.mktemp(assignment_id)
        api.generate(config=GenerateConfig((assignment_id,), work / "generated"))
        everything = work / "class"
        build_sample_class(assignment_id, work / "generated" / assignment_id, everything)
        with (everything / SAMPLES_CSV).open(newline="") as handle:
            rows = {row["file"]: row for row in csv.DictReader(handle)}
        assert set(rows) == {p.name for p in everything.iterdir() if p.name != SAMPLES_CSV}
        points = collect(get(assignment_id).suite).points()
        partial = [f for f, r in rows.items() if r["kind"] == "notebook" and r["complete"]]
        mistakes = [f for f, r in rows.items() if r["kind"] == "catalogued mistake"]
        chosen = partial + [
            m for fn in points for m in [f for f in mistakes if rows[f]["mistake_in"] == fn][:2]
        ]
        subset = work / "subset"
        subset.mkdir()
        for name in chosen:
            shutil.copy(everything / name, subset / name)
        config = GradeConfig(
            assignment=assignment_id,
            out=work / "graded",
            jobs=2,
            limits=Limits(call_seconds=10, submission_seconds=120),
            progress=False,
        )
        result = api.grade(config=config, paths=[subset])
        with result.gradebook.open(newline="") as handle:
            book = {row["student"]: row for row in csv.DictReader(handle)}
        reference = get(assignment_id).reference
        calls = {fn: set(getattr(reference, fn).__code__.co_names) & set(points) for fn in points}
        for _ in points:  # the graded functions each one reaches, directly or not
            calls = {fn: set().union(deps, *(calls[d] for d in deps)) for fn, deps in calls.items()}
        done[assignment_id] = Graded({f: rows[f] for f in chosen}, book, points, calls)
        return done[assignment_id]

    return grade


def _verdicts(batch: Graded, *, waiting: bool) -> list[str]:
    """What is wrong; `waiting`: only completed functions that reach an unfinished one."""
    wrong = []
    for name, row in batch.rows.items():
        complete, mistake_in = set(row["complete"].split()), row["mistake_in"]
        for fn, full in batch.points.items():
            got = float(batch.book[Path(name).stem][fn])
            reaches_unfinished = bool(batch.calls[fn] - complete)
            if fn in complete and reaches_unfinished != waiting:
                continue
            if fn in complete and got != full:
                wrong.append(f"{name}: {fn} earned {got} of {full}, but the sample completes it")
            elif waiting:
                continue
            elif fn == mistake_in and not got < full:
                wrong.append(f"{name}: {fn} kept {got} of {full} despite its mistake")
            elif fn not in complete and fn != mistake_in and got != 0:
                wrong.append(f"{name}: {fn} earned {got}, but the sample leaves it a stub")
    return wrong


@pytest.mark.parametrize("assignment_id", CLASSES)
def test_samples_earn_what_samples_csv_says(graded, assignment_id):
    batch = graded(assignment_id)
    assert any(r["kind"] == "catalogued mistake" for r in batch.rows.values()), "no mistakes"
    assert any(r["complete"] and r["kind"] == "notebook" for r in batch.rows.values())
    wrong = _verdicts(batch, waiting=False)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("assignment_id", CLASSES)
def test_samples_that_call_unfinished_functions_earn_their_points(graded, assignment_id):
    wrong = _verdicts(graded(assignment_id), waiting=True)
    assert not wrong, "\n".join(wrong)
