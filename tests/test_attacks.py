"""Attacks on the trusted side (tests/corpus/attacks): the class is graded at 1, 2 and 8 jobs by
the command line, under a wrapper that adopts every process the run leaves behind, and checked:

- every file has its own row, with exactly the points its `# expect:` line allows, and no
  "grader error"; the generated attacks (links, a non-UTF-8 name) have the status they name;
- no process of the run outlives it, no sandbox cgroup of the run is left;
- no line of the model answer (solution source, master notebook's answers) in any output file;
- no CSV cell starts a formula, no student markup in an HTML page, no results.json larger than
  RESULTS_BYTES;
- the peak memory of any process of the run stays under MAX_RSS_KB.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_hostile import expectation_text, parse_expectation, submission_bytes

from autograder import assignments
from autograder.report.feedback import UNDRAWABLE
from autograder.sandbox.cgroup import ROOT as CGROUPS
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.collect import collect

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ATTACKS = HERE / "corpus" / "attacks"
ASSIGNMENT = "logistic_regression"
RESULTS_BYTES = 256 * 1024
MAX_RSS_KB = 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Runs the command given as arguments as a child subreaper: whatever the run leaves behind is
# re-parented to this wrapper, which reports it (and kills it), with the children's peak memory.
WRAPPER = """
import ctypes, json, os, resource, signal, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
time.sleep(1)
left = []
for name in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()
        cmd = open(f"/proc/{name}/cmdline", "rb").read().replace(b"\\0", b" ").decode()
    except OSError:
        continue
    if int(stat[1]) == os.getpid() and stat[0] != "Z":  # a zombie has already exited
        left.append(f"{name} ({stat[0]}) {cmd[:160]}")
        os.kill(int(name), signal.SIGKILL)
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
print(json.dumps({"rc": run.returncode, "stderr": run.stderr, "left": left, "session": os.getsid(0),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

pytestmark = pytest.mark.skipif(
    not detect_isolation().bwrap, reason="the attacks are graded only inside bubblewrap"
)


def _generated() -> list[dict]:
    return json.loads((ATTACKS / "expectations.json").read_text())[ASSIGNMENT]


def _make_class(folder: Path) -> dict[str, dict]:
    """The attack class in `folder`: file name -> {"expect", "status"}."""
    folder.mkdir(parents=True)
    for attack in (ATTACKS / ASSIGNMENT).iterdir():
        (folder / attack.name).write_bytes(submission_bytes(attack))
    wanted = {p.name: {"expect": expectation_text(p)} for p in folder.iterdir()}
    for g in _generated():
        target = os.fsencode(folder) + b"/" + g["name"].encode("utf-8", "surrogateescape")
        if "link_to" in g:
            os.symlink(REPO / g["link_to"], target)
        else:
            shutil.copy(REPO / g["copy_of"], os.fsdecode(target))
        wanted[g["name"]] = {"expect": g["expect"], "status": g["status"]}
    return wanted


def _cgroups(session: int) -> set[Path]:
    """The sandbox cgroups made by the processes of session `session` (their names carry it)."""
    name = f"nnkit-{session}-*"
    return {p for pattern in (name, f"*/{name}") for p in CGROUPS.glob(pattern)}


def _secrets() -> list[str]:
    """Lines of the model answer that no submission in the class holds."""
    sources = "".join(submission_bytes(p).decode() for p in (ATTACKS / ASSIGNMENT).iterdir())
    solution = (REPO / "solutions" / f"{ASSIGNMENT}.py").read_text().splitlines()
    lines = [s.strip() for s in solution if len(s.strip()) >= 30 and s.strip() not in sources]
    cells = json.loads((REPO / "assignments" / ASSIGNMENT / "master.ipynb").read_text())["cells"]
    answers, inside = [], False
    for line in (line.strip() for c in cells for line in "".join(c["source"]).splitlines()):
        inside = (inside or line == "# BEGIN SOLUTION") and line != "# END SOLUTION"
        answers += [line] * (inside and len(line) >= 40 and line not in sources)
    return lines + answers


@pytest.fixture(scope="module", params=[1, 2, 8])
def run(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"attacks{request.param}")
    wanted, out = _make_class(tmp / "class"), tmp / "out"
    grade = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(tmp / "class")]
    grade += ["--out", str(out), "--jobs", str(request.param), "--no-progress"]
    started = time.monotonic()
    done = subprocess.run(  # a session of its own: its cgroups' names carry it
        [sys.executable, "-c", WRAPPER, *grade],
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,
    )
    report = json.loads(done.stdout)
    report["seconds"] = time.monotonic() - started
    deadline = time.monotonic() + 5
    while _cgroups(report["session"]) and time.monotonic() < deadline:
        time.sleep(0.5)  # sandboxes' cgroups are removed in the background
    report["cgroups"] = sorted(str(p) for p in _cgroups(report["session"]))
    return {"wanted": wanted, "out": out, "report": report}


def _rows(out: Path) -> dict[str, dict]:
    """Gradebook rows by the name of the file each was graded from."""
    with (out / "gradebook.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    by_file = {}
    for row in rows:
        info = json.loads((out / row["student"] / "submission.json").read_text())
        by_file[Path(info["file"]).name] = row
    assert len(by_file) == len(rows)
    return by_file


@pytest.mark.slow
def test_every_attack_has_its_row_and_earns_exactly_what_it_may(run):
    report = run["report"]
    assert report["rc"] == 0 and "Traceback" not in report["stderr"], report["stderr"]
    rows = _rows(run["out"])
    assert set(rows) == set(run["wanted"])
    full = collect(assignments.get(ASSIGNMENT).suite).points()
    for name, want in run["wanted"].items():
        row = rows[name]
        earned = {f: float(row[f]) for f in full}
        assert earned == parse_expectation(want["expect"], full), (name, row)
        assert row["status"] == want.get("status", row["status"]) != "grader error", name
        assert not row["student"].startswith(FORMULA_STARTS), name


@pytest.mark.slow
def test_no_process_of_the_run_outlives_it_and_its_memory_is_bounded(run):
    report = run["report"]
    assert report["left"] == []
    assert report["maxrss_kb"] < MAX_RSS_KB


@pytest.mark.slow
def test_no_sandbox_cgroup_is_left(run):
    assert run["report"]["cgroups"] == []


@pytest.mark.slow
def test_outputs_hold_no_model_answer_no_formula_and_stay_small(run):
    secrets = _secrets()
    assert len(secrets) > 10
    files = [p for p in run["out"].rglob("*") if p.is_file() and ".intake" not in p.parts]
    for path in files:
        text = path.read_text(encoding="utf-8")  # every output file is valid UTF-8
        assert not [s for s in secrets if s in text], path
        if path.suffix == ".csv":
            cells = [c for row in csv.reader(text.splitlines()) for c in row]
            assert not [c for c in cells if c.startswith(FORMULA_STARTS)], path
        if path.suffix == ".html":
            assert "<script>alert" not in text, path  # surrogate_exception.py's markup
        if path.name == "results.json":
            assert path.stat().st_size < RESULTS_BYTES, path
    plotted = _rows(run["out"])["huge_plot.py"]["student"]
    assert UNDRAWABLE in (run["out"] / plotted / "feedback.html").read_text()
