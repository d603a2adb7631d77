"""The program tab bar in groups: every tab keeps its label and URL, in its group."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from podium.core import navigation
from podium.core.navigation import group_of, program_nav, register_program_tab, tabs_for
from tests.conftest import World


def nav_html(html: str) -> str:
    match = re.search(r'<nav class="tabs tabbar" aria-label="Program">.*?</nav>', html, re.S)
    assert match is not None
    return match.group(0)


def _reverse(name: str, code: str) -> str:
    return reverse(name, kwargs={"code": code})


def test_default_groups_come_from_the_url_namespace() -> None:
    assert group_of("programs:detail") == ""
    assert group_of("dashboard:roadmap") == ""
    assert group_of("programs:history") == ""
    assert group_of("programs:components") == "Delivery"
    assert group_of("schedule:program") == "Delivery"
    assert group_of("changes:list") == "Delivery"
    assert group_of("finance:budget") == "Money"
    assert group_of("forecast:program") == "Money"
    assert group_of("risks:issues") == "Risk"
    assert group_of("lessons:program") == "Risk"
    assert group_of("feedback:monitoring") == "People"
    assert group_of("programs:members") == "People"
    assert group_of("somethingnew:page") == "More"


def test_bar_order_own_tabs_then_groups_then_history(world: World) -> None:
    entries = program_nav(world.pm, world.alpha, "/programs/ALPHA/", _reverse)
    names = [e.group or e.links[0].label for e in entries]
    assert names[:3] == ["Overview", "Dashboard", "Roadmap"]
    assert names.index("Delivery") < names.index("Money") < names.index("Risk")
    assert names.index("Risk") < names.index("People") < names.index("History")
    assert names[-1] == "History"
    delivery = next(e for e in entries if e.group == "Delivery")
    labels = [link.label for link in delivery.links]
    assert labels[:2] == ["Components", "Schedule"]
    assert {"Deliverables", "Governance", "Change requests"} <= set(labels)
    money = next(e for e in entries if e.group == "Money")
    assert [link.label for link in money.links] == ["Forecast", "Budget", "Performance"]


def test_every_tab_is_in_the_program_nav_with_its_label_and_url(world: World, client: Any) -> None:
    for user in (world.pm, world.stakeholder, world.team):
        client.force_login(user)
        nav = nav_html(client.get("/programs/ALPHA/").content.decode())
        tabs = tabs_for(user, world.alpha)
        assert len(tabs) > 10
        for tab in tabs:
            url = _reverse(tab.url_name, "ALPHA")
            assert f'<a href="{url}"' in nav and f">{tab.label}</a>" in nav, tab.label
        assert nav.count("<a href=") == len(tabs)


def test_current_tab_and_active_group(world: World, client: Any) -> None:
    client.force_login(world.pm)
    nav = nav_html(client.get("/programs/ALPHA/deliverables/").content.decode())
    assert '<a href="/programs/ALPHA/deliverables/" aria-current="page">Deliverables</a>' in nav
    assert nav.count('aria-current="page"') == 1
    assert 'class="tabgroup tabgroup-active" data-group="delivery"' in nav
    assert nav.count("tabgroup-active") == 1
    # a page below a tab keeps its group active, without marking the tab current
    entries = program_nav(world.pm, world.alpha, "/programs/ALPHA/risks/R-001/", _reverse)
    assert [e.group for e in entries if e.active] == ["Risk"]
    assert not any(link.current for e in entries for link in e.links)
    # the Overview is a tab of its own and current only on its page
    nav = nav_html(client.get("/programs/ALPHA/").content.decode())
    assert '<a href="/programs/ALPHA/" aria-current="page">Overview</a>' in nav
    assert "tabgroup-active" not in nav


def test_a_tab_may_name_its_group(world: World) -> None:
    saved = dict(navigation._TABS)
    try:
        register_program_tab("Lessons", "lessons:program", order=85, group="People")
        entries = program_nav(world.pm, world.alpha, "/programs/ALPHA/", _reverse)
        people = next(e for e in entries if e.group == "People")
        assert "Lessons" in [link.label for link in people.links]
    finally:
        navigation._TABS.clear()
        navigation._TABS.update(saved)
