"""Export a graded folder's gradebook as a file the LMS's own grade import takes.

Canvas (Grades > Import): a CSV whose first columns are Student, ID, SIS User ID, SIS Login ID and
Section, then one column per assignment named "<title> (<id>)", and a "Points Possible" row.
Moodle (Grades > Import > CSV file): any columns, mapped on import; users are identified by a
column mapped to their email address or ID number, and a feedback column can be mapped to the
grade item's feedback.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.book import SETTINGS
from autograder.course.columns import safe_cell, submission_info
from autograder.course.roster import Student, match, read_roster
from autograder.report._page import title_of
from autograder.text import write_atomic

CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@dataclass
class Exported:
    """The file written, and notes on rows that could not be placed."""

    path: Path
    rows: int
    notes: list[str] = field(default_factory=list)


def _gradebook(folder: Path) -> list[dict[str, str]]:
    path = Path(folder) / "gradebook.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{folder} has no gradebook.csv: grade into it first.")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _score(row: dict[str, str]) -> tuple[str, str]:
    """The score the LMS gets (after manual scores and late penalty) and its maximum."""
    return row.get("final_score") or row["score"], row.get("raw_max") or row["max_score"]


def _feedback(row: dict[str, str]) -> str:
    score, most = _score(row)
    status = row.get("status", "")
    parts = [f"{score} of {most} points" + (f" ({status})." if status != "graded" else ".")]
    if row.get("penalty") not in (None, "", "0"):
        parts.append(f"Late by {row.get('lateness')}: {row['penalty']} points deducted.")
    return " ".join(parts)


def export(
    *, folder: Path, to: str, roster: Path, out: Path, assignment_title: str | None = None
) -> Exported:
    """Write `out` for the LMS `to` ("canvas" or "moodle") from FOLDER/gradebook.csv."""
    if to not in ("canvas", "moodle"):
        raise ValueError(f"Unknown LMS {to!r}: choose canvas or moodle.")
    rows = _gradebook(folder)
    students = read_roster(roster)
    infos = [{**submission_info(folder, r["student"]), "student": r["student"]} for r in rows]
    found, notes = match(students, infos)
    missing_rows = {r["student"] for r in rows if r["status"] == "missing"}
    for r in rows:  # a "missing" row is the roster's own student, under the key it showed
        if r["student"] in missing_rows and r["student"] not in found:
            hits = [s for s in students if s.key == r["student"].split("~missing")[0]]
            if len(hits) == 1:
                found[r["student"]] = hits[0]
                notes = [n for n in notes if not n.startswith(f"{r['student']} ")]
    assignment = _assignment_id(folder)
    title = assignment_title or title_of(assignment)
    placed = [(r, found[r["student"]]) for r in rows if r["student"] in found]
    keys = {"canvas": ("canvas_id", "sis_user_id", "sis_login"), "moodle": ("email", "id_number")}
    unmatched = [s.name or s.key for _, s in placed if not any(getattr(s, k) for k in keys[to])]
    if unmatched:
        notes.append(
            f"{len(unmatched)} rows have no id that {to.capitalize()}'s import matches "
            f"({', '.join(keys[to])}): is the roster {to.capitalize()}'s own export? "
            f"{', '.join(unmatched[:5])}"
        )
    writer_text = (
        _canvas(placed, title, assignment, roster) if to == "canvas" else _moodle(placed, title)
    )
    write_atomic(Path(out), writer_text)
    return Exported(Path(out), len(placed), notes)


def _assignment_id(folder: Path) -> str:
    """The assignment graded into `folder`, as DIR/course.json records it."""
    try:
        return str(json.loads((Path(folder) / SETTINGS).read_text(encoding="utf-8"))["assignment"])
    except (OSError, ValueError, KeyError, TypeError):
        return Path(folder).name


def _canvas_column(roster: Path, title: str, assignment: str) -> str:
    """The roster's own column for this assignment if it has one, so the import updates it."""
    with Path(roster).open(newline="", encoding="utf-8-sig", errors="replace") as f:
        head = next(csv.reader(f), [])
    for name in head:
        base = name.rsplit(" (", 1)[0].strip().lower()
        if base in (title.lower(), assignment.lower()):
            return name
    return f"{title} ({assignment})"


def _canvas(placed: list[tuple[dict, Student]], title: str, assignment: str, roster: Path) -> str:
    column = _canvas_column(roster, title, assignment)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CANVAS_IDENTITY, column])
    most = _score(placed[0][0])[1] if placed else ""
    writer.writerow(["Points Possible", "", "", "", "", most])
    for row, s in sorted(placed, key=lambda p: p[1].name):  # ids as the LMS has them: it matches
        writer.writerow(
            [safe_cell(s.name), s.canvas_id, s.sis_user_id, s.sis_login, safe_cell(s.section),
             _score(row)[0]]
        )  # fmt: skip
    return buffer.getvalue()


def _moodle(placed: list[tuple[dict, Student]], title: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Full name", "ID number", "Email address", title, "Feedback"])
    for row, s in sorted(placed, key=lambda p: p[1].name):
        writer.writerow(
            [safe_cell(s.name), s.id_number, s.email, _score(row)[0], safe_cell(_feedback(row))]
        )  # fmt: skip
    return buffer.getvalue()
