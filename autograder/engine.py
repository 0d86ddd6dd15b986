"""Grade one submission: load it, start its sandbox, run the suite in this trusted process."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.assignments import Assignment, secret_paths
from autograder.config import Limits
from autograder.diagnose import Catalogue
from autograder.load import load_submission
from autograder.plugin import GradingPlugin, Outcome
from autograder.problems import NotGradable
from autograder.sandbox.launcher import Isolation
from autograder.sandbox.session import StudentSession

PYTEST_ARGS = ("-q", "--strict-markers", "-p", "no:cacheprovider", "-p", "no:xdist",
               "-p", "no:randomly", "-c", os.devnull)


@dataclass
class SubmissionResult:
    """Everything the reports need about one graded submission."""

    student: str
    assignment: str
    outcomes: list[Outcome]
    status: str = "graded"  # or "unreadable", "grader error"
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    slowest_call: str = ""
    sha256: str = ""

    @property
    def score(self) -> float:
        return round(sum(o.score for o in self.outcomes), 6)

    @property
    def max_score(self) -> float:
        return round(sum(o.max_score for o in self.outcomes), 6)

    def by_function(self) -> dict[str, float]:
        """Points earned per graded function, in suite order."""
        points: dict[str, float] = {}
        for o in self.outcomes:
            points[o.function] = round(points.get(o.function, 0.0) + o.score, 6)
        return points


class _Unreadable:
    """Stands in for a sandbox when the file could not be read: every call fails the same way."""

    def __init__(self, problem: NotGradable) -> None:
        self.problem = problem

    def call(self, *args: object, **kwargs: object):
        raise NotGradable(self.problem.message)


def run_suite(assignment: Assignment, session, *, catalogue: Catalogue | None = None
              ) -> list[Outcome]:
    """Run the assignment's suite against `session`; returns one outcome per test."""
    plugin = GradingPlugin(session, assignment.reference,
                           catalogue or Catalogue.from_module(assignment.mistakes))
    with contextlib.redirect_stdout(io.StringIO()):
        code = pytest.main([str(assignment.suite), "--rootdir", str(assignment.folder),
                            *PYTEST_ARGS], plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or not plugin.outcomes:
        raise RuntimeError(f"The {assignment.id} suite did not run (pytest exit code {code}).")
    return plugin.outcomes


def grade_file(path: Path, *, assignment: Assignment, limits: Limits, isolation: Isolation,
               catalogue: Catalogue | None = None) -> SubmissionResult:
    """Grade one file; never raises for anything the submission does."""
    start = time.monotonic()
    result = SubmissionResult(path.stem, assignment.id, [])
    try:
        result.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        program = load_submission(path)
    except (NotGradable, OSError) as e:
        problem = e if isinstance(e, NotGradable) else NotGradable(f"Cannot read {path.name}.")
        result.outcomes = run_suite(assignment, _Unreadable(problem), catalogue=catalogue)
        result.status, result.notes = "unreadable", [problem.message]
    else:
        secret = [*secret_paths(), path.parent.resolve()]
        with StudentSession(program, limits=limits, isolation=isolation, secret=secret) as session:
            result.outcomes = run_suite(assignment, session, catalogue=catalogue)
            result.notes = program.notes + [
                f"While loading your code, {e['where'] or 'a statement'} raised {e['type']}: "
                f"{e['message']}" for e in session.load_errors]
            result.slowest_call = session.slowest[1]
    result.seconds = time.monotonic() - start
    return result
