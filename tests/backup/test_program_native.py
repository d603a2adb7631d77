"""A program's native JSON: exported, imported into an empty instance, exported again —
the two documents are equal. Every model with a path to a program is covered."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from podium.core.backup import backup, database_sums, restore
from podium.core.errors import ValidationFailed
from podium.programs import native
from podium.programs.models import Program


def test_every_model_with_a_path_to_a_program_is_exported_or_left_out_on_purpose() -> None:
    paths = native.program_paths()
    exported = native.program_models()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        keys = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
        if any(k.related_model in paths for k in keys):
            label = model._meta.label_lower
            assert model in exported or label in native.LEFT_OUT, label
    labels = {m._meta.label_lower for m in exported}
    assert {"schedule.activity", "risks.risk_activities", "meetings.agendaitem"} <= labels
    assert set(native.LEFT_OUT) <= {m._meta.label_lower for m in paths}


def test_import_refuses_a_taken_code_and_a_foreign_document(world: Any) -> None:
    document = native.export_program(world.alpha)
    with pytest.raises(ValidationFailed, match="already exists"):
        native.import_program(document, actor=world.admin)
    with pytest.raises(ValidationFailed, match="not a Podium program"):
        native.import_program({"format": "other"}, actor=world.admin)
    copy = native.import_program(document, actor=world.admin, code="ALPHA2")
    assert copy.program.components.get().name == "First component"
    assert copy.program.manager == world.pm  # the same person, matched by username
    assert copy.users_created == 0


# -- the demo, loaded once for this module -----------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Path]:
    from podium.demo import load_demo

    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        started = time.monotonic()
        load_demo()
        print(f"\ndemo loaded in {time.monotonic() - started:.1f} s")
        try:
            yield media
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.mark.slow
def test_demo_backup_round_trip(demo: Path, second_db: str, tmp_path: Path, settings: Any) -> None:
    # Into a migrated, empty database (restoring into one without tables, which migrates
    # it first, is tests/backup/test_backup.py's round trip).
    settings.MEDIA_ROOT = demo
    started = time.monotonic()
    manifest = backup(tmp_path / "demo.zip")
    took = time.monotonic() - started
    rows = sum(t["rows"] for t in manifest["tables"].values())
    size = (tmp_path / "demo.zip").stat().st_size
    print(
        f"\n{connections['default'].vendor}: {len(manifest['tables'])} tables, {rows} rows, "
        f"{size / 1e6:.2f} MB in {took:.1f} s"
    )
    assert manifest["tables"]["schedule.activity"]["rows"] > 100
    started = time.monotonic()
    restore(tmp_path / "demo.zip", using=second_db)
    print(f"restored in {time.monotonic() - started:.1f} s")
    source = {k: (v.rows, v.sha256) for k, v in database_sums("default").items()}
    restored = {k: (v.rows, v.sha256) for k, v in database_sums(second_db).items()}
    assert restored == source
    assert sum(1 for rows, _ in restored.values() if rows) > 60


@pytest.mark.slow
def test_demo_program_round_trip_gives_an_equal_program(
    demo: Path, second_db: str, settings: Any
) -> None:
    settings.MEDIA_ROOT = demo
    hdt = Program.objects.get(code="HDT")
    first = native.export_program(hdt)
    assert json.loads(json.dumps(first)) == first  # plain JSON
    assert len(first["rows"]) > 50 and len(first["history"]) > 100
    # Every table where the demo has rows of HDT is in the document, or its rows point at
    # another program's (EPR-2023's lessons applied in HDT) and are left out.
    for model, path in native.program_models().items():
        if model._base_manager.filter(**{path: hdt.pk}).exists():
            label = model._meta.label_lower
            assert label in first["rows"] or label in first["left_out"], label
    assert first["left_out"] == {"lessons.lesson_applied_in": 1} or "lessons" in str(
        first["left_out"]
    )

    # "An empty instance": the second database, used as the default one.
    real = connections["default"]
    connections["default"] = connections[second_db]
    try:
        result = native.import_program(json.loads(json.dumps(first)), actor=None)
        assert result.users_created == len(first["users"])
        second = native.export_program(Program.objects.get(code="HDT"))
        assert Program.objects.count() == 1
    finally:
        connections["default"] = real
    assert native.program_differences(first, second) == []
    # The comparison does see a change.
    first["rows"]["risks.risk"][0]["fields"]["title"] = "Something else"
    assert native.program_differences(first, second)
