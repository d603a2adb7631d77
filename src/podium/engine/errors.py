"""Named exceptions raised by the scheduling engine.

Every error the engine raises derives from :class:`EngineError`, so callers (the CLI,
the importers, the Django services) can catch one type and print its one-line message.

Examples
--------
>>> from podium.engine.errors import CycleError, ParseError
>>> str(CycleError(["A", "B", "C"]))
'cycle in the network: A -> B -> C -> A'
>>> print(ParseError("plan.xml", 12, "unknown link target 'T9'"))
plan.xml:12: unknown link target 'T9'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CycleError",
    "EngineError",
    "InfeasibleError",
    "NetworkError",
    "ParseError",
    "UnknownActivityError",
]


class EngineError(Exception):
    """Base class of every error raised by :mod:`podium.engine`."""


class NetworkError(EngineError, ValueError):
    """An activity, link, calendar or network is invalid (raised when it is built)."""


class UnknownActivityError(NetworkError):
    """A link (or a parent reference) names an activity that is not in the network.

    Parameters
    ----------
    link : str
        Human-readable description of the offending link, e.g. ``"A -> B (FS)"``.
    missing : str
        The activity id that could not be found.
    """

    def __init__(self, link: str, missing: str) -> None:
        self.link = link
        self.missing = missing
        super().__init__(f"link {link}: unknown activity {missing!r}")


class CycleError(EngineError):
    """The precedence network contains a cycle.

    Parameters
    ----------
    activity_ids : Sequence[str]
        The activities on one cycle, in link order; the message closes the loop, so
        ``["A", "B"]`` reads ``A -> B -> A``.
    """

    def __init__(self, activity_ids: Sequence[str]) -> None:
        self.activity_ids: tuple[str, ...] = tuple(activity_ids)
        path = " -> ".join([*self.activity_ids, self.activity_ids[0]]) if activity_ids else ""
        super().__init__(f"cycle in the network: {path}")


class InfeasibleError(EngineError):
    """No schedule exists, e.g. a calendar without any working time."""


class ParseError(EngineError):
    """Bad input in a file, reported on one line as ``FILE:LINE: reason``.

    Parameters
    ----------
    file : str
        Path or name of the file.
    line_or_element : int or str
        Line number (text formats) or element path (XML formats).
    reason : str
        What is wrong, in a few words.
    """

    def __init__(self, file: str, line_or_element: int | str, reason: str) -> None:
        self.file = file
        self.line_or_element = line_or_element
        self.reason = " ".join(reason.split())
        super().__init__(f"{file}:{line_or_element}: {self.reason}")
