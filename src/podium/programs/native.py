"""Podium's native JSON of one whole program, and its import into another instance.

Which rows belong to a program is read from Django's model graph, not listed per app:
every model with a chain of foreign keys to :class:`Program` (the shortest chain, a
direct ``program`` key preferred) contributes the rows whose chain ends at the program,
so a new app's registers are exported as soon as its models point at a program.

In the document rows are named by references (``"risks.risk#3"``: the third risk in
primary-key order), people by username, uploaded files are embedded (base64), and the
program's audit trail comes along as its history. Rows outside the program that its rows
point at (the organisation's shared resources, skills) travel as ``shared`` rows and are
matched on import by their unique fields, or created.
"""

from __future__ import annotations

import base64
import graphlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

import podium
from podium.core import audit
from podium.core.backup import canonical
from podium.core.errors import ValidationFailed
from podium.core.models import AuditRecord
from podium.programs.models import Program
from podium.programs.permissions import can_create_program, require

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LEFT_OUT",
    "ImportResult",
    "export_program",
    "import_program",
    "program_differences",
    "program_models",
]

FORMAT = "podium.program"
FORMAT_VERSION = 2
IMPORT_NOTE = "Program imported from Podium's native JSON."

# Models with a path to a program whose rows are not part of the program's record.
LEFT_OUT = {
    "notifications.notification": "a person's inbox, not the program's record",
    "reports.calendarfeed": "a personal secret feed address, valid on one instance only",
}
# Machinery rows that are never carried along: keys to them are left empty.
TRANSIENT = {"core.job", "core.periodicrun"}

Row = dict[str, Any]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _concrete_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed
    ]


def _keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, models.ForeignKey)]


def _target(key: models.ForeignKey[Any, Any]) -> type[models.Model]:
    target = key.related_model
    assert isinstance(target, type)
    return target


def _attname(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).attname)  # type: ignore[union-attr]


def program_paths() -> dict[type[models.Model], str]:
    """Every model with a foreign-key chain to Program -> the lookup from it to the
    program's id (``"pk"`` for Program itself). Chains of required keys come first, then
    the shortest, a direct ``program`` key preferred."""
    paths: dict[type[models.Model], str] = {Program: "pk"}
    candidates = [m for m in _concrete_models() if m is not Program]
    for allow_null in (False, True):
        while True:
            found: dict[type[models.Model], str] = {}
            for model in candidates:
                if model in paths:
                    continue
                options = []
                for key in _keys(model):
                    target = key.related_model
                    if target is model or target not in paths or (key.null and not allow_null):
                        continue
                    path = key.name if target is Program else f"{key.name}__{paths[target]}"
                    options.append((path.count("__"), key.name != "program", path))
                if options:
                    found[model] = min(options)[2]
            if not found:
                break
            paths.update(found)
    return paths


def program_models() -> dict[type[models.Model], str]:
    """The models whose rows a program export carries, with their path to the program."""
    return {m: p for m, p in program_paths().items() if _label(m) not in LEFT_OUT}


def _is_user(model: Any) -> bool:
    return model is get_user_model()


def _value(value: Any) -> Any:
    """A field value as JSON-able data (dates ISO, decimals as text)."""
    import json

    return json.loads(canonical(value)) if value is not None else None


# -- export ------------------------------------------------------------------------------


