"""DSLIB workbooks, part 1: reading sheets (cells with their addresses for errors),
values, durations and the Agenda sheet's calendar.

See :mod:`podium.interchange.dslib`.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from podium.engine.calendars import Calendar, CalendarException
from podium.engine.errors import ParseError

__all__ = ["check_xlsx", "parse_duration"]

MAX_XLSX_PARTS = 1_000
"""Members a workbook's zip may hold (Excel writes a few dozen)."""
MAX_XLSX_EXPANDED = 100 * 2**20
"""Bytes all members together may expand to."""
MAX_XLSX_RATIO = 100
"""Expansion ratio a member over 1 MB may have (a zip bomb's is near 1,000)."""
MAX_SHEET_CELLS = 5_000_000
"""Cells (declared or read, blanks included) a sheet may have."""
_DOCTYPES = tuple("<!DOCTYPE".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HOUR_ROW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([wdhm])", re.IGNORECASE)
_PRED = re.compile(r"^\s*(.+?)\s*(FS|SS|FF|SF)\s*([+-].*)?$", re.IGNORECASE)
_DEMAND = re.compile(r"^\s*(.*?)\s*\[\s*([\d.,]+)\s*(?:#\s*[\d.,]+)?\s*\]\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)")


# --------------------------------------------------------------------------- helpers
class _Sheet:
    """Rows of one sheet with the column names of its ``ID`` header row."""

    def __init__(self, file: str, title: str, rows: list[tuple[Any, ...]]) -> None:
        self.file = file
        self.title = title
        self.rows = rows
        self.header_row = 0
        self.columns: dict[str, int] = {}
        for i, row in enumerate(rows[:8]):
            if row and isinstance(row[0], str) and row[0].strip() == "ID":
                self.header_row = i + 1
                for j, v in enumerate(row):
                    if isinstance(v, str) and v.strip() and v.strip() not in self.columns:
                        self.columns[v.strip()] = j
                break

    def cell_name(self, row: int, col: int) -> str:
        return f"'{self.title}'!{get_column_letter(col + 1)}{row}"

    def error(self, row: int, col: int, reason: str) -> ParseError:
        return ParseError(self.file, self.cell_name(row, col), reason)

    def need_header(self, *names: str) -> None:
        if not self.header_row:
            raise ParseError(self.file, f"'{self.title}'", "no header row starting with 'ID'")
        for name in names:
            if name not in self.columns:
                raise ParseError(
                    self.file, f"'{self.title}'!{self.header_row}", f"missing column {name!r}"
                )

    def data(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(1-based row number, row) of the rows below the header with an ID."""
        for i in range(self.header_row, len(self.rows)):
            row = self.rows[i]
            if row and row[0] is not None and str(row[0]).strip() != "":
                yield i + 1, row

    def get(self, row: tuple[Any, ...], name: str) -> Any:
        j = self.columns.get(name)
        if j is None or j >= len(row):
            return None
        value = row[j]
        if isinstance(value, str) and not value.strip():
            return None
        return value


def parse_duration(text: object, *, hours_per_day: float, days_per_week: float) -> int:
    """Working minutes of a DSLIB duration or lag such as ``"3w 2h"``, ``"1d4h"``, ``"0"``.

    Raises :class:`ValueError` on anything else (the readers turn it into a
    :class:`~podium.engine.errors.ParseError`).

    Examples
    --------
    >>> parse_duration("22d 4h", hours_per_day=8, days_per_week=5)
    10800
    >>> parse_duration("-1w", hours_per_day=8, days_per_week=5)
    -2400
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        if text == 0:
            return 0
        raise ValueError(f"duration {text!r} has no unit")
    s = str(text).strip().replace(" ", "")
    sign = 1
    if s[:1] in "+-":
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s in ("0", ""):
        if s == "":
            raise ValueError("empty duration")
        return 0
    unit = {
        "w": days_per_week * hours_per_day * 60,
        "d": hours_per_day * 60,
        "h": 60.0,
        "m": 1.0,
    }
    pos = 0
    total = 0.0
    for m in _DURATION_PART.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1).replace(",", ".")) * unit[m.group(2).lower()]
        pos = m.end()
    if pos != len(s) or pos == 0:
        raise ValueError(f"cannot read duration {text!r}")
    return sign * round(total)


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                return datetime.strptime(value.strip(), fmt)
            except ValueError:
                continue
    raise ValueError(f"not a date: {value!r}")


def _as_float(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        m = _NUMBER.match(value)
        if m:
            return float(m.group(1).replace(",", "."))
    raise ValueError(f"not a number: {value!r}")


def _id(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_xlsx(source: str | Path | IO[bytes], file: str) -> None:
    """Refuse, before openpyxl opens it, a workbook that is not a zip, holds no workbook
    part, has too many parts, would expand beyond :data:`MAX_XLSX_EXPANDED` or by more
    than :data:`MAX_XLSX_RATIO` (a zip bomb), or has a part declaring a DTD (entity
    expansion, external entities). Only the zip directory's sizes are trusted before the
    parts are scanned; :mod:`zipfile` never inflates a member beyond its declared size."""

    def refuse(reason: str) -> ParseError:
        return ParseError(file, 0, f"not a readable .xlsx workbook: {reason}")

    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise refuse(f"{len(parts):,} parts in the zip (at most {MAX_XLSX_PARTS:,})")
            names = {p.filename.lower() for p in parts}
            if "[content_types].xml" not in names or not any(
                n == "workbook.xml" or n.endswith("/workbook.xml") for n in names
            ):
                raise refuse("the zip holds no workbook")
            expanded = sum(p.file_size for p in parts)
            if expanded > MAX_XLSX_EXPANDED:
                raise refuse(
                    f"it expands to {expanded / 2**20:,.0f} MB "
                    f"(at most {MAX_XLSX_EXPANDED // 2**20} MB): a zip bomb?"
                )
            for part in parts:
                if part.file_size > 2**20 and part.file_size > MAX_XLSX_RATIO * max(
                    part.compress_size, 1
                ):
                    raise refuse(
                        f"{part.filename} is compressed {MAX_XLSX_RATIO}+ : 1 (a zip bomb?)"
                    )
            for part in parts:
                with archive.open(part) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 16):
                        if any(d in tail + chunk for d in _DOCTYPES):
                            raise refuse(f"{part.filename} declares a DTD (refused as unsafe XML)")
                        tail = chunk[-32:]
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
            NotImplementedError, RuntimeError, OSError) as exc:  # fmt: skip
        raise refuse(str(exc) or type(exc).__name__) from None


