"""Grade a batch: worker processes pull submissions from a queue; the parent keeps the records.

A worker that dies costs only the submission it was grading, which gets a row saying so.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder import assignments, suite
from autograder.batch.cluster import run_cluster
from autograder.batch.intake import Intake, Submission, gather
from autograder.batch.pool import run_pool
from autograder.batch.rows import refusal, ungraded_row
from autograder.config import GradeConfig
from autograder.grade.engine import grade_files
from autograder.model import Outcome, SubmissionResult
from autograder.sandbox.launcher import Isolation, IsolationWarning, detect_isolation
from autograder.sandbox.load import file_digest
from autograder.sandbox.probe import readable_secrets, user_name
from autograder.suite.collect import collect
from autograder.text import clean_result, write_atomic


def _to_json(result: SubmissionResult) -> dict:
    return asdict(result)


def _from_json(data: dict) -> SubmissionResult:
    outcomes = [Outcome(**o) for o in data.pop("outcomes")]
    return SubmissionResult(outcomes=outcomes, **data)


def _suite_digest(assignment: assignments.Assignment) -> str:
    """A saved row is reused only while this is unchanged: the suite and mistakes, the model
    answers (patched mistakes and expected values come from them) and the kit's test helpers."""
    parts = [assignment.suite, assignment.folder / "mistakes.py"]
    for folder in (assignments.ROOT / "solutions", Path(suite.__file__).parent):
        parts += sorted(folder.glob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts if p.exists())).hexdigest()


def _record_path(out: Path, student: str) -> Path:
    return out / student / "record.json"


def _reusable(
    config: GradeConfig, file: Path, student: str, digest: str
) -> SubmissionResult | None:
    return None if config.force else _saved(config, file, student, digest)


def _saved(config: GradeConfig, file: Path, student: str, digest: str) -> SubmissionResult | None:
    """The record of this file graded by this suite, if one was saved."""
    path = _record_path(config.out, student)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text())
        same = record["suite"] == digest and record["result"]["sha256"] == file_digest(file)
        return _from_json(record["result"]) if same else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save(config: GradeConfig, result: SubmissionResult, digest: str, pages: Pages) -> None:
    """The student's pages first, then the record that says the submission is done."""
    pages(result)
    record = {"suite": digest, "result": _to_json(result)}
    write_atomic(_record_path(config.out, result.student), json.dumps(record))


def _grader(config: GradeConfig, isolation: Isolation, digest: str, pages: Pages):
    """What each worker process runs: grade a feed of files, save and send each result."""

    def grade(feed, send) -> None:
        def finished(result: SubmissionResult) -> None:
            result = clean_result(result)  # the submission's text enters the records here
            _save(config, result, digest, pages)
            send(_to_json(result))

        grade_files(
            feed,
            assignment=assignments.get(config.assignment),
            limits=config.limits,
            isolation=isolation,
            on_result=finished,
            reveal_hidden=config.reveal_hidden,
        )

    return grade


