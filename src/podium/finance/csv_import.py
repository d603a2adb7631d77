"""Reading actual costs from CSV: columns, amounts and dates, with errors naming the line
and the column.

The file needs a header row. Recognised columns (any order, case-insensitive):
``date``, ``cost account`` (also ``cost_account``, ``account``), ``activity`` (also
``activity code``; optional), ``amount``, ``description`` (optional). The delimiter is a
comma, a semicolon or a tab (found from the header).

Amounts: ``1234.50``, ``1,234.50``, ``1.234,50``, ``1 234,50``, ``-80`` and ``(80.00)``
are read; ``1,234`` or ``1.234`` are refused as ambiguous (thousands separator or
decimal?). More than two decimal places are refused. Dates: ``2026-03-31`` (ISO) or
``31.03.2026``; ``03/31/2026`` is refused (month and day order is ambiguous).

This module only parses; :func:`podium.finance.services.import_actuals` resolves codes,
checks permissions and stores the lines in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["MAX_ERRORS", "CsvRow", "parse_actuals_csv", "parse_amount", "parse_date"]

MAX_ERRORS = 50

_COLUMNS = {
    "date": "date",
    "cost account": "cost_account",
    "cost_account": "cost_account",
    "cost account code": "cost_account",
    "account": "cost_account",
    "activity": "activity",
    "activity code": "activity",
    "activity_code": "activity",
    "amount": "amount",
    "description": "description",
}
_REQUIRED = ("date", "cost_account", "amount")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class CsvRow:
    line: int  # line number in the file (the header is line 1)
    date: dt.date
    cost_account: str
    activity: str
    amount: Decimal
    description: str


def parse_amount(raw: str) -> Decimal:
    """A money amount as written by people and spreadsheets; ``ValueError`` says why not.

    >>> parse_amount("1.234,50"), parse_amount("(80)"), parse_amount("1 000")
    (Decimal('1234.50'), Decimal('-80'), Decimal('1000'))
    """
    text = _SPACES.sub("", raw.strip())
    if not text:
        raise ValueError("is empty")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        parts = text.split(sep)
        if len(parts) > 2:  # 1,234,567 or 1.234.567: thousands separators only
            if not all(len(p) == 3 for p in parts[1:]):
                raise ValueError(f"{raw.strip()!r} is not a number")
            text = "".join(parts)
        elif len(parts[1]) == 3:
            raise ValueError(
                f"{raw.strip()!r} is ambiguous (thousands separator or decimal?); "
                "write it as 1234 or 1234.00"
            )
        else:
            text = f"{parts[0]}.{parts[1]}"
    if not _NUMBER.match(text):
        raise ValueError(f"{raw.strip()!r} is not a number")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already checks
        raise ValueError(f"{raw.strip()!r} is not a number") from exc
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"{raw.strip()!r} has more than 2 decimal places")
    return -value if negative else value


def parse_date(raw: str) -> dt.date:
    """``YYYY-MM-DD`` or ``DD.MM.YYYY``; ``ValueError`` says why not."""
    text = raw.strip()
    if not text:
        raise ValueError("is empty")
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            year, month, day = (int(p) for p in text.split("-"))
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
            day, month, year = (int(p) for p in text.split("."))
            return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from exc
    raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD (e.g. 2026-03-31)")


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def parse_actuals_csv(content: bytes | str) -> tuple[list[CsvRow], dict[str, list[str]]]:
    """Rows of the file and the errors found, keyed ``"line N, column"``.

    Every line is checked (up to :data:`MAX_ERRORS` errors), so a user fixes a file in
    one round. The caller stores nothing when there is any error.
    """
    text = _decode(content)
    if "\x00" in text:
        return [], {"file": ["The file is not CSV text (it holds NUL bytes); save it as CSV."]}
    try:
        return _parse(text)
    except csv.Error as exc:  # an unclosed quote, a field over csv.field_size_limit()
        return [], {"file": [f"The file is not valid CSV: {exc}."]}


def _parse(text: str) -> tuple[list[CsvRow], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], {
            "file": ["The file is empty; it needs a header row (date, cost account, amount)."]
        }
    header_line = lines[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    header = next(reader)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _COLUMNS.get(name.strip().lower().replace("-", " "))
        if key is not None and key not in columns:
            columns[key] = index
    missing = [c.replace("_", " ") for c in _REQUIRED if c not in columns]
    if missing:
        return [], {
            "line 1": [
                f"The header has no {', '.join(missing)} column (found: {', '.join(header)})."
            ]
        }

    def cell(values: list[str], key: str) -> str:
        index = columns.get(key)
        return values[index].strip() if index is not None and index < len(values) else ""

    rows: list[CsvRow] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if sum(len(v) for v in errors.values()) >= MAX_ERRORS:
            errors.setdefault("file", []).append(f"Stopped after {MAX_ERRORS} errors.")
            break
        row_errors: dict[str, str] = {}
        date = amount = None
        try:
            date = parse_date(cell(values, "date"))
        except ValueError as exc:
            row_errors["date"] = f"date {exc}"
        try:
            amount = parse_amount(cell(values, "amount"))
            if amount == 0:
                row_errors["amount"] = "amount is 0"
        except ValueError as exc:
            row_errors["amount"] = f"amount {exc}"
        account = cell(values, "cost_account").upper()
        if not account:
            row_errors["cost account"] = "cost account is empty"
        description = cell(values, "description")
        if len(description) > 300:
            row_errors["description"] = "description is longer than 300 characters"
        for column, message in row_errors.items():
            errors.setdefault(f"line {line}, {column}", []).append(f"Line {line}: {message}.")
        if row_errors or date is None or amount is None:
            continue
        rows.append(CsvRow(line, date, account, cell(values, "activity"), amount, description))
    if not rows and not errors:
        errors["file"] = ["The file has a header but no cost lines."]
    return rows, errors
