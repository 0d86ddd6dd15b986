"""Submissions as they arrive: LMS downloads (Canvas, Moodle, Gradescope), zips, odd input."""

import csv
import json
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.api import grade
from autograder.batch import intake
from autograder.batch.intake import gather, notebook_assignment, unpack_zip
from autograder.config import GradeConfig, Limits
from autograder.model import STATUSES, TESTED, Outcome, status_after_tests

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "solutions" / "logistic_regression.py"
WHEN = (2026, 3, 14, 23, 30, 0)


def lr_notebook(assignment: str | None = "logistic_regression", body: str | None = None) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(body or REFERENCE.read_text())])
    if assignment:
        nb.metadata["nnkit"] = {"assignment": assignment, "kind": "student"}
    return nbformat.writes(nb)


def add(zf: zipfile.ZipFile, name: str, text: str, when=WHEN) -> None:
    zf.writestr(zipfile.ZipInfo(name, date_time=when), text)


@pytest.fixture
def canvas_zip(tmp_path) -> Path:
    """Laid out as Canvas's "Download Submissions": loose files named name_[late_]uid_subid_file."""
    path = tmp_path / "submissions.zip"
    with zipfile.ZipFile(path, "w") as zf:
        add(zf, "smithbob_340934_208490284_logistic_regression.ipynb", lr_notebook())
        add(zf, "wellslane_LATE_334244_394803489_logistic_regression-1.ipynb", lr_notebook(),
            when=(2026, 3, 16, 9, 0, 0))  # fmt: skip
        add(zf, "doejane_555_666_report.pdf", "%PDF-1.4 not a notebook" * 1000)
    return path


@pytest.fixture
def moodle_zip(tmp_path) -> Path:
    """Laid out as Moodle's "Download all submissions": a folder per student (participant id)."""
    path = tmp_path / "CS101-Logistic regression-12.zip"
    with zipfile.ZipFile(path, "w") as zf:
        add(zf, "Ada Lovelace_101_assignsubmission_file_/lr.ipynb", lr_notebook())
        add(zf, "Alan Turing_102_assignsubmission_file_/my work.ipynb",
            lr_notebook("neural_network"))  # fmt: skip
        add(zf, "Alan Turing_102_assignsubmission_onlinetext_/onlinetext.html", "<p>hi</p>")
        add(zf, "Grace Hopper_103_assignsubmission_file_/notes.txt", "forgot the notebook")
        add(zf, "=HYPERLINK(1)_104_assignsubmission_file_/a.py", "def sigmoid(z):\n    return z\n")
    return path


def test_canvas_download_gives_user_ids_names_times_and_the_late_marker(canvas_zip, tmp_path):
    found = gather([canvas_zip], unpack_to=tmp_path / "unpacked")
    subs = {s.student: s for s in found.submissions}
    assert set(subs) == {"340934", "334244", "555"}
    assert subs["340934"].platform == "canvas" and subs["340934"].name == "smithbob"
    assert not subs["340934"].late and subs["334244"].late
    assert subs["334244"].submitted_at == "2026-03-16T09:00:00+00:00"
    assert "report.pdf" in subs["555"].problem  # a row that says why, never a lost student
    assert subs["555"].file.stat().st_size == 0  # only its name is kept
    assert (
        subs["340934"].source
        == "submissions.zip: smithbob_340934_208490284_logistic_regression.ipynb"
    )


def test_a_plain_folder_is_not_taken_for_a_canvas_download(tmp_path):
    (tmp_path / "hw_2024_1_final.py").write_text("x = 1\n")  # Canvas-like, by chance
    (tmp_path / "bob.py").write_text("x = 1\n")
    found = gather([tmp_path], unpack_to=tmp_path / "x")
    assert sorted(s.student for s in found.submissions) == ["bob", "hw_2024_1_final"]
    assert any("named as in a Canvas download" in n for n in found.notes)


def test_two_downloads_with_one_name_are_both_read(canvas_zip, tmp_path):
    other = tmp_path / "second" / canvas_zip.name
    other.parent.mkdir()
    with zipfile.ZipFile(other, "w") as zf:
        add(zf, "turingalan_777_888_lr.ipynb", lr_notebook())
    found = gather([canvas_zip, other], unpack_to=tmp_path / "unpacked")
    assert {s.student for s in found.submissions} == {"340934", "334244", "555", "777"}
    assert all(s.file.is_file() for s in found.submissions)


def test_canvas_download_as_a_folder(canvas_zip, tmp_path):
    folder = tmp_path / "extracted"
    with zipfile.ZipFile(canvas_zip) as zf:
        zf.extractall(folder)
    subs = {s.student: s for s in gather([folder], unpack_to=tmp_path / "x").submissions}
    assert set(subs) == {"340934", "334244", "555"} and subs["334244"].late


def test_moodle_download_gives_one_submission_per_student_folder(moodle_zip, tmp_path):
    found = gather([moodle_zip], unpack_to=tmp_path / "unpacked")
    subs = {s.student: s for s in found.submissions}
    assert set(subs) == {"101", "102", "103", "104"}
    assert subs["101"].name == "Ada Lovelace" and subs["101"].platform == "moodle"
    assert subs["102"].file.name == "my work.ipynb"
    assert (
        subs["103"].problem.startswith("No .ipynb or .py file")
        and "notes.txt" in subs["103"].problem
    )
    assert subs["101"].submitted_at == "2026-03-14T23:30:00+00:00"


