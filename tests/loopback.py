"""A real Dask cluster on loopback for tests and `make bench`: `dask scheduler` + `dask worker`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

DASK = Path(sys.executable).parent / "dask"


def _start(args: list[str], log: Path, env: dict | None) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DASK), *args, "--no-dashboard"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the nanny and its worker stop together
        env=env,
    )


def stop(procs: list[subprocess.Popen]) -> None:
    """Stop each process group, killing what does not stop within 20 s."""
    for p in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()


@contextlib.contextmanager
def loopback_cluster(
    folder: Path,
    workers: int = 2,
    env: dict | None = None,
    scheduler_env: dict | None = None,
    worker_args: tuple[str, ...] = (),
) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """(scheduler address, worker processes) of a scheduler and single-threaded workers; `env`,
    `scheduler_env`: the workers' and the scheduler's environment; `worker_args`: more options
    for `dask worker` (such as --preload)."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file",
                     str(info)], folder / "scheduler.log", scheduler_env)]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        args = ["worker", "--scheduler-file", str(info), "--nworkers", "1", "--nthreads", "1"]
        args += worker_args
        started = [_start(args, folder / f"worker{i}.log", env) for i in range(workers)]
        procs += started
        address = json.loads(info.read_text())["address"]
        if workers:
            with Client(address, timeout="30s") as client:
                client.wait_for_workers(workers, timeout=60)
        yield address, started
    finally:
        stop(procs)
