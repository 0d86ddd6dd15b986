"""The data that crosses the stages: a test's verdict, a graded submission, a call's reply."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One test item's verdict, as the reports and the notebook need it."""

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
    test: str = ""  # the item as the suite names it
    detail: str = ""  # a hidden test's full message: for instructors, or revealed on request

    @property
    def title(self) -> str:
        """The name without its function."""
        return self.name.split(": ", 1)[-1]


@dataclass
class Reply:
    value: object
    mutated: list[str]
    warnings: list[str]
    seconds: float
    standins_used: list[str] = field(default_factory=list)  # model answers the call asked for


@dataclass
class Program:
    """The submission's definitions, cut into chunks that load one by one."""

    chunks: list[dict]
    notes: list[str] = field(default_factory=list)


TESTED = ("graded", "timeout", "crashed")
STATUSES = (*TESTED, "unreadable", "wrong assignment", "missing", "grader error")


def status_after_tests(outcomes: list[Outcome]) -> str:
    """The status of a submission whose tests ran: crashed, timeout, or graded."""
    kinds = {o.kind for o in outcomes}
    return next((k for k in ("crashed", "timeout") if k in kinds), "graded")


@dataclass
class SubmissionResult:
    """Everything the reports need about one graded submission."""

    student: str
    assignment: str
    outcomes: list[Outcome]
    status: str = "graded"  # or one of STATUSES
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
            points[o.function] = points.get(o.function, 0.0) + o.score
        return {f: round(p, 6) for f, p in points.items()}