def _sheet_rows(ws: Any, file: str) -> list[tuple[Any, ...]]:
    """The rows of a read-only sheet, refusing one with more than :data:`MAX_SHEET_CELLS`
    cells (openpyxl pads rows and fills gaps up to the declared dimension)."""
    title = ws.title.strip()
    declared = (ws.max_row or 0) * (ws.max_column or 0)
    if declared > MAX_SHEET_CELLS:
        raise ParseError(
            file, f"'{title}'", f"declares {declared:,} cells (at most {MAX_SHEET_CELLS:,})"
        )
    rows: list[tuple[Any, ...]] = []
    cells = 0
    for row in ws.iter_rows(values_only=True):
        cells += max(len(row), 1)
        if cells > MAX_SHEET_CELLS:
            raise ParseError(file, f"'{title}'", f"more than {MAX_SHEET_CELLS:,} cells")
        rows.append(row)
    return rows


class _Book:
    """The workbook's sheets as row lists (read-only mode, cached values)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.file = self.path.name
        if not self.path.is_file():
            raise ParseError(str(path), 0, "file not found")
        check_xlsx(self.path, self.file)
        try:
            wb = load_workbook(self.path, read_only=True, data_only=True)
        except FileNotFoundError:
            raise ParseError(str(path), 0, "file not found") from None
        except Exception as exc:  # zipfile/openpyxl raise many types for a bad file
            raise ParseError(self.file, 0, f"not a readable .xlsx workbook ({exc})") from None
        try:
            self.sheets: dict[str, list[tuple[Any, ...]]] = {
                ws.title.strip(): _sheet_rows(ws, self.file) for ws in wb.worksheets
            }
        except ParseError:
            raise
        except Exception as exc:  # a part openpyxl reads lazily may be malformed too
            raise ParseError(self.file, 0, f"not a readable .xlsx workbook ({exc})") from None
        finally:
            wb.close()

    def sheet(self, title: str, *, required: bool = True) -> _Sheet | None:
        rows = self.sheets.get(title)
        if rows is None:
            if required:
                raise ParseError(self.file, f"'{title}'", "sheet is missing")
            return None
        return _Sheet(self.file, title, rows)


# --------------------------------------------------------------------------- calendar
@dataclass(frozen=True, slots=True)
class _Agenda:
    calendar: Calendar
    hours_per_day: float
    days_per_week: float


def _read_agenda(book: _Book) -> _Agenda:
    sheet = book.sheet("Agenda")
    assert sheet is not None
    hours: list[tuple[int, int]] = []
    week_on = [False] * 7
    holidays: list[date] = []
    for r, row in enumerate(sheet.rows[1:], start=2):
        cells = list(row) + [None] * 7
        label, flag = cells[0], cells[1]
        if isinstance(label, str) and _HOUR_ROW.match(label):
            m = _HOUR_ROW.match(label)
            assert m is not None
            start = int(m.group(1)) * 60 + int(m.group(2))
            end = int(m.group(3)) * 60 + int(m.group(4))
            if end == 0:
                end = 1440
            if not 0 <= start < end <= 1440:
                raise sheet.error(r, 0, f"bad working-hours row {label!r}")
            if _yes(flag, sheet, r, 1):
                if hours and hours[-1][1] == start:
                    hours[-1] = (hours[-1][0], end)
                else:
                    hours.append((start, end))
        day = cells[3]
        if isinstance(day, str) and day.strip().lower() in _WEEKDAYS:
            week_on[_WEEKDAYS.index(day.strip().lower())] = _yes(cells[4], sheet, r, 4)
        hol = cells[6]
        if hol is not None and not (isinstance(hol, str) and not hol.strip()):
            try:
                holidays.append(_as_datetime(hol).date())
            except ValueError:
                raise sheet.error(r, 6, f"holiday is not a date: {hol!r}") from None
    if not hours or not any(week_on):
        raise ParseError(book.file, "'Agenda'", "no working hours or no working days")
    calendar = Calendar(
        [hours if on else [] for on in week_on],
        exceptions=[CalendarException(d) for d in sorted(set(holidays))],
        name="Agenda",
    )
    per_day = sum(e - s for s, e in hours) / 60
    return _Agenda(calendar, per_day, float(sum(week_on)))


def _yes(value: object, sheet: _Sheet, r: int, c: int) -> bool:
    text = str(value).strip().lower() if value is not None else "no"
    if text not in ("yes", "no"):
        raise sheet.error(r, c, f"expected Yes or No, got {value!r}")
    return text == "yes"
