"""Submissions as they arrive: plain files, or an LMS's download (Canvas, Moodle), zipped or not.

Each becomes a Submission with a student id, the name of its source, and what the platform says
about it: Canvas marks late files in their names; a zip entry's time is the submission time.
Zips are untrusted: members are read by name only as data, never as paths outside the folder,
links are refused and sizes are capped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder.sandbox.load import MAX_BYTES
from autograder.text import FORMULA_STARTS, clean

SUFFIXES = (".ipynb", ".py")
RESERVED = {"gradebook.csv", "report.html", "similarity.csv"}
SAFE_ID = re.compile(r"[^A-Za-z0-9._@+-]")
# Canvas "Download Submissions": <sortable name>_[LATE_]<user id>_<submission id>_<file name>
CANVAS_NAME = re.compile(
    r"^(?P<name>[^_]+)_(?P<late>late_)?(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.IGNORECASE
)
# Moodle "Download all submissions": <Full Name>_<participant id>_assignsubmission_<plugin>_/
MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<uid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_$")
MAX_ID_CHARS = 100
MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 2 * 2**30
GRADESCOPE_METADATA = "submission_metadata.json"


@dataclass(frozen=True)
class Submission:
    """One student's file, with what its platform says about it."""

    file: Path
    student: str
    source: str  # the file as the instructor gave it (a path, or zip name and member)
    name: str = ""  # the student's name, when the platform's naming gives it
    platform: str = ""  # "canvas", "moodle", "gradescope" or "" for plain files
    submitted_at: str = ""  # ISO 8601 with offset, when known
    late: bool = False  # the platform's own late marker (Canvas)
    problem: str = ""  # why this cannot be graded, said to the student; "" when it can
    given_id: str = ""  # the id before it was made safe and unique (platform id or file stem)

    def to_json(self) -> dict:
        """The submission as plain data (DIR/<student>/submission.json)."""
        return {**self.__dict__, "file": str(self.file)}


@dataclass
class Intake:
    """What a set of paths holds: the submissions and notes for the instructor."""

    submissions: list[Submission] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def gather(paths: list[Path], *, unpack_to: Path) -> Intake:
    """The submissions in `paths` (files, folders, LMS zips); zips unpack under `unpack_to`."""
    intake = Intake()
    used: set[Path] = set()
    for path in paths:
        if path.is_file() and path.suffix.lower() == ".zip":
            folder, n = unpack_to / SAFE_ID.sub("_", path.stem), 1
            while folder in used:  # two downloads with the same name: each its own folder
                n += 1
                folder = unpack_to / f"{SAFE_ID.sub('_', path.stem)}~{n}"
            used.add(folder)
            times = unpack_zip(path, folder, notes=intake.notes)
            _read_folder(folder, intake, label=path.name, times=times)
        elif path.is_dir():
            _read_folder(path, intake, label=str(path), times=None)
        elif path.is_file() or path.is_symlink():
            problem = file_problem(path, None)
            intake.submissions.append(Submission(path, "", clean(path), problem=problem))
        else:
            raise FileNotFoundError(f"No such file or folder: {path}")
    _assign_ids(intake)
    return intake


def unpack_zip(archive: Path, folder: Path, *, notes: list[str]) -> dict[str, str]:
    """Extract a zip's regular files under `folder`; returns each member's time (ISO 8601).

    Members that would land outside `folder`, links and special files are skipped with a note;
    each notebook or .py file is cut at MAX_BYTES + 1 bytes (the loader then says it is too
    large); other files are written empty, for their names only.
    """
    times: dict[str, str] = {}
    if folder.is_symlink():
        raise ValueError(f"{folder} is a symbolic link; refusing to unpack {archive.name} there.")
    shutil.rmtree(folder, ignore_errors=True)  # a fresh copy: no file of an older download stays
    folder.mkdir(parents=True)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"{archive.name} is not a readable zip file ({e}).") from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise ValueError(
                f"{archive.name} has {len(members)} entries; the limit is {MAX_MEMBERS}."
            )
        total = 0
        for info in members:
            if info.is_dir():
                continue
            relative = _safe_member(info.filename)
            mode = info.external_attr >> 16
            if relative is None or stat.S_IFMT(mode) not in (0, stat.S_IFREG):
                notes.append(
                    f"{archive.name}: skipped {info.filename!r} (a link or a path outside)."
                )
                continue
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if Path(relative).suffix.lower() not in (*SUFFIXES, ".json"):
                target.touch()  # a PDF, a video...: its name says what was submitted instead
                times[relative] = _zip_time(info)
                continue
            with zf.open(info) as src, target.open("wb") as dst:
                data = src.read(MAX_BYTES + 1)
                dst.write(data)
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                raise ValueError(
                    f"{archive.name} unpacks to more than {MAX_TOTAL_BYTES >> 30} GiB."
                )
            times[relative] = _zip_time(info)
    return times


