r"""Primavera P6 calendars: the nested ``clndr_data`` text of an XER ``CALENDAR`` row.

P6 stores a calendar as a tree of nodes ``(0||NAME(ATTRS)(CHILDREN))``::

    (0||CalendarData()(
      (0||DaysOfWeek()(
        (0||1()())                                   Sunday: no work
        (0||2()((0||0(s|08:00|f|12:00)())            Monday: 08:00-12:00 ...
                (0||1(s|13:00|f|17:00)())))          ... and 13:00-17:00
        ...))
      (0||Exceptions()(
        (0||0(d|41275)())                            1 January 2013: no work
        (0||1(d|41276)((0||0(s|08:00|f|12:00)())))   a working exception
      ))))

Weekdays are numbered 1 (Sunday) to 7 (Saturday); exception dates are serial day
numbers (days since 1899-12-30, as in spreadsheets); ``f|00:00`` after a later start
means midnight at the end of the day.

Examples
--------
>>> cal = parse_calendar_data(
...     "(0||CalendarData()((0||DaysOfWeek()((0||2()((0||0(s|08:00|f|16:00)())))))"
...     "(0||Exceptions()((0||0(d|45292)())))))",
...     name="Mon",
... )
>>> cal.week[0], cal.exceptions[0].start
(((480, 960),), datetime.date(2024, 1, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from podium.engine.calendars import Calendar, CalendarException, Interval

__all__ = [
    "CalendarDataError",
    "CalendarNode",
    "parse_calendar_data",
    "parse_calendar_tree",
]

_SERIAL_EPOCH = date(1899, 12, 30)


class CalendarDataError(ValueError):
    """``clndr_data`` text that cannot be read (the XER reader adds file and line)."""


@dataclass
class CalendarNode:
    """One ``(0||name(attrs)(children))`` node of ``clndr_data``."""

    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[CalendarNode] = field(default_factory=list)

    def child(self, name: str) -> CalendarNode | None:
        """The first child called ``name`` (case-insensitive), if any."""
        low = name.lower()
        return next((c for c in self.children if c.name.lower() == low), None)


def parse_calendar_tree(text: str) -> CalendarNode:
    """Parse ``clndr_data`` into its node tree.

    Raises
    ------
    CalendarDataError
        Unbalanced parentheses, a missing ``||`` or trailing text.
    """
    text = text.replace("\x7f", " ").strip()  # P6 writes line breaks as DEL characters
    node, pos = _node(text, 0)
    if text[pos:].strip():
        raise CalendarDataError(f"unexpected text at character {pos} of clndr_data")
    return node


def _node(text: str, pos: int) -> tuple[CalendarNode, int]:
    if not text.startswith("(", pos):
        raise CalendarDataError(f"expected '(' at character {pos} of clndr_data")
    bars = text.find("||", pos)
    if bars < 0:
        raise CalendarDataError(f"missing '||' at character {pos} of clndr_data")
    open_attrs = text.find("(", bars)
    if open_attrs < 0:
        raise CalendarDataError("clndr_data ends inside a node (truncated?)")
    name = text[bars + 2 : open_attrs].strip()
    close_attrs = text.find(")", open_attrs)
    if close_attrs < 0:
        raise CalendarDataError("clndr_data ends inside a node (truncated?)")
    parts = text[open_attrs + 1 : close_attrs].split("|")
    attrs = {parts[i].strip().lower(): parts[i + 1].strip() for i in range(0, len(parts) - 1, 2)}
    pos = close_attrs + 1
    if not text.startswith("(", pos):
        raise CalendarDataError(f"expected '(' at character {pos} of clndr_data")
    pos += 1
    children: list[CalendarNode] = []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise CalendarDataError("unbalanced parentheses in clndr_data (truncated?)")
        if text[pos] == ")":
            pos += 1
            break
        child, pos = _node(text, pos)
        children.append(child)
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if not text.startswith(")", pos):
        raise CalendarDataError("unbalanced parentheses in clndr_data (truncated?)")
    return CalendarNode(name, attrs, children), pos + 1


def _minutes(value: str) -> int:
    try:
        hh, mm = value.split(":")[:2]
        out = int(hh) * 60 + int(mm)
    except ValueError:
        raise CalendarDataError(f"bad time {value!r} in clndr_data") from None
    if not 0 <= out <= 1440:
        raise CalendarDataError(f"bad time {value!r} in clndr_data")
    return out


def _intervals(nodes: Sequence[CalendarNode]) -> tuple[Interval, ...]:
    raw: list[tuple[int, int]] = []
    for n in nodes:
        if "s" not in n.attrs or "f" not in n.attrs:
            continue
        s, f = _minutes(n.attrs["s"]), _minutes(n.attrs["f"])
        if f <= s and f == 0:
            f = 1440
        if f <= s:
            raise CalendarDataError(f"working interval {n.attrs['s']}-{n.attrs['f']} ends first")
        raw.append((s, f))
    raw.sort()
    merged: list[tuple[int, int]] = []
    for s, f in raw:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], f))
        else:
            merged.append((s, f))
    return tuple(merged)


def _serial_date(value: str) -> date:
    text = value.strip()
    try:
        return _SERIAL_EPOCH + timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise CalendarDataError(f"bad exception date {value!r} in clndr_data") from None


def parse_calendar_data(
    text: str,
    *,
    name: str = "Calendar",
    base: Calendar | None = None,
) -> Calendar:
    """Build a :class:`~podium.engine.calendars.Calendar` from P6 ``clndr_data``.

    Parameters
    ----------
    text : str
        The ``clndr_data`` field.
    name : str
        The calendar's name (``clndr_name``).
    base : Calendar, optional
        Base calendar (``base_clndr_id``): its week is used where ``text`` has no
        ``DaysOfWeek`` and its exceptions come before this calendar's own.

    Returns
    -------
    Calendar
        Weekdays without intervals are non-working; a calendar without any
        ``DaysOfWeek`` and no base gets P6's default week, Monday to Friday
        08:00-12:00 and 13:00-17:00.

    Raises
    ------
    CalendarDataError
        The text cannot be parsed.
    """
    root = parse_calendar_tree(text) if text.strip() else CalendarNode("")
    data = root if root.name.lower() == "calendardata" else root.child("CalendarData") or root
    week_node = data.child("DaysOfWeek")
    week: list[tuple[Interval, ...]]
    if week_node is not None:
        week = [() for _ in range(7)]
        for day in week_node.children:
            try:
                num = int(day.name)
            except ValueError:
                raise CalendarDataError(f"bad weekday {day.name!r} in clndr_data") from None
            if not 1 <= num <= 7:
                raise CalendarDataError(f"bad weekday {day.name!r} in clndr_data")
            week[(num + 5) % 7] = _intervals(day.children)
    elif base is not None:
        week = list(base.week)
    else:
        std: tuple[Interval, ...] = ((480, 720), (780, 1020))
        week = [std] * 5 + [(), ()]
    exceptions: list[CalendarException] = list(base.exceptions) if base is not None else []
    exc_node = data.child("Exceptions")
    for exc in exc_node.children if exc_node is not None else []:
        if "d" not in exc.attrs:
            raise CalendarDataError(f"calendar exception {exc.name!r} has no date")
        when = _serial_date(exc.attrs["d"])
        exceptions.append(CalendarException(when, when, _intervals(exc.children)))
    return Calendar(week, exceptions, name=name)
