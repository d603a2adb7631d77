"""Read any supported file: pick the format from the name (and content), return projects."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from podium.engine.errors import ParseError
from podium.interchange.base import ProjectFile

__all__ = ["FORMATS", "MAX_FILE_BYTES", "check_size", "detect_format", "read_any"]

MAX_FILE_BYTES = 50 * 2**20
"""The largest file :func:`read_any` reads (the web import's limit too)."""

FORMATS = {
    ".xml": "mspdi",
    ".xer": "xer",
    ".sm": "psplib",
    ".xlsx": "dslib",
    ".csv": "csv",
    ".json": "json",
}


def detect_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ParseError(
            name, 0, f"unknown file type {suffix or '(none)'}; expected one of {known}"
        )
    return FORMATS[suffix]


def read_any(
    path: str | Path,
    data: bytes | None = None,
    *,
    project_start: datetime | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[ProjectFile]:
    """Read ``path`` (or ``data`` named by ``path``) in the format its suffix names.

    ``project_start`` is used by formats that carry no start date (CSV, PSPLIB); the
    default is the coming Monday, 08:00. A file over ``max_bytes`` is refused unread.
    """
    name = str(path)
    fmt = detect_format(name)
    if data is None:
        try:
            check_size(name, Path(path).stat().st_size, max_bytes)
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ParseError(name, 0, exc.strerror or str(exc)) from exc
    check_size(name, len(data), max_bytes)
    if fmt == "mspdi":
        from podium.interchange.mspdi import read_mspdi

        return [read_mspdi(data, source=name)]
    if fmt == "xer":
        from podium.interchange.xer import read_xer

        return read_xer(data, source=name)
    start = project_start or _next_monday()
    if fmt == "psplib":
        from podium.interchange.psplib import read_psplib

        return [read_psplib(_text(name, data), start=start)]
    if fmt == "dslib":
        from podium.interchange.dslib import read_dslib

        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / Path(name).name
            copy.write_bytes(data)
            project = read_dslib(copy)
        project.source = name
        return [project]
    if fmt == "csv":
        from podium.interchange.csv_format import read_csv

        return [read_csv(_text(name, data), project_start=start, name=Path(name).stem)]
    from podium.interchange.native import read_native

    return [read_native(data, file=name)]


def check_size(name: str, size: int, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file over ``limit`` bytes before anything reads it."""
    if size > limit:
        raise ParseError(
            name, 0, f"the file is {size:,} bytes; at most {limit / 2**20:g} MB is read"
        )


def _next_monday() -> datetime:
    today = date.today()
    return datetime.combine(today + timedelta(days=(7 - today.weekday()) % 7), time(8))


def _text(name: str, data: bytes) -> str:
    """The file's text, always with a line break: the CSV and PSPLIB readers take a
    string without one for a path, and an upload must never name a server file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(name, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if "\x00" in text:
        raise ParseError(name, 0, "not a text file (it holds NUL bytes)")
    return text if "\n" in text else text + "\n"
