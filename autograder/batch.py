"""Grade a class: worker processes pull submissions from a queue; the parent keeps the books.

A worker that dies costs only the submission it was grading, which gets a row saying so.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import sys
import warnings
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder import assignments
from autograder.config import GradeConfig
from autograder.engine import SubmissionResult, grade_files
from autograder.load import file_digest
from autograder.notebooks.answers import export_answers
from autograder.plugin import Outcome
from autograder.pool import run_pool
from autograder.report import write_class_report, write_feedback
from autograder.results import gradebook_csv, write_atomic, write_results
from autograder.sandbox.launcher import Isolation, IsolationWarning, detect_isolation

SUFFIXES = (".ipynb", ".py")
RESERVED = {"gradebook.csv", "report.html"}
SAFE_ID = re.compile(r"[^A-Za-z0-9._@+-]")


@dataclass
class ClassResult:
    """The graded class: one result per submission, and where the gradebook is."""

    results: list[SubmissionResult]
    gradebook: Path
    report: Path  # the instructor's class report; feedback.html sits beside each results.json
    isolation: Isolation
    skipped: int  # already graded with the same contents

    def summary(self) -> str:
        """A small table: count, mean, median, and failures by kind."""
        percents = [100 * r.score / r.max_score for r in self.results if r.max_score]
        kinds: Counter[str] = Counter()
        for r in self.results:
            graded = r.status == "graded"
            kinds.update({o.kind for o in r.outcomes if o.kind} if graded else [r.status])
        rows = [
            ("submissions", str(len(self.results))),
            ("mean", f"{statistics.fmean(percents):.1f}%" if percents else "-"),
            ("median", f"{statistics.median(percents):.1f}%" if percents else "-"),
            ("reused (unchanged)", str(self.skipped)),
        ]
        rows += [(f"with {kind}", str(count)) for kind, count in sorted(kinds.items())]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)


def discover(paths: list[Path]) -> list[Path]:
    """Submission files named directly or found in the named folders; raises for a bad path."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.suffix in SUFFIXES and p.is_file() and not p.name.startswith(".")
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"No such file or folder: {path}")
    return found


def student_ids(files: list[Path]) -> dict[Path, str]:
    """Each file's student id: its stem, made safe as a folder name and unique."""
    ids: dict[Path, str] = {}
    for f in files:
        base = SAFE_ID.sub("_", f.stem).lstrip(".") or "unnamed"
        if base in RESERVED or base.startswith("answers_"):  # names of files in the out folder
            base += "~student"
        sid, n = base, 1
        while sid in ids.values():
            n += 1
            sid = f"{base}~{n}"
        if sid != f.stem:
            print(f"note: {f} is graded as student '{sid}'", file=sys.stderr)
        ids[f] = sid
    return ids


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
    path = _record_path(config.out, student)
    if config.force or not path.exists():
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
            _save(config, result, digest)
            send(_to_json(result))

        grade_files(
            feed,
            assignment=assignments.get(config.assignment),
            limits=config.limits,
            isolation=isolation,
            on_result=finished,
        )

    return grade


def _failed_row(
    student: str, assignment: str, template: SubmissionResult | None, message: str
) -> SubmissionResult:
    outcomes = (
        []
        if template is None
        else [
            Outcome(o.name, o.function, o.max_score, 0.0, False, message, o.visible, "grader error")
            for o in template.outcomes
        ]
    )
    return SubmissionResult(student, assignment, outcomes, status="grader error", notes=[message])


def grade_class(*, config: GradeConfig, paths: list[Path]) -> ClassResult:
    """Grade every submission in `paths` and write results.json files and gradebook.csv."""
    assignment = assignments.get(config.assignment)
    files = discover(paths)
    if not files:
        raise FileNotFoundError("No submissions (.ipynb or .py files) were found.")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", IsolationWarning)
        isolation = detect_isolation()
    for w in said:
        print(f"WARNING: {w.message}", file=sys.stderr)
    if config.require_bubblewrap and not isolation.bwrap:
        raise RuntimeError("bubblewrap is required (require_bubblewrap) but not available.")
    ids, digest = student_ids(files), _suite_digest(assignment)
    results: dict[str, SubmissionResult] = {}
    todo = []
    for f in files:
        reused = _reusable(config, f, ids[f], digest)
        if reused:
            results[ids[f]] = reused
        else:
            todo.append(f)
    skipped = len(results)
    template: list[SubmissionResult] = []

    def collected(data: dict) -> None:
        results[data["student"]] = _from_json(data)
        template[:] = template or [results[data["student"]]]

    def died(student: str) -> None:
        results[student] = _failed_row(
            student,
            config.assignment,
            (template or [None])[0],
            "The grader's worker process died while grading this submission.",
        )
        _save(config, results[student], digest)

    run_pool(
        [(str(f), ids[f]) for f in todo],
        jobs=config.jobs,
        grade=_grader(config, isolation, digest),
        on_result=collected,
        on_death=died,
        progress=config.progress,
    )
    functions = list(next(iter(results.values())).by_function()) if results else []
    for r in results.values():
        functions += [f for f in r.by_function() if f not in functions]
    gradebook = config.out / "gradebook.csv"
    write_atomic(gradebook, gradebook_csv(list(results.values()), functions))
    for r in results.values():
        if not (config.out / r.student / "feedback.html").exists():
            write_feedback(r, config.out)
    ordered = sorted(results.values(), key=lambda r: r.student)
    answers = export_answers(ids, config.out, assignment=config.assignment)
    report = write_class_report(ordered, config.out, answers=answers)
    return ClassResult(ordered, gradebook, report, isolation, skipped)
