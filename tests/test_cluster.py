"""Grading on a real Dask cluster: `dask scheduler` and two `dask worker` processes on loopback."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.assignments import ROOT
from autograder.batch import grade_class
from autograder.cluster import ClusterError
from autograder.config import GradeConfig

pytest.importorskip("distributed", reason="the cluster extra: pip install 'nnkit[cluster]'")
DASK = Path(sys.executable).parent / "dask"
CORPUS = ROOT / "tests" / "corpus" / "alternatives" / "logistic_regression"


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DASK), *args, "--no-dashboard"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers; everything is stopped afterwards."""
    info = tmp_path / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file",
                     str(info)], tmp_path / "scheduler.log")]  # fmt: skip
    deadline = time.monotonic() + 60
    while not info.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    args = ["worker", "--scheduler-file", str(info), "--nworkers", "1", "--nthreads", "1"]
    workers = [_start(args, tmp_path / f"worker{i}.log") for i in range(2)]
    procs += workers
    address = json.loads(info.read_text())["address"]
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    yield address, workers
    for p in procs:
        os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


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
    grade_class(config=_config(tmp_path / "remote", address), paths=[CORPUS])
    grade_class(config=_config(tmp_path / "local", None), paths=[CORPUS])
    remote, local = _rows(tmp_path / "remote"), _rows(tmp_path / "local")
    assert remote == local and len(remote) == len(list(CORPUS.iterdir()))
    assert all((tmp_path / "remote" / s / "feedback.html").exists() for s in remote)


def test_an_unreachable_scheduler_is_said_clearly(tmp_path):
    shutil.copy(CORPUS / "lr_loops.py", tmp_path / "lr_loops.py")
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        grade_class(config=_config(tmp_path / "out", "tcp://127.0.0.1:9"), paths=[tmp_path])
