"""The hostile corpus: submissions that cheat, attack the sandbox or are simply broken.

Each assignment's folder under tests/corpus/hostile/ is graded in ONE batch (2 jobs, short limits),
then the batch is checked from the outside:

- no unearned points, and no lost ones: every column earns exactly what the file's
  `# expect:` header (or expectations.json) says;
- every submission has a gradebook row and a results.json whose failed tests say why;
- no sandbox process is left behind;
- nothing outside the sandbox's scratch space changed: the repository's tracked files, the corpus,
  the runtime's site-packages, and the places where hostile files write fake results;
- the grader's environment did not leak: a random canary variable appears in no output file;
- a second batch with the model answer still earns full marks (no tampering survived).

Known weaknesses of the grader are marked xfail(strict=True) with the reason, so CI stays green
while the weakness is visible; the reproducers are in the corpus and named in the reasons.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import pickle
import random
import shutil
import string
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from autograder import assignments
from autograder.api import grade
from autograder.config import GradeConfig, Limits
from autograder.report.publish import ClassResult
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.collect import collect

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus" / "hostile"
REPRODUCERS = CORPUS / "reproducers"
ASSIGNMENTS = ("logistic_regression", "building_blocks", "neural_network")
LIMITS = Limits(call_seconds=1, load_seconds=5, submission_seconds=15, memory_bytes=2**30)
WORKER_PATHS = ("/home/student/.grader/worker.py", "/home/student/.grader/forkserver.py")
CANARY_NAME = "NNKIT_CANARY"
FAKE_MARKER = b"NNKIT-HOSTILE-FAKE"
OVERSIZED = "generated/oversized_notebook.ipynb"
# Host paths the hostile files try to write (write_fake_results, fill_disk, daemon, ...).
GUESSED_WRITES = [
    "/autograder/results/results.json",
    "/work/main/out/gradebook.csv",
    "/work/main/out/write_fake_results/results.json",
    "/work/main/nnkit_hostile_fake.json",
    "/tmp/results.json",
    "/tmp/gradebook.csv",
    "/tmp/nnkit_hostile_fake.json",
    "/tmp/daemon-alive",
    "/tmp/fill-0",
    "/dev/shm/shm-0",
    str(CORPUS / "results.json"),
    str(CORPUS / "logistic_regression" / "gradebook.csv"),
    str(CORPUS / "logistic_regression" / "results.json"),
]
HOSTILE_MARKERS = (FAKE_MARKER, b"NNKIT_HOSTILE", b"nnkit_hostile", b"\0" * 2**16)
PLANTED = ("sitecustomize.py", "usercustomize.py", "zz_nnkit_hostile.pth", "nnkit_hostile.py")

HIDDEN_REPORT = "The sandbox reports mutation and warnings itself, so student code can falsify them"
KNOWN_UNEARNED = {
    "logistic_regression/hide_mutation.py": (
        f"{HIDDEN_REPORT}: forward overwrites its input X and sets worker._same = lambda a, b: "
        "True, so the worker's 'mutated' list is empty and forward earns 3 instead of 1."
    ),
    "logistic_regression/hide_warnings.py": (
        f"{HIDDEN_REPORT}: a naive sigmoid silences numpy through its private module "
        "(numpy._core._ufunc_config.seterr, which the sandbox does not replace) inside the call; "
        "the overflow is never heard and sigmoid earns the warning-free stability point (3 "
        "instead of 2). np.seterr, np.errstate, np.seterrcall and warning filters no longer hide "
        "it (bb_hide_warnings, tests/test_sandbox.py)."
    ),
    "neural_network/nn_hide_mutation.py": (
        f"{HIDDEN_REPORT}: update_parameters updates params in place and patches worker._same; "
        "it earns 3 instead of 0."
    ),
}
KNOWN_LOST: dict[str, str] = {}
KNOWN_UNCLEAR: dict[str, str] = {}
GRADER_ERROR = "The grader could not check this"


# ---------------------------------------------------------------- expectations


def parse_expectation(text: str, full: dict[str, float]) -> dict[str, float]:
    """Points per gradebook column from an expectation, read left to right from all zeros:
    'full' (every column full), 'total=0', 'col' (col full), 'col=N', 'col=-N' (full minus N).
    Column names keep the corpus independent of how a suite shares out its points."""
    wanted = {c: 0.0 for c in full}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = (s.strip() for s in part.partition("="))
        if key == "full" and not sep:
            wanted = dict(full)
        elif key == "total":
            assert float(value) == 0, "only total=0 is supported"
            wanted = {c: 0.0 for c in full}
        else:
            assert key in full, f"unknown column {key!r} in expectation {text!r}"
            points = full[key] if not sep else float(value)
            wanted[key] = full[key] + points if points < 0 else points
    return wanted


def expectation_text(path: Path) -> str:
    rel = f"{path.parent.name}/{path.name}"
    sidecar = json.loads((CORPUS / "expectations.json").read_text())
    if rel in sidecar:
        return sidecar[rel]
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect:"), f"{rel} has no '# expect:' header or sidecar entry"
    return first.removeprefix("# expect:")


def submission_bytes(path: Path) -> bytes:
    """The file as a student submits it: a file whose second line is '# base: PATH' is that base
    (PATH from the repository), then the file's own lines (its definitions come later, so they
    win), under its first line; other files as they are."""
    data = path.read_bytes()
    first, second, rest = [*data.split(b"\n", 2), b"", b""][:3]
    if not second.startswith(b"# base: "):
        return data
    base = (REPO / second.removeprefix(b"# base: ").split()[0].decode()).read_bytes()
    return b"\n".join([first, base, b"", rest])


def corpus_files(assignment: str) -> list[Path]:
    folder = CORPUS / assignment
    return sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb"))


def corpus_ids() -> list[str]:
    ids = [f"{a}/{p.name}" for a in ASSIGNMENTS for p in corpus_files(a)]
    return [*ids, f"logistic_regression/{OVERSIZED}"]


def xfail(reason: str):
    """A known grader weakness: the check fails with an assertion until it is fixed."""
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def marked(ids: list[str], known: dict[str, str]) -> list:
    return [pytest.param(i, marks=xfail(reason=known[i])) if i in known else i for i in ids]


# ---------------------------------------------------------------- outside observations


def tracked_files_digest() -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    digest = {}
    for name in filter(None, names):
        path = REPO / name.decode()
        if path.is_file():
            digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file():
            digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def runtime_folders() -> list[Path]:
    paths = sysconfig.get_paths()
    folders = {Path(paths["purelib"]), Path(paths["platlib"]), Path(paths["stdlib"])}
    folders.add(Path(np.__file__).parent)
    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})
    folders.add(Path(base["purelib"]))
    return sorted(f for f in folders if f.is_dir())


def runtime_snapshot() -> dict[str, tuple]:
    """What a persistence attack would touch: the entries of site-packages, the stdlib and numpy
    (name, size, mtime), and the contents of every .pth file. A full walk takes too long."""
    snap: dict[str, tuple] = {}
    for folder in runtime_folders():
        snap[str(folder)] = (folder.stat().st_mtime_ns,)
        for entry in os.scandir(folder):
            st = entry.stat(follow_symlinks=False)
            snap[entry.path] = (st.st_size, st.st_mtime_ns)
            if entry.name.endswith(".pth"):
                snap[entry.path] += (hashlib.sha256(Path(entry.path).read_bytes()).hexdigest(),)
    return snap


def processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, command line) for every process we can see."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{name}/cmdline").read_bytes()
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        cmd = raw.replace(b"\0", b" ").decode(errors="replace").strip()
        found[int(name)] = (int(fields[1]), fields[0], cmd)
    return found


def sandbox_processes(marker: str) -> list[str]:
    """Live processes of this test's sandboxes: their command line, or an ancestor's, names the
    scratch folder (every bwrap command line does), or they run the sandbox worker below one."""
    procs = processes()

    def ours(pid: int) -> bool:
        seen = set()
        while pid in procs and pid not in seen:
            seen.add(pid)
            parent, _, cmd = procs[pid]
            if marker in cmd:
                return True
            pid = parent
        return False

    return [
        f"{pid} ({state}) {cmd[:160]}"
        for pid, (_, state, cmd) in procs.items()
        if state != "Z" and ours(pid)
    ]


def tampered_with(name: str) -> bool:
    """Whether a tracked file that changed during the batch counts against the sandbox: in CI any
    change does; elsewhere developers may be editing the tree, so only a change of the corpus, a
    deleted file, or one that carries something a hostile file writes."""
    path = Path(name)
    if os.environ.get("CI") or path.is_relative_to(CORPUS) or not path.exists():
        return True
    return any(marker in path.read_bytes() for marker in HOSTILE_MARKERS)


def orphaned_workers() -> list[str]:
    """Sandbox workers (anyone's) with no bubblewrap among their ancestors: escaped ones."""
    procs = processes()
    orphans = []
    for pid, (parent, state, cmd) in procs.items():
        if not any(w in cmd for w in WORKER_PATHS) or state == "Z" or "bwrap" in cmd.split(" ")[0]:
            continue
        seen, up = set(), parent
        while up in procs and up not in seen and "bwrap" not in procs[up][2].split(" ")[0]:
            seen.add(up)
            up = procs[up][0]
        if up not in procs:
            orphans.append(f"{pid} {cmd[:120]}")
    return orphans


def wait_for_no_sandboxes(marker: str, seconds: float = 10.0) -> list[str]:
    deadline = time.monotonic() + seconds
    left = sandbox_processes(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = sandbox_processes(marker)
    return left


def make_oversized_notebook(folder: Path) -> Path:
    """A notebook just over the loader's 20 MiB limit: valid JSON, mostly one big output."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(OVERSIZED).name
    cell = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "x = 1"}
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (21 * 2**20)}]
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))
    return path


# ---------------------------------------------------------------- the batch


@dataclass
class Batch:
    results: dict[str, ClassResult] = field(default_factory=dict)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # "assignment/file" -> row
    columns: dict[str, list[str]] = field(default_factory=dict)
    out: dict[str, Path] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    left_behind: list[str] = field(default_factory=list)
    canary: str = ""
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    runtime_before: dict = field(default_factory=dict)
    runtime_after: dict = field(default_factory=dict)
    marker: str = ""
    second: ClassResult | None = None


def student_id(path: Path) -> str:
    return path.stem


def once_per_run(tmp_path_factory, name: str, compute):
    """compute() once per test run, also under pytest-xdist, whose workers would each run a
    module fixture: the first worker computes under a lock, the others load its result."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return compute()
    shared = tmp_path_factory.getbasetemp().parent
    done = shared / f"{name}-{run}.pickle"
    with open(shared / f"{name}-{run}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return pickle.loads(done.read_bytes())
        value = compute()
        done.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="module", params=["warm", "cold"])
def batch(tmp_path_factory, request) -> Batch:
    """The corpus graded with warm sandboxes (forked by a zygote per worker) and with cold ones."""
    warm = request.param == "warm"
    name = f"hostile-batch-{request.param}"
    return once_per_run(tmp_path_factory, name, lambda: run_batch(tmp_path_factory, warm))


def run_batch(tmp_path_factory, warm: bool) -> Batch:
    isolation = detect_isolation(warm=warm)
    if warm and not isolation.warm:
        pytest.skip(f"no warm sandboxes here: {isolation.cold_reason}")
    if not isolation.bwrap:
        pytest.skip(
            "bubblewrap is not available: the hostile corpus kills every process it can reach "
            "and must never run outside the sandbox (CI installs bubblewrap)"
        )
    root = tmp_path_factory.mktemp("hostile")
    if os.environ.get("NNKIT_HOSTILE_OUT"):  # keep the outputs somewhere for a post-mortem
        root = Path(os.environ["NNKIT_HOSTILE_OUT"]) / f"run-{int(time.time())}"
        root.mkdir(parents=True)
    scratch = root / "sandboxes"
    scratch.mkdir()
    b = Batch(marker=str(scratch))
    b.canary = "nnkitcanary" + "".join(random.choices(string.ascii_letters, k=24))
    generated = make_oversized_notebook(root / "generated")
    b.before, b.runtime_before = tracked_files_digest(), runtime_snapshot()
    saved_env, saved_tempdir = os.environ.get(CANARY_NAME), tempfile.tempdir
    os.environ[CANARY_NAME] = b.canary
    tempfile.tempdir = str(scratch)  # every sandbox's scratch folder, and so its bwrap, names it
    try:
        for assignment in ASSIGNMENTS:
            out = root / "out" / assignment
            submitted = root / "submitted" / assignment  # '# base:' files with their base
            submitted.mkdir(parents=True)
            for path in corpus_files(assignment):
                (submitted / path.name).write_bytes(submission_bytes(path))
            paths = [submitted] + ([generated] if assignment == ASSIGNMENTS[0] else [])
            config = GradeConfig(
                assignment=assignment, out=out, jobs=2, limits=LIMITS, progress=False, warm=warm
            )
            start = time.monotonic()
            b.results[assignment] = grade(config=config, paths=paths)
            b.seconds[assignment] = time.monotonic() - start
            assert b.results[assignment].isolation.warm == warm, "graded on the other path"
            b.out[assignment] = out
            with (out / "gradebook.csv").open() as f:
                reader = csv.DictReader(f)
                graded = collect(assignments.get(assignment).suite).points()
                b.columns[assignment] = [c for c in reader.fieldnames or [] if c in graded]
                rows = {row["student"]: row for row in reader}
            files = corpus_files(assignment) + ([generated] if assignment == ASSIGNMENTS[0] else [])
            for path in files:
                key = f"{assignment}/{path.name}"
                if path == generated:
                    key = f"{assignment}/{OVERSIZED}"
                b.files[key] = path
                if student_id(path) in rows:
                    b.rows[key] = rows[student_id(path)]
        b.left_behind = wait_for_no_sandboxes(b.marker)
        b.after, b.runtime_after = tracked_files_digest(), runtime_snapshot()
        # A second, tiny batch: if anything planted itself in the runtime, this is where it shows.
        second = root / "second"
        second.mkdir()
        shutil.copy(REPO / "solutions" / "logistic_regression.py", second / "reference.py")
        b.second = grade(
            config=GradeConfig(
                assignment="logistic_regression",
                out=root / "second_out",
                jobs=1,
                limits=LIMITS,
                progress=False,
                warm=warm,
            ),
            paths=[second],
        )
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop(CANARY_NAME, None)
        else:
            os.environ[CANARY_NAME] = saved_env
    print("\n" + summary(b))
    return b


def earned_and_expected(b: Batch, key: str) -> tuple[dict[str, float], dict[str, float], dict]:
    assignment = key.split("/", 1)[0]
    row = b.rows[key]
    full = full_points(b, assignment)
    wanted = parse_expectation(expectation_text(b.files[key]), full)
    earned = {c: float(row[c]) for c in b.columns[assignment]}
    return earned, wanted, full


def full_points(b: Batch, assignment: str) -> dict[str, float]:
    """Each column's maximum, from a results.json of this batch."""
    some = next(iter(b.results[assignment].results))
    points: dict[str, float] = {}
    for o in some.outcomes:
        points[o.function] = points.get(o.function, 0.0) + o.max_score
    return {k: round(v, 6) for k, v in points.items()}


def unearned(b: Batch, key: str) -> dict[str, tuple[float, float]]:
    earned, wanted, _ = earned_and_expected(b, key)
    return {c: (earned[c], wanted[c]) for c in earned if earned[c] > wanted[c] + 1e-9}


def lost(b: Batch, key: str) -> dict[str, tuple[float, float]]:
    earned, wanted, _ = earned_and_expected(b, key)
    return {c: (earned[c], wanted[c]) for c in earned if earned[c] < wanted[c] - 1e-9}


def output_files(b: Batch) -> list[Path]:
    return [p for out in b.out.values() for p in out.rglob("*") if p.is_file()]


def summary(b: Batch) -> str:
    keys = [k for k in b.files if k in b.rows]
    bad = [k for k in keys if unearned(b, k)]
    short = [k for k in keys if lost(b, k)]
    leaked = [p for p in output_files(b) if b.canary.encode() in p.read_bytes()]
    changed = [k for k in set(b.before) | set(b.after) if b.before.get(k) != b.after.get(k)]
    tampered = [k for k in changed if tampered_with(k)]
    sizes = ", ".join(f"{a} {sum(k.startswith(a) for k in b.files)}" for a in ASSIGNMENTS)
    times = ", ".join(f"{a} {s:.0f} s" for a, s in b.seconds.items())
    return (
        f"hostile corpus: {len(b.files)} submissions ({sizes}) graded in {times}; "
        f"unearned points in {len(bad)} ({', '.join(k.split('/')[1] for k in bad) or '-'}); "
        f"points lost by right functions in {len(short)} "
        f"({', '.join(k.split('/')[1] for k in short) or '-'}); "
        f"{len(b.left_behind)} processes left; {len(leaked)} canary leaks; "
        f"{len(tampered)} files tampered with outside the sandbox"
        + (f" ({len(changed) - len(tampered)} edited meanwhile by others)" if changed else "")
    )


# ---------------------------------------------------------------- the checks


@pytest.mark.parametrize("key", corpus_ids())
def test_every_submission_has_a_row_and_results(batch, key):
    assert key in batch.rows, f"{key} has no gradebook row"
    assignment = key.split("/", 1)[0]
    results = batch.out[assignment] / batch.rows[key]["student"] / "results.json"
    data = json.loads(results.read_text())
    assert data["output"].strip(), f"{key}: results.json has an empty output"
    assert data["tests"], f"{key}: results.json lists no tests"
    for test in data["tests"]:
        assert test["status"] in ("passed", "failed")
        if test["status"] == "failed":
            assert test["output"].strip(), f"{key}: failed test {test['name']!r} says nothing"
    if batch.rows[key]["status"] == "unreadable":
        assert data["output"].count("\n") >= 1, f"{key}: unreadable, but no note says why"


@pytest.mark.parametrize("key", marked(corpus_ids(), KNOWN_UNCLEAR))
def test_failures_are_explained_not_grader_errors(batch, key):
    """A hostile or broken submission is the student's problem: no 'tell your instructor'."""
    assignment = key.split("/", 1)[0]
    assert batch.rows[key]["status"] != "grader error", f"{key}: gradebook status grader error"
    data = json.loads(
        (batch.out[assignment] / batch.rows[key]["student"] / "results.json").read_text()
    )
    confused = [t["name"] for t in data["tests"] if t["output"].startswith(GRADER_ERROR)]
    assert not confused, f"{key}: grader errors in {confused}"


@pytest.mark.parametrize("key", marked(corpus_ids(), KNOWN_UNEARNED))
def test_no_unearned_points(batch, key):
    extra = unearned(batch, key)
    assert not extra, f"{key} earned more than it may: {extra} (earned, expected)"


@pytest.mark.parametrize("key", marked(corpus_ids(), KNOWN_LOST))
def test_right_functions_keep_their_points(batch, key):
    missing = lost(batch, key)
    assert not missing, f"{key} lost points for right functions: {missing} (earned, expected)"


@pytest.mark.parametrize("name", ["syntax_error.py", "null_bytes.py"])
def test_a_syntax_error_is_named_in_the_message(batch, name):
    key = f"logistic_regression/{name}"
    output = json.loads(
        (batch.out["logistic_regression"] / batch.rows[key]["student"] / "results.json").read_text()
    )["output"]
    assert "syntax error" in output.lower() or "null" in output.lower(), output


def test_no_sandbox_process_left_behind(batch):
    assert batch.left_behind == [], "\n".join(batch.left_behind)
    everywhere = [p for p in processes().values() if batch.marker in p[2]]
    assert everywhere == []
    assert orphaned_workers() == []
    scratch = [p.name for p in Path(batch.marker).iterdir()]
    assert scratch == [], f"sandbox scratch folders were not removed: {scratch}"


def test_no_file_changed_outside_the_sandbox(batch):
    """The corpus and the runtime must be unchanged. Other tracked files too, except that where
    developers edit the tree while the test runs (outside CI) a change counts only if it carries
    something a hostile file writes."""
    changed = sorted(
        k for k in set(batch.before) | set(batch.after) if batch.before.get(k) != batch.after.get(k)
    )
    tampered = [k for k in changed if tampered_with(k)]
    assert tampered == [], f"tracked or corpus files changed during grading: {tampered}"
    if changed:
        print(f"\nnote: changed during the batch, by someone else: {changed}")
    runtime = sorted(
        k
        for k in set(batch.runtime_before) | set(batch.runtime_after)
        if batch.runtime_before.get(k) != batch.runtime_after.get(k)
    )
    assert runtime == [], f"the Python runtime changed during grading: {runtime}"
    for folder in runtime_folders():
        for name in PLANTED:
            path = folder / name
            assert not path.exists() or str(path) in batch.runtime_before, f"{path} appeared"


def test_no_fake_results_where_hostile_files_write_them(batch):
    planted = []
    for guess in GUESSED_WRITES:
        path = Path(guess)
        ours = path.name in ("daemon-alive", "shm-0", "fill-0")  # names only the corpus uses
        if path.exists() and (ours or FAKE_MARKER in path.read_bytes()):
            planted.append(guess)
    scratch = Path(batch.marker)
    planted += [str(p) for p in scratch.rglob("*") if p.name in ("results.json", "gradebook.csv")]
    assert planted == [], f"files written outside the sandbox: {planted}"
    for path in output_files(batch):
        assert FAKE_MARKER not in path.read_bytes(), f"{path} contains a hostile fake result"


def test_grader_environment_did_not_leak(batch):
    assert batch.canary and batch.canary not in os.environ.get(CANARY_NAME, "")
    for path in output_files(batch):
        data = path.read_bytes()
        assert batch.canary.encode() not in data, f"the canary leaked into {path}"
        assert CANARY_NAME.encode() not in data, f"the canary's name leaked into {path}"


def test_no_tampering_survives_into_the_next_batch(batch):
    assert batch.second is not None
    (result,) = batch.second.results
    assert result.status == "graded"
    assert result.score == result.max_score, [o.output for o in result.outcomes if not o.passed]


def test_the_batches_are_fast(batch):
    """The limits keep hostile submissions cheap: the corpus must grade in about a minute."""
    assert sum(batch.seconds.values()) < 180, batch.seconds


# ---------------------------------------------------------------- reproducers of grader bugs


def grade_folder(folder: Path, out: Path, jobs: int = 1) -> ClassResult:
    config = GradeConfig(
        assignment="logistic_regression", out=out, jobs=jobs, limits=LIMITS, progress=False
    )
    return grade(config=config, paths=[folder])


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["gradebook_csv_name", "report_html_name"])
def test_a_submission_named_like_an_output_file_does_not_crash_the_batch(tmp_path, folder):
    if not detect_isolation().bwrap:
        pytest.skip("bubblewrap is not available")
    result = grade_folder(REPRODUCERS / folder, tmp_path / "out")
    assert result.gradebook.is_file()
    assert [r.score for r in result.results] == [r.max_score for r in result.results]


@pytest.mark.slow
def test_a_broken_notebook_costs_only_its_own_points(tmp_path):
    if not detect_isolation().bwrap:
        pytest.skip("bubblewrap is not available")
    result = grade_folder(REPRODUCERS / "null_source_notebook", tmp_path / "out")
    scores = {r.student: (r.status, r.score, r.max_score) for r in result.results}
    assert scores["a_innocent"][0] == "graded", scores
    assert scores["a_innocent"][1] == scores["a_innocent"][2], scores
    assert "b_null_source" in scores, scores


MEASURE_READ = """
import resource
import sys
from pathlib import Path

from autograder import assignments
from autograder.config import Limits
from autograder.grade.engine import grade_file
from autograder.sandbox.launcher import detect_isolation

assignment, isolation = assignments.get("logistic_regression"), detect_isolation()
grade_file(Path(sys.argv[1]), assignment=assignment, limits=Limits(), isolation=isolation)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = grade_file(Path(sys.argv[2]), assignment=assignment, limits=Limits(), isolation=isolation)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(result.status, (after - before) // 1024)
"""


def test_an_oversized_file_is_refused_without_reading_it(tmp_path):
    small, big = tmp_path / "empty.ipynb", tmp_path / "big.ipynb"
    small.write_bytes(b"")
    with big.open("wb") as f:
        f.truncate(400 * 2**20)  # sparse: no disk space used
    out = subprocess.run(
        [sys.executable, "-c", MEASURE_READ, str(small), str(big)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout.split()
    assert out[0] == "unreadable"
    assert int(out[1]) < 100, f"grading the 400 MiB file raised peak memory by {out[1]} MiB"
