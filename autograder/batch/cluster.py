"""Grade a class on a running Dask distributed cluster: `grade ... --scheduler tcp://HOST:PORT`.

Each task is a batch of submissions. Their bytes travel in the task (workers share no file system
with the instructor's machine); a worker grades them in its own sandbox with the kit installed
there, exactly as a local worker does, and sends the results back as plain data. A worker that
dies mid-task loses nothing: the scheduler gives the task to another worker. A worker that holds
a task past its deadline (`task_seconds` per submission) is restarted by its nanny, which counts
as a death. A batch that kills workers again and again (Dask's allowed-failures) is split, each
of its submissions graded alone, and one that still kills workers gets a "grader error" row, as
locally.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from tqdm import tqdm

from autograder import assignments
from autograder.config import Limits
from autograder.grade.engine import grade_files
from autograder.sandbox.launcher import (
    Isolation,
    bwrap_command,
    detect_isolation,
    fallback_isolation,
)
from autograder.text import clean_result

INSTALL = "Grading on a cluster needs Dask: pip install 'nnkit[cluster]'."
BATCH = 8  # submissions per task at most: fewer tasks to schedule, one sandbox start per task
WORKER_WAIT = 60.0  # seconds to wait for a first worker before saying there is none
POLL = 2.0  # seconds between looks at which worker runs what, for the deadlines


class ClusterError(RuntimeError):
    """The cluster cannot grade: unreachable, or a worker that must not grade; says which."""


def kit_version() -> str:
    return metadata.version("nnkit")


@functools.cache
def _isolation() -> tuple[Isolation, str]:
    """This worker process's sandbox, probed once, and why bubblewrap cannot grade here ("" if it
    can): the probe starts Python in the full sandbox, /proc and all, as grading will."""
    isolation = detect_isolation()
    if not isolation.bwrap:
        return isolation, "this worker has no working bubblewrap"
    with tempfile.TemporaryDirectory(prefix="nnkit-probe-") as scratch:
        argv = [sys.executable, "-I", "-c", "pass"]
        command = bwrap_command(
            isolation.bwrap, Path(scratch), argv, Limits(), assignments.secret_paths()
        )
        ran = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if ran.returncode != 0:  # graded at all only with --allow-weaker-sandbox: process limits
        why = f"bubblewrap cannot start the sandbox here ({ran.stderr.strip()[-200:]})"
        return fallback_isolation(), why
    return isolation, ""


def grade_on_worker(
    batch: list[tuple[str, bytes, str]],
    *,
    assignment: str,
    limits: dict,
    reveal_hidden: bool,
    version: str,
    allow_weaker: bool,
) -> list[dict]:
    """Runs on a Dask worker: grade (file name, bytes, student id) in this machine's sandbox."""
    if kit_version() != version:
        raise ClusterError(f"this worker runs nnkit {kit_version()}, the instructor {version}")
    isolation, gap = _isolation()
    if gap and not allow_weaker:
        raise ClusterError(
            f"{gap}; install bubblewrap (and allow user namespaces), or grade with "
            "--allow-weaker-sandbox to accept process limits only"
        )
    results: list = []
    with tempfile.TemporaryDirectory(prefix="nnkit-task-") as folder:
        files = []
        for i, (name, data, student) in enumerate(batch):
            path = Path(folder) / str(i) / Path(name).name  # two students may share a file name
            path.parent.mkdir()
            path.write_bytes(data)
            files.append((path, student))
        try:
            grade_files(
                files,
                assignment=assignments.get(assignment),
                limits=Limits(**limits),
                isolation=isolation,
                on_result=results.append,
                reveal_hidden=reveal_hidden,
            )
        except Exception:
            # exception Dask cannot carry back would leave the instructor waiting forever)
            done = {r.student for r in results}
            results += [{"failed": s} for _, _, s in batch if s not in done]
    return [r if isinstance(r, dict) else asdict(clean_result(r)) for r in results]


