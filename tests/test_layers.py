"""The dependency rule of DESIGN.md, checked on every module's imports (a reader can trust the folder names)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "audit", "drivers", "reports")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in modules(package):
        for name in imports_of(path):
            if name.split(".")[0] in forbidden or any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", ["audit", "drivers", "reports"])
def test_qt_only_in_app(package: str) -> None:
    assert offending(package, ("PySide6", "PyQt5", "PyQt6", "shiboken6")) == []


@pytest.mark.parametrize("package", ["drivers", "reports"])
def test_sqlalchemy_only_in_audit_and_the_wiring(package: str) -> None:
    assert offending(package, ("sqlalchemy", "alembic")) == []


def test_audit_imports_none_of_the_others() -> None:
    assert offending("audit", ("app", "drivers", "reports")) == []


def test_drivers_use_only_the_readings_of_the_audit_core() -> None:
    found = []
    for path in modules("drivers"):
        for name in imports_of(path):
            if name.startswith("audit") and name not in ("audit", "audit.readings"):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
            if name.split(".")[0] in ("app", "reports"):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert found == []


def test_reports_do_not_import_app_or_drivers() -> None:
    assert offending("reports", ("app", "drivers")) == []


def test_the_rule_checker_sees_imports() -> None:
    """Guard against a checker that passes because it reads nothing."""
    assert "sqlalchemy" in imports_of(ROOT / "audit" / "models.py")
    assert len(modules("audit")) > 10
