"""The program Gantt's data (podium.schedule.gantt), its API endpoint and its page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from podium.resources import services as resource_services
from podium.schedule import services
from podium.schedule.gantt import (
    COLUMNS,
    CRITICAL,
    GROUP,
    MILESTONE,
    SUMMARY,
    GanttFilters,
    gantt_payload,
)
from podium.schedule.models import Activity
from tests.conftest import World
from tests.schedule.conftest import DAY, small_project

pytestmark = pytest.mark.django_db

F = {name: i for i, name in enumerate(COLUMNS)}


def by_code(payload: dict[str, Any]) -> dict[str, list[Any]]:
    return {row[F["code"]]: row for row in payload["rows"]}


def minute(payload: dict[str, Any], when: dt.datetime) -> int:
    origin = dt.datetime.fromisoformat(payload["origin"])
    return int((when - origin).total_seconds() // 60)


def test_rows_come_in_wbs_order_under_their_component(world: World, scheduled: Any) -> None:
    payload = gantt_payload(world.pm, world.alpha)
    rows = payload["rows"]
    assert [(r[F["code"]], r[F["level"]]) for r in rows] == [
        ("C1", 0), ("WARD-REFIT", 0), ("P", 1), ("A", 2), ("B", 2), ("C", 2), ("D", 2),
    ]  # fmt: skip
    codes = [r[F["code"]] for r in rows]
    parent = {r[F["code"]]: r[F["parent"]] for r in rows}
    assert parent["WARD-REFIT"] == -1
    assert codes[parent["P"]] == "WARD-REFIT"
    assert {codes[parent[c]] for c in "ABCD"} == {"P"}
    rows_by = by_code(payload)
    assert rows_by["C1"][F["flags"]] == GROUP | SUMMARY
    assert rows_by["P"][F["flags"]] & SUMMARY
    assert rows_by["D"][F["flags"]] & MILESTONE
    assert rows_by["A"][F["id"]] == Activity.objects.get(code="A").pk
    assert payload["components"][rows_by["A"][F["component"]]][1] == "WARD-REFIT"


def test_dates_are_minutes_from_the_origin(world: World, scheduled: Any) -> None:
    payload = gantt_payload(world.pm, world.alpha)
    assert payload["origin"] == "2026-03-02T00:00"
    a, b = by_code(payload)["A"], by_code(payload)["B"]
    assert a[F["start"]] == minute(payload, dt.datetime(2026, 3, 2, 8))
    assert a[F["finish"]] == minute(payload, dt.datetime(2026, 3, 3, 17))
    assert b[F["duration_minutes"]] == 3 * DAY
    group = by_code(payload)["WARD-REFIT"]
    assert group[F["start"]] == a[F["start"]]
    assert group[F["finish"]] == by_code(payload)["D"][F["finish"]]


def test_links_point_at_rows_and_critical_path_is_flagged(world: World, scheduled: Any) -> None:
    payload = gantt_payload(world.pm, world.alpha)
    codes = [r[F["code"]] for r in payload["rows"]]
    links = {(codes[p], codes[s], payload["link_types"][t]) for p, s, t in payload["links"]}
    assert links == {("A", "B", "FS"), ("B", "D", "FS"), ("A", "C", "FS"), ("C", "D", "FS")}
    rows = by_code(payload)
    assert {c for c in "ABCD" if rows[c][F["flags"]] & CRITICAL} == {"A", "B", "D"}
    assert rows["C"][F["total_float_minutes"]] == 2 * DAY
    assert rows["A"][F["total_float_minutes"]] == 0


def test_baseline_bars_come_from_the_latest_baseline(world: World, scheduled: Any) -> None:
    payload = gantt_payload(world.pm, world.alpha)
    rows = by_code(payload)
    # the file's baseline only has B
    assert rows["B"][F["baseline_start"]] == minute(payload, dt.datetime(2026, 3, 4, 8))
    assert rows["A"][F["baseline_start"]] is None
    assert payload["baselines"] == ["Imported baseline of WARD-REFIT"]

    services.save_baseline(actor=world.pm, program=world.alpha, name="Approved plan")
    activity = Activity.objects.get(code="A")
    services.update_activity(
        actor=world.pm, activity=activity, expected_version=None, duration_minutes=4 * DAY
    )
    payload = gantt_payload(world.pm, world.alpha)
    rows = by_code(payload)
    assert payload["baselines"] == ["Approved plan"]
    # A grew by two days after the baseline: the bar moved on, the baseline did not
    assert rows["A"][F["baseline_finish"]] == minute(payload, dt.datetime(2026, 3, 3, 17))
    assert rows["A"][F["finish"]] == minute(payload, dt.datetime(2026, 3, 5, 17))
    assert rows["B"][F["baseline_start"]] == minute(payload, dt.datetime(2026, 3, 4, 8))
    assert rows["B"][F["start"]] == minute(payload, dt.datetime(2026, 3, 6, 8))


def test_filter_by_component_keeps_only_its_rows(world: World, scheduled: Any) -> None:
    services.import_project(
        actor=world.pm, program=world.alpha, project=small_project("Theatre refit")
    )
    everything = gantt_payload(world.pm, world.alpha)
    assert [r[F["code"]] for r in everything["rows"] if r[F["level"]] == 0] == [
        "C1", "THEATRE-REFIT", "WARD-REFIT",
    ]  # fmt: skip
    theatre = world.alpha.components.get(code="THEATRE-REFIT")
    only = gantt_payload(world.pm, world.alpha, GanttFilters(component=theatre.pk))
    assert [r[F["code"]] for r in only["rows"]] == ["THEATRE-REFIT", "P", "A", "B", "C", "D"]
    assert {r[F["id"]] for r in only["rows"][1:]} == set(
        Activity.objects.filter(component=theatre).values_list("pk", flat=True)
    )
    assert len(only["links"]) == 4
    assert [c[1] for c in only["all_components"]] == ["C1", "THEATRE-REFIT", "WARD-REFIT"]


def test_filter_by_resource_keeps_its_activities_and_their_summaries(
    world: World, scheduled: Any
) -> None:
    rig = resource_services.create_resource(
        actor=world.pm, program=world.alpha, code="ELEC", name="Electricians"
    )
    resource_services.assign(actor=world.pm, activity=Activity.objects.get(code="B"), resource=rig)
    payload = gantt_payload(world.pm, world.alpha, GanttFilters(resource=rig.pk))
    assert [r[F["code"]] for r in payload["rows"]] == ["WARD-REFIT", "P", "B"]
    assert payload["links"] == []  # B's neighbours are not shown
    assert payload["resources"] == [[rig.pk, "ELEC", "Electricians"]]


def test_only_managers_of_a_component_get_it_as_editable(world: World, scheduled: Any) -> None:
    def editable(user: Any) -> dict[str, bool]:
        return {c[1]: c[3] for c in gantt_payload(user, world.alpha)["components"]}

    assert editable(world.pm) == {"C1": True, "WARD-REFIT": True}
    assert editable(world.cm) == {"C1": True, "WARD-REFIT": False}
    assert editable(world.viewer) == {"C1": False, "WARD-REFIT": False}


def test_query_count_does_not_grow_with_the_program(
    world: World, scheduled: Any, django_assert_max_num_queries: Any
) -> None:
    for name in ("Theatre refit", "Clinic refit", "Lab refit"):
        services.import_project(actor=world.pm, program=world.alpha, project=small_project(name))
    services.save_baseline(actor=world.pm, program=world.alpha, name="Plan")
    with django_assert_max_num_queries(9):
        payload = gantt_payload(world.pm, world.alpha)
    assert len(payload["rows"]) == 1 + 4 * 6


def test_api_answers_the_payload_and_hides_other_programs(
    world: World, scheduled: Any, api_as: Any
) -> None:
    resp = api_as(world.viewer).get("/programs/ALPHA/gantt")
    assert resp.status_code == 200
    payload = resp.json()
    assert [r[F["code"]] for r in payload["rows"]][:3] == ["C1", "WARD-REFIT", "P"]
    comp = world.alpha.components.get(code="WARD-REFIT")
    filtered = api_as(world.viewer).get(f"/programs/ALPHA/gantt?component={comp.pk}").json()
    assert filtered["filters"] == {"component": comp.pk, "resource": None}
    assert len(filtered["rows"]) == 6
    assert api_as(world.outsider).get("/programs/ALPHA/gantt").status_code == 404
    assert api_as(None).get("/programs/ALPHA/gantt").status_code == 401


def test_page_embeds_the_data_and_is_a_program_tab(world: World, scheduled: Any) -> None:
    client = Client()
    client.force_login(world.viewer)
    resp = client.get("/programs/ALPHA/gantt/")
    assert resp.status_code == 200
    html = resp.content.decode()
    overview = client.get("/programs/ALPHA/").content.decode()
    assert 'href="/programs/ALPHA/gantt/"' in overview  # the program's Gantt tab
    start = html.index('<script type="application/json" id="gantt-data">') + len(
        '<script type="application/json" id="gantt-data">'
    )
    payload = json.loads(html[start : html.index("</script>", start)])
    assert [r[F["code"]] for r in payload["rows"]][-1] == "D"
    assert "podium/gantt.js" in html
    assert " style=" not in html  # strict CSP: no inline styles
    client.force_login(world.outsider)
    assert client.get("/programs/ALPHA/gantt/").status_code == 404


def test_names_cannot_break_out_of_the_embedded_json(world: World, scheduled: Any) -> None:
    activity = Activity.objects.get(code="A")
    services.update_activity(
        actor=world.pm, activity=activity, expected_version=None, name="</script><b>x</b>&"
    )
    client = Client()
    client.force_login(world.pm)
    html = client.get("/programs/ALPHA/gantt/").content.decode()
    assert "</script><b>" not in html
    assert "\\u003C/script\\u003E\\u003Cb\\u003Ex" in html


def test_empty_program_says_what_to_do(world: World) -> None:
    client = Client()
    client.force_login(world.pm)
    assert client.get("/programs/BETA/gantt/").status_code == 404  # pm is not in BETA
    client.force_login(world.pm_b)
    html = client.get("/programs/BETA/gantt/").content.decode()
    assert "No activities to show." in html and "Import a schedule" in html
