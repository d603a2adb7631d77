"""The navigation later capabilities plug into.

An app adds a tab to every program's navigation from its ``AppConfig.ready``::

    register_program_tab("Schedule", "schedule:program", order=20)

The URL name is reversed with ``code=<program code>``.

Groups
------
The program's tab bar shows a few tabs on their own (Overview, Dashboard, Roadmap,
History) and the others in groups: Delivery, Money, Risk, People (and Reports, More).
A tab's group is the ``group`` given to :func:`register_program_tab`; when none is given
it comes from its URL namespace (:data:`GROUP_BY_NAMESPACE`, with exceptions by URL name
in :data:`GROUP_BY_URL_NAME`); ``""`` means a tab of its own. An unknown namespace goes to
"More". :func:`program_nav` gives the bar's entries in order (own tabs by their ``order``,
groups at :data:`GROUP_ORDER`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "GROUP_BY_NAMESPACE",
    "GROUP_BY_URL_NAME",
    "GROUP_ORDER",
    "NavEntry",
    "NavLink",
    "ProgramTab",
    "group_of",
    "program_nav",
    "program_tabs",
    "register_program_tab",
    "tabs_for",
]

# Where each group sits in the bar (tabs of their own sit at their ``order``).
GROUP_ORDER: dict[str, int] = {
    "Delivery": 10,
    "Money": 40,
    "Risk": 50,
    "People": 70,
    "Reports": 87,
    "More": 88,
}

GROUP_BY_NAMESPACE: dict[str, str] = {
    "dashboard": "",
    "schedule": "Delivery",
    "delivery": "Delivery",
    "benefits": "Delivery",
    "governance": "Delivery",
    "changes": "Delivery",
    "finance": "Money",
    "forecast": "Money",
    "risks": "Risk",
    "lessons": "Risk",
    "resources": "People",
    "stakeholders": "People",
    "feedback": "People",
    "reports": "Reports",
    "exports": "Reports",
    "work": "People",
    "updates": "Reports",
    "discussions": "Reports",
    "meetings": "Delivery",
}

GROUP_BY_URL_NAME: dict[str, str] = {
    "programs:detail": "",
    "programs:history": "",
    "programs:components": "Delivery",
    "programs:members": "People",
}


def group_of(url_name: str) -> str:
    """The default group of a tab by its URL name ("" = a tab of its own)."""
    if url_name in GROUP_BY_URL_NAME:
        return GROUP_BY_URL_NAME[url_name]
    namespace = url_name.split(":", 1)[0] if ":" in url_name else ""
    return GROUP_BY_NAMESPACE.get(namespace, "More")


@dataclass(frozen=True)
class ProgramTab:
    label: str
    url_name: str
    order: int
    # (user, program) -> whether the tab shows; None: every member sees it
    visible: Callable[[Any, Any], bool] | None = None
    group: str = ""  # "" = a tab of its own


_TABS: dict[str, ProgramTab] = {}


def register_program_tab(
    label: str,
    url_name: str,
    order: int = 50,
    visible: Callable[[Any, Any], bool] | None = None,
    group: str | None = None,
) -> None:
    """Add (or replace) a program tab; ``group`` None: by :func:`group_of`."""
    _TABS[url_name] = ProgramTab(
        label, url_name, order, visible, group_of(url_name) if group is None else group
    )


def tabs_for(user: Any, program: Any) -> list[ProgramTab]:
    """The tabs ``user`` sees in ``program``'s navigation."""
    return [t for t in program_tabs() if t.visible is None or t.visible(user, program)]


def program_tabs() -> list[ProgramTab]:
    return sorted(_TABS.values(), key=lambda t: (t.order, t.label))


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool  # the page shown is this tab's


@dataclass(frozen=True)
class NavEntry:
    """A tab of its own (``links`` has one link, ``group`` is "") or a group."""

    group: str
    links: list[NavLink] = field(default_factory=list)
    active: bool = False  # the page shown belongs to this group

    @property
    def slug(self) -> str:
        return self.group.lower().replace(" ", "-")


def program_nav(
    user: Any, program: Any, path: str, reverse: Callable[[str, str], str]
) -> list[NavEntry]:
    """The entries of ``program``'s tab bar for ``user`` on the page at ``path``.

    ``reverse(url_name, code)`` gives a tab's URL. A tab is current when its URL is the
    path; a group is active when the path is one of its tabs' pages (the longest tab URL
    the path starts with belongs to it), so a deliverable's page keeps Delivery open.
    """
    tabs = tabs_for(user, program)
    urls = {t.url_name: reverse(t.url_name, program.code) for t in tabs}
    owner = max(
        (t for t in tabs if path.startswith(urls[t.url_name])),
        key=lambda t: len(urls[t.url_name]),
        default=None,
    )
    entries: list[tuple[int, NavEntry]] = []
    groups: dict[str, list[NavLink]] = {}
    for t in tabs:
        link = NavLink(t.label, urls[t.url_name], urls[t.url_name] == path)
        if not t.group:
            entries.append((t.order, NavEntry("", [link], link.current)))
        else:
            groups.setdefault(t.group, []).append(link)
    active_group = owner.group if owner is not None else ""
    for name, links in groups.items():
        position = GROUP_ORDER.get(name, GROUP_ORDER["More"])
        entries.append((position, NavEntry(name, links, name == active_group)))
    entries.sort(key=lambda e: e[0])
    return [e for _, e in entries]
