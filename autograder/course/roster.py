"""The class list: who is enrolled, under which ids, read from an LMS's own export or a plain CSV.

Read as they come: Canvas's gradebook export (Student, ID, SIS User ID, SIS Login ID, Section,
then a "Points Possible" row), Moodle's participants or grades export (First name, Last name,
ID number, Email address), Moodle's grading worksheet (Identifier "Participant N", Full name,
Email address), or a plain CSV with id, name, email and sis_login columns.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

MAX_ROSTER_BYTES = 50 * 2**20
PARTICIPANT = re.compile(r"^\s*(?:participant|teilnehmer\S*)\s*(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Student:
    """One enrolled student and every id an LMS knows them by."""

    name: str = ""
    email: str = ""
    canvas_id: str = ""  # Canvas's ID column
    sis_user_id: str = ""
    sis_login: str = ""  # Canvas's SIS Login ID
    section: str = ""
    id_number: str = ""  # Moodle's ID number
    participant: str = ""  # Moodle's assignment participant number (folder names, worksheet)
    plain_id: str = ""  # a plain roster's id column

    @property
    def key(self) -> str:
        """The id the gradebook shows for this student when nothing was submitted."""
        local = self.email.split("@")[0]
        for value in (self.sis_login, self.plain_id, self.id_number, local, self.canvas_id,
                      self.participant, self.sis_user_id):  # fmt: skip
            if value:
                return value
        return self.name

    def ids_for(self, platform: str) -> set[str]:
        """The ids a submission from `platform` ("" for plain files) may carry, lower-cased."""
        if platform == "canvas":
            found = {self.canvas_id}
        elif platform == "moodle":
            found = {self.participant}
        else:
            found = {self.sis_login, self.plain_id, self.id_number, self.canvas_id,
                     self.sis_user_id, self.email.split("@")[0], self.email}  # fmt: skip
        return {v.strip().lower() for v in found if v and v.strip()}


def _column(head: list[str], *names: str) -> int | None:
    lowered = [h.strip().lower() for h in head]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def read_roster(path: Path) -> list[Student]:
    """The students a roster file lists; raises ValueError saying what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such roster file: {path}")
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise ValueError(f"The roster {path.name} is larger than {MAX_ROSTER_BYTES >> 20} MiB.")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    dialect = csv.excel_tab if text.split("\n", 1)[0].count("\t") > 1 else csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise ValueError(f"The roster {path.name} is empty.")
    head = rows[0]
    col = {
        "name": _column(head, "student", "full name", "name"),
        "first": _column(head, "first name", "firstname"),
        "last": _column(head, "last name", "surname", "lastname"),
        "email": _column(head, "email address", "email", "e-mail"),
        "canvas_id": _column(head, "id") if _column(head, "sis login id") is not None else None,
        "sis_user_id": _column(head, "sis user id"),
        "sis_login": _column(head, "sis login id", "sis_login", "login", "username"),
        "section": _column(head, "section"),
        "id_number": _column(head, "id number", "idnumber"),
        "participant": _column(head, "identifier"),
        "plain_id": _column(head, "id", "student id", "student_id")
        if _column(head, "sis login id") is None
        else None,
    }
    if all(v is None for k, v in col.items() if k not in ("first", "last", "section", "name")):
        raise ValueError(
            f"The roster {path.name} has no id column: expected Canvas's gradebook export "
            "(ID, SIS Login ID), Moodle's export (ID number, Email address), or a CSV with "
            "id, name, email, sis_login."
        )
    students = []
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue

        def get(key: str, row: list[str] = row) -> str:
            i = col[key]
            return row[i].strip() if i is not None and i < len(row) else ""

        name = get("name") or " ".join(x for x in (get("first"), get("last")) if x)
        if name.lower() in ("points possible", "student, test") or name.startswith(
            "Points Possible"
        ):
            continue  # Canvas's points row and its test student
        participant = PARTICIPANT.match(get("participant"))
        student = Student(
            name=name,
            email=get("email"),
            canvas_id=get("canvas_id"),
            sis_user_id=get("sis_user_id"),
            sis_login=get("sis_login"),
            section=get("section"),
            id_number=get("id_number"),
            participant=participant[1] if participant else "",
            plain_id=get("plain_id"),
        )
        if student.key:
            students.append(student)
    return students


def match(students: list[Student], infos: list[dict]) -> tuple[dict[str, Student], list[str]]:
    """Which roster student each gradebook row is, and notes for the instructor.

    `infos` are the rows' submission.json data (student, platform, given_id, name). A Moodle
    folder's participant number is matched first, then its full name.
    """
    found: dict[str, Student] = {}
    notes = []
    for info in infos:
        sid, platform = info["student"], info.get("platform", "")
        wanted = str(info.get("given_id") or sid).strip().lower()
        hits = [s for s in students if wanted in s.ids_for(platform)]
        name = str(info.get("name", "")).lower()
        if not hits and platform == "moodle" and name:
            hits = [s for s in students if s.name.lower() == name]
        if len(hits) == 1:
            found[sid] = hits[0]
        elif len(hits) > 1:
            notes.append(f"{sid} matches {len(hits)} roster entries, so none was chosen.")
        else:
            notes.append(f"{sid} is not on the roster.")
    taken: dict[int, str] = {}
    for sid, s in list(found.items()):
        other = taken.get(id(s))
        if other is not None:
            notes.append(f"{other} and {sid} are both {s.name or s.key} on the roster.")
        taken[id(s)] = sid
    return found, notes
