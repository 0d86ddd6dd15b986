"""The trusted side parses a hostile file under a memory and time budget (load.in_child)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.problems import NotGradable
from autograder.sandbox import load

ROOT = Path(__file__).resolve().parents[1]
MEASURE = """
import resource, sys
from pathlib import Path
from autograder.sandbox.load import load_submission
from autograder.problems import NotGradable
try:
    load_submission(Path(sys.argv[1]))
    print("loaded")
except NotGradable as e:
    print(e.message)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.parametrize(
    "body",
    ["+".join(["(1)"] * 620_000), "[" + ",".join(["1.5"] * 620_000) + "]"],
    ids=["nested-sum", "flat-list"],
)
def test_a_huge_expression_costs_the_grader_little_memory(tmp_path, body):
    path = tmp_path / "huge.py"
    path.write_text(f"def f():\n    return {body}\n")  # 2.5 MB: ast.parse alone takes ~0.7 GB
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert "too large" in out[0]
    # alone about 100 MiB; a loaded full run has measured 290 MiB; parsing in the grader: ~700 MiB
    assert int(out[1]) < 450, f"the grader's process grew to {out[1]} MiB"


def test_a_child_over_its_time_budget_is_killed_and_reaped(monkeypatch):
    monkeypatch.setattr(load, "PARSE_SECONDS", 0.5)
    start = time.monotonic()
    with pytest.raises(NotGradable, match="too large or too complex"):
        load.in_child(time.sleep, 30)
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):  # nothing left to wait for
        os.waitpid(-1, os.WNOHANG)


def test_a_child_returns_plain_data_and_its_own_unreadable_message():
    assert load.in_child(lambda a, b: {"sum": [a + b]}, 1, 2) == {"sum": [3]}

    def refuse() -> None:
        raise NotGradable("{name} has a '{' in it")

    with pytest.raises(NotGradable) as caught:
        load.in_child(refuse)
    assert caught.value.message.format(name="x") == "{name} has a '{' in it"


def test_a_large_ordinary_file_still_loads_through_the_child(tmp_path):
    functions = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(12_000))
    path = tmp_path / "big.py"
    path.write_text(functions)  # over IN_PROCESS_CHARS: parsed in the child
    assert len(functions) > load.IN_PROCESS_CHARS
    program = load.load_submission(path)
    assert len(program.chunks) == 12_000 and program.chunks[5]["source"].startswith("def f5")
