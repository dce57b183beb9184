"""The layers import downward only, the domain stays pure, and the CLI starts light.

Imports are read with `ast`, not by importing: a lazy import inside a function
counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import easein

PACKAGE = Path(easein.__file__).parent

FRAMEWORKS = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "typer",
    "click",
    "rich",
    "jinja2",
    "pydantic",
    "pydantic_settings",
    "platformdirs",
    "psycopg",
    "orjson",
    "fpdf",
    "pygal",
)
OUTER_LAYERS = (
    "easein.notify",
    "easein.store",
    "easein.services",
    "easein.api",
    "easein.web",
    "easein.cli",
)
CLOCK_READS = {
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
    "time.monotonic",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def ids(paths: list[Path]) -> list[str]:
    return [module_name(p) for p in paths]


def absolute(node: ast.ImportFrom, path: Path) -> str:
    """Return the absolute module an `import from` names, resolving relative dots."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_names(tree: ast.AST, path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line, module) for every import, including `from x import y` as x.y."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            source = absolute(node, path)
            yield node.lineno, source
            for alias in node.names:
                yield node.lineno, f"{source}.{alias.name}"


def is_under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def forbidden_imports(path: Path, prefixes: tuple[str, ...]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(
        {
            f"{path.name}:{line} imports {name}"
            for line, name in imported_names(tree, path)
            if is_under(name, prefixes)
        }
    )


def clock_reads(source: str, path: Path) -> list[str]:
    """Return the calls in `source` that read the clock, with import aliases resolved."""
    tree = ast.parse(source, filename=str(path))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom):
            source_module = absolute(node, path)
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{source_module}.{alias.name}"
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts: list[str] = []
        target = node.func
        while isinstance(target, ast.Attribute):
            parts.append(target.attr)
            target = target.value
        if not isinstance(target, ast.Name):
            continue
        head = aliases.get(target.id, target.id)
        qualified = ".".join([head, *reversed(parts)])
        if qualified in CLOCK_READS:
            found.append(f"{path.name}:{node.lineno} calls {qualified}")
    return found


# --- the domain is pure ----------------------------------------------------------------


def test_the_domain_has_modules_to_check() -> None:
    names = ids(modules("domain"))
    assert "easein.domain.training" in names
    assert "easein.domain.safety" in names


@pytest.mark.parametrize("path", modules("domain"), ids=ids(modules("domain")))
def test_the_domain_imports_no_framework_and_no_outer_layer(path: Path) -> None:
    assert forbidden_imports(path, FRAMEWORKS + OUTER_LAYERS) == []


@pytest.mark.parametrize("path", modules("domain"), ids=ids(modules("domain")))
def test_the_domain_never_reads_the_clock(path: Path) -> None:
    assert clock_reads(path.read_text(encoding="utf-8"), path) == []


CLOCKY = """
import datetime
import datetime as dt
import time
from datetime import date, datetime as DT, time as clock_time
from time import time as now_seconds

datetime.datetime.now()
dt.datetime.utcnow()
DT.now(tz=None)
date.today()
time.time()
now_seconds()
clock_time(12, 0)  # a time of day, not a clock read
DT.fromisoformat("2026-01-01")
"""


def test_the_clock_check_sees_through_aliases_and_not_time_of_day() -> None:
    found = clock_reads(CLOCKY, PACKAGE / "domain" / "example.py")
    assert [line.split(" calls ")[1] for line in found] == [
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.now",
        "datetime.date.today",
        "time.time",
        "time.time",
    ]


def test_the_import_check_resolves_relative_imports() -> None:
    path = PACKAGE / "domain" / "example.py"
    tree = ast.parse("from ..store import models\nfrom . import rules\nimport sqlalchemy.orm\n")
    names = {name for _, name in imported_names(tree, path)}
    assert {"easein.store.models", "easein.domain.rules", "sqlalchemy.orm"} <= names


# --- calls go one way ------------------------------------------------------------------


@pytest.mark.parametrize("path", modules("store"), ids=ids(modules("store")))
def test_the_store_imports_no_service_and_no_interface(path: Path) -> None:
    assert (
        forbidden_imports(
            path, ("easein.notify", "easein.services", "easein.api", "easein.web", "easein.cli")
        )
        == []
    )


# notify/ builds what is sent (the calendar feed) from domain values: it sits between
# the domain and the services, which read the data and call it.
def test_notify_has_modules_to_check() -> None:
    assert "easein.notify.ical" in ids(modules("notify"))


@pytest.mark.parametrize("path", modules("notify"), ids=ids(modules("notify")))
def test_notify_imports_only_the_domain_and_no_database_or_web_framework(path: Path) -> None:
    assert forbidden_imports(path, FRAMEWORKS + OUTER_LAYERS[1:]) == []


@pytest.mark.parametrize("path", modules("notify"), ids=ids(modules("notify")))
def test_notify_never_reads_the_clock(path: Path) -> None:
    assert clock_reads(path.read_text(encoding="utf-8"), path) == []


# What to notify and when is pure: only `notify.deliver` talks to Apprise (and the network).
@pytest.mark.parametrize(
    "path", [p for p in modules("notify") if p.name != "deliver.py"], ids=lambda p: p.stem
)
def test_only_notify_deliver_imports_apprise(path: Path) -> None:
    assert forbidden_imports(path, ("apprise",)) == []


@pytest.mark.parametrize("path", modules("services"), ids=ids(modules("services")))
def test_services_import_no_interface(path: Path) -> None:
    assert forbidden_imports(path, ("easein.api", "easein.web", "easein.cli")) == []


# --- the command line starts light -------------------------------------------------------


def test_importing_the_cli_loads_no_web_stack_no_alembic_and_no_rich() -> None:
    heavy = ("fastapi", "starlette", "jinja2", "alembic", "rich", "fpdf", "pygal", "apprise")
    script = (
        "import sys, easein.cli.main\n"
        f"heavy = {heavy!r}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