def _safe_member(name: str) -> str | None:
    """The member's path relative to the extraction folder, or None if it would leave it."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return None
    if any(p in ("..",) for p in parts) or "\x00" in name:
        return None
    clean = [p for p in parts if p not in ("", ".")]
    return "/".join(clean) if clean else None


def _zip_time(info: zipfile.ZipInfo) -> str:
    """A zip entry's time; zips store local time, read here as UTC (the LMS server's clock)."""
    try:
        return datetime(*info.date_time, tzinfo=timezone.utc).isoformat()
    except ValueError:
        return ""


def _candidates(folder: Path) -> list[Path]:
    """The folder's submission files, links among them (each is refused with a row)."""
    return sorted(
        p
        for p in folder.iterdir()
        if (p.is_file() or p.is_symlink()) and p.suffix.lower() in SUFFIXES
        and not p.name.startswith(".")
    )  # fmt: skip


def file_problem(file: Path, folder: Path | None) -> str:
    """Why a submission file must not be opened by the grader, or "" when it may be."""
    if clean(file.name) != file.name:
        return (
            f"The file name {clean(file.name)!r} is not valid UTF-8, so the file was not read. "
            "Rename it (letters, digits, '-' and '_') and submit it again."
        )
    if file.is_symlink():
        return (
            f"{file.name} is a symbolic link, not a file; links are not followed. "
            "Submit the file itself."
        )
    if folder is not None and file.resolve().parent != folder.resolve():
        return f"{file.name} resolves to a place outside its submission folder; it was not read."
    return ""


def _read_folder(folder: Path, intake: Intake, *, label: str, times: dict[str, str] | None) -> None:
    """Add a folder's submissions: a Moodle download, a Canvas download, or plain files."""
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    moodle = [p for p in subfolders if MOODLE_FOLDER.match(p.name)]
    gradescope = [p for p in subfolders if (p / GRADESCOPE_METADATA).is_file()]
    by_student: dict[str, list[Path]] = {}
    for sub in moodle:
        by_student.setdefault(MOODLE_FOLDER.match(sub.name)["uid"], []).append(sub)
    for subs in by_student.values():
        _read_moodle(subs, intake, folder=folder, label=label, times=times)
    for sub in gradescope:
        _read_gradescope(sub, intake, label=label)
    canvas: dict[str, list[tuple[Path, re.Match]]] = {}
    files = sorted(p for p in folder.iterdir() if p.is_file() or p.is_symlink())
    plain = _candidates(folder)
    named = {f: CANVAS_NAME.match(f.name) for f in files if not f.name.startswith(".")}
    if all(named.values()) and named:  # a Canvas download: every file named as Canvas names them
        for file, match in named.items():
            canvas.setdefault(match["uid"], []).append((file, match))
        plain = []
    elif any(named[f] for f in plain):
        intake.notes.append(
            f"{label}: some files are named as in a Canvas download and some not; all are read "
            "as plain files, one student per file."
        )
    for file in plain:
        source = clean(f"{label}: {file.name}" if times is not None else file)
        problem = file_problem(file, folder)
        intake.submissions.append(
            Submission(file, "", source, submitted_at=_time(file, folder, times), problem=problem)
        )
    for uid, found in canvas.items():
        gradable = [f for f in found if f[0].suffix.lower() in SUFFIXES]
        file, match = next((f for f in gradable if f[0].suffix == ".ipynb"), (gradable or found)[0])
        if len(gradable) > 1:
            intake.notes.append(
                f"{label}: Canvas user {uid} has {len(gradable)} files; graded {file.name}, not "
                + ", ".join(f.name for f, _ in gradable if f != file)
            )
        problem = (
            file_problem(file, folder)
            if gradable
            else "No .ipynb or .py file was submitted (found: "
            + clean(", ".join(m["file"] for _, m in found[:5]))
            + ")."
        )
        intake.submissions.append(
            Submission(
                file,
                uid,
                clean(f"{label}: {file.name}"),
                name=clean(match["name"]),
                platform="canvas",
                submitted_at=_time(file, folder, times),
                late=bool(match["late"]),
                problem=problem,
            )
        )
    if not intake.submissions and not moodle and subfolders:
        intake.notes.append(
            f"{label}: no .ipynb or .py files at the top level; folders such as "
            f"{subfolders[0].name!r} are not a Moodle download's (Name_ID_assignsubmission_file_)."
        )


