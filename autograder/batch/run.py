"""Grade a class: worker processes pull submissions from a queue; the parent keeps the books.

A worker that dies costs only the submission it was grading, which gets a row saying so.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import assignments
from autograder.batch.cluster import run_cluster
from autograder.batch.intake import gather
from autograder.batch.pool import run_pool
from autograder.batch.rows import refusal, ungraded_row
from autograder.config import GradeConfig
from autograder.course.book import course_book, settings_for
from autograder.course.columns import submission_info
from autograder.course.manual import read_manual_scores
from autograder.course.roster import read_roster
from autograder.course.similarity import Similarity, find_similar, similarity_csv
from autograder.grade.engine import grade_files
from autograder.model import TESTED, Outcome, SubmissionResult
from autograder.report import write_class_report, write_feedback
from autograder.report.answers import export_answers, manual_points
from autograder.report.course import course_section, similarity_section
from autograder.report.results import gradebook_csv, write_atomic, write_results
from autograder.sandbox.launcher import Isolation, IsolationWarning, detect_isolation
from autograder.sandbox.load import file_digest
from autograder.suite.collect import collect
from autograder.text import clean_result


@dataclass
class ClassResult:
    """The graded class: one result per submission, and where the gradebook is."""

    results: list[SubmissionResult]
    gradebook: Path
    report: Path  # the instructor's class report; feedback.html sits beside each results.json
    isolation: Isolation
    skipped: int  # already graded with the same contents
    notes: list[str] = field(default_factory=list)  # for the instructor; the CLI prints them

    def summary(self) -> str:
        """A small table: count, mean, median, and failures by kind."""
        percents = [100 * r.score / r.max_score for r in self.results if r.max_score]
        kinds: Counter[str] = Counter()
        statuses = Counter(r.status for r in self.results if r.status != "graded")
        for r in self.results:
            if r.status in TESTED:
                kinds.update({o.kind for o in r.outcomes if o.kind})
        rows = [
            ("submissions", str(len(self.results))),
            ("mean", f"{statistics.fmean(percents):.1f}%" if percents else "-"),
            ("median", f"{statistics.median(percents):.1f}%" if percents else "-"),
            ("reused (unchanged)", str(self.skipped)),
        ]
        rows += [(f"status {status}", str(n)) for status, n in sorted(statuses.items())]
        rows += [(f"with {kind}", str(count)) for kind, count in sorted(kinds.items())]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)


def _to_json(result: SubmissionResult) -> dict:
    return asdict(result)


def _from_json(data: dict) -> SubmissionResult:
    outcomes = [Outcome(**o) for o in data.pop("outcomes")]
    return SubmissionResult(outcomes=outcomes, **data)


def _suite_digest(assignment: assignments.Assignment) -> str:
    parts = [assignment.suite, assignment.folder / "mistakes.py"]
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


def _save(config: GradeConfig, result: SubmissionResult, digest: str) -> None:
    write_results(result, config.out)
    write_feedback(result, config.out)
    record = {"suite": digest, "result": _to_json(result)}
    write_atomic(_record_path(config.out, result.student), json.dumps(record))


def _grader(config: GradeConfig, isolation: Isolation, digest: str):
    """What each worker process runs: grade a feed of files, save and send each result."""

    def grade(feed, send) -> None:
        def finished(result: SubmissionResult) -> None:
            result = clean_result(result)  # the submission's text enters the records here
            _save(config, result, digest)
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


def _similarity(config: GradeConfig, tested: list[SubmissionResult]) -> Similarity:
    """Compare the submissions whose tests ran; write DIR/similarity.csv."""
    infos = {r.student: submission_info(config.out, r.student) for r in tested}
    files = {s: Path(i["file"]) for s, i in infos.items() if Path(i.get("file", "")).is_file()}
    similar = find_similar(files, assignment=config.assignment)
    if not similar.skipped:
        sources = {s: str(i.get("source", "")) for s, i in infos.items()}
        write_atomic(config.out / "similarity.csv", similarity_csv(similar, sources))
    return similar


def grade_class(*, config: GradeConfig, paths: list[Path]) -> ClassResult:
    """Grade every submission in `paths` and write results.json files and gradebook.csv."""
    assignment = assignments.get(config.assignment)
    if config.roster:
        read_roster(config.roster)  # a bad roster is said before anything is graded
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
    digest = _suite_digest(assignment) + ("+revealed" if config.reveal_hidden else "")
    results: dict[str, SubmissionResult] = {}
    todo, refused = [], []
    for sub in intake.submissions:
        write_atomic(config.out / sub.student / "submission.json", json.dumps(sub.to_json()))
        reason = refusal(sub, config.assignment)
        if reason:
            results[sub.student] = ungraded_row(sub.student, config.assignment, **reason)
            _save(config, results[sub.student], digest)
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
        _save(config, results[student], digest)

    limits = config.limits
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
                    _save(config, _from_json(dict(data)), digest),
                    collected(data),
                ),
                on_death=died,
                progress=config.progress,
            )
        else:
            run_pool(
                tasks,
                jobs=config.jobs,
                grade=_grader(config, isolation, digest),
                on_result=collected,
                on_death=died,
                progress=config.progress,
                task_seconds=3 * limits.load_seconds + limits.submission_seconds + 60,
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
    functions = list(collect(assignment.suite).points())
    for r in [*results.values(), *earlier]:
        functions += [f for f in r.by_function() if f not in functions]
    gradebook = config.out / "gradebook.csv"
    rows = [*results.values(), *earlier]
    answers = export_answers(
        {s.file: s.student for s in intake.submissions if s not in refused},
        config.out,
        assignment=config.assignment,
    )
    manual = read_manual_scores(config.out, manual_points(config.assignment))
    course = settings_for(
        config.out, assignment=config.assignment, roster=config.roster, late=config.late
    )
    book = course_book(
        rows, config.out, assignment=config.assignment, settings=course, manual=manual
    )
    intake.notes += book.notes
    rows += book.missing  # a roster student with nothing submitted: a row and a page
    write_atomic(gradebook, gradebook_csv(rows, functions, (book.columns, book.values)))
    for r in rows:
        if not (config.out / r.student / "results.json").exists():
            write_results(r, config.out)
        if r.student in book.marks or not (config.out / r.student / "feedback.html").exists():
            write_feedback(r, config.out, course=book.marks.get(r.student))
    ordered = sorted(rows, key=lambda r: r.student)
    similar = _similarity(config, [r for r in rows if r.status in TESTED])
    intake.notes += [f"similarity skipped: {similar.skipped}"] * bool(similar.skipped)
    sections = [
        course_section(book.marks, list(manual.points)),
        similarity_section(
            [(p.a, p.b, p.share_a, p.share_b) for p in similar.pairs],
            compared=similar.compared,
            skipped=similar.skipped,
        ),
    ]
    report = write_class_report(ordered, config.out, answers=answers, sections=sections)
    if interrupted:
        raise interrupted
    return ClassResult(ordered, gradebook, report, isolation, skipped, intake.notes)
