"""MSPDI reading, part 1: safe XML parsing with line numbers, and typed values.

See :mod:`podium.interchange.mspdi`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import ParseError as XMLSyntaxError

from podium.engine.calendars import Interval
from podium.engine.errors import ParseError
from podium.engine.network import (
    ConstraintType,
    LinkType,
)

if TYPE_CHECKING:
    pass


__all__ = ["NS"]

NS = "http://schemas.microsoft.com/project"
_Q = "{" + NS + "}"
PROJECT_SUMMARY_UID = "0"

CONSTRAINT_CODES: dict[int, ConstraintType] = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
"""MSPDI ``ConstraintType`` code to engine constraint."""

LINK_TYPE_CODES: dict[int, LinkType] = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
"""MSPDI ``PredecessorLink/Type`` code to engine link type."""

ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
"""Duration/lag format codes in elapsed time: em, eh, ed, ew, emo, e% (and their ``?``)."""

PERCENT_FORMATS = frozenset({19, 20, 51, 52})
"""Lag format codes that are a percentage of the predecessor's duration."""

_DEFAULT_DAY: tuple[Interval, ...] = ((480, 720), (780, 1020))
_NULL_RESOURCE_UID = -65535
_MAX_RECURRENCES = 20000  # occurrences expanded from one recurring exception


# --------------------------------------------------------------------------- XML
class _LineBuilder(TreeBuilder):
    """A tree builder that remembers the source line of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: Any, attrs: Any) -> Element:
        el = super().start(tag, attrs)
        expat = getattr(self.parser, "parser", None)
        if expat is not None:
            self.lines[id(el)] = int(expat.CurrentLineNumber)
        return el


@dataclass
class _Doc:
    """The parsed document plus what error messages need."""

    root: Element
    name: str
    lines: dict[int, int]

    def line(self, el: Element) -> int | str:
        got = self.lines.get(id(el))
        return got if got is not None else el.tag.replace(_Q, "")

    def error(self, el: Element, reason: str) -> ParseError:
        return ParseError(self.name, self.line(el), reason)


def _parse(data: bytes, name: str) -> _Doc:
    builder = _LineBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except XMLSyntaxError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        raise ParseError(name, line, f"malformed XML: {exc}") from None
    except DefusedXmlException as exc:
        raise ParseError(name, 1, f"refused unsafe XML ({type(exc).__name__}): {exc}") from None
    if root.tag != _Q + "Project":
        raise ParseError(
            name, builder.lines.get(id(root), 1), f"not an MSPDI document (root {root.tag!r})"
        )
    return _Doc(root, name, builder.lines)


def _child(el: Element, tag: str) -> Element | None:
    return el.find(_Q + tag)


def _children(el: Element | None, tag: str) -> list[Element]:
    return [] if el is None else el.findall(_Q + tag)


def _text(el: Element, tag: str) -> str | None:
    got = el.find(_Q + tag)
    if got is None or got.text is None:
        return None
    value = got.text.strip()
    return value or None


# --------------------------------------------------------------------------- values
_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


class _Reader:
    """Typed field access with ``ParseError`` naming the element on bad values."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc

    def integer(self, el: Element, tag: str, default: int | None = None) -> int | None:
        raw = _text(el, tag)
        if raw is None:
            return default
        try:
            return int(float(raw))
        except ValueError:
            raise self._bad(el, tag, raw, "a number") from None

    def number(self, el: Element, tag: str, default: float | None = None) -> float | None:
        raw = _text(el, tag)
        if raw is None:
            return default
        try:
            return float(raw)
        except ValueError:
            raise self._bad(el, tag, raw, "a number") from None

    def flag(self, el: Element, tag: str, default: bool = False) -> bool:
        raw = _text(el, tag)
        if raw is None:
            return default
        if raw.lower() in ("1", "true"):
            return True
        if raw.lower() in ("0", "false"):
            return False
        raise self._bad(el, tag, raw, "0 or 1")

    def instant(self, el: Element, tag: str) -> datetime | None:
        raw = _text(el, tag)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self._bad(el, tag, raw, "an ISO 8601 date-time") from None
        return value.replace(tzinfo=None, second=0, microsecond=0)

    def clock(self, el: Element, tag: str) -> int | None:
        """A ``HH:MM:SS`` time as minutes from midnight (``24:00``/``00:00`` end: 1440)."""
        raw = _text(el, tag)
        if raw is None:
            return None
        match = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$", raw)
        if match is None or int(match.group(1)) > 24 or int(match.group(2)) > 59:
            raise self._bad(el, tag, raw, "a time HH:MM:SS")
        return int(match.group(1)) * 60 + int(match.group(2))

    def duration(self, el: Element, tag: str) -> int | None:
        """An ISO 8601 duration (``PT8H0M0S``) as whole minutes (days count 24 h)."""
        raw = _text(el, tag)
        if raw is None:
            return None
        match = _DURATION.match(raw)
        if match is None:
            raise self._bad(el, tag, raw, "an ISO 8601 duration such as PT8H0M0S")
        sign, years, months, days, hours, minutes, seconds = match.groups()
        if years or months:
            raise self._bad(el, tag, raw, "a duration without years or months")
        total = (
            float(days or 0) * 1440
            + float(hours or 0) * 60
            + float(minutes or 0)
            + float(seconds or 0) / 60
        )
        return -round(total) if sign else round(total)

    def _bad(self, el: Element, tag: str, raw: str, expected: str) -> ParseError:
        where = _child(el, tag)
        return self.doc.error(
            where if where is not None else el, f"{tag} {raw!r} is not {expected}"
        )