def _time(file: Path, folder: Path, times: dict[str, str] | None) -> str:
    if times is None:
        return ""
    return times.get(file.relative_to(folder).as_posix(), "")


def _read_moodle(
    subs: list[Path], intake: Intake, *, folder: Path, label: str, times: dict[str, str] | None
) -> None:
    """One student's folders (one per submission plugin: file, onlinetext...)."""
    match = MOODLE_FOLDER.match(subs[0].name)
    assert match is not None
    files = [f for sub in subs for f in _candidates(sub)]
    where = f"{label}: {match['name']}_{match['uid']}"
    if not files:
        others = sorted(p.name for sub in subs for p in sub.iterdir())
        intake.submissions.append(
            Submission(
                subs[0],
                match["uid"],
                where,
                name=match["name"],
                platform="moodle",
                problem="No .ipynb or .py file was submitted"
                + (f" (found: {', '.join(others[:5])})." if others else "."),
            )
        )
        return
    chosen = next((f for f in files if f.suffix == ".ipynb"), files[0])
    if len(files) > 1:
        intake.notes.append(
            f"{where}: {len(files)} files; graded {chosen.name}, not "
            + ", ".join(f.name for f in files if f != chosen)
        )
    intake.submissions.append(
        Submission(
            chosen,
            match["uid"],
            clean(f"{label}: {chosen.relative_to(folder).as_posix()}"),
            name=clean(match["name"]),
            platform="moodle",
            submitted_at=_time(chosen, folder, times),
            problem=file_problem(chosen, chosen.parent),
        )
    )


def _read_gradescope(sub: Path, intake: Intake, *, label: str) -> None:
    """A folder with Gradescope's submission_metadata.json (created_at, users) and the file."""
    try:
        meta = json.loads((sub / GRADESCOPE_METADATA).read_text(encoding="utf-8"))
        user = (meta.get("users") or [{}])[0]
        sid = str(user.get("sid") or user.get("email", "").split("@")[0] or user.get("id", ""))
        created = str(meta.get("created_at", ""))
    except (OSError, ValueError, AttributeError, TypeError, IndexError):
        intake.notes.append(f"{label}: {sub.name}/{GRADESCOPE_METADATA} could not be read.")
        return
    files = _candidates(sub)
    chosen = next((f for f in files if f.suffix == ".ipynb"), files[0] if files else sub)
    intake.submissions.append(
        Submission(
            chosen,
            SAFE_ID.sub("_", sid),
            f"{label}: {sub.name}/{chosen.name}",
            name=clean(user.get("name", "")),
            platform="gradescope",
            submitted_at=created,
            problem=file_problem(chosen, sub) if files else "No .ipynb or .py file was submitted.",
        )
    )


def student_id(given: str) -> str:
    """A given name as a student id: itself when it is a clean folder name; else made safe and
    marked with a short hash of the given name, so it never takes a name another file has or
    could have (clean names hold no '~')."""
    base = SAFE_ID.sub("_", given).lstrip(".")
    fine = base not in RESERVED and not base.startswith(("answers_", *FORMULA_STARTS))
    if base == given and fine and 0 < len(base) <= MAX_ID_CHARS:
        return given
    digest = hashlib.sha256(given.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{base.lstrip('=+-@')[:MAX_ID_CHARS] or 'unnamed'}~{digest}"


def _assign_ids(intake: Intake) -> None:
    """Ids: the platform's id, else the file's stem; made safe as folder names and unique."""
    taken: dict[str, Submission] = {}
    result = []
    for s in intake.submissions:
        base = student_id(s.student or s.file.stem)
        sid, n = base, 1
        while sid in taken:
            n += 1
            sid = f"{base}~{n}"
        if n > 1:
            first = taken[base]
            intake.notes.append(
                f"{s.source} has the same id as {first.source}; it is graded as '{sid}'."
            )
        elif sid != (s.student or s.file.stem):
            intake.notes.append(f"{s.source} is graded as student '{sid}'.")
        s = dataclasses.replace(s, student=sid, given_id=s.student or s.file.stem)
        taken[sid] = s
        result.append(s)
    intake.submissions = result


def notebook_assignment(path: Path) -> str | None:
    """The assignment id a generated notebook's metadata names (metadata.nnkit.assignment)."""
    if path.suffix.lower() != ".ipynb":
        return None
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        meta = json.loads(path.read_bytes().decode("utf-8-sig")).get("metadata", {})
        value = meta.get("nnkit", {}).get("assignment")
    except (OSError, ValueError, AttributeError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, str) else None
