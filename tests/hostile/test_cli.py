"""`podium schedule/level/evm/simulate/import` refuse hostile files: exit code 2, one
line on stderr without a traceback, < 1 s and < 50 MB of memory growth (measured inside
the process around the command, after the readers are imported), nothing stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from podium.interchange.registry import MAX_FILE_BYTES
from tests.hostile.cases import OTHER, SCHEDULE_FILES, XLSX, Case
from tests.hostile.measure import MAX_GROWTH_MB, MAX_SECONDS, listener, write_figures

pytestmark = pytest.mark.slow

# Runs one command in a fresh process; its figures go to the file $HOSTILE_FIGURES.
DRIVER = """
import json, os, resource, sys, time
argv = json.loads(sys.argv[1])
import podium.cli as cli
from podium.interchange import csv_format, dslib, mspdi, native, psplib, registry, xer
if argv[0] == "level":
    from podium.engine import leveling
if argv[0] == "simulate":
    from podium.engine import montecarlo
if argv[0] == "import":
    cli._setup_django()
    import podium.schedule.services
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
code = cli.main(argv)
seconds = time.perf_counter() - started
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
figures = {"code": code, "seconds": seconds, "growth_mb": growth}
if argv[0] == "import":
    from podium.programs.models import Component
    from podium.schedule.models import Activity, Calendar, Link
    figures["rows"] = [m.objects.count() for m in (Component, Activity, Link, Calendar)]
with open(os.environ["HOSTILE_FIGURES"], "w") as out:
    json.dump(figures, out)
sys.exit(code)
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile-cli")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    clean.update(
        DATABASE_URL=f"sqlite:///{folder / 'cli.sqlite3'}",
        PODIUM_DATA_DIR=str(folder),
        SECRET_KEY="test-secret-key-for-the-hostile-cli-tests",
        PODIUM_TESTING="1",
        HOSTILE_FIGURES=str(folder / "figures.json"),
    )
    return clean


@pytest.fixture(scope="module")
def database(env: dict[str, str]) -> dict[str, str]:
    """A migrated database with an empty program P1 (for ``podium import``)."""
    run = [sys.executable, "-m", "podium.cli"]
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True, timeout=180)
    make = (
        "from podium.programs.services import create_program as c; "
        "c(actor=None, code='P1', name='P')"
    )
    subprocess.run([*run, "manage", "shell", "-c", make], env=env, check=True, timeout=120)
    return env


def refuse(env: dict[str, str], argv: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(argv)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    figures: dict[str, Any] = json.loads(Path(env["HOSTILE_FIGURES"]).read_text())
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("podium: error: ")
    assert figures["seconds"] < MAX_SECONDS, figures
    assert figures["growth_mb"] < MAX_GROWTH_MB, figures
    figures["stderr"] = lines[0]
    write_figures(
        f"CLI {argv[0]}", Path(argv[1]).parent.name, figures["seconds"], figures["growth_mb"]
    )
    return figures


def _write(folder: Path, case: Case, port: int) -> Path:
    """The case's file, in a folder named after the case (so figures name the case)."""
    folder.mkdir(exist_ok=True)
    path = folder / case.filename
    path.write_bytes(case.build(port))
    return path


def _check(env: dict[str, str], tmp_path: Path, case: Case, *argv: str) -> dict[str, Any]:
    with listener() as port:
        path = _write(tmp_path / case.id, case, port.port)
        figures = refuse(env, [argv[0], str(path), *argv[1:]])
    assert port.connections == 0
    assert case.says.lower() in figures["stderr"].lower(), figures["stderr"]
    return figures


@pytest.mark.parametrize("case", SCHEDULE_FILES, ids=lambda c: c.id)
def test_schedule(env: dict[str, str], tmp_path: Path, case: Case) -> None:
    _check(env, tmp_path, case, "schedule")


def _some(*ids: str) -> list[Case]:
    return [c for c in SCHEDULE_FILES if c.id in ids]


# `level`, `evm` and `simulate` read through the same functions as `schedule`
# (read_any, the DSLIB workbook reader): a few cases each show the wiring.
@pytest.mark.parametrize(
    "case", _some("xxe-http", "external-dtd", "zip-bomb", "xlsx-dimension-bomb"), ids=repr
)
def test_level(env: dict[str, str], tmp_path: Path, case: Case) -> None:
    _check(env, tmp_path, case, "level", "--time-limit", "1")


@pytest.mark.parametrize("case", [c for c in OTHER if c.filename.endswith(".sm")], ids=repr)
def test_level_psplib(env: dict[str, str], tmp_path: Path, case: Case) -> None:
    figures = refuse(env, ["level", str(_write(tmp_path / case.id, case, 0)), "--time-limit", "1"])
    assert "plan.sm" in figures["stderr"]


@pytest.mark.parametrize("case", XLSX, ids=lambda c: c.id)
def test_evm(env: dict[str, str], tmp_path: Path, case: Case) -> None:
    _check(env, tmp_path, case, "evm")


@pytest.mark.parametrize(
    "case", _some("zip-bomb", "json-deep-nesting", "json-long-number"), ids=repr
)
def test_simulate(env: dict[str, str], tmp_path: Path, case: Case) -> None:
    _check(env, tmp_path, case, "simulate", "--iterations", "10")


@pytest.mark.parametrize("case", SCHEDULE_FILES, ids=lambda c: c.id)
def test_import_stores_nothing(database: dict[str, str], tmp_path: Path, case: Case) -> None:
    figures = _check(database, tmp_path, case, "import", "--program", "P1")
    assert "nothing imported" in figures["stderr"]
    assert figures["rows"] == [0, 0, 0, 0]


@pytest.mark.parametrize("command", ["schedule", "import"])
def test_oversize_file(database: dict[str, str], tmp_path: Path, command: str) -> None:
    big = tmp_path / "huge.xer"
    with big.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: costs neither disk nor memory
    argv = [command, str(big)] + (["--program", "P1"] if command == "import" else [])
    figures = refuse(database, argv)
    assert "at most 50 MB" in figures["stderr"]
    assert figures["growth_mb"] < 5
