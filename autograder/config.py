"""One typed configuration per command; the command line takes its defaults from here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """What one submission may use inside the sandbox."""

    call_seconds: float = 10.0  # wall clock for one call of a student function
    load_seconds: float = 10.0  # wall clock for loading the definitions
    submission_seconds: float = 60.0  # wall clock for all calls of one submission
    cpu_seconds: int = 60  # CPU time of the sandbox process
    memory_bytes: int = 2 * 2**30  # address space
    file_bytes: int = 16 * 2**20  # largest file it may write
    scratch_bytes: int = 64 * 2**20  # size of its writable scratch directory
    processes: int = 16
    open_files: int = 64


@dataclass(frozen=True)
class GradeConfig:
    """Everything a grading run needs to know, in one place."""

    assignment: str
    out: Path
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    limits: Limits = field(default_factory=Limits)
    force: bool = False  # regrade submissions whose results are already up to date
    progress: bool = True
    require_bubblewrap: bool = False  # refuse to grade rather than fall back
    scheduler: str | None = None  # a Dask scheduler's address: grade on that cluster
    allow_weaker_sandbox: bool = False  # grade where student code could read secrets (no bwrap)
    reveal_hidden: bool = (
        False  # show hidden tests' inputs and values to students (after the deadline)
    )
    roster: Path | None = None  # the LMS's class list; students not seen get a "missing" row
    late: LatePolicy | None = None  # deadline and penalty, applied to known submission times
    warm: bool = True  # fork each submission's sandbox from a warm zygote where it can be set up


@dataclass(frozen=True)
class GenerateConfig:
    """What `generate` writes: student and solution notebooks and grading bundles."""

    assignments: tuple[str, ...]
    out: Path
    otter: bool = False  # also build an otter-grader autograder (holds the hidden tests)
    # earlier assignments whose model answers the student folders get (after their deadline),
    # in place of the student's own earlier notebook
    provide_model: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncConfig:
    """Which masters `sync` writes from solutions/, or only checks."""

    assignments: tuple[str, ...] = ()  # () for every assignment with a master
    check: bool = False  # change nothing; report what is out of sync


@dataclass(frozen=True)
class ExportConfig:
    """An LMS grade import written from a graded folder."""

    folder: Path
    to: str  # "canvas" or "moodle"
    roster: Path
    out: Path


@dataclass(frozen=True)
class DemoConfig:
    """Where the demo writes, and how many worker processes grade its sample classes."""

    out: Path = Path("demo_out")
    jobs: int | None = None  # None: one per core


@dataclass(frozen=True)
class LatePolicy:
    """The deadline and what each day late costs."""

    deadline: datetime  # timezone-aware
    grace: timedelta = timedelta(0)
    percent_per_day: float = 10.0  # of the points possible
    cap_percent: float = 100.0  # the most a late submission loses

    def __post_init__(self) -> None:
        if self.deadline.tzinfo is None:
            raise ValueError("The deadline needs a time zone, e.g. 2026-03-15T23:59+01:00.")
        if self.percent_per_day < 0 or not 0 <= self.cap_percent <= 100:
            raise ValueError("The late penalty per day must be >= 0 and its cap 0 to 100 (%).")

    def to_json(self) -> dict:
        """The policy as plain data (saved with the results, reused by later runs)."""
        return {
            "deadline": self.deadline.isoformat(),
            "grace_hours": self.grace.total_seconds() / 3600,
            "percent_per_day": self.percent_per_day,
            "cap_percent": self.cap_percent,
        }

    @classmethod
    def from_json(cls, data: dict) -> LatePolicy:
        return cls(
            deadline=parse_time(data["deadline"]),
            grace=timedelta(hours=float(data.get("grace_hours", 0))),
            percent_per_day=float(data.get("percent_per_day", 10)),
            cap_percent=float(data.get("cap_percent", 100)),
        )


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; one without an offset is read as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