class _Exporter:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.paths = program_paths()
        self.models = program_models()
        self.pks: dict[type[models.Model], list[Any]] = {}
        self.refs: dict[tuple[type[models.Model], Any], str] = {}
        self.shared: list[Row] = []
        self.users: dict[str, Row] = {}
        self.files: dict[str, str] = {}
        self.left_out: dict[str, int] = {}
        self._owner: dict[tuple[type[models.Model], Any], Any] = {}

    def owner(self, model: type[models.Model], pk: Any) -> Any:
        """The program id a row belongs to (None: none)."""
        key = (model, pk)
        if key not in self._owner:
            path = self.paths[model]
            self._owner[key] = (
                model._base_manager.filter(pk=pk).values_list(path, flat=True).first()
            )
        return self._owner[key]

    def select(self) -> None:
        """The rows of each model that belong to the program, minus rows that cannot
        exist without a row of another program."""
        for model, path in self.models.items():
            query = model._base_manager.filter(**{path: self.program.pk}).order_by("pk")
            self.pks[model] = list(query.values_list("pk", flat=True))
        owned = {m: set(pks) for m, pks in self.pks.items()}
        changed = True
        while changed:
            changed = False
            for model in self.models:
                required = [k for k in _keys(model) if not k.null and k.related_model in owned]
                if not required or not owned[model]:
                    continue
                names = ["pk", *(k.attname for k in required)]
                rows = model._base_manager.filter(pk__in=owned[model]).values_list(*names)
                for pk, *targets in rows:
                    if all(
                        t in owned[_target(k)] or self._shareable(_target(k), t)
                        for k, t in zip(required, targets, strict=True)
                    ):
                        continue
                    owned[model].discard(pk)
                    self.left_out[_label(model)] = self.left_out.get(_label(model), 0) + 1
                    changed = True
        for model in self.models:
            self.pks[model] = [pk for pk in self.pks[model] if pk in owned[model]]
            for n, pk in enumerate(self.pks[model], 1):
                self.refs[(model, pk)] = f"{_label(model)}#{n}"

    def _shareable(self, model: type[models.Model], pk: Any) -> bool:
        return model in self.paths and self.owner(model, pk) is None

    def user(self, pk: Any) -> str:
        user = get_user_model()._base_manager.get(pk=pk)
        name = str(user.get_username())
        if name not in self.users:
            self.users[name] = {
                "display_name": getattr(user, "display_name", ""),
                "email": getattr(user, "email", ""),
            }
        return name

    def reference(self, key: models.ForeignKey[Any, Any], pk: Any) -> str | None:
        target = key.related_model
        assert isinstance(target, type)
        if _is_user(target):
            return self.user(pk)
        ref = self.refs.get((target, pk))
        if ref is not None:
            return ref
        label = _label(target)
        if label in TRANSIENT or label in LEFT_OUT:
            return None
        if target in self.paths and self.owner(target, pk) is not None:
            return None  # a row of another program: the link is not carried along
        return self.share(target, pk)

    def share(self, model: type[models.Model], pk: Any) -> str:
        """A row outside any program that the program's rows point at."""
        ref = f"{_label(model)}@{sum(1 for r in self.shared if r['model'] == _label(model)) + 1}"
        self.refs[(model, pk)] = ref  # before its fields: a cycle ends here
        obj = model._base_manager.get(pk=pk)
        fields = self.fields(obj)
        self.shared.append({"model": _label(model), "ref": ref, "fields": fields})
        return ref

    def fields(self, obj: models.Model) -> Row:
        out: Row = {}
        for f in obj._meta.local_concrete_fields:
            if f.primary_key:
                continue
            raw = getattr(obj, f.attname)
            if isinstance(f, models.ForeignKey):
                out[f.name] = None if raw is None else self.reference(f, raw)
            elif isinstance(f, models.FileField):
                name = str(raw or "")
                out[f.name] = name
                if name and name not in self.files:
                    with f.storage.open(name, "rb") as fh:
                        self.files[name] = base64.b64encode(fh.read()).decode("ascii")
            else:
                out[f.name] = _value(raw)
        return out

    def rows(self) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {}
        for model in sorted(self.models, key=_label):
            pks = self.pks[model]
            if not pks:
                continue
            objs = model._base_manager.in_bulk(pks)
            out[_label(model)] = [
                {"ref": self.refs[(model, pk)], "fields": self.fields(objs[pk])} for pk in pks
            ]
        return out

    def history(self) -> list[Row]:
        by_label = {_label(m): m for m in self.models}
        out = []
        for rec in AuditRecord.objects.filter(program_id=self.program.pk).order_by("at", "pk"):
            model = by_label.get(rec.object_type)
            ref = None
            if model is not None:
                pk_field = model._meta.pk
                assert pk_field is not None
                try:
                    ref = self.refs.get((model, pk_field.to_python(rec.object_id)))
                except Exception:  # an id that is not this model's pk
                    ref = None
            out.append({
                "at": _value(rec.at),
                "user": self.user(rec.user_id) if rec.user_id else None,
                "request_id": rec.request_id,
                "action": rec.action,
                "object_type": rec.object_type,
                "object": ref,
                "object_id": None if ref else rec.object_id,
                "object_repr": rec.object_repr,
                "before": rec.before,
                "after": rec.after,
                "note": rec.note,
            })  # fmt: skip
        return out


