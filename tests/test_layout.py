"""The packages read as the pipeline, and no stage imports a later one."""

from __future__ import annotations

import ast
from pathlib import Path

import autograder

KIT = Path(autograder.__file__).parent
# core is the top-level modules (model, config, wire, ...); api and __main__ sit above everything
STAGES = ("core", "suite", "author", "sandbox", "grade", "batch", "course", "report", "export",
          "proof", "top")  # fmt: skip


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("api", "__main__"):
        return "top"
    return parts[1] if parts[1] in STAGES else "core"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.startswith("autograder.")}


def test_no_stage_imports_a_later_one():
    modules = sorted(KIT.rglob("*.py"))
    assert len(modules) > 40  # the walk found the kit
    later = []
    for path in modules:
        module = ".".join(path.relative_to(KIT.parent).with_suffix("").parts)
        stage = STAGES.index(_stage(module))
        later += [
            f"{module} imports {name}"
            for name in _imports(path)
            if STAGES.index(_stage(name)) > stage
        ]
    assert not later, "\n".join(sorted(later))


def test_every_package_is_a_stage():
    packages = {p.parent.name for p in KIT.glob("*/__init__.py")}
    assert packages == set(STAGES) - {"core", "top"}
