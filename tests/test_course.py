"""Course operations: roster, missing students, late policy, export to Canvas and Moodle."""

import csv
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from autograder.__main__ import main
from autograder.api import grade
from autograder.config import GradeConfig, LatePolicy, parse_time
from autograder.course.late import describe, lateness
from autograder.course.roster import match, read_roster
from autograder.export.lms import export
from tests.test_intake import add, lr_notebook

# Canvas: Grades > Export, as it comes (the points row starts with spaces; a test student).
CANVAS_ROSTER = """\
Student,ID,SIS User ID,SIS Login ID,Section,Logistic regression (87568490),Quiz 1 (87568491)
    Points Possible,,,,,35.00,10.00
"Smith, Bob",340934,1001,bsmith,CS101-A,,
"Wells, Lane",334244,1002,lwells,CS101-A,,
"Doe, Jane",555,1003,jdoe,CS101-B,,
"Absent, Amy",777,1004,aabsent,CS101-B,,
"Student, Test",999,,,CS101-A,,
"""
# Moodle: Participants > Download table data as CSV; and its grading worksheet.
MOODLE_ROSTER = """First name,Last name,ID number,Email address
Ada,Lovelace,S-0101,alovelace@uni.example
Alan,Turing,S-0102,aturing@uni.example
Grace,Hopper,S-0103,ghopper@uni.example
"""
MOODLE_WORKSHEET = """Identifier,Full name,Email address,Status,Grade,Maximum Grade
Participant 101,Ada Lovelace,alovelace@uni.example,Submitted,,35.00
Participant 102,Alan Turing,aturing@uni.example,Submitted,,35.00
"""
UTC = timezone.utc
REFERENCE_TEXT = (Path(__file__).parent.parent / "solutions" / "logistic_regression.py").read_text()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_canvas_gradebook_export_is_read_as_a_roster(tmp_path):
    students = read_roster(write(tmp_path / "r.csv", CANVAS_ROSTER))
    assert [s.canvas_id for s in students] == ["340934", "334244", "555", "777"]
    bob = students[0]
    assert (bob.name, bob.sis_login, bob.sis_user_id, bob.section) == (
        "Smith, Bob", "bsmith", "1001", "CS101-A")  # fmt: skip
    assert bob.key == "bsmith"


def test_moodle_exports_are_read_as_rosters(tmp_path):
    people = read_roster(write(tmp_path / "p.csv", MOODLE_ROSTER))
    assert (people[0].name, people[0].id_number, people[0].email) == (
        "Ada Lovelace", "S-0101", "alovelace@uni.example")  # fmt: skip
    sheet = read_roster(write(tmp_path / "w.csv", MOODLE_WORKSHEET))
    assert [s.participant for s in sheet] == ["101", "102"]


def test_a_roster_without_ids_is_refused_with_a_reason(tmp_path):
    with pytest.raises(ValueError, match="no id column"):
        read_roster(write(tmp_path / "r.csv", "Name,Favourite colour\nBob,blue\n"))


def test_ids_match_the_platform_they_came_from(tmp_path):
    canvas = read_roster(write(tmp_path / "c.csv", CANVAS_ROSTER))
    moodle = read_roster(write(tmp_path / "m.csv", MOODLE_ROSTER))
    infos = [
        {"student": "340934", "platform": "canvas", "given_id": "340934"},
        {"student": "bsmith", "platform": "", "given_id": "bsmith"},
        {"student": "1001", "platform": "", "given_id": "1001"},  # SIS user id from a file name
        {"student": "stranger", "platform": "", "given_id": "stranger"},
    ]
    found, notes = match(canvas, infos)
    assert found["340934"].sis_login == found["bsmith"].sis_login == "bsmith"
    assert "stranger is not on the roster." in notes
    assert any("both Smith, Bob" in n for n in notes)  # two rows for one student are reported
    found, _ = match(
        moodle,
        [
            {"student": "aturing", "platform": "", "given_id": "aturing"},  # email before the @
            {"student": "S-0103", "platform": "", "given_id": "S-0103"},  # ID number
            {"student": "101", "platform": "moodle", "given_id": "101", "name": "Ada Lovelace"},
        ],
    )
    assert {k: v.name for k, v in found.items()} == {
        "aturing": "Alan Turing", "S-0103": "Grace Hopper", "101": "Ada Lovelace"}  # fmt: skip


@pytest.mark.parametrize(
    ("late_by", "days", "penalty"),
    [
        (timedelta(0), 0, 0.0),
        (timedelta(minutes=-5), 0, 0.0),
        (timedelta(minutes=30), 0, 0.0),  # within the hour of grace
        (timedelta(hours=2), 1, 3.5),  # a started day counts
        (timedelta(days=1, hours=2), 2, 7.0),
        (timedelta(days=30), 30, 17.5),  # capped at 50%
    ],
)
def test_late_policy(late_by, days, penalty):
    deadline = datetime(2026, 3, 15, 23, 59, tzinfo=UTC)
    policy = LatePolicy(deadline=deadline, grace=timedelta(hours=1), percent_per_day=10,
                        cap_percent=50)  # fmt: skip
    charged = lateness(policy, deadline + late_by, 35.0)
    assert (charged.days_charged, charged.penalty) == (days, penalty)