def export_program(program: Program) -> dict[str, Any]:
    """Everything that belongs to ``program`` as one JSON-able document."""
    exporter = _Exporter(program)
    exporter.select()
    rows = exporter.rows()
    history = exporter.history()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "podium_version": podium.__version__,
        "exported_at": timezone.now().isoformat(),
        "program": {"code": program.code, "name": program.name},
        "users": dict(sorted(exporter.users.items())),
        "shared": exporter.shared,
        "rows": rows,
        "history": history,
        "files": dict(sorted(exporter.files.items())),
        "left_out": dict(sorted(exporter.left_out.items())),
    }


# -- import ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    program: Program
    rows: int = 0
    users_created: int = 0
    shared_created: int = 0
    files: int = 0
    written: list[str] = field(default_factory=list)


def _model(label: str) -> type[models.Model]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise ValidationFailed({"rows": [f"unknown table {label!r}"]}) from None
    assert model is not None
    return model


def _insert_order(labels: list[str]) -> list[str]:
    """Tables in an order where each row's required keys point at rows already made."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    wanted = set(labels)
    for label in labels:
        deps = {
            _label(k.related_model)  # type: ignore[arg-type]
            for k in _keys(_model(label))
            if not k.null and k.related_model is not _model(label)
        }
        sorter.add(label, *(d for d in deps if d in wanted))
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return sorted(labels)


class _Importer:
    def __init__(self, document: dict[str, Any], result: ImportResult) -> None:
        self.doc = document
        self.result = result
        self.pks: dict[str, Any] = {}  # ref -> new primary key
        self.users: dict[str, Any] = {}
        self.later: list[tuple[type[models.Model], Any, str, str]] = []
        self.storage_names: dict[str, str] = {}

    def user(self, username: str) -> Any:
        if username not in self.users:
            User = get_user_model()
            user = User._base_manager.filter(username=username).first()
            if user is None:
                info = self.doc.get("users", {}).get(username, {})
                user = User(username=username, is_active=False)
                for name in ("display_name", "email"):
                    if hasattr(user, name):
                        setattr(user, name, str(info.get(name, "")))
                user.set_unusable_password()
                user.save()
                self.result.users_created += 1
            self.users[username] = user.pk
        return self.users[username]

    def build(self, model: type[models.Model], values: Row, ref: str) -> models.Model:
        obj = model()
        for f in model._meta.local_concrete_fields:
            if f.primary_key or f.name not in values:
                continue
            value = values[f.name]
            if isinstance(f, models.ForeignKey):
                if value is None:
                    setattr(obj, f.attname, None)
                elif _is_user(f.related_model):
                    setattr(obj, f.attname, self.user(str(value)))
                elif value in self.pks:
                    setattr(obj, f.attname, self.pks[value])
                elif f.null:
                    setattr(obj, f.attname, None)
                    self.later.append((model, ref, f.attname, str(value)))
                else:
                    raise ValidationFailed({"rows": [f"{ref}: {f.name} points at {value!r}"]})
            elif isinstance(f, models.FileField):
                setattr(obj, f.attname, self.file(str(value or "")))
            else:
                setattr(obj, f.attname, None if value is None else f.to_python(value))
        return obj

    def file(self, name: str) -> str:
        if not name:
            return ""
        if name not in self.storage_names:
            from django.core.files.storage import default_storage

            data = base64.b64decode(self.doc.get("files", {}).get(name, ""))
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    same = fh.read() == data
                if same:
                    self.storage_names[name] = name
                    return name
            stored = default_storage.save(name, ContentFile(data))
            self.result.written.append(stored)
            self.result.files += 1
            self.storage_names[name] = stored
        return self.storage_names[name]

    def insert(self, obj: models.Model, ref: str) -> None:
        for f in obj._meta.local_concrete_fields:  # fresh values for unique tokens in use
            if f.unique and not f.primary_key and f.has_default() and callable(f.default):
                taken = type(obj)._base_manager.filter(**{f.name: getattr(obj, f.attname)})
                if taken.exists():
                    setattr(obj, f.attname, f.default())
        # raw: keeps the rows' own timestamps; bypasses save() overrides and auto_now.
        models.Model.save_base(obj, raw=True, force_insert=True)
        self.pks[ref] = obj.pk
        self.result.rows += 1

    def match_shared(self, model: type[models.Model], obj: models.Model) -> Any:
        """An existing row equal on one of the model's unique field sets."""
        sets: list[tuple[str, ...]] = [
            (f.attname,) for f in model._meta.local_concrete_fields if f.unique
            and not f.primary_key
        ]  # fmt: skip
        sets += [tuple(_attname(model, n) for n in u) for u in model._meta.unique_together]
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                sets.append(tuple(_attname(model, n) for n in constraint.fields))
        if not sets:
            sets = [tuple(
                f.attname for f in model._meta.local_concrete_fields
                if not f.primary_key and f.name not in _VOLATILE
            )]  # fmt: skip
        for names in sets:
            lookup = {n: getattr(obj, n) for n in names}
            found = model._base_manager.filter(**lookup).values_list("pk", flat=True).first()
            if found is not None:
                return found
        # Expression constraints (a case-insensitive name): match on the text fields too.
        text = {
            f"{f.attname}__iexact": getattr(obj, f.attname)
            for f in model._meta.local_concrete_fields
            if isinstance(f, models.CharField) and f.unique is False and f.name == "name"
        }
        if text:
            return model._base_manager.filter(**text).values_list("pk", flat=True).first()
        return None

    def run(self, code: str | None) -> Program:
        for entry in self.doc.get("shared", []):
            model = _model(entry["model"])
            obj = self.build(model, entry["fields"], entry["ref"])
            found = self.match_shared(model, obj)
            if found is not None:
                self.pks[entry["ref"]] = found
            else:
                self.insert(obj, entry["ref"])
                self.result.shared_created += 1
        rows = self.doc.get("rows", {})
        for label in _insert_order(list(rows)):
            model = _model(label)
            for entry in rows[label]:
                values = dict(entry["fields"])
                if model is Program and code:
                    values["code"] = code
                self.insert(self.build(model, values, entry["ref"]), entry["ref"])
        for model, ref, attname, target in self.later:
            if target not in self.pks:
                continue  # a row that was not exported: the link stays empty
            model._base_manager.filter(pk=self.pks[ref]).update(**{attname: self.pks[target]})
        program = Program.objects.get(pk=self.pks["programs.program#1"])
        self.history(program)
        return program

    def history(self, program: Program) -> None:
        """The program's audit trail as it was, times included (raw insert: ``at`` is
        not stamped anew)."""
        records = []
        at_field = AuditRecord._meta.get_field("at")
        for rec in self.doc.get("history", []):
            ref = rec.get("object")
            records.append(AuditRecord(
                at=at_field.to_python(rec["at"]),
                user_id=self.user(rec["user"]) if rec.get("user") else None,
                request_id=rec.get("request_id", ""),
                action=rec["action"],
                object_type=rec["object_type"],
                object_id=str(self.pks[ref]) if ref in self.pks else rec.get("object_id") or "",
                object_repr=rec.get("object_repr", ""),
                program_id=program.pk,
                before=rec.get("before"),
                after=rec.get("after"),
                note=rec.get("note", ""),
            ))  # fmt: skip
        fields = [f for f in AuditRecord._meta.local_concrete_fields if not f.primary_key]
        for i in range(0, len(records), 500):
            AuditRecord._base_manager._insert(  # type: ignore[attr-defined]
                records[i : i + 500], fields=fields, raw=True
            )


