"""A cgroup per sandbox: caps its processes and its memory, and kills all of it at the end.

Used when the grader runs as root on a machine whose cgroups it may manage (v1 or v2).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import time
import uuid
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
V1_KNOBS = (("pids", "pids.max"), ("memory", "memory.limit_in_bytes"))
V2_KNOBS = ("pids.max", "memory.max")


def _usable(root: Path, knob: str) -> bool:
    probe = root / f"nnkit-probe-{uuid.uuid4().hex[:8]}"
    try:
        probe.mkdir()
    except OSError:
        return False
    ok = (probe / knob).exists()
    with contextlib.suppress(OSError):
        probe.rmdir()
    return ok


@functools.cache
def layout() -> tuple[tuple[Path, str], ...]:
    """The (folder, limit file) pairs this process can use: cgroup v1, else v2, else none."""
    if os.geteuid() != 0 or not ROOT.is_dir():
        return ()
    v1 = tuple((ROOT / c, knob) for c, knob in V1_KNOBS if _usable(ROOT / c, knob))
    return v1 or tuple((ROOT, knob) for knob in V2_KNOBS if _usable(ROOT, knob))


def sweep() -> list[Path]:
    """Remove the empty sandbox cgroups whose maker is dead (a grading worker killed by SIGKILL
    cannot remove its own); returns the ones removed."""
    removed = []
    for root, _ in layout():
        for path in root.glob("nnkit-*-*-*"):
            maker = path.name.split("-")[2]
            if maker.isdigit() and not _alive(int(maker)):
                with contextlib.suppress(OSError):  # processes still inside, or gone already
                    path.rmdir()
                    removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def limits_processes() -> bool:
    return any(knob == "pids.max" for _, knob in layout())


class SandboxCgroup:
    """One sandbox's cgroups, with its process and memory limits written in."""

    def __init__(self, *, processes: int, memory_bytes: int) -> None:
        # whose run made it (its session), and the process that made it (cgroup.sweep)
        name = f"nnkit-{os.getsid(0)}-{os.getpid()}-{uuid.uuid4().hex}"
        value = {
            "pids.max": processes,
            "memory.limit_in_bytes": memory_bytes,
            "memory.max": memory_bytes,
        }
        self.paths: list[Path] = []
        for root, knob in layout():
            path = root / name
            if path not in self.paths:
                path.mkdir()
                self.paths.append(path)
            (path / knob).write_text(str(value[knob]))

    def join(self) -> None:
        """Move the calling process in; called in the child before exec."""
        self.add(os.getpid())

    def add(self, pid: int) -> None:
        """Move process `pid` in."""
        for path in self.paths:
            (path / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        found: set[int] = set()
        for path in self.paths:
            with contextlib.suppress(OSError):
                found |= {int(p) for p in (path / "cgroup.procs").read_text().split()}
        return found

    def destroy(self) -> None:
        """Kill every process inside, wait until they are gone, then remove the groups."""
        deadline = time.monotonic() + 5
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)
        for path in self.paths:
            for _ in range(200):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.005)