def test_lateness_reads_as_people_write_it():
    assert describe(timedelta(minutes=45)) == "45m"
    assert describe(timedelta(hours=5, minutes=10)) == "5h 10m"
    assert describe(timedelta(days=2, hours=3, minutes=1)) == "2d 3h"
    assert parse_time("2026-03-15T23:59").tzinfo is not None
    with pytest.raises(ValueError, match="time zone"):
        LatePolicy(deadline=datetime(2026, 3, 15))


def gradebook(out: Path) -> tuple[list[str], dict[str, dict]]:
    with (out / "gradebook.csv").open(newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), {r["student"]: r for r in reader}


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory):
    """A Canvas download graded with the Canvas roster and a late policy, through the CLI."""
    root = tmp_path_factory.mktemp("canvas")
    archive = root / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        add(zf, "smithbob_340934_208490284_lr.ipynb", lr_notebook(), when=(2026, 3, 15, 20, 0, 0))
        add(zf, "wellslane_LATE_334244_394803489_lr.ipynb", lr_notebook(),
            when=(2026, 3, 16, 9, 0, 0))  # fmt: skip
        add(
            zf,
            "doejane_555_666_lr.py",
            "def sigmoid(z):\n    return 0\n",
            when=(2026, 3, 19, 0, 0, 0),
        )
    roster = write(root / "canvas_roster.csv", CANVAS_ROSTER)
    out = root / "out"
    code = main(["grade", "logistic_regression", str(archive), "--out", str(out), "--no-progress",
                 "--jobs", "2", "--roster", str(roster), "--deadline", "2026-03-15T23:59+00:00",
                 "--late-penalty", "10", "--late-cap", "30"])  # fmt: skip
    assert code == 0
    return root, out, roster


def test_roster_students_without_a_submission_get_a_missing_row(canvas_class):
    _, out, _ = canvas_class
    _, rows = gradebook(out)
    assert rows["aabsent"]["status"] == "missing" and rows["aabsent"]["score"] == "0"
    assert rows["aabsent"]["student_name"] == "Absent, Amy"
    assert "No submission was received" in (out / "aabsent" / "feedback.html").read_text()
    assert "999" not in rows  # Canvas's test student is not a student
    assert "aabsent" in (out / "report.html").read_text()


def test_gradebook_shows_raw_score_lateness_penalty_and_final_score(canvas_class):
    _, out, _ = canvas_class
    head, rows = gradebook(out)
    functions = head[5 : head.index("source_file")]
    assert functions and all(c not in functions for c in ("raw_score", "penalty", "final_score"))
    assert head.index("final_score") > head.index("penalty") > head.index("raw_score")
    bob, lane, jane = rows["340934"], rows["334244"], rows["555"]
    assert (bob["lateness"], bob["penalty"], bob["final_score"]) == ("0", "0", bob["raw_score"])
    assert lane["lms_late"] == "late" and lane["lateness"] == "9h 1m" and lane["days_late"] == "1"
    assert float(lane["penalty"]) == pytest.approx(0.1 * float(lane["raw_max"]))
    assert float(lane["final_score"]) == pytest.approx(
        float(lane["raw_score"]) - float(lane["penalty"])
    )
    cap = 0.3 * float(jane["raw_max"])  # 3 days and a minute: 4 days, 40%, capped at 30%
    assert jane["days_late"] == "4" and float(jane["penalty"]) == pytest.approx(
        min(float(jane["raw_score"]), cap)
    )
    assert bob["email"] == "" and bob["sis_login"] == "bsmith"
    report = (out / "report.html").read_text()
    assert "Manual grading and late penalties" in report and "9h 1m" in report
    assert "9h 1m after the deadline" in (out / "334244" / "feedback.html").read_text()


def test_canvas_export_matches_canvas_import_format(canvas_class, tmp_path):
    _, out, roster = canvas_class
    target = tmp_path / "canvas_import.csv"
    assert main(["export", str(out), "--to", "canvas", "--roster", str(roster), "--out",
                 str(target)]) == 0  # fmt: skip
    with target.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Logistic regression (87568490)",
    ]  # fmt: skip  (the roster's own column)
    assert rows[1][0] == "Points Possible" and float(rows[1][5]) > 0
    by_id = {r[1]: r for r in rows[2:]}
    _, book = gradebook(out)
    assert set(by_id) == {"340934", "334244", "555", "777"}
    assert by_id["334244"][5] == book["334244"]["final_score"]
    assert by_id["777"][:5] == ["Absent, Amy", "777", "1004", "aabsent", "CS101-B"]


