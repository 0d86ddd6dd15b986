"""The one typed configuration object for grading runs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.late import LatePolicy


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
    allow_weaker_sandbox: bool = False  # let cluster workers without bubblewrap grade
    reveal_hidden: bool = (
        False  # show hidden tests' inputs and values to students (after the deadline)
    )
    roster: Path | None = None  # the LMS's class list; students not seen get a "missing" row
    late: LatePolicy | None = None  # deadline and penalty, applied to known submission times
    warm: bool = True  # fork each submission's sandbox from a warm zygote where it can be set up
