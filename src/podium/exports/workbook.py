"""Registers as XLSX workbooks (openpyxl): a bold, frozen header row, columns as wide as
their content (within limits), dates as date cells, timestamps as the ISO text the row
functions already made of them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from podium.exports.registry import Export

__all__ = ["register_workbook", "registers_workbook"]

_MIN_WIDTH = 8
_MAX_WIDTH = 60
# Sheet titles: at most 31 characters, none of these
_FORBIDDEN = set("[]:*?/\\")


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # row functions give text; a stray one still reads
        return value.isoformat(timespec="minutes")
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return value


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _fill(sheet: Any, header: list[str], rows: Iterable[list[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    widths = [len(h) for h in header]
    date_columns: set[int] = set()
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            if i < len(widths):
                widths[i] = max(widths[i], _width(value))
            if isinstance(value, dt.date):
                date_columns.add(i)
    for i, width in enumerate(widths):
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    for i in date_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"


def _title(label: str, taken: set[str]) -> str:
    title = "".join(c for c in label if c not in _FORBIDDEN)[:31] or "Sheet"
    base, n = title, 2
    while title in taken:
        suffix = f" {n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_workbook(export: Export, user: Any, program: Any) -> bytes:
    """One register as an XLSX file (one sheet named after it)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _title(export.label, set())
    header, rows = export.rows(user, program)
    _fill(sheet, header, rows)
    return _save(workbook)


def registers_workbook(exports: list[Export], user: Any, program: Any) -> bytes:
    """Several registers in one XLSX file, a sheet each, in the order given."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for export in exports:
        sheet = workbook.create_sheet(_title(export.label, taken))
        header, rows = export.rows(user, program)
        _fill(sheet, header, rows)
    return _save(workbook)
