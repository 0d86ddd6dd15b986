"""Manual grading: the scores and comments graders write into DIR/answers_<question>.csv."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

GRADER_COLUMNS = ("score", "comment")  # what a grader fills in beside each answer


def read_graded(path: Path) -> dict[str, dict[str, str]]:
    """The grader's columns of an answers file: {student: {"score": ..., "comment": ...}}."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, csv.Error, UnicodeDecodeError):
        return {}
    return {
        r["student"]: {c: (r.get(c) or "").strip() for c in GRADER_COLUMNS}
        for r in rows
        if r.get("student")
    }


@dataclass
class ManualScores:
    """Per question: the points each student was given, the comments, and what was refused."""

    points: dict[str, float]  # question -> its points, from the master notebook
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    comments: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def for_student(self, student: str) -> list[tuple[str, float | None, float, str]]:
        """(question, points given or None, points possible, comment) for each question."""
        return [
            (q, self.scores[q].get(student), most, self.comments[q].get(student, ""))
            for q, most in self.points.items()
        ]


def read_manual_scores(out: Path, points: dict[str, float]) -> ManualScores:
    """The filled-in scores of each question with points; a bad score is a note, not a number."""
    manual = ManualScores(points)
    for question, most in points.items():
        path = Path(out) / f"answers_{question}.csv"
        manual.scores[question], manual.comments[question] = {}, {}
        for student, marks in read_graded(path).items():
            comment = marks["comment"].removeprefix("'")
            if comment:
                manual.comments[question][student] = comment
            text = marks["score"].removeprefix("'")
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not 0 <= value <= most:
                manual.notes.append(
                    f"{path.name}: {student}'s score {text!r} is not a number from 0 to {most:g};"
                    " it was not counted."
                )
                continue
            manual.scores[question][student] = value
    return manual
