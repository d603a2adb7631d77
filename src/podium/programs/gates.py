"""The gate rule's hook: programs ask, a higher layer (governance) answers.

``transition_program`` and ``transition_component`` call :func:`check` before they write.
Programs is the lower layer and never imports governance; governance registers its check
in ``AppConfig.ready``::

    from podium.programs import gates
    gates.register(check_gate)

A hook raises (``TransitionRefused``) to refuse the move. It runs inside the transition's
transaction, so whatever it writes (marking a gate review as used) is undone with a
refused or failed transition. With no hook registered, transitions are not gated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "GateHook",
    "check",
    "gate_page",
    "register",
    "register_gate_page",
    "registered",
]

# (actor, subject, source, target, review) -> None; raises to refuse.
GateHook = Callable[..., None]

_HOOKS: list[GateHook] = []

# (subject, source, target) -> the URL of the page where that move is decided, or None
# when the move is direct. Pages use it to offer the gate instead of a refused button.
GatePage = Callable[[Any, str, str], "str | None"]
_PAGES: list[GatePage] = []


def register_gate_page(func: GatePage) -> None:
    if func not in _PAGES:
        _PAGES.append(func)


def gate_page(subject: Any, source: str, target: str) -> str | None:
    """Where moving ``subject`` from ``source`` to ``target`` is decided (None: direct)."""
    for func in _PAGES:
        url = func(subject, source, target)
        if url:
            return url
    return None


def register(hook: GateHook) -> None:
    """Add ``hook`` (once) to the checks every program/component transition runs."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def registered() -> tuple[GateHook, ...]:
    return tuple(_HOOKS)


def check(*, actor: Any, subject: Any, source: str, target: str, review: Any) -> None:
    """Run every registered hook for moving ``subject`` (a Program or Component) from
    ``source`` to ``target`` with the approved gate review ``review`` (or None)."""
    for hook in _HOOKS:
        hook(actor=actor, subject=subject, source=source, target=target, review=review)
