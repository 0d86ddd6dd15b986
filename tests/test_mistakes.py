"""Prove the grader: every catalogued mistake, made into a whole submission, must lose points.

For each assignment, the model answer and one mutant per mistake in `assignments/<id>/mistakes.py`
(see `autograder.mutants`) are graded in one batch. Each mutant must lose points in its own
function's column, the model answer none, and the grader should name most mistakes: the mistake's
own message should reach the student in a failing test of that function.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from autograder import assignments
from autograder.config import Limits
from autograder.diagnose import Mistake
from autograder.engine import SubmissionResult, grade_files
from autograder.mutants import mutant_name, mutants, write_mutants, write_reference
from autograder.sandbox.launcher import detect_isolation

IDS = ("logistic_regression", "building_blocks", "neural_network")
LIMITS = Limits(call_seconds=5, submission_seconds=30)
MIN_NAMING_RATE = 0.8
MIN_MISTAKES_PER_FUNCTION = 3


@dataclass
class Graded:
    """One assignment's batch: the model answer's result and each mutant's."""

    reference: SubmissionResult
    mutants: dict[str, tuple[Mistake, SubmissionResult]]

    @property
    def full(self) -> dict[str, float]:
        return self.reference.by_function()

    def caught(self, stem: str) -> bool:
        m, result = self.mutants[stem]
        return result.by_function().get(m.function, 0.0) < self.full[m.function]

    def named(self, stem: str) -> bool:
        m, result = self.mutants[stem]
        return any(
            not o.passed and o.function == m.function and m.message in o.output
            for o in result.outcomes
        )


_batches: dict[str, Graded] = {}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade an assignment's model answer and mutants once, in one batch, on first use."""
    isolation = detect_isolation()

    def grade(assignment_id: str) -> Graded:
        if assignment_id not in _batches:
            folder = tmp_path_factory.mktemp(assignment_id)
            written = write_mutants(assignment_id, folder / "mutants")
            reference = write_reference(assignment_id, folder)
            # Every suite is a module named `suite`: drop the previous assignment's from the cache.
            sys.modules.pop("suite", None)
            results: dict[str, SubmissionResult] = {}
            grade_files(
                [(reference, "__reference__")] + [(path, path.stem) for path, _ in written],
                assignment=assignments.get(assignment_id),
                limits=LIMITS,
                isolation=isolation,
                on_result=lambda r: results.__setitem__(r.student, r),
            )
            _batches[assignment_id] = Graded(
                results["__reference__"], {p.stem: (m, results[p.stem]) for p, m in written}
            )
        return _batches[assignment_id]

    return grade


def _cases() -> list:
    return [
        pytest.param(a, mutant_name(m), id=f"{a}-{mutant_name(m)}") for a in IDS for m in mutants(a)
    ]


@pytest.mark.parametrize("assignment_id", IDS)
def test_reference_loses_no_points(graded, assignment_id):
    result = graded(assignment_id).reference
    lost = [f"{o.name}: {o.output} {o.debug}" for o in result.outcomes if not o.passed]
    assert result.status == "graded" and not lost, "\n".join(lost)


@pytest.mark.parametrize("assignment_id", IDS)
def test_every_graded_function_has_mistakes(graded, assignment_id):
    counts = {fn: 0 for fn in graded(assignment_id).full}
    for m in mutants(assignment_id):
        assert m.function in counts, f"{m.implementation.__name__}: no test grades {m.function}"
        counts[m.function] += 1
    few = {fn: n for fn, n in counts.items() if n < MIN_MISTAKES_PER_FUNCTION}
    assert not few, f"functions with fewer than {MIN_MISTAKES_PER_FUNCTION} mistakes: {few}"


@pytest.mark.parametrize("assignment_id, stem", _cases())
def test_mistake_loses_points_in_its_column(graded, assignment_id, stem):
    batch = graded(assignment_id)
    m, result = batch.mutants[stem]
    assert result.status == "graded", f"{stem}: {result.status} {result.notes}"
    assert batch.caught(stem), (
        f"{stem} kept all {batch.full[m.function]} points of {m.function}: "
        f"no test catches the mistake '{m.message}'"
    )


@pytest.mark.parametrize("assignment_id", IDS)
def test_naming_rate(graded, assignment_id, capsys):
    batch = graded(assignment_id)
    stems = list(batch.mutants)
    caught = [s for s in stems if batch.caught(s)]
    named = [s for s in stems if batch.named(s)]
    total = max(len(stems), 1)
    with capsys.disabled():
        print(
            f"\n{assignment_id}: {len(stems)} mistakes, caught {len(caught)} "
            f"({len(caught) / total:.0%}), named {len(named)} ({len(named) / total:.0%})"
        )
        for s in stems:
            if s not in named:
                m, result = batch.mutants[s]
                said = next(
                    (
                        o.output
                        for o in result.outcomes
                        if not o.passed and o.function == m.function
                    ),
                    "(no failing test)",
                )
                print(f"  not named: {s}\n    grader said: {said.splitlines()[0][:150]}")
    assert len(named) / total >= MIN_NAMING_RATE
