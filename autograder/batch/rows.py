"""Rows for submissions that are not graded: every test is listed at 0 points, with the reason."""

from __future__ import annotations

from autograder import assignments
from autograder.batch.intake import Submission, notebook_assignment
from autograder.model import Outcome, SubmissionResult
from autograder.suite.collect import collect


def ungraded_row(student: str, assignment: str, *, status: str, message: str) -> SubmissionResult:
    """A row with each of the suite's tests at 0 of its points, each saying `message`."""
    items = collect(assignments.get(assignment).suite).items
    kind = "not submitted" if status == "missing" else status
    outcomes = [
        Outcome(i.name, i.function, i.points, 0.0, False, message, i.public, kind, test=i.test)
        for i in items
    ]
    return SubmissionResult(student, assignment, outcomes, status=status, notes=[message])


def wrong_assignment_message(found: str, expected: str) -> str:
    """What a student and the instructor read when a notebook belongs to another assignment."""
    return (
        f"This notebook was made for the {found} assignment (its metadata says so), but it was "
        f"submitted for {expected}, so nothing was graded. Submit your {expected} notebook."
    )


def refusal(submission: Submission, assignment: str) -> dict[str, str] | None:
    """Why a submission is not graded at all (status and message), or None to grade it."""
    if submission.problem:
        return {"status": "unreadable", "message": submission.problem}
    found = notebook_assignment(submission.file)
    if found is not None and found != assignment:
        return {
            "status": "wrong assignment",
            "message": wrong_assignment_message(found, assignment),
        }
    return None
