"""The pytest plugin behind every suite: fixtures, point and visibility markers, and outcomes.

A suite is a plain pytest module. Each test carries `@pytest.mark.grades("function", points=N)`
and, if students may see its input and result, `@pytest.mark.public`. A parametrized test shares
its points among its cases.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import pytest

from autograder.diagnose import Catalogue
from autograder.problems import Problem, Raised
from autograder.sandbox.session import Reply
from autograder.sandbox.wire import SeededRng

__all__ = ["GradingPlugin", "Outcome", "SeededRng", "Student"]

MARKERS = (
    "grades(function, points): the graded function this test checks and the points it is worth",
    "public: students see this test's inputs and messages before the deadline",
)
# Numbers a student's exception message could copy from hidden inputs: decimals, and runs of
# four or more integers (array contents); shapes such as (13, 4) stay readable.
HIDDEN_NUMBERS = re.compile(
    r"[-+]?\d*\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|(?:[-+]?\d+[\s,]+){3,}[-+]?\d+"
)


@dataclass
class Outcome:
    """One test's verdict, as the reports need it."""

    name: str
    function: str
    max_score: float
    score: float
    passed: bool
    output: str
    visible: bool
    kind: str = ""  # the Problem kind of a failure
    debug: str = ""  # grader-side detail for instructors, never shown to students
    diagnosis: str = ""  # the catalogued mistake the result reproduces, if any
    plot: dict | None = None  # {"title", "x", "expected", "got"}: curves for the feedback page


class Student:
    """Calls the submission's functions in the sandbox: `student.sigmoid(z)`."""

    def __init__(self, session) -> None:
        self._session = session

    def __getattr__(self, fn: str):
        if fn.startswith("_"):
            raise AttributeError(fn)
        return lambda *args, **kwargs: self._session.call(fn, args, kwargs).value

    def call(self, fn: str, *args: object, seconds: float | None = None, **kwargs: object) -> Reply:
        """The full reply (value, mutated inputs, time), with an optional longer time limit."""
        return self._session.call(fn, args, kwargs, seconds=seconds)


class GradingPlugin:
    """Binds one submission's sandbox and the reference to a suite run, and records outcomes."""

    def __init__(self, reference: ModuleType, catalogue: Catalogue) -> None:
        self._reference, self._catalogue = reference, catalogue
        self._session = None
        self.outcomes: list[Outcome] = []
        self._points: dict[str, tuple[str, float]] = {}
        self._plots: dict[str, dict] = {}

    def begin(self, session) -> None:
        """Grade the next submission: its sandbox session, and a fresh list of outcomes."""
        self._session, self.outcomes, self._plots = session, [], {}

    def pytest_configure(self, config: pytest.Config) -> None:
        for line in MARKERS:
            config.addinivalue_line("markers", line)

    @pytest.fixture
    def student(self) -> Student:
        return Student(self._session)

    @pytest.fixture(scope="session")
    def reference(self):
        return self._reference

    @pytest.fixture(scope="session")
    def mistakes(self) -> Catalogue:
        return self._catalogue

    @pytest.fixture
    def plot(self, request: pytest.FixtureRequest):
        """Attach curves to this test's outcome: `plot(title, x, expected, got)`; public only."""

        def attach(title: str, x: object, expected: object, got: object) -> None:
            if request.node.get_closest_marker("public") is None:
                raise pytest.UsageError("plot() reveals values: use it in public tests only.")
            try:
                curves = [np.asarray(v, dtype=float).ravel() for v in (x, expected, got)]
            except (TypeError, ValueError):  # the student's value is not numeric: no plot
                return
            if len({c.size for c in curves}) == 1 and curves[0].size <= 500:
                names = ("x", "expected", "got")
                self._plots[request.node.nodeid] = {
                    "title": title,
                    **{k: c.tolist() for k, c in zip(names, curves, strict=True)},
                }

        return attach

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        """Random inputs, seeded by the test's name: the same for every student and every run."""
        name = request.node.nodeid.split("::", 1)[1]  # as in the notebook's check()
        return np.random.default_rng(zlib.crc32(name.encode()))

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not items:
            raise pytest.UsageError("The suite has no tests: nothing would be graded.")
        siblings: dict[tuple, int] = {}
        for item in items:
            siblings[_origin(item)] = siblings.get(_origin(item), 0) + 1
        for item in items:
            marks = list(item.iter_markers("grades"))
            if len(marks) != 1 or len(marks[0].args) != 1 or "points" not in marks[0].kwargs:
                raise pytest.UsageError(
                    f"{item.nodeid} needs exactly one "
                    "@pytest.mark.grades('function', points=N) marker."
                )
            points = float(marks[0].kwargs["points"])
            if points <= 0:
                raise pytest.UsageError(f"{item.nodeid}: points must be positive.")
            self._points[item.nodeid] = (marks[0].args[0], points / siblings[_origin(item)])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = (yield).get_result()
        if call.when == "call" or (call.when == "setup" and report.failed):
            self.outcomes.append(self._outcome(item, call))

    def _outcome(self, item: pytest.Item, call: pytest.CallInfo) -> Outcome:
        function, points = self._points[item.nodeid]
        visible = item.get_closest_marker("public") is not None
        title = (item.function.__doc__ or item.name).strip().splitlines()[0].rstrip(".")
        param = f" [{item.callspec.id}]" if hasattr(item, "callspec") else ""
        outcome = Outcome(
            f"{function}: {title}{param}",
            function,
            points,
            points,
            True,
            "",
            visible,
            plot=self._plots.get(item.nodeid),
        )
        if call.excinfo is None:
            return outcome
        outcome.score, outcome.passed = 0.0, False
        error = call.excinfo.value
        if isinstance(error, Problem):
            text = str(error)
            outcome.output = (
                HIDDEN_NUMBERS.sub("…", text) if isinstance(error, Raised) and not visible else text
            )
            outcome.kind, outcome.diagnosis = error.kind, error.diagnosis
        elif isinstance(error, AssertionError):
            text = str(error).split("\nassert ")[0]
            hidden_values = not visible and text.startswith("assert ")
            outcome.output, outcome.kind = "A check failed." if hidden_values else text, "wrong"
        else:
            outcome.output = "The grader could not check this; please tell your instructor."
            outcome.kind, outcome.debug = "grader_error", call.excinfo.exconly()[:2000]
        return outcome


def _origin(item: pytest.Item) -> tuple:
    return (item.nodeid.split("::")[0], getattr(item, "originalname", item.name))
