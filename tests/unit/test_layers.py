"""Imports point one way (README, Design): bot/ is the wiring, nothing below it imports bot/; bot/ imports
dialogs/ only to register them; texts/ serves every layer and imports none above it; aiogram stays in the
chat layers; no module takes another module's private helper."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "dialogs", "texts", "services", "storage", "program")
# What each package may import of ours (besides itself).
ALLOWED = {
    "bot": {"handlers", "dialogs", "texts", "services", "storage", "program"},
    "handlers": {"dialogs", "texts", "services", "storage", "program"},
    "dialogs": {"texts", "services", "storage", "program"},
    "texts": {"storage", "program"},
    "services": {"texts", "storage", "program"},
    "storage": {"program"},
    "program": set(),
}
CHAT = {"bot", "handlers", "dialogs"}


def _imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    """Every import that runs: those under `if TYPE_CHECKING:` are for type checkers only."""
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module] if node.module and node.level == 0 else []


def _sources() -> list[tuple[str, Path]]:
    return [(package, path) for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in path.parts]


@pytest.fixture(scope="module")
def sources():
    found = _sources()
    assert len(found) > 100, "the walk found almost nothing: is ROOT right?"
    return found


def test_each_package_imports_only_the_layers_below_it(sources):
    wrong = []
    for package, path in sources:
        for node in _imports(path):
            for module in _modules(node):
                top = module.split(".")[0]
                if top in PACKAGES and top != package and top not in ALLOWED[package]:
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
                if top in ("aiogram", "aiogram_dialog") and package not in CHAT:
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_bot_imports_dialogs_only_to_register_them(sources):
    importers = {str(path.relative_to(ROOT)) for package, path in sources if package == "bot"
                 for node in _imports(path) for module in _modules(node) if module.split(".")[0] == "dialogs"}
    assert importers == {"bot/app.py"}


def test_no_module_imports_another_modules_private_names(sources):
    wrong = [f"{path.relative_to(ROOT)}: from {node.module} import {alias.name}"
             for _package, path in sources for node in _imports(path)
             if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES
             for alias in node.names if alias.name.startswith("_")]
    assert not wrong, "\n".join(wrong)
