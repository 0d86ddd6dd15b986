"""The course's side of the gradebook: roster, missing students, lateness, final scores.

The settings of a run (roster file, late policy) are kept in DIR/course.json, so a later run into
the same folder, and `export`, use them without being told again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.batch.rows import ungraded_row
from autograder.config import LatePolicy, parse_time
from autograder.course.columns import SOURCE, safe_cell, submission_info
from autograder.course.late import describe, lateness
from autograder.course.manual import ManualScores
from autograder.course.roster import Student, match, read_roster
from autograder.model import TESTED, SubmissionResult

SETTINGS = "course.json"
MISSING_MESSAGE = "No submission was received."
IDENTITY = ["email", "sis_login"]  # from the roster
TIMES = ["submitted_at", "lms_late"]
TOTALS = ["raw_score", "raw_max", "lateness", "days_late", "penalty", "final_score"]


@dataclass(frozen=True)
class CourseMarks:
    """What the course adds to one student's automatic score."""

    manual: list[tuple[str, float | None, float, str]] = field(default_factory=list)
    lateness: str = ""  # "" when no late policy applies
    penalty: float = 0.0
    final: float = 0.0
    final_max: float = 0.0


@dataclass(frozen=True)
class Settings:
    """What the course adds to grading: who is enrolled, and the late policy."""

    roster: Path | None = None
    late: LatePolicy | None = None

    def to_json(self) -> dict:
        return {
            "roster": str(self.roster) if self.roster else None,
            "late": self.late.to_json() if self.late else None,
        }


def settings_for(
    out: Path, *, assignment: str, roster: Path | None, late: LatePolicy | None
) -> Settings:
    """This run's settings: those given, else those the folder kept from an earlier run."""
    path = Path(out) / SETTINGS
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if roster is None and kept.get("roster"):
        roster = Path(kept["roster"])
    if late is None and kept.get("late"):
        late = LatePolicy.from_json(kept["late"])
    chosen = Settings(roster=roster.resolve() if roster else None, late=late)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = {"assignment": assignment, **chosen.to_json()}
    path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    return chosen


@dataclass
class Book:
    """The further gradebook columns, each student's values, and notes for the instructor."""

    columns: list[str]
    values: dict[str, dict[str, str]]
    missing: list[SubmissionResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    roster: dict[str, Student] = field(default_factory=dict)
    marks: dict[str, CourseMarks] = field(default_factory=dict)  # for the pages; {} if nothing


def _num(x: float) -> str:
    return f"{round(x, 6):g}"


def course_book(
    results: list[SubmissionResult],
    out: Path,
    *,
    assignment: str,
    settings: Settings,
    manual: ManualScores | None = None,
) -> Book:
    """Columns after the graded functions, and a `missing` row per roster student not seen."""
    manual = manual or ManualScores({})
    scores = manual.scores
    infos = {r.student: submission_info(out, r.student) for r in results}
    notes: list[str] = []
    found: dict[str, Student] = {}
    missing: list[SubmissionResult] = []
    try:
        students = read_roster(settings.roster) if settings.roster else []
    except (OSError, ValueError) as e:  # a kept roster that moved: the grades still count
        notes.append(f"The roster could not be read, so it was not used: {e}")
        students = []
    if students:
        rows = [{"student": s, **{k: v for k, v in i.items() if k != "student"}}
                for s, i in infos.items()]  # fmt: skip
        found, said = match(students, rows)
        notes += said
        seen = {id(s) for s in found.values()}
        taken = set(infos)
        for s in students:
            if id(s) in seen:
                continue
            sid = s.key
            while sid in taken:
                sid += "~missing"
            taken.add(sid)
            missing.append(ungraded_row(sid, assignment, status="missing", message=MISSING_MESSAGE))
            found[sid] = s
    questions = list(manual.points)
    columns = [SOURCE, "student_name"]  # the roster's name, else the LMS download's
    columns += IDENTITY if students else []
    columns += TIMES + [f"manual_{q}" for q in questions] + TOTALS
    values: dict[str, dict[str, str]] = {}
    marks: dict[str, CourseMarks] = {}
    for r in [*results, *missing]:
        info = infos.get(r.student, {})
        s = found.get(r.student)
        row = {
            SOURCE: safe_cell(info.get("source", "")),
            "student_name": safe_cell(s.name if s else info.get("name", "")),
            "email": safe_cell(s.email if s else ""),
            "sis_login": safe_cell(s.sis_login if s else ""),
            "submitted_at": str(info.get("submitted_at", "")),
            "lms_late": "late" if info.get("late") else "",
        }
        given = {q: scores[q][r.student] for q in questions if r.student in scores.get(q, {})}
        for q in questions:
            row[f"manual_{q}"] = _num(given[q]) if q in given else ""
        raw = r.score + sum(given.values())
        raw_max = r.max_score + sum(manual.points.values())
        penalty = 0.0
        row["lateness"] = row["days_late"] = ""
        when = row["submitted_at"]
        if settings.late and (when or r.status in TESTED):  # a row with no file: nothing to date
            if when:
                charge = lateness(settings.late, parse_time(when), raw_max)
                penalty = min(charge.penalty, raw)
                row["lateness"] = describe(charge.late_by)
                row["days_late"] = str(charge.days_charged)
            else:
                row["lateness"] = "unknown"
        row.update(
            raw_score=_num(raw),
            raw_max=_num(raw_max),
            penalty=_num(penalty),
            final_score=_num(raw - penalty),
        )
        values[r.student] = row
        if questions or settings.late:
            marks[r.student] = CourseMarks(
                manual=manual.for_student(r.student),
                lateness=row["lateness"],
                penalty=penalty,
                final=raw - penalty,
                final_max=raw_max,
            )
    if settings.late:
        unknown = [sid for sid, v in values.items() if v["lateness"] == "unknown"]
        if unknown:
            notes.append(
                f"No submission time is known for {len(unknown)} submissions (plain files), so "
                f"no late penalty was applied to them: {', '.join(sorted(unknown)[:10])}."
            )
    return Book(columns, values, missing, notes + manual.notes, found, marks)
