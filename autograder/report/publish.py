"""Publish a graded batch: the gradebook, students' pages, answer exports, the class report."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder import assignments
from autograder.batch.run import Graded, Pages
from autograder.config import GradeConfig
from autograder.course.book import course_book, settings_for
from autograder.course.columns import submission_info
from autograder.course.manual import read_manual_scores
from autograder.course.similarity import Similarity, find_similar, similarity_csv
from autograder.model import TESTED, SubmissionResult
from autograder.report import write_class_report, write_feedback
from autograder.report.answers import export_answers, manual_points
from autograder.report.course import course_section, similarity_section
from autograder.report.results import gradebook_csv, write_results
from autograder.sandbox.launcher import Isolation
from autograder.suite.collect import collect
from autograder.text import write_atomic


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


def _similarity(config: GradeConfig, tested: list[SubmissionResult]) -> Similarity:
    """Compare the submissions whose tests ran; write DIR/similarity.csv."""
    infos = {r.student: submission_info(config.out, r.student) for r in tested}
    files = {s: Path(i["file"]) for s, i in infos.items() if Path(i.get("file", "")).is_file()}
    similar = find_similar(files, assignment=config.assignment, jobs=config.jobs or 1)
    if not similar.skipped:
        sources = {s: str(i.get("source", "")) for s, i in infos.items()}
        write_atomic(config.out / "similarity.csv", similarity_csv(similar, sources))
    return similar


def student_pages(out: Path) -> Pages:
    """What a worker writes for each graded submission: results.json and feedback.html."""

    def write(result: SubmissionResult) -> None:
        write_results(result, out)
        write_feedback(result, out)

    return write


def publish(*, config: GradeConfig, graded: Graded) -> ClassResult:
    """Write the gradebook, the course's columns and pages, answer exports and the class report."""
    assignment = assignments.get(config.assignment)
    results, earlier, intake = graded.results, graded.earlier, graded.intake
    functions = list(collect(assignment.suite).points())
    for r in [*results.values(), *earlier]:
        functions += [f for f in r.by_function() if f not in functions]
    gradebook = config.out / "gradebook.csv"
    rows = [*results.values(), *earlier]
    answers = export_answers(
        {s.file: s.student for s in intake.submissions if s not in graded.refused},
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

    return ClassResult(ordered, gradebook, report, graded.isolation, graded.skipped, intake.notes)
