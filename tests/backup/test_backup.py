"""`podium backup` / `podium restore`: every table's row count and checksum survive a
round trip, a failed restore changes nothing, bad files get a one-line error."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from podium.core import backup as bk
from podium.core.backup import BackupError, backup, database_sums, restore
from podium.feedback import services as feedback
from podium.programs.models import Program


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def filled(world: Any, media: Path) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    feedback.submit_feedback(
        actor=world.stakeholder,
        program=world.alpha,
        text="The ward screens are hard to read — see the photo.",
        attachments=[SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\n" + b"x" * 500)],
    )
    return world


def _sums(alias: str) -> dict[str, tuple[int, str]]:
    return {k: (v.rows, v.sha256) for k, v in database_sums(alias).items()}


def test_round_trip_keeps_every_table_and_file(
    filled: Any, media: Path, blank_db: str, tmp_path: Path, settings: Any
) -> None:
    second_db = blank_db  # restore migrates it first
    lines: list[str] = []
    manifest = backup(tmp_path / "b.zip", progress=lines.append)
    assert manifest["tables"]["programs.program"]["rows"] == 2
    assert manifest["migrations"]["programs"].startswith("00")
    assert len(manifest["media"]) == 1 and lines[0].endswith("rows")
    before = _sums("default")

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    restore(tmp_path / "b.zip", using=second_db)
    after = _sums(second_db)
    assert after == before
    assert sum(rows for rows, _ in after.values()) > 50
    (name,) = manifest["media"]
    assert (tmp_path / "restored-media" / name).read_bytes() == (media / name).read_bytes()
    assert Program.objects.using(second_db).get(code="ALPHA").name == "Alpha program"


def test_restore_refuses_a_database_with_data_unless_forced(
    filled: Any, second_db: str, tmp_path: Path
) -> None:
    backup(tmp_path / "b.zip")
    restore(tmp_path / "b.zip", using=second_db)
    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "b.zip", using=second_db)
    Program.objects.using(second_db).filter(code="BETA").update(name="Changed")
    restore(tmp_path / "b.zip", using=second_db, force=True)
    assert Program.objects.using(second_db).get(code="BETA").name == "Beta program"


def _rewrite(src: Path, dst: Path, member: str, data: bytes) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == member else zin.read(item))


def test_a_failed_restore_leaves_the_database_as_it_was(
    filled: Any, second_db: str, tmp_path: Path
) -> None:
    backup(tmp_path / "b.zip")
    good = (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        lines = zf.read("tables/programs.program.jsonl").splitlines(keepends=True)
    # A tampered row (valid JSON, other name): caught by the checksum before commit.
    tampered = lines[0].replace(b"Alpha program", b"Omega program") + b"".join(lines[1:])
    _rewrite(tmp_path / "b.zip", tmp_path / "t.zip", "tables/programs.program.jsonl", tampered)
    with pytest.raises(BackupError, match=r"programs\.program differs"):
        restore(tmp_path / "t.zip", using=second_db)
    # A broken row after other tables were loaded: nothing stays.
    _rewrite(tmp_path / "b.zip", tmp_path / "c.zip", "tables/schedule.link.jsonl", b"[1,2\n")
    with pytest.raises(BackupError, match=r"schedule\.link is corrupt"):
        restore(tmp_path / "c.zip", using=second_db)
    assert _sums(second_db)["accounts.user"][0] == 0
    assert not Program.objects.using(second_db).exists()
    (tmp_path / "b.zip").write_bytes(good)
    restore(tmp_path / "b.zip", using=second_db)
    assert Program.objects.using(second_db).count() == 2


def test_a_backup_newer_than_the_code_is_refused(
    world: Any, second_db: str, tmp_path: Path
) -> None:
    backup(tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["migrations"]["programs"] = "9999_from_the_future"
    _rewrite(tmp_path / "b.zip", tmp_path / "n.zip", "manifest.json", json.dumps(manifest).encode())
    with pytest.raises(BackupError, match="newer than this Podium"):
        restore(tmp_path / "n.zip", using=second_db)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"not a zip at all", "not a Podium backup"),
        ("empty-zip", "no manifest.json"),
    ],
)
def test_missing_or_corrupt_files_get_one_line_errors(
    db: Any, tmp_path: Path, content: Any, message: str
) -> None:
    path = tmp_path / "x.zip"
    if content == "empty-zip":
        zipfile.ZipFile(path, "w").close()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(BackupError, match=message) as caught:
        restore(path)
    assert "\n" not in str(caught.value)


def test_rows_are_read_in_chunks(world: Any, monkeypatch: Any) -> None:
    from podium.accounts.models import User

    monkeypatch.setattr(bk, "CHUNK", 3)
    whole = bk.table_sum(User)
    monkeypatch.setattr(bk, "CHUNK", 1000)
    assert bk.table_sum(User) == whole and whole.rows == User.objects.count() > 3


def test_migrated_empty_database_counts_as_empty(second_db: str, tmp_path: Path) -> None:
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.using(second_db).exists()  # what `podium migrate` leaves
    backup(tmp_path / "b.zip")
    restore(tmp_path / "b.zip", using=second_db)
    assert _sums(second_db) == _sums("default")