@pytest.mark.slow
def test_moodle_export_from_plain_files(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "aturing.ipynb").write_text(lr_notebook())
    (folder / "S-0103.py").write_text("def sigmoid(z):\n    return 1\n")
    (folder / "=cmd.py").write_text("x = 1\n")  # not on the roster: a note, not a row
    roster = write(tmp_path / "participants.csv", MOODLE_ROSTER)
    out = tmp_path / "out"
    assert main(["grade", "logistic_regression", str(folder), "--out", str(out), "--no-progress",
                 "--jobs", "1", "--roster", str(roster)]) == 0  # fmt: skip
    done = export(folder=out, to="moodle", roster=roster, out=tmp_path / "moodle.csv")
    with done.path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["Full name", "ID number", "Email address", "Logistic regression",
                             "Feedback"]  # fmt: skip
    by_email = {r["Email address"]: r for r in rows}
    assert set(by_email) == {"alovelace@uni.example", "aturing@uni.example", "ghopper@uni.example"}
    _, book = gradebook(out)
    assert by_email["aturing@uni.example"]["Logistic regression"] == book["aturing"]["max_score"]
    assert by_email["alovelace@uni.example"]["Feedback"].endswith("points (missing).")
    assert any("_cmd" in n and "not on the roster" in n for n in done.notes)
    wrong = export(folder=out, to="canvas", roster=roster, out=tmp_path / "canvas.csv")
    assert any("no id that Canvas's import matches" in n for n in wrong.notes)
    with wrong.path.open(newline="") as f:  # no column of its own in this roster: the contract's
        assert next(csv.reader(f))[-1] == "Logistic regression (logistic_regression)"


@pytest.mark.slow
def test_manual_scores_survive_the_regrade_and_reach_gradebook_report_and_feedback(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    answer = 'ANSWER_q_cost = """\nIt punishes confident mistakes.\n"""'
    (folder / "ada.ipynb").write_text(lr_notebook(body=REFERENCE_TEXT + "\n" + answer))
    (folder / "bob.py").write_text("def sigmoid(z):\n    return 0\n")
    out = tmp_path / "out"
    config = GradeConfig(assignment="logistic_regression", out=out, jobs=1, progress=False)
    grade(config=config, paths=[folder])
    sheet = out / "answers_q_cost.csv"
    with sheet.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["student", "answer", "score", "comment"]
    assert rows[1][:2] == ["ada", "It punishes confident mistakes."]
    rows[1][2:] = ["1.5", "Say why the log makes it so."]
    rows[2][2:] = ["7", "too many"]  # more than the question's 2 points: refused, said
    with sheet.open("w", newline="") as f:
        csv.writer(f).writerows(rows)

    again = grade(config=config, paths=[folder])
    head, book = gradebook(out)
    assert head.index("manual_q_cost") > head.index("source_file")
    ada = book["ada"]
    assert ada["manual_q_cost"] == "1.5" and book["bob"]["manual_q_cost"] == ""
    assert float(ada["raw_score"]) == float(ada["score"]) + 1.5 == float(ada["final_score"])
    assert float(ada["raw_max"]) == float(ada["max_score"]) + 6  # three questions of 2 points
    assert any("bob's score '7'" in n for n in again.notes)
    feedback = (out / "ada" / "feedback.html").read_text()
    assert "Say why the log makes it so." in feedback and "1.5 / 2" in feedback
    report = (out / "report.html").read_text()
    assert "Manual grading" in report and f"{float(ada['final_score']):g} / 28" in report
    with sheet.open(newline="") as f:
        assert list(csv.reader(f))[1] == ["ada", "It punishes confident mistakes.", "1.5",
                                          "Say why the log makes it so."]  # fmt: skip
    grade(config=GradeConfig(**{**config.__dict__, "force": True}), paths=[folder])
    assert gradebook(out)[1]["ada"]["manual_q_cost"] == "1.5"  # a forced regrade keeps it too


@pytest.mark.slow
def test_a_bad_roster_is_said_before_grading_and_a_lost_one_costs_no_grades(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "aturing.py").write_text(REFERENCE_TEXT)
    out = tmp_path / "out"
    args = ["grade", "logistic_regression", str(folder), "--out", str(out), "--no-progress"]
    assert main([*args, "--roster", str(tmp_path / "nope.csv")]) == 2
    assert "No such roster file" in capsys.readouterr().err and not (out / "gradebook.csv").exists()
    roster = write(tmp_path / "participants.csv", MOODLE_ROSTER)
    assert main([*args, "--roster", str(roster)]) == 0
    roster.unlink()  # kept in DIR/course.json, then moved away
    assert main([*args]) == 0
    assert "roster could not be read" in capsys.readouterr().err
    assert gradebook(out)[1]["aturing"]["status"] == "graded"
