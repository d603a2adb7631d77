r"""A CSV of activities and links: the simplest way to bring a plan into Podium.

One row per activity, a header row naming the columns (any order, case-insensitive;
only ``id`` is required)::

    id,name,duration,predecessors,calendar,constraint_type,constraint_date,parent,wbs
    1,Design,5d,,,,,,1.1
    2,Build,4h,1FS+2d,Standard,SNET,2024-01-10T08:00,,1.2
    3,Test,30m,1FS;2SS-1h,,,,,1.3

``id``
    Unique activity id (text).
``name``
    Display name.
``duration``
    Working time with units ``m`` (minutes), ``h`` (hours), ``d`` (days of
    ``hours_per_day``, default 8) and ``w`` (weeks of 5 days), combinable (``1d 4h``);
    a bare ``0`` or empty cell is a milestone. Decimals are allowed (``1.5d``).
``predecessors``
    ``;``-separated ``<id>[<type>][<lag>]``: type ``FS`` (default), ``SS``, ``FF``,
    ``SF``; lag ``+2d``, ``-4h`` or a percentage of the predecessor's duration
    (``+50%``). Ids in this column must not end in a link type.
``calendar``
    Name of a calendar passed to :func:`read_csv` (empty: the project calendar).
``constraint_type`` / ``constraint_date``
    ``ASAP``, ``ALAP``, ``SNET``, ``SNLT``, ``FNET``, ``FNLT``, ``MSO``, ``MFO``,
    ``MANDATORY_START``, ``MANDATORY_FINISH``; dates ISO 8601 (``2024-01-10`` or
    ``2024-01-10T08:00``).
``parent`` / ``wbs``
    Id of the summary activity this row belongs to (rows named as a parent become
    summaries) and the outline code.

Comma- and semicolon-separated files are both read (the delimiter is taken from the
header row), with or without a UTF-8 byte-order mark. Errors name the file, the line
and the column: ``plan.csv:3: column 'duration': cannot read '5x'``.

Examples
--------
>>> from datetime import datetime
>>> text = "id;name;duration;predecessors\n1;Design;2d;\n2;Build;4h;1FS+1d\n"
>>> project = read_csv(text, project_start=datetime(2024, 1, 1, 8))
>>> [(ln.pred, ln.succ, ln.type, ln.lag_minutes) for ln in project.network.links]
[('1', '2', 'FS', 480)]
>>> print(write_csv(project).splitlines()[2])
2,Build,4h,1FS+1d,,,,,
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import cast

from podium.engine.calendars import Calendar
from podium.engine.errors import EngineError, ParseError
from podium.engine.network import (
    Activity,
    ActivityKind,
    ConstraintType,
    LagKind,
    Link,
    LinkType,
    Network,
)
from podium.interchange.base import ProjectFile

__all__ = ["COLUMNS", "format_duration", "parse_duration", "read_csv", "write_csv"]

COLUMNS = (
    "id",
    "name",
    "duration",
    "predecessors",
    "calendar",
    "constraint_type",
    "constraint_date",
    "parent",
    "wbs",
)
_PART = re.compile(r"(\d+(?:\.\d+)?)([wdhm])")
_PRED = re.compile(
    r"^(?P<id>.+?)(?P<type>FS|SS|FF|SF)?(?P<lag>[+-]\s*\d.*)?$", re.IGNORECASE | re.DOTALL
)


def parse_duration(text: str, *, hours_per_day: float = 8) -> int:
    """Working minutes of ``"5d"``, ``"1d 4h"``, ``"30m"``, ``"-2h"``, ``"0"``.

    Raises :class:`ValueError` for anything else.

    Examples
    --------
    >>> parse_duration("1w 1.5d")
    3120
    """
    s = text.strip().lower().replace(" ", "")
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("+-")
    if s == "0":
        return 0
    unit = {"w": 5 * hours_per_day * 60, "d": hours_per_day * 60, "h": 60.0, "m": 1.0}
    pos = 0
    total = 0.0
    for m in _PART.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * unit[m.group(2)]
        pos = m.end()
    if pos == 0 or pos != len(s):
        raise ValueError(f"cannot read duration {text.strip()!r} (use e.g. 5d, 4h, 30m)")
    minutes = total * sign
    if minutes != round(minutes):
        raise ValueError(f"duration {text.strip()!r} is not a whole number of minutes")
    return round(minutes)


def format_duration(minutes: int, *, hours_per_day: float = 8) -> str:
    """The shortest exact text for ``minutes``: ``"5d"``, ``"4h"``, ``"90m"``, ``"0"``.

    >>> format_duration(2880), format_duration(-240), format_duration(90)
    ('6d', '-4h', '90m')
    """
    if minutes == 0:
        return "0"
    sign = "-" if minutes < 0 else ""
    m = abs(minutes)
    day = hours_per_day * 60
    if day and m % day == 0:
        return f"{sign}{int(m // day)}d"
    if m % 60 == 0:
        return f"{sign}{m // 60}h"
    return f"{sign}{m}m"


def _date(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        raise ValueError(f"local times only, got {text!r}")
    return value


def read_csv(
    path_or_text: str | Path,
    *,
    project_start: datetime,
    calendars: dict[str, Calendar] | None = None,
    default_calendar: Calendar | None = None,
    hours_per_day: float = 8,
    name: str | None = None,
) -> ProjectFile:
    """Read a CSV of activities and links (see the module docstring for the columns).

    Parameters
    ----------
    path_or_text : str or Path
        A path, or the CSV text itself (any string containing a newline).
    project_start : datetime
        The network's project start (a CSV does not carry one).
    calendars : dict of str to Calendar, optional
        Calendars the ``calendar`` column may name; ``Standard``, ``24 Hours`` and
        ``7 Days`` are always known.
    default_calendar : Calendar, optional
        Project calendar (default: :meth:`Calendar.standard`).
    hours_per_day : float
        Length of a ``d`` unit in hours.
    name : str, optional
        Project name (default: the file's stem).

    Raises
    ------
    ParseError
        ``FILE:LINE: column 'NAME': reason`` for a bad cell, unknown predecessor or
        parent, duplicate id, unknown calendar or a missing ``id`` column.
    """
    if isinstance(path_or_text, Path) or "\n" not in path_or_text:
        path = Path(path_or_text)
        file = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(str(path), 0, f"cannot read file: {exc.strerror}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError(file, 0, f"not UTF-8 text (byte {exc.start})") from None
        project_name = name or path.stem
    else:
        file = "<csv>"
        text = path_or_text.removeprefix("\ufeff")
        project_name = name or "CSV import"
    default = default_calendar or Calendar.standard()
    known: dict[str, Calendar] = {
        "Standard": default if default_calendar is None else Calendar.standard(),
        "24 Hours": Calendar.twenty_four_hour(),
        "7 Days": Calendar.seven_day(),
    }
    known.update(calendars or {})
    known.setdefault(default.name, default)

    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError(file, 1, "empty file: expected a header row") from None
    cols = {h.strip().lower(): i for i, h in enumerate(header) if h.strip()}
    unknown = [h for h in cols if h not in COLUMNS]
    if unknown:
        raise ParseError(file, 1, f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})")
    if "id" not in cols:
        raise ParseError(file, 1, "missing column 'id'")

    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise ParseError(file, line, f"{len(row)} cells but {len(header)} columns")
            cells = {c: row[i].strip() if i < len(row) else "" for c, i in cols.items()}
            rows.append((line, cells))
    except csv.Error as exc:
        raise ParseError(file, reader.line_num, f"malformed CSV: {exc}") from None

    def fail(line: int, column: str, reason: str) -> ParseError:
        return ParseError(file, line, f"column {column!r}: {reason}")

    ids: dict[str, int] = {}
    for line, cells in rows:
        aid = cells["id"]
        if not aid:
            raise fail(line, "id", "empty id")
        if aid in ids:
            raise fail(line, "id", f"duplicate id {aid!r} (first on line {ids[aid]})")
        ids[aid] = line
    parents = {cells.get("parent", "") for _, cells in rows} - {""}

    activities: list[Activity] = []
    links: list[Link] = []
    wbs: dict[str, str] = {}
    for line, cells in rows:
        aid = cells["id"]
        try:
            minutes = parse_duration(cells.get("duration") or "0", hours_per_day=hours_per_day)
        except ValueError as exc:
            raise fail(line, "duration", str(exc)) from None
        if minutes < 0:
            raise fail(line, "duration", f"negative duration {cells['duration']!r}")
        cal_name = cells.get("calendar", "")
        if cal_name and cal_name not in known:
            raise fail(line, "calendar", f"unknown calendar {cal_name!r}")
        ctype_text = (cells.get("constraint_type") or "ASAP").upper()
        try:
            ctype = ConstraintType(ctype_text)
        except ValueError:
            raise fail(line, "constraint_type", f"unknown constraint {ctype_text!r}") from None
        cdate_text = cells.get("constraint_date", "")
        try:
            cdate = _date(cdate_text) if cdate_text else None
        except ValueError:
            raise fail(line, "constraint_date", f"not an ISO 8601 date: {cdate_text!r}") from None
        parent = cells.get("parent") or None
        if parent is not None and parent not in ids:
            raise fail(line, "parent", f"unknown activity {parent!r}")
        kind: ActivityKind = (
            "summary" if aid in parents else "milestone" if minutes == 0 else "task"
        )
        try:
            activities.append(
                Activity(
                    id=aid,
                    name=cells.get("name", ""),
                    duration_minutes=0 if kind == "summary" else minutes,
                    calendar=known[cal_name] if cal_name else None,
                    kind=kind,
                    parent=parent,
                    constraint_type=ctype,
                    constraint_date=cdate,
                )
            )
        except EngineError as exc:
            raise ParseError(file, line, str(exc)) from None
        for item in (cells.get("predecessors") or "").split(";"):
            if item.strip():
                error = partial(fail, line, "predecessors")
                links.append(_link(item.strip(), aid, ids, hours_per_day, error))
        if cells.get("wbs"):
            wbs[aid] = cells["wbs"]
    try:
        network = Network(activities, links, project_start=project_start, default_calendar=default)
    except EngineError as exc:
        raise ParseError(file, 0, str(exc)) from None
    used = {a.calendar.name: a.calendar for a in activities if a.calendar is not None}
    return ProjectFile(
        name=project_name,
        format="csv",
        network=network,
        source=file,
        calendars={default.name: default, **used},
        wbs=wbs,
    )


def _link(
    item: str,
    succ: str,
    ids: dict[str, int],
    hours_per_day: float,
    error: Callable[[str], ParseError],
) -> Link:
    m = _PRED.match(item)
    if m is None:  # pragma: no cover - the pattern matches any non-empty text
        raise error(f"cannot read predecessor {item!r}")
    pred, ltype, lag_text = m.group("id").strip(), m.group("type"), m.group("lag")
    if pred not in ids:
        raise error(f"unknown predecessor {pred!r}")
    if pred == succ:
        raise error(f"activity {succ!r} cannot precede itself")
    lag, kind, pct = 0, "work", 0.0
    if lag_text:
        if lag_text.strip().endswith("%"):
            try:
                pct = float(lag_text.strip()[:-1].replace(" ", ""))
            except ValueError:
                raise error(f"cannot read lag {lag_text!r}") from None
            kind = "percent"
        else:
            try:
                lag = parse_duration(lag_text, hours_per_day=hours_per_day)
            except ValueError as exc:
                raise error(str(exc)) from None
    link_type = cast(LinkType, (ltype or "FS").upper())
    return Link(pred, succ, link_type, lag, cast(LagKind, kind), pct)


def write_csv(project: ProjectFile, *, hours_per_day: float = 8, delimiter: str = ",") -> str:
    """Write the activities and links of ``project`` in the format :func:`read_csv` reads.

    Links are written on their successor's row; calendars by name (activities on the
    project calendar leave the cell empty).
    """
    net = project.network
    preds: dict[str, list[str]] = {}
    for ln in net.links:
        text = ln.pred + ln.type
        if ln.lag_kind == "percent":
            if ln.lag_percent:
                text += f"{ln.lag_percent:+g}%"
        elif ln.lag_minutes:
            lag = format_duration(ln.lag_minutes, hours_per_day=hours_per_day)
            text += lag if lag.startswith("-") else "+" + lag
        preds.setdefault(ln.succ, []).append(text)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in net.activities:
        writer.writerow(
            [
                a.id,
                a.name,
                format_duration(a.duration_minutes, hours_per_day=hours_per_day),
                ";".join(preds.get(a.id, [])),
                "" if a.calendar is None else a.calendar.name,
                "" if a.constraint_type == ConstraintType.ASAP else a.constraint_type.value,
                "" if a.constraint_date is None else a.constraint_date.isoformat(),
                a.parent or "",
                project.wbs.get(a.id, ""),
            ]
        )
    return out.getvalue()
