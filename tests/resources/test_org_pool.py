"""The organisation pool: resources shared by every program, skills, load across
programs, what a program member may see of the others, and the fixed load other programs
put on a program's leveling."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from podium.core.errors import PermissionDenied, ValidationFailed, VersionConflict
from podium.core.models import AuditRecord
from podium.engine import Activity as EActivity
from podium.engine import Calendar, Network
from podium.interchange.base import ProjectFile
from podium.resources import selectors, services
from podium.resources.models import Resource, Skill
from podium.schedule.models import Activity, ScheduleSettings
from podium.schedule.services import import_project
from tests.conftest import World

DAY = 480
MON = dt.date(2026, 3, 2)
# What a member of ALPHA must never read: BETA's activity code and name, its program and
# component codes.
BETA_SECRETS = ("BX9", "Confidential merger audit", "BETA", "Beta program")


def project(name: str, code: str, title: str, days: int) -> ProjectFile:
    network = Network(
        [EActivity(code, title, days * DAY)], [], project_start=dt.datetime(2026, 3, 2, 8),
        default_calendar=Calendar.standard(),
    )  # fmt: skip
    return ProjectFile(name=name, format="json", network=network)


@dataclass
class Pool:
    dba: Resource  # organisation, 1 unit, skills SQL + Epic analyst; ALPHA 1.0, BETA 0.5
    neteng: Resource  # organisation, 2 units, Networking; unused
    crew: Resource  # ALPHA's own, SQL
    al1: Activity  # ALPHA, 3 days from Mon 2026-03-02, in cm's component
    bx9: Activity  # BETA, 2 days from Mon 2026-03-02


@pytest.fixture
def pool(world: World) -> Pool:
    import_project(actor=world.pm, program=world.alpha, component=world.comp,
                   project=project("Wards", "AL1", "Strip the wards", 3))  # fmt: skip
    import_project(actor=world.pm_b, program=world.beta, component=world.comp_b,
                   project=project("Deal", "BX9", "Confidential merger audit", 2))  # fmt: skip
    dba = services.create_resource(
        actor=world.admin, program=None, code="dba", name="Database administrator",
        kind=Resource.Kind.PERSON, skills=["SQL", "Epic analyst"], standard_rate=Decimal(90),
    )  # fmt: skip
    neteng = services.create_resource(
        actor=world.admin, program=None, code="NETENG", name="Network engineers", capacity=2,
        skills=["Networking"],
    )  # fmt: skip
    crew = services.create_resource(
        actor=world.pm, program=world.alpha, code="CREW", name="Ground crew", skills=["sql"]
    )
    al1 = Activity.objects.get(code="AL1")
    bx9 = Activity.objects.get(code="BX9")
    services.assign(actor=world.cm, activity=al1, resource=dba, units=1.0)
    services.assign(actor=world.pm_b, activity=bx9, resource=dba, units=0.5)
    return Pool(dba, neteng, crew, al1, bx9)


# -- services -------------------------------------------------------------------------------


def test_only_administrators_manage_the_organisation_pool(world: World, pool: Pool) -> None:
    for user in (world.pm, world.cm, world.pm_b, world.team):
        with pytest.raises(PermissionDenied):
            services.create_resource(actor=user, program=None, code="X", name="X")
        with pytest.raises(PermissionDenied):
            services.update_resource(
                actor=user, resource=pool.dba, expected_version=None, capacity=3
            )
    assert not Resource.objects.filter(code="X").exists()
    assert Resource.objects.get(pk=pool.dba.pk).capacity == 1.0


def test_codes_are_unique_among_organisation_resources(world: World, pool: Pool) -> None:
    with pytest.raises(ValidationFailed):
        services.create_resource(actor=world.admin, program=None, code="Dba", name="Other")
    # a program may have its own DBA next to the organisation's
    own = services.create_resource(actor=world.pm, program=world.alpha, code="DBA", name="Ours")
    assert (own.program_id, pool.dba.program_id, own.code) == (world.alpha.pk, None, "DBA")


def test_changes_are_audited_with_skills(world: World, pool: Pool) -> None:
    created = AuditRecord.objects.get(object_type="resources.resource", object_id=str(pool.dba.pk))
    assert created.program_id is None and created.after["skills"] == ["Epic analyst", "SQL"]
    services.update_resource(
        actor=world.admin, resource=pool.dba, expected_version=pool.dba.version,
        skills=["SQL", "Data migration"],
        availability=[{"start": "2026-03-05", "end": "2026-03-06", "units": 0}],
    )  # fmt: skip
    change = AuditRecord.objects.filter(object_id=str(pool.dba.pk), action="update").get()
    assert change.before["skills"] == ["Epic analyst", "SQL"]
    assert change.after["skills"] == ["Data migration", "SQL"]
    assert change.after["availability"] == [
        {"start": "2026-03-05", "end": "2026-03-06", "units": 0.0}
    ]
    assert AuditRecord.objects.filter(object_type="resources.skill", action="create").count() == 4
    with pytest.raises(VersionConflict):
        services.update_resource(
            actor=world.admin, resource=pool.dba, expected_version=pool.dba.version, capacity=2
        )


@pytest.mark.parametrize(
    "period",
    [{"start": "2026-03-06", "end": "2026-03-05", "units": 1}, {"start": "soon", "units": 1},
     {"start": "2026-03-05", "units": -1}, {"end": "2026-03-05", "units": 1}],
)  # fmt: skip
def test_bad_availability_is_refused(world: World, pool: Pool, period: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        services.update_resource(
            actor=world.admin, resource=pool.dba, expected_version=None, availability=[period]
        )


def test_skills_are_one_list_whatever_the_case(world: World, pool: Pool) -> None:
    assert sorted(Skill.objects.values_list("name", flat=True)) == [
        "Epic analyst", "Networking", "SQL",
    ]  # fmt: skip
    assert list(pool.crew.skills.values_list("name", flat=True)) == ["SQL"]


def test_managers_of_any_program_staff_from_the_pool(world: World, pool: Pool) -> None:
    assert sorted(pool.dba.assignments.values_list("activity__code", flat=True)) == [
        "AL1", "BX9",
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.assign(actor=world.team, activity=pool.al1, resource=pool.neteng)
    with pytest.raises(PermissionDenied):  # pm_b does not manage ALPHA's activities
        services.assign(actor=world.pm_b, activity=pool.al1, resource=pool.neteng)
    with pytest.raises(ValidationFailed, match="another program"):
        services.assign(actor=world.pm_b, activity=pool.bx9, resource=pool.crew)


# -- load and over-allocation ---------------------------------------------------------------


def test_load_of_an_organisation_resource_counts_every_program(world: World, pool: Pool) -> None:
    table = selectors.resource_load(world.alpha, first_week=MON, weeks=2)
    assert [r.resource.code for r in table.rows] == ["CREW", "DBA"]  # own first; NETENG unused
    dba = table.rows[1]
    tue, wed = MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)
    assert dba.daily == {MON: 1.5, tue: 1.5, wed: 1.0}
    assert dba.other == {MON: 0.5, tue: 0.5}
    assert dba.over_days == [MON, tue] and dba.assignments == 1
    week = dba.weeks[0]
    assert (week.peak, week.other, week.over) == (1.5, 0.5, True)
    assert [r.resource.code for r in table.overallocated] == ["DBA"]
    # BETA sees the same over-allocation, ALPHA's part as "other"
    beta = selectors.resource_load(world.beta, first_week=MON, weeks=1).rows[0]
    assert (beta.weeks[0].peak, beta.weeks[0].other, beta.weeks[0].over) == (1.5, 1.0, True)


def test_schedule_page_names_an_overallocated_organisation_resource(
    world: World, pool: Pool
) -> None:
    client = Client()
    client.force_login(world.viewer)
    html = client.get("/programs/ALPHA/schedule/").content.decode()
    assert "Over-allocated resources: DBA" in html


def test_external_load_is_the_other_programs_work(world: World, pool: Pool) -> None:
    assert selectors.external_load(world.alpha) == {
        pool.dba.pk: [(dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 3, 17), 0.5)]
    }
    assert selectors.external_load(world.beta) == {
        pool.dba.pk: [(dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 4, 17), 1.0)]
    }
    # asked for: only organisation resources, used or not
    assert selectors.external_load(world.alpha, [pool.neteng.pk, pool.crew.pk]) == {
        pool.neteng.pk: []
    }


def test_external_load_follows_leveling_data_date_and_progress(world: World, pool: Pool) -> None:
    # BETA's accepted leveling holds BX9 to Wed 08:00: two working days from there
    Activity.objects.filter(pk=pool.bx9.pk).update(
        leveled_start=dt.datetime(2026, 3, 4, 8, tzinfo=dt.UTC)
    )
    assert selectors.external_load(world.alpha)[pool.dba.pk] == [
        (dt.datetime(2026, 3, 4, 8), dt.datetime(2026, 3, 5, 17), 0.5)
    ]
    Activity.objects.filter(pk=pool.bx9.pk).update(leveled_start=None)
    # work before BETA's data date is done: only the rest counts
    ScheduleSettings.objects.filter(program=world.beta).update(
        data_date=dt.datetime(2026, 3, 3, 8, tzinfo=dt.UTC)
    )
    assert selectors.external_load(world.alpha)[pool.dba.pk] == [
        (dt.datetime(2026, 3, 3, 8), dt.datetime(2026, 3, 3, 17), 0.5)
    ]
    Activity.objects.filter(pk=pool.bx9.pk).update(
        actual_finish=dt.datetime(2026, 3, 3, 17, tzinfo=dt.UTC)
    )
    assert selectors.external_load(world.alpha) == {pool.dba.pk: []}


def test_capacity_against_demand_per_skill(world: World, pool: Pool) -> None:
    rows = {s.skill: s for s in selectors.skill_capacity(world.alpha, first_week=MON, weeks=2)}
    assert sorted(rows) == ["Epic analyst", "SQL"]  # NETENG is not in ALPHA's pool
    sql = rows["SQL"]
    assert sql.resources == ["CREW", "DBA"]
    week = sql.weeks[0]  # CREW 5 + DBA 5 person-days; AL1 asks 3, BX9 1
    assert (week.capacity, week.demand, week.other, week.free, week.over) == (
        10.0, 3.0, 1.0, 6.0, False,
    )  # fmt: skip
    services.update_resource(
        actor=world.admin, resource=pool.dba, expected_version=None,
        availability=[{"start": "2026-03-04", "end": "2026-03-06", "units": 0}],
    )  # fmt: skip
    epic = selectors.skill_capacity(world.alpha, first_week=MON, weeks=1)[0]
    assert epic.skill == "Epic analyst"
    assert (epic.weeks[0].capacity, epic.weeks[0].demand + epic.weeks[0].other) == (2.0, 4.0)
    assert epic.weeks[0].over


def test_skill_capacity_api(world: World, pool: Pool, api_as: Any) -> None:
    body = api_as(world.team).get("/programs/ALPHA/resources/skills?first_week=2026-03-04").json()
    sql = next(s for s in body if s["skill"] == "SQL")
    assert sql["weeks"][0] == {
        "week": "2026-03-02", "capacity": 10.0, "demand": 3.0, "other_programs": 1.0,
        "free": 6.0, "over": False,
    }  # fmt: skip


# -- the pool list and its filters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["DBA", "NETENG"]),
        ("?skill=sql", ["DBA"]),
        ("?skill=Networking", ["NETENG"]),
        ("?kind=person", ["DBA"]),
        ("?kind=role", ["NETENG"]),
        ("?q=network", ["NETENG"]),
        ("?q=epic", ["DBA"]),
        ("?q=administrator&kind=role", []),
    ],
)
def test_pool_filters(world: World, pool: Pool, api_as: Any, query: str, codes: list[str]) -> None:
    body = api_as(world.viewer).get(f"/pool/resources{query}").json()
    assert [r["code"] for r in body] == codes


def test_program_list_shows_its_own_then_the_organisation(
    world: World, pool: Pool, api_as: Any
) -> None:
    client = api_as(world.pm)
    body = client.get("/programs/ALPHA/resources").json()
    assert [(r["code"], r["organisation"], r["program"]) for r in body] == [
        ("CREW", False, "ALPHA"), ("DBA", True, None), ("NETENG", True, None),
    ]  # fmt: skip
    assert body[1]["skills"] == ["Epic analyst", "SQL"]
    only_org = client.get("/programs/ALPHA/resources?scope=organisation&skill=SQL").json()
    assert [r["code"] for r in only_org] == ["DBA"]
    only_own = client.get("/programs/ALPHA/resources?scope=program&skill=SQL").json()
    assert [r["code"] for r in only_own] == ["CREW"]


def test_pool_costs_only_for_those_who_see_costs(world: World, pool: Pool, api_as: Any) -> None:
    for user, sees in ((world.admin, True), (world.pm, True), (world.cm, True),
                       (world.team, False), (world.stakeholder, False)):  # fmt: skip
        listed = api_as(user).get("/pool/resources").json()
        assert (listed[0].get("standard_rate") == "90.00") is sees, user
        one = api_as(user).get(f"/pool/resources/{pool.dba.pk}").json()
        assert ("standard_rate" in one) is sees and ("cost_per_use" in one) is sees, user
    page = Client()
    page.force_login(world.stakeholder)
    html = page.get("/programs/pool/resources/").content.decode()
    assert "Database administrator" in html and "90.00" not in html
    html = page.get(f"/programs/pool/resources/{pool.dba.pk}/").content.decode()
    assert "Rates" not in html and "90.00" not in html


def test_pool_list_query_count(
    world: World, pool: Pool, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        services.create_resource(
            actor=world.admin, program=None, code=f"R{n}", name=f"R{n}", skills=["SQL", f"S{n}"]
        )
    client = api_as(world.pm)
    with django_assert_max_num_queries(12):
        assert len(client.get("/pool/resources").json()) == 22
    with django_assert_max_num_queries(14):
        assert len(client.get("/programs/ALPHA/resources").json()) == 23


# -- the API --------------------------------------------------------------------------------


def test_staffing_an_activity_from_the_pool_by_code(world: World, pool: Pool, api_as: Any) -> None:
    client = api_as(world.cm)
    added = client.post(f"/activities/{pool.al1.pk}/assignments", {"resource": "neteng"})
    assert added.status_code == 201, added.content
    assert (added.json()["resource"], added.json()["organisation"]) == ("NETENG", True)
    # a program resource of the same code wins over the organisation's
    services.create_resource(actor=world.pm, program=world.alpha, code="NETENG", name="Ours")
    client.delete(f"/assignments/{added.json()['id']}")
    again = client.post(f"/activities/{pool.al1.pk}/assignments", {"resource": "NETENG"})
    assert again.json()["organisation"] is False
    by_id = client.post(
        f"/activities/{pool.al1.pk}/assignments", {"resource_id": pool.neteng.pk, "units": 0.5}
    )
    assert by_id.status_code == 201 and by_id.json()["organisation"] is True
    nameless = client.post(f"/activities/{pool.al1.pk}/assignments", {"units": 1})
    assert nameless.status_code == 422


def test_pool_api_create_and_update(world: World, pool: Pool, api_as: Any) -> None:
    admin = api_as(world.admin)
    made = admin.post(
        "/pool/resources",
        {"code": "crane", "name": "Tower crane", "kind": "equipment", "skills": ["Lifting"],
         "availability": [{"start": "2026-04-01", "end": "2026-04-30", "units": 0}]},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["code"], body["organisation"], body["skills"]) == ("CRANE", True, ["Lifting"])
    assert body["availability"] == [{"start": "2026-04-01", "end": "2026-04-30", "units": 0.0}]
    duplicate = admin.post("/pool/resources", {"code": "CRANE", "name": "Another"})
    assert duplicate.status_code == 422
    stale = admin.patch(f"/resources/{body['id']}", {"capacity": 2}, **{"If-Match": '"9"'})
    assert stale.status_code == 412
    changed = admin.patch(f"/resources/{body['id']}", {"skills": ["Lifting", "Rigging"]})
    assert changed.status_code == 200 and changed.json()["skills"] == ["Lifting", "Rigging"]
    assert changed["ETag"] == '"2"'
    # a period without an end is one day long
    open_ended = admin.patch(
        f"/resources/{body['id']}", {"availability": [{"start": "2026-05-04", "units": 0}]}
    )
    assert open_ended.status_code == 200, open_ended.content
    assert open_ended.json()["availability"] == [
        {"start": "2026-05-04", "end": "2026-05-04", "units": 0.0}
    ]
    refused = api_as(world.pm).patch(f"/resources/{body['id']}", {"capacity": 2})
    assert refused.status_code == 403


def test_pool_resource_load_shows_other_programs_as_one_figure(
    world: World, pool: Pool, api_as: Any
) -> None:
    url = f"/pool/resources/{pool.dba.pk}/load?first_week=2026-03-02&weeks=2"
    body = api_as(world.cm).get(url).json()
    week = body["weeks"][0]
    assert (week["peak"], week["capacity"], week["over"]) == (1.5, 1.0, True)
    assert (week["programs"], week["other_programs"]) == ({"ALPHA": 1.0}, 0.5)
    assert [(a["program"], a["activity"]) for a in body["assignments"]] == [("ALPHA", "AL1")]
    everything = api_as(world.admin).get(url).json()
    assert everything["weeks"][0]["programs"] == {"ALPHA": 1.0, "BETA": 0.5}
    assert everything["weeks"][0]["other_programs"] == 0.0
    assert sorted(a["activity"] for a in everything["assignments"]) == ["AL1", "BX9"]


# -- privacy ------------------------------------------------------------------------------


def _pool_urls(pool: Pool) -> tuple[list[str], list[str]]:
    api = [
        "/pool/resources", "/pool/resources?q=merger", f"/pool/resources/{pool.dba.pk}",
        f"/pool/resources/{pool.dba.pk}/load?first_week=2026-03-02",
        f"/pool/resources/{pool.neteng.pk}/load", "/pool/skills",
        "/programs/ALPHA/resources", "/programs/ALPHA/resources/load?weeks=4",
        "/programs/ALPHA/resources/skills?first_week=2026-03-02",
        f"/activities/{pool.al1.pk}/assignments",
    ]  # fmt: skip
    pages = [
        "/programs/pool/resources/", "/programs/pool/resources/?q=dba",
        f"/programs/pool/resources/{pool.dba.pk}/", "/programs/ALPHA/resources/",
    ]  # fmt: skip
    return api, pages


@pytest.mark.parametrize("role", ["pm", "cm", "team", "stakeholder", "viewer"])
def test_members_never_read_another_programs_activities(
    world: World, pool: Pool, api_as: Any, role: str
) -> None:
    user = getattr(world, role)
    api_urls, page_urls = _pool_urls(pool)
    client = api_as(user)
    for url in api_urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        text = response.content.decode()
        assert not [s for s in BETA_SECRETS if s in text], url
    page = Client()
    page.force_login(user)
    for url in page_urls:
        response = page.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [s for s in BETA_SECRETS if s in text], url
    # ... while the other programs' load is there, as one figure
    html = page.get(f"/programs/pool/resources/{pool.dba.pk}/").content.decode()
    assert "Other programs" in html and "AL1" in html
    # the check above can fail: the administrator does read BETA's activity
    admin = api_as(world.admin).get(f"/pool/resources/{pool.dba.pk}/load").content.decode()
    assert "BX9" in admin and "BETA" in admin


def test_people_outside_every_program_do_not_see_the_pool(
    world: World, pool: Pool, api_as: Any
) -> None:
    client = api_as(world.outsider)
    for url in ("/pool/resources", f"/pool/resources/{pool.dba.pk}", "/pool/skills",
                f"/pool/resources/{pool.dba.pk}/load"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    page = Client()
    page.force_login(world.outsider)
    assert page.get("/programs/pool/resources/").status_code == 404
    assert page.get(f"/programs/pool/resources/{pool.dba.pk}/").status_code == 404


# -- pages ----------------------------------------------------------------------------------


def test_administrator_adds_and_changes_pool_resources_on_the_page(
    world: World, pool: Pool
) -> None:
    page = Client()
    page.force_login(world.admin)
    response = page.post(
        "/programs/pool/resources/",
        {"code": "pmo", "name": "PMO analysts", "kind": "role", "capacity": "3",
         "standard_rate": "60", "cost_per_use": "0", "skills": "Reporting, sql"},
    )  # fmt: skip
    assert response.status_code == 302
    pmo = Resource.objects.get(code="PMO", program__isnull=True)
    assert sorted(pmo.skills.values_list("name", flat=True)) == ["Reporting", "SQL"]
    response = page.post(
        f"/programs/pool/resources/{pmo.pk}/",
        {"name": "PMO analysts", "kind": "role", "capacity": "2", "standard_rate": "60",
         "cost_per_use": "0", "skills": "Reporting", "availability": "2026-08-01 2026-08-31 1",
         "version": str(pmo.version)},
    )  # fmt: skip
    assert response.status_code == 302
    pmo.refresh_from_db()
    assert (pmo.capacity, pmo.availability) == (
        2.0, [{"start": "2026-08-01", "end": "2026-08-31", "units": 1.0}],
    )  # fmt: skip
    change = AuditRecord.objects.filter(object_id=str(pmo.pk), action="update").get()
    assert change.before["capacity"] == 3.0 and change.after["capacity"] == 2.0
    html = page.get("/programs/pool/resources/?skill=reporting").content.decode()
    assert "PMO analysts" in html and "Database administrator" not in html


def test_members_may_not_change_the_pool_on_the_page(world: World, pool: Pool) -> None:
    page = Client()
    page.force_login(world.pm)
    html = page.get("/programs/pool/resources/").content.decode()
    assert "Add an organisation resource" not in html
    assert page.post("/programs/pool/resources/", {"code": "X", "name": "X"}).status_code == 403
    refused = page.post(f"/programs/pool/resources/{pool.dba.pk}/", {"name": "Renamed"})
    assert refused.status_code == 403
    assert Resource.objects.get(pk=pool.dba.pk).name == "Database administrator"


def test_empty_pool_pages(world: World) -> None:
    page = Client()
    page.force_login(world.viewer)
    assert (
        "The organisation pool is empty." in page.get("/programs/pool/resources/").content.decode()
    )
    html = page.get("/programs/pool/resources/?q=nothing").content.decode()
    assert "No organisation resource matches these filters." in html
    html = page.get("/programs/ALPHA/resources/?kind=equipment").content.decode()
    assert "No resource matches these filters." in html


def test_program_page_shows_the_organisation_resource_and_skills(world: World, pool: Pool) -> None:
    page = Client()
    page.force_login(world.pm)
    html = page.get("/programs/ALPHA/resources/").content.decode()
    assert "Capacity against demand, by skill" in html and "Epic analyst" in html
    assert f'href="/programs/pool/resources/{pool.dba.pk}/"' in html
    filtered = page.get("/programs/ALPHA/resources/?skill=Networking").content.decode()
    assert "Network engineers" in filtered and "Ground crew" not in filtered.split("<h2>Pool")[1]


def test_pool_pages_do_not_grow_queries_with_the_pool(
    world: World, pool: Pool, django_assert_max_num_queries: Any
) -> None:
    page = Client()
    page.force_login(world.pm)
    pages = ["/programs/pool/resources/", "/programs/ALPHA/resources/",
             f"/programs/pool/resources/{pool.dba.pk}/"]  # fmt: skip
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(40) as captured:
            page.get(url)
        counts[url] = len(captured)
    for n in range(15):
        resource = services.create_resource(
            actor=world.admin, program=None, code=f"R{n}", name=f"R{n}", skills=[f"S{n}"]
        )
        services.assign(actor=world.cm, activity=pool.al1, resource=resource, units=0.1)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            assert page.get(url).status_code == 200


def test_pool_resource_page_starts_at_the_data_date_or_where_asked(
    world: World, pool: Pool
) -> None:
    ScheduleSettings.objects.filter(program=world.alpha).update(
        data_date=dt.datetime(2026, 3, 3, 8, tzinfo=dt.UTC)
    )
    page = Client()
    page.force_login(world.cm)
    html = page.get(f"/programs/pool/resources/{pool.dba.pk}/?weeks=4").content.decode()
    assert 'title="week of 2026-03-02"' in html and 'title="2026-03-02: peak 1.50 of 1"' in html
    html = page.get(f"/programs/pool/resources/{pool.dba.pk}/?from=2026-03-11").content.decode()
    assert 'title="week of 2026-03-09"' in html and 'title="week of 2026-03-02"' not in html
    html = page.get("/programs/ALPHA/resources/?from=2026-03-04&weeks=x").content.decode()
    assert 'title="2026-03-02: peak 1.50 of 1, other programs up to 0.50"' in html