def test_gradescope_metadata_gives_id_and_time(tmp_path):
    sub = tmp_path / "export" / "submission_1234"
    sub.mkdir(parents=True)
    (sub / "lr.ipynb").write_text(lr_notebook())
    meta = {  # as Gradescope documents /autograder/submission_metadata.json
        "id": 123456,
        "created_at": "2026-03-15T10:00:00.365935-07:00",
        "assignment": {"due_date": "2026-03-15T23:00:00.000000-07:00", "title": "LR"},
        "users": [{"email": "jdoe@uni.edu", "id": 1234, "name": "J Doe"}],
    }
    (sub / "submission_metadata.json").write_text(json.dumps(meta))
    (s,) = gather([tmp_path / "export"], unpack_to=tmp_path / "x").submissions
    assert (s.student, s.platform, s.submitted_at) == ("jdoe", "gradescope", meta["created_at"])


def test_same_stems_get_distinct_ids_and_say_which_file_is_which(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "alice.py").write_text("x = 1\n")
    found = gather([tmp_path / "a", tmp_path / "b"], unpack_to=tmp_path / "x")
    assert [s.student for s in found.submissions] == ["alice", "alice~2"]
    assert any(str(tmp_path / "b" / "alice.py") in n and "alice~2" in n for n in found.notes)


def hostile_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        add(zf, "../escaped.py", "x = 1")
        add(zf, "/abs/escaped2.py", "x = 1")
        link = zipfile.ZipInfo("smithbob_1_2_link.ipynb", date_time=WHEN)
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        big = zipfile.ZipInfo("bigbob_3_4_big.ipynb", date_time=WHEN)
        zf.writestr(big, "0" * (intake.MAX_BYTES + 5000), compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_untrusted_zip_cannot_write_outside_or_plant_links(tmp_path):
    archive = hostile_zip(tmp_path / "evil.zip")
    notes: list[str] = []
    unpack_zip(archive, tmp_path / "out" / "evil", notes=notes)
    assert not (tmp_path / "escaped.py").exists() and not (tmp_path / "out" / "escaped.py").exists()
    assert not Path("/abs/escaped2.py").exists()
    written = list((tmp_path / "out").rglob("*"))
    assert not any(p.is_symlink() for p in written)
    assert len([n for n in notes if "skipped" in n]) == 3
    big = tmp_path / "out" / "evil" / "bigbob_3_4_big.ipynb"
    assert big.stat().st_size == intake.MAX_BYTES + 1  # cut, so the loader says it is too large


def test_a_file_that_is_not_a_zip_is_a_clear_error(tmp_path):
    (tmp_path / "bad.zip").write_text("not a zip")
    with pytest.raises(ValueError, match="not a readable zip"):
        gather([tmp_path / "bad.zip"], unpack_to=tmp_path / "x")


def test_notebook_metadata_names_its_assignment(tmp_path):
    (tmp_path / "a.ipynb").write_text(lr_notebook("neural_network"))
    (tmp_path / "b.ipynb").write_text(lr_notebook(None))
    (tmp_path / "c.ipynb").write_text("{broken")
    assert notebook_assignment(tmp_path / "a.ipynb") == "neural_network"
    assert notebook_assignment(tmp_path / "b.ipynb") is None
    assert notebook_assignment(tmp_path / "c.ipynb") is None


def test_generated_student_notebooks_carry_their_assignment_id(tmp_path):
    from autograder.author.generate import generate

    written = generate(["logistic_regression"], tmp_path)
    student = next(p for p in written if p.suffix == ".ipynb" and "student" in p.parts)
    assert notebook_assignment(student) == "logistic_regression"


def test_status_tells_timeouts_and_crashes_from_graded():
    def outcome(kind: str) -> Outcome:
        return Outcome("f: t", "f", 1.0, 0.0, not kind, "", True, kind)

    assert status_after_tests([outcome(""), outcome("wrong")]) == "graded"
    assert status_after_tests([outcome("timeout"), outcome("wrong")]) == "timeout"
    assert status_after_tests([outcome("timeout"), outcome("crashed")]) == "crashed"
    assert set(TESTED) < set(STATUSES) and {"wrong assignment", "missing"} < set(STATUSES)


def read_rows(out: Path) -> dict[str, dict]:
    with (out / "gradebook.csv").open(newline="") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


@pytest.mark.slow
def test_grading_lms_downloads_and_odd_input(canvas_zip, moodle_zip, tmp_path):
    config = GradeConfig(assignment="logistic_regression", out=tmp_path / "out", jobs=2,
                         progress=False, limits=Limits(call_seconds=5))  # fmt: skip
    graded = grade(config=config, paths=[canvas_zip, moodle_zip])
    rows = read_rows(config.out)
    assert set(rows) == {"340934", "334244", "555", "101", "102", "103", "104"}
    assert rows["101"]["student_name"] == "Ada Lovelace"
    assert rows["104"]["student_name"] == "'=HYPERLINK(1)"  # a name is never a formula
    assert rows["340934"]["status"] == "graded" and rows["340934"]["percent"] == "100.0"
    assert rows["102"]["status"] == "wrong assignment" and rows["102"]["score"] == "0"
    assert rows["555"]["status"] == rows["103"]["status"] == "unreadable"
    assert rows["101"]["source_file"].endswith("Ada Lovelace_101_assignsubmission_file_/lr.ipynb")
    wrong = next(r for r in graded.results if r.student == "102")
    assert "neural_network" in wrong.notes[0] and wrong.max_score == graded.results[0].max_score
    feedback = (config.out / "102" / "feedback.html").read_text()
    assert "made for the neural_network assignment" in feedback
    assert not list((tmp_path / "out").glob("*.py"))  # nothing unpacked outside .intake
