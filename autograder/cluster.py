"""Grade a class on a running Dask distributed cluster: `grade ... --scheduler tcp://HOST:PORT`.

Each submission is one task. Its bytes travel in the task (workers share no file system with the
instructor's machine); a worker grades it in its own sandbox with the kit installed there, exactly
as a local worker does, and sends the result back as plain data. A worker that dies mid-task
loses nothing: the scheduler gives the task to another worker, and a submission that kills
workers again and again (Dask's allowed-failures) gets a "grader error" row, as locally.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from tqdm import tqdm

from autograder import assignments
from autograder.config import Limits
from autograder.engine import grade_files
from autograder.sandbox.launcher import detect_isolation
from autograder.text import clean_result

INSTALL = "Grading on a cluster needs Dask: pip install 'nnkit[cluster]'."


class ClusterError(RuntimeError):
    """The cluster cannot grade: unreachable, or a worker that must not grade; says which."""


def kit_version() -> str:
    return metadata.version("nnkit")


def grade_on_worker(
    name: str,
    data: bytes,
    student: str,
    *,
    assignment: str,
    limits: dict,
    reveal_hidden: bool,
    version: str,
    allow_weaker: bool,
) -> dict:
    """Runs on a Dask worker: grade one submission in this machine's sandbox; plain data back."""
    if kit_version() != version:
        raise ClusterError(f"this worker runs nnkit {kit_version()}, the instructor {version}")
    isolation = detect_isolation()
    if not isolation.bwrap and not allow_weaker:
        raise ClusterError(
            "this worker has no working bubblewrap; install it, or grade with "
            "--allow-weaker-sandbox to accept process limits only"
        )
    results: list = []
    with tempfile.TemporaryDirectory(prefix="nnkit-task-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        grade_files(
            [(path, student)],
            assignment=assignments.get(assignment),
            limits=Limits(**limits),
            isolation=isolation,
            on_result=results.append,
            reveal_hidden=reveal_hidden,
        )
    return asdict(clean_result(results[0]))


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
) -> None:
    """Grade (file, student id) tasks on the cluster at `scheduler`; results as run_pool gives
    them. Raises ClusterError when the scheduler cannot be reached or a worker refuses."""
    try:
        from distributed import Client, as_completed
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
    try:
        futures = {
            client.submit(
                grade_on_worker, Path(file).name, Path(file).read_bytes(), student,
                pure=False, **settings,
            ): student
            for file, student in tasks
        }  # fmt: skip
        bar = tqdm(total=len(futures), unit="submission", disable=not progress)
        for future in as_completed(futures):
            student = futures[future]
            try:
                on_result(future.result())
            except (KilledWorker, FutureCancelledError):
                on_death(student)
            except ClusterError as e:
                raise ClusterError(f"a worker refused to grade: {e}") from None
            bar.update()
        bar.close()
    finally:
        client.close()
