"""`podium backup` then `podium restore` as separate processes on SQLite files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _env(tmp_path: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        PODIUM_DEBUG="1",
        PODIUM_DATA_DIR=str(tmp_path / name),
        DATABASE_URL=f"sqlite:///{tmp_path / name}.sqlite3",
    )
    return env


def test_backup_then_restore_in_another_database(tmp_path: Path) -> None:
    source, target = _env(tmp_path, "source"), _env(tmp_path, "target")
    assert _run(["migrate", "-v", "0"], source).returncode == 0
    fill = (
        "from podium.accounts.services import create_user\n"
        "from podium.programs.services import create_program\n"
        "admin = create_user(actor=None, username='boss', password='x-long-password-1', "
        "is_staff=True)\n"
        "create_program(actor=admin, code='CLI', name='Backed up')\n"
    )
    # The target: migrated and empty (a restore into a database without tables migrates
    # it first: tests/backup/test_backup.py).
    shutil.copyfile(tmp_path / "source.sqlite3", tmp_path / "target.sqlite3")
    assert _run(["manage", "shell", "-c", fill], source).returncode == 0
    media = tmp_path / "source" / "media" / "feedback"
    media.mkdir(parents=True)
    (media / "note.txt").write_text("uploaded")

    made = _run(["backup", str(tmp_path / "b.zip")], source)
    assert made.returncode == 0, made.stderr
    assert "programs.program: 1 rows" in made.stdout and "1 files" in made.stdout

    restored = _run(["restore", str(tmp_path / "b.zip")], target)
    assert restored.returncode == 0, restored.stderr
    assert "row counts and checksums match" in restored.stdout
    assert (tmp_path / "target" / "media" / "feedback" / "note.txt").read_text() == "uploaded"
    again = _run(["restore", str(tmp_path / "b.zip")], target)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "not empty" in again.stderr

    missing = _run(["restore", str(tmp_path / "none.zip")], target)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    (tmp_path / "bad.zip").write_text("garbage")
    bad = _run(["restore", str(tmp_path / "bad.zip")], target)
    assert bad.returncode == 2 and "not a Podium backup" in bad.stderr


def test_program_export_and_import_between_instances(tmp_path: Path) -> None:
    source, target = _env(tmp_path, "source"), _env(tmp_path, "target")
    assert _run(["migrate", "-v", "0"], source).returncode == 0
    shutil.copyfile(tmp_path / "source.sqlite3", tmp_path / "target.sqlite3")  # empty instance
    fill = (
        "from podium.accounts.services import create_user\n"
        "from podium.programs.services import create_program\n"
        "admin = create_user(actor=None, username='boss', password='x-long-password-1', "
        "is_staff=True)\n"
        "create_program(actor=admin, code='MOVE', name='Moving house')\n"
    )
    assert _run(["manage", "shell", "-c", fill], source).returncode == 0
    out = tmp_path / "move.json"
    exported = _run(["program-export", "--program", "MOVE", "-o", str(out)], source)
    assert exported.returncode == 0, exported.stderr
    imported = _run(["program-import", str(out)], target)
    assert imported.returncode == 0, imported.stderr
    assert "Program MOVE imported" in imported.stdout and "1 placeholder users" in imported.stdout
    twice = _run(["program-import", str(out)], target)
    assert twice.returncode == 2 and "already exists" in twice.stderr
