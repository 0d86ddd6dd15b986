"""The student's side of building on an earlier assignment: the shipped loader and provide-model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.assignments import ROOT, get
from autograder.author.generate import generate, model_modules

SHIPPED = ROOT / "autograder" / "author" / "nnkit_earlier.py"
WRONG_SIGMOID = "import numpy as np\n\ndef sigmoid(z):\n    return 0.5 * z  # deliberately wrong"


def _run(folder: Path, code: str) -> subprocess.CompletedProcess:
    """`code` in a fresh Python in `folder` beside the shipped loader, as a notebook runs it."""
    shutil.copy(SHIPPED, folder / "nnkit_earlier.py")
    command = [sys.executable, "-c", code]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


def _notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)


LATER = (
    "from nnkit_earlier import load_earlier\n"
    "load_earlier('building_blocks', path='building_blocks.ipynb')\n"
    "def forward(z):\n    return sigmoid(z)\n"
    "print('forward(4) =', forward(4.0))\n"
)


def test_a_wrong_earlier_function_of_the_student_is_the_one_used(tmp_path):
    """In a fresh Python with only the shipped file: the later notebook calls the student's own
    (wrong) sigmoid, and the earlier notebook's experiments do not run."""
    _notebook(tmp_path / "building_blocks.ipynb", WRONG_SIGMOID, "open('experiment_ran', 'w')")
    done = _run(tmp_path, LATER)
    assert done.returncode == 0, done.stderr
    assert "forward(4) = 2.0" in done.stdout  # the model answer would give 0.982
    assert not (tmp_path / "experiment_ran").exists()


def test_the_missing_notebook_message_reaches_the_student(tmp_path):
    done = _run(tmp_path, LATER)
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("FileNotFoundError: building_blocks.ipynb was not found."), last
    assert "put your building_blocks notebook in this folder" in last


def test_model_answers_shipped_as_otter_packages_are_loaded(tmp_path):
    """As otter ships support files, as packages: neural_network_model/ imports the other."""
    for name, text in model_modules(get("playground")).items():
        (tmp_path / Path(name).stem).mkdir()
        (tmp_path / Path(name).stem / "__init__.py").write_text(text)
    code = (
        "from nnkit_earlier import load_earlier\n"
        "load_earlier('building_blocks')\nload_earlier('neural_network')\n"
        "print(sorted({'train', 'layer_forward', 'DERIVATIVES'} - set(globals())))"
    )
    done = _run(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert "Loaded the model answers of neural_network" in done.stdout


@pytest.mark.slow
def test_provide_model_ships_the_earlier_model_answers(tmp_path):
    """`generate --provide-model neural_network` ships it and building_blocks (which it builds
    on) to the playground students, and load_earlier prefers them to the student's notebooks."""
    plain = generate(["playground"], tmp_path / "plain")
    assert not [p for p in plain if p.name.endswith("_model.py") and p.parent.name == "student"]
    out = tmp_path / "given"
    command = [sys.executable, "-m", "autograder", "generate", "playground", "--out", str(out)]
    done = subprocess.run([*command, "--provide-model", "neural_network"], capture_output=True)
    assert done.returncode == 0, done.stderr
    student = out / "playground" / "student"
    for name, text in model_modules(get("playground")).items():
        assert (student / name).read_text() == text
    _notebook(student / "building_blocks.ipynb", WRONG_SIGMOID)
    done = _run(student, LATER)
    assert done.returncode == 0, done.stderr
    assert "Loaded the model answers of building_blocks" in done.stdout
    assert "forward(4) = 0.98" in done.stdout
