"""Whole-instance backups: one zip file holding every table of every installed app as JSON
lines, the uploaded files, and a manifest (Podium version, migration state, per-table row
count and checksum, per-file size and checksum).

A row is the JSON list of its column values in the table's column order; a table's
checksum is the sha256 of its rows' lines in primary-key order, so the same data gives
the same checksum on any database. Restoring migrates the target to the backup's
migration state, loads every table in one transaction and checks the checksums again
before it commits.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.duration import duration_iso_string

import podium

__all__ = [
    "BackupError",
    "TableSum",
    "backup",
    "database_sums",
    "restore",
]

FORMAT = "podium.backup"
FORMAT_VERSION = 1
CHUNK = 2000
MANIFEST = "manifest.json"
# Tables that `podium migrate` fills by itself: a freshly migrated database is "empty".
MIGRATE_FILLS = {"contenttypes.contenttype", "auth.permission"}

Progress = Callable[[str], None]


class BackupError(Exception):
    """A one-line reason why a backup or restore could not be done."""


@dataclass(frozen=True)
class TableSum:
    """Row count and sha256 of one table's canonical rows."""

    rows: int
    sha256: str


def _quiet(_: str) -> None:
    pass


# -- canonical rows ----------------------------------------------------------------------


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def canonical(values: Any) -> str:
    """One row (or any value) as canonical JSON: sorted keys, no spaces, full precision."""
    return json.dumps(
        values, default=_default, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def tables(apps: Apps) -> list[type[models.Model]]:
    """Every table's model in ``apps`` (proxies and unmanaged models left out), by label."""
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen[meta.db_table] = model
    return sorted(seen.values(), key=_label)


def _rows(model: type[models.Model], using: str) -> Iterator[tuple[Any, ...]]:
    """The table's rows in primary-key order, read CHUNK rows at a time."""
    names = [f.attname for f in _columns(model)]
    pk = model._meta.pk
    assert pk is not None
    at = names.index(pk.attname)
    query = model._base_manager.using(using).order_by(pk.attname)
    last: Any = None
    while True:
        page = query if last is None else query.filter(pk__gt=last)
        chunk = list(page.values_list(*names)[:CHUNK])
        yield from chunk
        if len(chunk) < CHUNK:
            return
        last = chunk[-1][at]


def _lines(model: type[models.Model], using: str) -> Iterator[str]:
    for row in _rows(model, using):
        yield canonical(list(row)) + "\n"


def table_sum(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> TableSum:
    digest = hashlib.sha256()
    count = 0
    for line in _lines(model, using):
        digest.update(line.encode())
        count += 1
    return TableSum(count, digest.hexdigest())


# -- migration state ---------------------------------------------------------------------


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app (app label -> migration name)."""
    loader = MigrationLoader(connections[using])
    applied = set(loader.applied_migrations)
    state: dict[str, str] = {}
    for app, name in sorted(applied):
        if (app, name) not in loader.graph.nodes:
            continue
        children = loader.graph.node_map[(app, name)].children
        if not any(c[0] == app and c in applied for c in children):
            state[app] = name
    return state


def _state_apps(loader: MigrationLoader, state: dict[str, str]) -> Apps:
    return loader.project_state(list(state.items()), at_end=True).apps


def database_sums(using: str = DEFAULT_DB_ALIAS) -> dict[str, TableSum]:
    """Row count and checksum of every table, with the models of the applied migrations."""
    loader = MigrationLoader(connections[using])
    apps = _state_apps(loader, migration_state(using))
    return {_label(m): table_sum(m, using) for m in tables(apps)}


# -- backup ------------------------------------------------------------------------------


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent view of the database for the whole backup: REPEATABLE READ on
    PostgreSQL, a read transaction on SQLite (WAL lets writers go on meanwhile)."""
    connection = connections[using]
    if connection.in_atomic_block:  # already inside a transaction (tests): use it
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=using):
        yield


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> Iterator[tuple[str, Path]]:
    root = _media_root()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(
    path: str | Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress = _quiet
) -> dict[str, Any]:
    """Write every table and the uploaded files to the zip file ``path``; return the
    manifest. Tables are read in one transaction, CHUNK rows at a time."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    connection = connections[using]
    tables_out: dict[str, Any] = {}
    media_out: dict[str, Any] = {}
    try:
        with (
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
            _snapshot(using),
        ):
            state = migration_state(using)
            apps = _state_apps(MigrationLoader(connection), state)
            for model in tables(apps):
                label = _label(model)
                digest = hashlib.sha256()
                count = 0
                with zf.open(f"tables/{label}.jsonl", "w", force_zip64=True) as out:
                    buffer = bytearray()
                    for line in _lines(model, using):
                        data = line.encode()
                        digest.update(data)
                        buffer += data
                        count += 1
                        if len(buffer) > 1 << 16:
                            out.write(buffer)
                            buffer.clear()
                    out.write(buffer)
                tables_out[label] = {
                    "table": model._meta.db_table,
                    "columns": [f.attname for f in _columns(model)],
                    "rows": count,
                    "sha256": digest.hexdigest(),
                }
                progress(f"{label}: {count} rows")
            for name, file in _media_files():
                zf.write(file, f"media/{name}")
                media_out[name] = {"size": file.stat().st_size, "sha256": _file_sha(file)}
            if media_out:
                progress(f"media: {len(media_out)} files")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "podium_version": podium.__version__,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "vendor": connection.vendor,
                "migrations": state,
                "tables": tables_out,
                "media": media_out,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{path}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


# -- restore -----------------------------------------------------------------------------


def read_manifest(zf: zipfile.ZipFile, path: str | Path) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{path}: not a Podium backup (no {MANIFEST})") from None
    except ValueError as exc:
        raise BackupError(f"{path}: corrupt manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: not a Podium backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path}: backup format {manifest.get('format_version')} is not supported "
            f"(this Podium reads format {FORMAT_VERSION})"
        )
    return manifest


def _open(path: str | Path) -> zipfile.ZipFile:
    if not Path(path).is_file():
        raise BackupError(f"{path}: no such file")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{path}: not a Podium backup ({exc})") from None


def _migrate(using: str, state: dict[str, str], path: str | Path, progress: Progress) -> Apps:
    """Bring the target database to the backup's migration state; its models."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    unknown = sorted(f"{a}.{n}" for a, n in state.items() if (a, n) not in graph.nodes)
    if unknown:
        raise BackupError(
            f"{path}: the backup is newer than this Podium {podium.__version__} (it has "
            f"migration {unknown[0]}); restore it with the Podium version that made it"
        )
    targets: list[tuple[str, str | None]] = [(a, state.get(a)) for a in sorted(
        executor.loader.migrated_apps
    )]  # fmt: skip
    plan = executor.migration_plan(targets)
    if plan:
        progress(f"migrating: {len(plan)} migrations")
        executor.migrate(targets, plan=plan)
    return _state_apps(executor.loader, state)


def _non_empty(models_: list[type[models.Model]], using: str) -> list[str]:
    return [
        _label(m)
        for m in models_
        if _label(m) not in MIGRATE_FILLS and m._base_manager.using(using).exists()
    ]


def _load_table(
    zf: zipfile.ZipFile, model: type[models.Model], info: dict[str, Any], using: str
) -> int:
    fields = {f.attname: f for f in _columns(model)}
    columns = info["columns"]
    missing = sorted(set(columns) ^ set(fields))
    if missing:
        raise BackupError(f"{_label(model)}: columns differ from the backup ({missing[0]})")
    order = [fields[c] for c in columns]
    connection = connections[using]
    count = 0
    batch: list[models.Model] = []

    def flush() -> None:
        if batch:
            model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
                batch, fields=order, using=using, raw=True
            )
            batch.clear()

    size = max(1, connection.ops.bulk_batch_size(order, [None] * CHUNK) or CHUNK)
    size = min(size, 500)
    with zf.open(f"tables/{_label(model)}.jsonl") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            values = json.loads(line)
            obj = model()
            for field, value in zip(order, values, strict=True):
                setattr(obj, field.attname, value if value is None else field.to_python(value))
            batch.append(obj)
            count += 1
            if len(batch) >= size:
                flush()
    flush()
    return count