class Interrupted(Exception):
    """Grading was stopped (Ctrl-C, SIGTERM); every finished row was written."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(
            f"interrupted after {done} of {total}; run the same command again to finish"
        )


def _exposed(config: GradeConfig, isolation: Isolation, paths: list[Path]) -> list[str]:
    """Refuse to grade where student code could read a secret, unless the instructor opts in."""
    secrets = [*assignments.secret_paths(), config.out.resolve(), *(p.resolve() for p in paths)]
    readable = readable_secrets(isolation, secrets)
    if not readable:
        return []
    said = (
        f"without bubblewrap, student code runs as {user_name(isolation)} and could read "
        f"{', '.join(map(str, readable[:4]))}" + (" and more" if len(readable) > 4 else "")
    )
    if not config.allow_weaker_sandbox:
        raise RuntimeError(
            f"{said}. Install bubblewrap; or run as root with the kit, the submissions and --out "
            "unreadable by other users (chmod -R go-rwx), so that student code runs as an "
            "unprivileged user who cannot read them; or grade anyway with --allow-weaker-sandbox."
        )
    return [f"WARNING: {said} (--allow-weaker-sandbox)."]


def _failed_row(student: str, assignment: assignments.Assignment, message: str) -> SubmissionResult:
    """A row for a submission that could not be graded: every test item, 0 points."""
    outcomes = [
        Outcome(
            i.name, i.function, i.points, 0.0, False, message, i.public, "grader error", test=i.test
        )
        for i in collect(assignment.suite).items
    ]
    return SubmissionResult(
        student, assignment.id, outcomes, status="grader error", notes=[message]
    )


def _earlier(out: Path, now: set[str]) -> list[SubmissionResult]:
    """Results graded into `out` by earlier runs, of students not graded in this one."""
    found = []
    for path in sorted(out.glob("*/record.json")):
        if path.parent.name in now or path.parent.name.startswith("."):
            continue
        try:
            found.append(_from_json(json.loads(path.read_text())["result"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


TASK_SLACK_SECONDS = 60.0  # a submission's budget beyond its sandbox's limits (trusted side)

Pages = Callable[[SubmissionResult], None]  # writes a graded submission's own pages


@dataclass
class Graded:
    """A graded batch: this run's rows, earlier runs' rows, and what the run noticed."""

    results: dict[str, SubmissionResult]  # by student, graded (or reused) in this run
    earlier: list[SubmissionResult]  # graded into the same folder by earlier runs
    intake: Intake
    refused: list[Submission]
    isolation: Isolation
    skipped: int  # already graded with the same contents
    interrupted: Interrupted | None


def grade_submissions(*, config: GradeConfig, paths: list[Path], pages: Pages) -> Graded:
    """Grade every submission in `paths`, keeping a record of each; `pages` writes its pages."""
    assignment = assignments.get(config.assignment)
    intake = gather(paths, unpack_to=config.out / ".intake")
    if not intake.submissions:
        raise FileNotFoundError(
            " ".join(["No submissions (.ipynb or .py files) were found.", *intake.notes])
        )
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", IsolationWarning)
        isolation = detect_isolation(warm=config.warm)
    intake.notes += [f"WARNING: {w.message}" for w in said]
    if config.require_bubblewrap and not isolation.bwrap:
        raise RuntimeError("bubblewrap is required (require_bubblewrap) but not available.")
    if not config.scheduler:  # a cluster's workers check their own sandboxes
        intake.notes += _exposed(config, isolation, paths)
    digest = _suite_digest(assignment) + ("+revealed" if config.reveal_hidden else "")
    results: dict[str, SubmissionResult] = {}
    todo, refused = [], []
    for sub in intake.submissions:
        write_atomic(config.out / sub.student / "submission.json", json.dumps(sub.to_json()))
        reason = refusal(sub, config.assignment)
        if reason:
            results[sub.student] = ungraded_row(sub.student, config.assignment, **reason)
            _save(config, results[sub.student], digest, pages)
            refused.append(sub)
            continue
        reused = _reusable(config, sub.file, sub.student, digest)
        if reused:
            results[sub.student] = reused
        else:
            todo.append(sub)
    skipped = len(results) - len(refused)

    def collected(data: dict) -> None:
        results[data["student"]] = _from_json(data)

    def died(student: str) -> None:
        message = "The grader's worker process died, or ran out of time, grading this submission."
        results[student] = _failed_row(student, assignment, message)
        _save(config, results[student], digest, pages)

    limits = config.limits
    task_seconds = 3 * limits.load_seconds + limits.submission_seconds + TASK_SLACK_SECONDS
    interrupted = None
    try:
        tasks = [(str(sub.file), sub.student) for sub in todo]
        if config.scheduler:  # the workers share no folder with us: we save what they send
            run_cluster(
                tasks,
                scheduler=config.scheduler,
                assignment=config.assignment,
                limits=limits,
                reveal_hidden=config.reveal_hidden,
                allow_weaker=config.allow_weaker_sandbox,
                on_result=lambda data: (
                    _save(config, _from_json(dict(data)), digest, pages),
                    collected(data),
                ),
                on_death=died,
                progress=config.progress,
                task_seconds=task_seconds,
            )
        else:
            run_pool(
                tasks,
                jobs=config.jobs,
                grade=_grader(config, isolation, digest, pages),
                on_result=collected,
                on_death=died,
                progress=config.progress,
                task_seconds=task_seconds,
            )
    except KeyboardInterrupt:
        for sub in todo:  # saved by a worker before the signal, not yet received
            saved = (
                None if sub.student in results else _saved(config, sub.file, sub.student, digest)
            )
            if saved:
                results[sub.student] = saved
        interrupted = Interrupted(len(results) - skipped - len(refused), len(todo))
    earlier = _earlier(config.out, {s.student for s in intake.submissions})
    return Graded(results, earlier, intake, refused, isolation, skipped, interrupted)