_VOLATILE = {"created_at", "updated_at", "created_by", "updated_by", "version"}


def import_program(
    document: dict[str, Any], *, actor: Any, code: str | None = None
) -> ImportResult:
    """Create the program of a native JSON document, all or nothing. People are matched
    by username; missing ones become inactive placeholder accounts. ``code`` renames
    the program (its code must be free)."""
    if actor is not None:
        require(can_create_program(actor), "Only an administrator (PMO) can import programs.")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationFailed({"format": ["not a Podium program document"]})
    if document.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed(
            {"format_version": [f"version {document.get('format_version')} is not supported"]}
        )
    rows = document.get("rows", {})
    program_rows = rows.get("programs.program", [])
    if len(program_rows) != 1:
        raise ValidationFailed({"rows": ["the document has no program"]})
    new_code = (code or program_rows[0]["fields"]["code"]).upper()
    if Program.objects.filter(code=new_code).exists():
        raise ValidationFailed({"code": [f"A program with code {new_code!r} already exists."]})
    result = ImportResult(program=Program())
    try:
        with transaction.atomic():
            program = _Importer(document, result).run(new_code)
            audit.record(
                user=actor,
                action="import",
                obj=program,
                before=None,
                after={"rows": result.rows, "files": result.files},
                program_id=program.pk,
                note=IMPORT_NOTE,
            )
    except BaseException:
        from django.core.files.storage import default_storage

        for name in result.written:
            default_storage.delete(name)
        raise
    result.program = program
    return result


