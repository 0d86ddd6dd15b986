"""Grading on a real Dask cluster: `dask scheduler` and two `dask worker` processes on loopback."""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.assignments import ROOT
from autograder.batch import cluster as cluster_module
from autograder.batch import run as batch_run
from autograder.batch.cluster import ClusterError
from autograder.config import GradeConfig, Limits

pytest.importorskip("distributed", reason="the cluster extra: pip install 'nnkit[cluster]'")
from loopback import loopback_cluster

CORPUS = ROOT / "tests" / "corpus" / "alternatives" / "logistic_regression"


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers; everything is stopped afterwards."""
    with loopback_cluster(tmp_path / "cluster") as running:
        yield running


def _rows(out: Path) -> dict[str, list[str]]:
    with (out / "gradebook.csv").open(newline="") as f:
        reader = csv.reader(f)
        head = next(reader)
        stop = head.index("source_file") if "source_file" in head else len(head)
        return {row[0]: row[:stop] for row in reader}


def _config(out: Path, scheduler: str | None) -> GradeConfig:
    return GradeConfig(
        assignment="logistic_regression", out=out, jobs=2, progress=False, scheduler=scheduler
    )


@pytest.mark.slow
def test_a_cluster_grades_as_a_local_run_does(cluster, tmp_path):
    address, _ = cluster
    grade(config=_config(tmp_path / "remote", address), paths=[CORPUS])
    grade(config=_config(tmp_path / "local", None), paths=[CORPUS])
    remote, local = _rows(tmp_path / "remote"), _rows(tmp_path / "local")
    assert remote == local and len(remote) == len(list(CORPUS.iterdir()))
    assert all((tmp_path / "remote" / s / "feedback.html").exists() for s in remote)


def test_an_unreachable_scheduler_is_said_clearly(tmp_path):
    shutil.copy(CORPUS / "lr_loops.py", tmp_path / "lr_loops.py")
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        grade(config=_config(tmp_path / "out", "tcp://127.0.0.1:9"), paths=[tmp_path])


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_row_and_doubles_none(cluster, tmp_path):
    address, workers = cluster
    out = tmp_path / "remote"
    done = threading.Event()
    runner = threading.Thread(
        target=lambda: (grade(config=_config(out, address), paths=[CORPUS]), done.set())
    )
    runner.start()
    deadline = time.monotonic() + 300
    while not list(out.glob("*/record.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not done.is_set(), "the class was graded before a worker could be killed"
    os.killpg(workers[0].pid, signal.SIGKILL)  # the nanny and its worker, mid-run
    workers[0].wait()
    runner.join(timeout=600)
    assert done.is_set()
    with (out / "gradebook.csv").open(newline="") as f:
        students = [row[0] for row in csv.reader(f)][1:]
    assert sorted(students) == sorted(p.stem for p in CORPUS.iterdir())  # none lost, none twice
    grade(config=_config(tmp_path / "local", None), paths=[CORPUS])
    assert _rows(out) == _rows(tmp_path / "local")


def _grade_and_kill(folder: Path, out: Path, cluster_folder: Path) -> tuple[list[dict], str]:
    """Grade on a cluster whose scheduler fails a task at its first worker death, killing one
    worker once the first result is saved; (gradebook rows, scheduler log)."""
    strict = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    with loopback_cluster(cluster_folder, scheduler_env=strict) as (address, workers):
        runner = threading.Thread(
            target=lambda: grade(config=_config(out, address), paths=[folder])
        )
        runner.start()
        deadline = time.monotonic() + 300
        while not list(out.glob("*/record.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait()
        runner.join(timeout=600)
        log = (cluster_folder / "scheduler.log").read_text()
    with (out / "gradebook.csv").open(newline="") as f:
        return list(csv.DictReader(f)), log


@pytest.mark.slow
def test_a_batch_that_kills_a_worker_is_split_and_each_submission_graded_alone(tmp_path):
    folder = tmp_path / "class"  # 30 submissions: the tasks hold several each
    folder.mkdir()
    for p in CORPUS.iterdir():
        shutil.copy(p, folder / p.name)
        shutil.copy(p, folder / f"again_{p.name}")
    rows, log = _grade_and_kill(folder, tmp_path / "remote", tmp_path / "cluster")
    assert "workers died while trying to run it" in log, log[-2000:]  # the batch was split
    assert sorted(r["student"] for r in rows) == sorted(p.stem for p in folder.iterdir())
    assert {r["status"] for r in rows} == {"graded"}


@pytest.mark.slow
def test_a_submission_whose_task_kills_its_worker_gets_a_grader_error_row(tmp_path):
    rows, log = _grade_and_kill(CORPUS, tmp_path / "remote", tmp_path / "cluster")  # 1 per task
    assert "workers died while trying to run it" in log, log[-2000:]
    assert sorted(r["student"] for r in rows) == sorted(p.stem for p in CORPUS.iterdir())
    failed = [r for r in rows if r["status"] == "grader error"]
    assert 1 <= len(failed) <= 2  # the task it ran, and one it may have held queued
    assert all(r["score"] == "0" or float(r["score"]) == 0 for r in failed)


def test_without_dask_the_scheduler_flag_says_how_to_install_it(tmp_path):
    shutil.copy(CORPUS / "lr_loops.py", tmp_path / "lr_loops.py")
    code = (
        "import sys; sys.modules['distributed'] = None; from autograder.__main__ import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code, "grade", "logistic_regression", str(tmp_path / "lr_loops.py"),
         "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9", "--no-progress"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert ran.returncode == 2
    assert "pip install 'nnkit[cluster]'" in ran.stderr + ran.stdout


def _one_file(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CORPUS / "lr_loops.py", folder / "lr_loops.py")
    return folder


@pytest.mark.slow
def test_a_worker_without_bubblewrap_refuses_unless_the_instructor_opts_in(tmp_path):
    folder = _one_file(tmp_path)
    no_bwrap = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # bwrap is not on it
    with loopback_cluster(tmp_path / "cluster", workers=1, env=no_bwrap) as (address, _):
        with pytest.raises(ClusterError, match=r"no working bubblewrap.*--allow-weaker-sandbox"):
            grade(config=_config(tmp_path / "refused", address), paths=[folder])
        assert not (tmp_path / "refused" / "lr_loops" / "record.json").exists()
        weaker = dataclasses.replace(
            _config(tmp_path / "weaker", address), allow_weaker_sandbox=True
        )
        graded = grade(config=weaker, paths=[folder])
    assert [(r.student, r.score, r.max_score) for r in graded.results] == [
        ("lr_loops", graded.results[0].max_score, graded.results[0].max_score)
    ]


@pytest.mark.slow
def test_a_worker_that_cannot_load_the_kit_is_named_before_any_task(tmp_path):
    planted = tmp_path / "nokit" / "autograder"  # shadows the kit on the worker's path
    planted.mkdir(parents=True)
    (planted / "__init__.py").write_text("raise ImportError('no kit on this worker')\n")
    env = {**os.environ, "PYTHONPATH": str(planted.parent)}
    with (
        loopback_cluster(tmp_path / "cluster", workers=1, env=env) as (address, _),
        pytest.raises(ClusterError, match=r"cannot load the kit.*install nnkit=="),
    ):
        grade(config=_config(tmp_path / "out", address), paths=[_one_file(tmp_path)])


def test_a_scheduler_without_workers_is_said_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster_module, "WORKER_WAIT", 2.0)
    with (
        loopback_cluster(tmp_path / "cluster", workers=0) as (address, _),
        pytest.raises(ClusterError, match="has no workers"),
    ):
        grade(config=_config(tmp_path / "out", address), paths=[_one_file(tmp_path)])


@pytest.mark.slow
def test_a_task_past_its_deadline_or_a_grader_fault_costs_only_its_submission(
    tmp_path, monkeypatch, gradebook
):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("a.py", "b.py", "fault.py", "hang.py"):
        shutil.copy(CORPUS / "lr_loops.py", folder / name)
    monkeypatch.setattr(batch_run, "TASK_SLACK_SECONDS", 1.0)  # 3 * 2 + 5 + 1 = 12 s each
    monkeypatch.setattr(cluster_module, "POLL", 0.5)
    strict = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    preload = ("--preload", str(Path(__file__).parent / "faulty_worker.py"))
    with loopback_cluster(tmp_path / "c", scheduler_env=strict, worker_args=preload) as (at, _):
        config = dataclasses.replace(
            _config(tmp_path / "out", at), limits=Limits(load_seconds=2, submission_seconds=5)
        )
        started = time.monotonic()
        grade(config=config, paths=[folder])
        took = time.monotonic() - started
    rows = gradebook(tmp_path / "out")
    assert {s: r["status"] for s, r in rows.items()} == {
        "a": "graded", "b": "graded", "fault": "grader error", "hang": "grader error"
    }  # fmt: skip
    assert rows["a"]["score"] == "22" and float(rows["hang"]["score"]) == 0
    assert 12 <= took < 200


@pytest.mark.slow
def test_ctrl_c_during_a_cluster_run_keeps_the_rows_received_and_says_how_to_go_on(
    cluster, tmp_path, gradebook
):
    address, _ = cluster
    folder = tmp_path / "class"
    folder.mkdir()
    slow = "import time\n\n\ndef sigmoid(z):\n    time.sleep(0.5)\n    return _sigmoid(z)\n\n\n"
    for i in range(12):  # the later ones take a while, so the signal comes mid-run
        text = (CORPUS / "lr_loops.py").read_text()
        text = text.replace("def sigmoid(z):", slow + "def _sigmoid(z):") if i >= 4 else text
        (folder / f"s{i:02d}.py").write_text(text)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade", "logistic_regression", str(folder)]
    command += ["--out", str(out), "--scheduler", address, "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while len(list(out.glob("*/record.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Traceback" not in err, err
    said = [line for line in err.splitlines() if line.startswith("interrupted")]
    assert len(said) == 1 and "run the same command again to finish" in said[0], err
    kept = gradebook(out)
    assert 2 <= len(kept) < 12 and {r["score"] for r in kept.values()} == {"22"}
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert len(gradebook(out)) == 12 and {r["score"] for r in gradebook(out).values()} == {"22"}


@pytest.mark.slow
def test_a_cluster_whose_workers_all_leave_says_so_and_keeps_the_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster_module, "WORKER_WAIT", 3.0)
    monkeypatch.setattr(cluster_module, "POLL", 0.5)
    out = tmp_path / "out"
    with loopback_cluster(tmp_path / "c", workers=1) as (address, workers):
        failed: list[BaseException] = []

        def run() -> None:
            try:
                grade(config=_config(out, address), paths=[CORPUS])
            except ClusterError as e:
                failed.append(e)

        runner = threading.Thread(target=run)
        runner.start()
        deadline = time.monotonic() + 300
        while not list(out.glob("*/record.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(workers[0].pid, signal.SIGKILL)  # the nanny too: nothing comes back
        runner.join(timeout=300)
    assert failed and "every worker left" in str(failed[0])
    kept = list(out.glob("*/record.json"))
    assert 1 <= len(kept) < len(list(CORPUS.iterdir()))