def _wipe(models_: list[type[models.Model]], using: str) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if root.resolve() not in target.parents:
        raise BackupError(f"unsafe file name in the backup: {name!r}")
    return target


def _restore_media(
    zf: zipfile.ZipFile, media: dict[str, Any], force: bool, written: list[Path]
) -> None:
    root = _media_root()
    for name, info in sorted(media.items()):
        target = _safe_target(root, name)
        if target.exists():
            if _file_sha(target) == info["sha256"]:
                continue
            if not force:
                raise BackupError(
                    f"uploaded file {name} exists with other content (use --force to replace it)"
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
        with os.fdopen(fd, "wb") as out, zf.open(f"media/{name}") as src:
            shutil.copyfileobj(src, out, 1 << 20)
        if _file_sha(Path(tmp)) != info["sha256"]:
            os.unlink(tmp)
            raise BackupError(f"uploaded file {name}: checksum differs from the manifest")
        os.replace(tmp, target)
        written.append(target)


def restore(
    path: str | Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Restore the backup ``path`` into the (empty) database ``using``; return the
    manifest. With ``force`` the database's current contents are replaced. Everything
    is loaded in one transaction, which commits only when every table's row count and
    checksum equal the manifest's."""
    with _open(path) as zf:
        manifest = read_manifest(zf, path)
        apps = _migrate(using, dict(manifest["migrations"]), path, progress)
        models_ = tables(apps)
        by_label = {_label(m): m for m in models_}
        unknown = sorted(set(manifest["tables"]) - set(by_label))
        if unknown:
            raise BackupError(f"{path}: table {unknown[0]} is not part of this Podium")
        written: list[Path] = []
        try:
            with transaction.atomic(using=using):
                busy = _non_empty(models_, using)
                if busy and not force:
                    raise BackupError(
                        f"the database is not empty ({len(busy)} tables have rows, e.g. "
                        f"{busy[0]}): restore into an empty database or pass --force"
                    )
                _wipe(models_, using)
                for label, info in sorted(manifest["tables"].items()):
                    try:
                        count = _load_table(zf, by_label[label], info, using)
                    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
                        raise BackupError(f"{path}: table {label} is corrupt ({exc})") from None
                    progress(f"{label}: {count} rows")
                _reset_sequences(models_, using)
                _verify(manifest, models_, using, path)
                _restore_media(zf, manifest.get("media", {}), force, written)
                if manifest.get("media"):
                    progress(f"media: {len(manifest['media'])} files")
        except BaseException:
            for file in written:
                file.unlink(missing_ok=True)
            raise
    return manifest


def _reset_sequences(models_: list[type[models.Model]], using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _verify(
    manifest: dict[str, Any], models_: list[type[models.Model]], using: str, path: str | Path
) -> None:
    for model in models_:
        label = _label(model)
        got = table_sum(model, using)
        expected = manifest["tables"].get(label)
        if expected is None:  # a table the backup does not have must stay empty
            expected = {"rows": 0, "sha256": got.sha256 if got.rows == 0 else ""}
        if (got.rows, got.sha256) != (expected["rows"], expected["sha256"]):
            raise BackupError(
                f"{path}: {label} differs after loading ({got.rows} rows, "
                f"{expected['rows']} in the backup): nothing restored"
            )