# -- comparison --------------------------------------------------------------------------


def _normalized(document: dict[str, Any]) -> dict[str, Any]:
    files = document.get("files", {})

    def digest(name: Any) -> Any:
        if isinstance(name, str) and name in files:
            return "sha256:" + hashlib.sha256(base64.b64decode(files[name])).hexdigest()
        return name

    file_fields = {
        (_label(m), f.name)
        for m in _concrete_models()
        for f in m._meta.local_concrete_fields
        if isinstance(f, models.FileField)
    }

    def row(label: str, fields: Row) -> Row:
        return {k: digest(v) if (label, k) in file_fields else v for k, v in fields.items()}

    return {
        "program": document.get("program"),
        "users": document.get("users"),
        "shared": [
            {**r, "fields": row(r["model"], r["fields"])} for r in document.get("shared", [])
        ],
        "rows": {
            label: [{**r, "fields": row(label, r["fields"])} for r in entries]
            for label, entries in document.get("rows", {}).items()
        },
        "history": [h for h in document.get("history", []) if h.get("note") != IMPORT_NOTE],
    }


def _walk(a: Any, b: Any, where: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                yield f"{where}.{key}: only in the {'second' if key in b else 'first'}"
            else:
                yield from _walk(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{where}: {len(a)} entries, {len(b)} in the second"
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            name = x.get("ref", i) if isinstance(x, dict) else i
            yield from _walk(x, y, f"{where}[{name}]")
    elif a != b:
        yield f"{where}: {a!r} != {b!r}"[:300]


def program_differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """How two program documents differ, ignoring primary keys (they are references),
    when they were exported, stored file names (files compare by content), the rows left
    out (links to other programs) and the audit record of the import itself. Empty: the
    programs are equal."""
    return list(_walk(_normalized(first), _normalized(second), "program"))
