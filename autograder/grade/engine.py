"""Grade submissions: load each one, start its sandbox, run the suite in this trusted process.

pytest collects the suite once; its tests then run once per submission, so a class pays for
pytest's start-up only once per worker process.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.assignments import Assignment, secret_paths
from autograder.config import Limits
from autograder.grade.reference import CachedReference
from autograder.model import Outcome, Reply, SubmissionResult, status_after_tests
from autograder.problems import NotGradable
from autograder.sandbox import zygote
from autograder.sandbox.earlier import earlier_chunks, on_earlier
from autograder.sandbox.launcher import Isolation
from autograder.sandbox.load import file_digest, load_submission
from autograder.sandbox.session import StudentSession
from autograder.suite.collect import collect
from autograder.suite.diagnose import Catalogue
from autograder.suite.plugin import SuitePlugin, without_plugins
from autograder.suite.standins import attribution, model_calls

PYTEST_ARGS = (
    "--import-mode=importlib",  # suites share a file name; import each under its own path
    "--strict-markers",
    "-c",
    os.devnull,
    *without_plugins(),
    "-p",
    "no:terminal",  # nobody reads its lines (hence no -q, no --tb): ~1-3 ms per submission
)


# A gradebook row's status. The first three mean the tests ran: "timeout" and "crashed" say that
# at least one call ran out of time or killed its sandbox (those tests score 0, the rest count).


class Student:
    """Calls the submission's functions in the sandbox: `student.sigmoid(z)`.

    While `standing_in`, each call of `fn` has the graded functions that fn's model answer uses
    stand in for the student's own (`standins[fn]`), so a wrong sigmoid costs only sigmoid's
    points. Otherwise the calls run the student's own program (but for the functions in `wrong`,
    which always stand in), and `could_stand_in` says whether one of them had stand-ins to use.
    """

    def __init__(
        self, session: StudentSession | _Unreadable, standins: dict[str, dict[str, Callable]]
    ) -> None:
        self._session, self._standins = session, standins
        self.used: dict[str, set[str]] = {}  # function -> the stand-ins its calls asked for
        self.standing_in, self.could_stand_in = True, False
        self.wrong: set[str] = set()  # functions that already failed a test: they always stand in

    def __getattr__(self, fn: str):
        if fn.startswith("_"):
            raise AttributeError(fn)
        return lambda *args, **kwargs: self.call(fn, *args, **kwargs).value

    def call(self, fn: str, *args: object, seconds: float | None = None, **kwargs: object) -> Reply:
        """The full reply (value, mutated inputs, time), with an optional longer time limit."""
        standins = self._standins.get(fn)
        self.could_stand_in |= bool(standins)
        if not self.standing_in and not (standins and standins.keys() & self.wrong):
            standins = None
        reply = self._session.call(fn, args, kwargs, seconds=seconds, standins=standins)
        self.used.setdefault(fn, set()).update(reply.standins_used)
        return reply


class _Unreadable:
    """Stands in for a sandbox when the file could not be read: every call fails the same way."""

    def __init__(self, problem: NotGradable) -> None:
        self.problem = problem

    def call(self, *args: object, **kwargs: object):
        raise NotGradable(self.problem.message)


class _Batch:
    """A pytest plugin that replaces the test loop: every collected test, once per submission.

    The next submission's sandbox starts while the current one is graded.
    """

    def __init__(
        self,
        grading: SuitePlugin,
        submissions: Iterable[tuple[Path, str]],
        prepare: Callable,
        on_result: Callable[[SubmissionResult], None],
        standins: dict[str, dict[str, Callable]],
    ) -> None:
        self.grading, self.submissions = grading, submissions
        self.prepare, self.on_result, self.standins = prepare, on_result, standins

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        upcoming = (self.prepare(path, student) for path, student in self.submissions)
        current = next(upcoming, None)
        while current is not None:
            following = next(upcoming, None)
            self.on_result(current.finish(lambda s: self._run(session.items, s)))
            current = following
        return True

    def _run(self, items: list[pytest.Item], student_session) -> tuple[list[Outcome], list[str]]:
        student = Student(student_session, self.standins)
        self.grading.begin(student)
        for i, item in enumerate(items):
            following = items[i + 1] if i + 1 < len(items) else None
            self._run_item(item, following, student)
        return self.grading.outcomes, attribution(self.grading.outcomes, student.used)

    def _run_item(self, item: pytest.Item, following: pytest.Item | None, student: Student) -> None:
        """Run a test on the student's own program; where it fails and the functions it calls
        have model answers to stand in, run it again with them (the verdict that counts).

        A program that passes on its own needs no stand-ins, and round trips to the trusted side
        for every call of a dependency made grading ten times slower.
        """
        first = len(self.grading.outcomes)
        student.standing_in, student.could_stand_in = False, False
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        if student.could_stand_in and not all(o.passed for o in self.grading.outcomes[first:]):
            del self.grading.outcomes[first:]
            student.standing_in = True
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        student.wrong.update(o.function for o in self.grading.outcomes[first:] if not o.passed)


@dataclass
class _Prepared:
    """A submission loaded and its sandbox starting, waiting for its turn."""

    result: SubmissionResult
    session: StudentSession | _Unreadable
    started: float
    notes: list[str]

    def finish(self, run: Callable) -> SubmissionResult:
        start, result = time.monotonic(), self.result
        try:
            result.outcomes, attributed = run(self.session)
        finally:
            if isinstance(self.session, StudentSession):
                self.session.close()
        if isinstance(self.session, StudentSession):
            result.slowest_call = self.session.slowest[1]
            result.notes = self.notes + [
                f"While loading your code, {e['where'] or 'a statement'} raised {e['type']}: "
                f"{e['message']}"
                for e in self.session.load_errors
            ]
        result.notes += attributed
        if not result.outcomes:
            raise RuntimeError("The suite produced no outcomes.")
        if result.status == "graded":
            result.status = status_after_tests(result.outcomes)
        result.seconds = self.started + time.monotonic() - start
        return result


def _prepare(
    path: Path,
    student: str,
    *,
    assignment: Assignment,
    limits: Limits,
    isolation: Isolation,
    base: list[dict],
) -> _Prepared:
    start = time.monotonic()
    result = SubmissionResult(student, assignment.id, [])
    try:
        result.sha256 = file_digest(path)
        program = on_earlier(load_submission(path), base)
    except Exception as e:  # whatever the file holds, it costs only its own row
        problem = e if isinstance(e, NotGradable) else NotGradable(f"Cannot read {path.name}.")
        result.status, result.notes = "unreadable", [problem.message]
        return _Prepared(result, _Unreadable(problem), time.monotonic() - start, [])
    secret = [*secret_paths(), path.parent.resolve()]
    session = StudentSession(program, limits=limits, isolation=isolation, secret=secret)
    session.prestart()
    return _Prepared(result, session, time.monotonic() - start, program.notes)


def grade_files(
    submissions: Iterable[tuple[Path, str]],
    *,
    assignment: Assignment,
    limits: Limits,
    isolation: Isolation,
    on_result: Callable[[SubmissionResult], None],
    catalogue: Catalogue | None = None,
    reveal_hidden: bool = False,
) -> None:
    """Grade each (file, student id) in turn and hand each result to `on_result`.

    Nothing a submission does makes this raise.
    """
    grading = SuitePlugin(
        CachedReference(assignment.reference),
        catalogue or Catalogue.from_module(assignment.mistakes, assignment.reference),
        reveal_hidden=reveal_hidden,
    )

    reference = assignment.reference
    graded = list(collect(assignment.suite).points())
    calls = model_calls(reference, graded)
    standins = {fn: {g: getattr(reference, g) for g in uses} for fn, uses in calls.items()}
    base = earlier_chunks(assignment.id, set(graded))

    def prepare(path: Path, student: str) -> _Prepared:
        return _prepare(
            path, student, assignment=assignment, limits=limits, isolation=isolation, base=base
        )

    batch = _Batch(grading, submissions, prepare, on_result, standins)
    with contextlib.redirect_stdout(io.StringIO()), zygote.serving(isolation):
        code = pytest.main(
            [str(assignment.suite), "--rootdir", str(assignment.folder.parent), *PYTEST_ARGS],
            plugins=[grading, batch],
        )
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"The {assignment.id} suite did not run (pytest exit code {code}).")


def grade_file(
    path: Path,
    *,
    assignment: Assignment,
    limits: Limits,
    isolation: Isolation,
    catalogue: Catalogue | None = None,
) -> SubmissionResult:
    """Grade one file."""
    results: list[SubmissionResult] = []
    grade_files(
        [(path, path.stem)],
        assignment=assignment,
        limits=limits,
        isolation=isolation,
        on_result=results.append,
        catalogue=catalogue,
    )
    return results[0]
