"""The layers of kg/ (pyproject.toml's [tool.importlinter] contract): lint-imports keeps them, the
contract names every module, and an import up a layer breaks it. See docs/internals.md."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KG = ROOT / "kg"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def layered_modules() -> list[str]:
    (contract,) = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    return [name.strip() for layer in contract["layers"] for name in layer.split("|")]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    command = [str(LINT_IMPORTS) if LINT_IMPORTS.exists() else "lint-imports", "--no-cache", "--no-logo"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "PYTHONPATH": str(root)}, timeout=120)


def imported_modules(path: Path) -> set[str]:
    """The kg modules ``path`` imports, at its top and inside its functions alike."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("kg."):
            names.add(node.module.split(".")[1])
    return names


def test_the_layers_contract_names_every_module_of_kg_once():
    modules = sorted(p.stem for p in KG.glob("*.py") if p.stem != "__init__")
    assert sorted(layered_modules()) == modules


def test_lint_imports_keeps_the_layers():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 1 kept, 0 broken." in proc.stdout


def test_an_import_up_a_layer_breaks_the_contract(tmp_path):
    """kg.model importing the command line: lint-imports fails, and names the import."""
    shutil.copytree(KG, tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__", "*.toml", "*.tsv", "*.html", "*.js", "*.rq"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    model = tmp_path / "kg" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nfrom . import cli  # noqa\n", encoding="utf-8")
    proc = lint_imports(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "kg.model -> kg.cli" in proc.stdout and "0 kept, 1 broken" in proc.stdout


def test_no_module_of_kg_imports_itself_round_a_cycle():
    """Function-level imports count too: a cycle dodged by a late import is still a cycle."""
    graph = {p.stem: imported_modules(p) & {q.stem for q in KG.glob("*.py")} for p in KG.glob("*.py")}
    order, done = [], set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module not in done:
            for other in sorted(graph[module]):
                visit(other, (*path, module))
            done.add(module)
            order.append(module)

    for module in sorted(graph):
        visit(module, ())
    assert len(order) == len(graph)
