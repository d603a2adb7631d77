"""P6 XER, part 1: bytes to text (encodings) and text to tables (``%T/%F/%R/%E``),
with line numbers for errors.

See :mod:`podium.interchange.xer`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from podium.engine.errors import ParseError

__all__ = ["XerRow", "XerTable", "read_xer_tables"]

_REQUIRED = {
    "PROJECT": ("proj_id",),
    "TASK": ("task_id", "proj_id", "task_code"),
    "TASKPRED": ("task_id", "pred_task_id"),
    "CALENDAR": ("clndr_id",),
}


@dataclass
class XerRow:
    """One ``%R`` row: its 1-based line number and its values by field name."""

    line: int
    values: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        """The value of ``name`` with surrounding spaces removed (``default`` if absent)."""
        return self.values.get(name, default).strip()


@dataclass
class XerTable:
    """One ``%T`` table: name, field names, rows and the line of its ``%T``."""

    name: str
    line: int
    fields: list[str] = field(default_factory=list)
    rows: list[XerRow] = field(default_factory=list)

    def __iter__(self) -> Iterator[XerRow]:
        return iter(self.rows)


class _Reader:
    """State of one :func:`read_xer` call: the file's name for messages, its tables."""

    def __init__(self, source: str, tables: dict[str, XerTable]) -> None:
        self.source = source
        self.tables = tables

    def error(self, line: int, reason: str) -> ParseError:
        return ParseError(self.source, line, reason)

    def table(self, name: str, *, required: bool = False) -> XerTable:
        got = self.tables.get(name)
        if got is None:
            if required:
                raise self.error(1, f"required table {name} is missing")
            return XerTable(name, 0)
        for f in _REQUIRED.get(name, ()):
            if f not in got.fields:
                raise self.error(got.line + 1, f"table {name} has no field {f}")
        return got

    def number(self, row: XerRow, name: str, default: float | None = None) -> float | None:
        text = row.get(name)
        if not text:
            return default
        try:
            return float(text)
        except ValueError:
            raise self.error(row.line, f"{name}: {text!r} is not a number") from None

    def minutes(self, row: XerRow, name: str) -> int | None:
        hours = self.number(row, name)
        return None if hours is None else round(hours * 60)

    def date(self, row: XerRow, name: str) -> datetime | None:
        text = row.get(name)
        if not text:
            return None
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise self.error(row.line, f"{name}: {text!r} is not a date (YYYY-MM-DD HH:MM)")


# ---------------------------------------------------------------------------- bytes


def _decode(data: bytes, source: str, encoding: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], encoding or "utf-8"
    candidates = [encoding] if encoding else _guess_encodings(data)
    error: UnicodeDecodeError | None = None
    for enc in candidates:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            error = error or exc
        except LookupError:
            raise ParseError(source, 1, f"unknown encoding {enc!r}") from None
    assert error is not None
    line = data.count(b"\n", 0, error.start) + 1
    byte = data[error.start : error.start + 1].hex()
    raise ParseError(
        source, line, f"cannot decode byte 0x{byte} as {'/'.join(candidates)}; pass encoding="
    )


def _guess_encodings(data: bytes) -> list[str]:
    """Likely code pages: UTF-8 when valid, else Windows-1252 or, on a hint, 1251."""
    if any(b > 127 for b in data):
        try:
            data.decode("utf-8")
            return ["utf-8"]
        except UnicodeDecodeError:
            pass
    # P6 writes in the exporting machine's ANSI code page; the CURRTYPE euro symbol
    # betrays it: 0x80 in Windows-1252, 0x88 in Windows-1251.
    for line in data.split(b"\n"):
        if b"\tEUR" in line and b"\t\x88\t" in line:
            return ["cp1251"]
    return ["cp1252"]


def read_xer_tables(text: str, source: str = "<xer>") -> dict[str, XerTable]:
    """Split decoded XER text into its tables.

    Raises
    ------
    ParseError
        No ``ERMHDR`` header, a row outside a table or before its fields, more values
        than fields, an unknown line marker, or no ``%E`` end (a truncated file).
    """
    lines = text.split("\n")
    if not lines or not lines[0].lstrip("\ufeff").startswith("ERMHDR"):
        raise ParseError(source, 1, "not an XER file: the first line is not an ERMHDR header")
    tables: dict[str, XerTable] = {}
    current: XerTable | None = None
    ended = False
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if ended:
            raise ParseError(source, number, "text after the %E end marker")
        marker, _, rest = line.partition("\t")
        if marker == "%T":
            name = rest.strip()
            if not name:
                raise ParseError(source, number, "%T line without a table name")
            current = tables.setdefault(name, XerTable(name, number))
        elif marker == "%F":
            if current is None:
                raise ParseError(source, number, "%F line before any %T table")
            current.fields = [f.strip() for f in rest.split("\t")]
        elif marker == "%R":
            if current is None or not current.fields:
                raise ParseError(source, number, "%R row before the table's %F fields")
            values = rest.split("\t")
            if len(values) > len(current.fields) and any(
                v.strip() for v in values[len(current.fields) :]
            ):
                raise ParseError(
                    source,
                    number,
                    f"row has {len(values)} values, table {current.name} has "
                    f"{len(current.fields)} fields",
                )
            current.rows.append(XerRow(number, dict(zip(current.fields, values, strict=False))))
        elif marker == "%E":
            ended = True
        else:
            raise ParseError(source, number, f"unexpected line start {marker[:20]!r}")
    if not ended:
        raise ParseError(source, len(lines), "no %E end marker: the file is truncated")
    return tables