def _check_workers(client, scheduler: str) -> None:
    """Refuse a cluster with no worker, or with a worker that cannot load this kit's version (it
    would drop every task it is sent, and the class would wait forever)."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        raise ClusterError(
            f"the Dask scheduler at {scheduler} has no workers (waited {WORKER_WAIT:.0f} s)"
        ) from None
    loaded = client.run(exec, "import autograder.batch.cluster", on_error="return")
    versions = client.run(metadata.version, "nnkit", on_error="return")
    for worker in sorted(versions):
        version = versions[worker]
        if isinstance(version, Exception) or isinstance(loaded.get(worker), Exception):
            why = version if isinstance(version, Exception) else loaded[worker]
            raise ClusterError(
                f"the worker at {worker} cannot load the kit ({why!r}): install "
                f"nnkit=={kit_version()} with 'nnkit[cluster]' on every worker"
            )
        if version != kit_version():
            raise ClusterError(
                f"the worker at {worker} runs nnkit {version}, the instructor {kit_version()}"
            )


def run_cluster(
    tasks: list[tuple[str, str]],
    *,
    scheduler: str,
    assignment: str,
    limits: Limits,
    reveal_hidden: bool,
    allow_weaker: bool,
    on_result: Callable[[dict], None],
    on_death: Callable[[str], None],
    progress: bool,
    task_seconds: float,
) -> None:
    """Grade (file, student id) tasks on the cluster at `scheduler`; results as run_pool gives
    them. Raises ClusterError when the scheduler cannot be reached or a worker refuses."""
    try:
        from distributed import Client, wait
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise ClusterError(INSTALL) from None
    try:
        client = Client(scheduler, timeout="15s")
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    settings = {"assignment": assignment, "limits": asdict(limits), "version": kit_version(),
                "reveal_hidden": reveal_hidden, "allow_weaker": allow_weaker}  # fmt: skip

    def submit(batch: list[tuple[str, str]]):
        payload = [(Path(f).name, Path(f).read_bytes(), s) for f, s in batch]
        return client.submit(grade_on_worker, payload, pure=False, **settings)

    try:
        _check_workers(client, scheduler)
        workers = max(1, len(client.scheduler_info()["workers"]))
        size = max(1, min(BATCH, len(tasks) // (4 * workers)))  # a few tasks per worker, at least
        held = {}
        for i in range(0, len(tasks), size):
            held[submit(tasks[i : i + size])] = tasks[i : i + size]
        bar = tqdm(total=len(tasks), unit="submission", disable=not progress)
        overdue = _Deadlines(client, task_seconds)
        while held:
            try:
                done = wait(list(held), timeout=POLL, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                overdue.enforce({f.key: len(batch) for f, batch in held.items()})
                continue
            for future in done:
                batch = held.pop(future)
                try:
                    results = future.result()
                except (KilledWorker, FutureCancelledError):
                    if len(batch) > 1:  # which one kills workers? each is graded alone
                        held.update({submit([task]): [task] for task in batch})
                        continue
                    on_death(batch[0][1])
                    results = []
                except ClusterError as e:
                    raise ClusterError(f"a worker refused to grade: {e}") from None
                for data in results:
                    on_death(data["failed"]) if "failed" in data else on_result(data)
                bar.update(len(batch))
        bar.close()
    finally:
        client.close()


class _Deadlines:
    """Restarts a worker that has made no progress for longer than its largest task's budget.

    A worker holds the task it runs and, with Dask's queuing, about one more; the clock starts
    when the set of tasks it holds last changed, which is when its running task started.
    """

    def __init__(self, client, seconds_each: float) -> None:
        self.client, self.seconds_each = client, seconds_each
        self.seen: dict[str, tuple[frozenset, float]] = {}  # worker: (its tasks, since when)
        self.alone_since: float | None = None  # since when the cluster has had no worker

    def enforce(self, sizes: dict[str, int]) -> None:
        """`sizes`: the submissions in each task still awaited, by task key."""
        now, late = time.monotonic(), []
        self.alone_since = None if self.client.nthreads() else (self.alone_since or now)
        if self.alone_since is not None and now - self.alone_since > WORKER_WAIT:
            raise ClusterError(
                f"every worker left the cluster (none for {WORKER_WAIT:.0f} s); the rows received "
                "are kept: start workers and run the same command again to finish"
            )
        for worker, keys in self.client.processing().items():
            held = frozenset(k for k in keys if k in sizes)
            before, since = self.seen.get(worker, (None, now))
            since = since if before == held else now
            self.seen[worker] = (held, since)
            if held and now - since > max(sizes[k] for k in held) * self.seconds_each:
                late.append(worker)
        for worker in late:  # it dies: its nanny starts it again, its tasks go elsewhere
            self.client.run(_kill_worker, workers=[worker], nanny=True, on_error="ignore")
            self.seen.pop(worker, None)


def _kill_worker(dask_worker) -> None:
    """Runs in a worker's nanny: kill the worker process, as a crash would."""
    os.kill(dask_worker.process.process.pid, signal.SIGKILL)
