"""The course's assignments: where each one's suite, reference and mistake catalogue live."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS_DIR = ROOT / "assignments"
IDS = ("logistic_regression", "building_blocks", "neural_network", "playground")
BUILDS_ON = {  # an assignment's notebook uses the functions of these earlier ones, in this order
    "neural_network": ("building_blocks",),
    "playground": ("building_blocks", "neural_network"),
}


@dataclass(frozen=True)
class Assignment:
    """One assignment id from the contract, and the files that define it."""

    id: str

    @property
    def folder(self) -> Path:
        return ASSIGNMENTS_DIR / self.id

    @property
    def suite(self) -> Path:
        return self.folder / "suite.py"

    @property
    def builds_on(self) -> tuple[str, ...]:
        """The earlier assignments whose functions this one's notebook uses, in order."""
        return BUILDS_ON.get(self.id, ())

    @property
    def reference(self) -> ModuleType:
        module = (
            "playground_lab" if self.id == "playground" else self.id
        )  # playground's graded part
        return importlib.import_module(f"solutions.{module}")

    @property
    def mistakes(self) -> ModuleType | None:
        path = self.folder / "mistakes.py"
        if not path.exists():
            return None
        spec = importlib.util.spec_from_file_location(f"nnkit_mistakes_{self.id}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def get(assignment_id: str) -> Assignment:
    """The assignment with this id; a clear error for an unknown one."""
    if assignment_id not in IDS:
        raise ValueError(f"Unknown assignment {assignment_id!r}; choose one of {', '.join(IDS)}.")
    return Assignment(assignment_id)


def secret_paths() -> list[Path]:
    """Folders no submission may see: suites, references, the grader itself."""
    return [ASSIGNMENTS_DIR, ROOT / "solutions", ROOT / "autograder", ROOT / "tests"]
