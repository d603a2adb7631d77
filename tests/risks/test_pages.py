"""Risk register, risk detail, issue register and estimates pages."""

from __future__ import annotations

from typing import Any

from django.test import Client

from podium.risks import services
from podium.risks.models import ActivityEstimate, Issue, Risk
from tests.conftest import World
from tests.risks.conftest import Risky


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_empty_pages_explain_what_goes_there(world: World) -> None:
    pm = client_for(world.pm)
    register = pm.get("/programs/ALPHA/risks/").content.decode()
    assert "No risks yet" in register and "Raise the first one" in register
    assert "0 open" in register  # both matrices, empty
    issues = pm.get("/programs/ALPHA/issues/").content.decode()
    assert "No issues yet" in issues
    estimates = pm.get("/programs/ALPHA/estimates/").content.decode()
    assert "has no open activities to estimate" in estimates
    assert "No correlations" in estimates
    viewer = client_for(world.viewer).get("/programs/ALPHA/risks/").content.decode()
    assert "No risks yet" in viewer and "Raise the first one" not in viewer


def test_risks_tab_in_program_navigation(world: World) -> None:
    page = client_for(world.stakeholder).get("/programs/ALPHA/").content.decode()
    assert "/programs/ALPHA/risks/" in page and "/programs/ALPHA/issues/" in page


def test_register_lists_filters_and_places_risks_on_the_matrix(
    world: World, risky: Risky, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.stakeholder)
    with django_assert_max_num_queries(25):
        page = client.get("/programs/ALPHA/risks/").content.decode()
    assert "R-001" in page and "R-002" in page and "R-003" in page
    assert '<strong>1</strong><br><span class="muted">R-001</span>' in page
    filtered = client.get(f"/programs/ALPHA/risks/?component={world.comp.pk}&status=open")
    text = filtered.content.decode()
    assert "Vendor delivers late" in text and "Reuse old cabling" not in text
    nothing = client.get("/programs/ALPHA/risks/?q=zzz").content.decode()
    assert "No risks match these filters" in nothing


def test_raise_edit_escalate_and_occur_through_pages(world: World, risky: Risky) -> None:
    cm = client_for(world.cm)
    form = cm.get("/programs/ALPHA/risks/new/").content.decode()
    assert "Cost low (EUR)" in form
    response = cm.post(
        "/programs/ALPHA/risks/new/",
        {
            "title": "Wards closed for cabling", "component": world.comp.pk, "kind": "threat",
            "probability": "0.7", "schedule_score": "4", "cost_score": "2",
            "strategy": "mitigate", "status": "open", "duration_kind": "triangular",
            "duration_low": "8", "duration_mode": "16", "duration_high": "40",
            "activities": [risky.b.pk], "cost_kind": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    risk = Risk.objects.get(title="Wards closed for cabling")
    assert list(risk.activities.all()) == [risky.b]
    bad = cm.post(
        f"/programs/ALPHA/risks/{risk.pk}/edit/",
        {
            "title": "Wards closed", "kind": "threat", "component": world.comp.pk,
            "probability": "0.7", "schedule_score": "4", "cost_score": "2",
            "strategy": "exploit", "status": "open", "version": risk.version,
        },
    )  # fmt: skip
    assert (
        bad.status_code == 200 and "Exploit is not a response to a threat" in bad.content.decode()
    )
    cm.post(f"/programs/ALPHA/risks/{risk.pk}/escalate/", {"reason": "Estates must decide"})
    risk.refresh_from_db()
    assert risk.level == "program" and risk.escalated_by == world.cm
    detail = cm.get(f"/programs/ALPHA/risks/{risk.pk}/").content.decode()
    assert "Estates must decide" in detail and "escalated to the program" in detail
    occurred = cm.post(f"/programs/ALPHA/risks/{risk.pk}/occur/", {"version": risk.version})
    issue = Issue.objects.get(source_risk=risk)
    assert occurred.status_code == 302 and occurred.url.endswith(f"/issues/{issue.pk}/")
    issue_page = cm.get(occurred.url).content.decode()
    assert risk.code in issue_page and "Escalate to the program" not in issue_page


def test_stale_edit_shows_the_conflict(world: World, risky: Risky) -> None:
    pm = client_for(world.pm)
    services.update_risk(
        actor=world.cm, risk=risky.threat, expected_version=None, title="Changed meanwhile"
    )
    page = pm.post(
        f"/programs/ALPHA/risks/{risky.threat.pk}/edit/",
        {
            "title": "Mine", "kind": "threat", "probability": "0.1", "schedule_score": "1",
            "cost_score": "1", "strategy": "accept", "status": "open", "version": "1",
        },
    )  # fmt: skip
    assert page.status_code == 200 and "changed by someone else" in page.content.decode()
    assert Risk.objects.get(pk=risky.threat.pk).title == "Changed meanwhile"


def test_team_member_raises_but_does_not_edit(world: World, risky: Risky) -> None:
    team = client_for(world.team)
    form = team.get("/programs/ALPHA/risks/new/").content.decode()
    assert "Cost low" not in form
    assert team.get(f"/programs/ALPHA/risks/{risky.threat.pk}/edit/").status_code == 403
    stakeholder = client_for(world.stakeholder)
    assert stakeholder.get("/programs/ALPHA/risks/new/").status_code == 403
    assert stakeholder.get("/programs/ALPHA/issues/new/").status_code == 403
    assert client_for(world.outsider).get("/programs/ALPHA/risks/").status_code == 404


def test_estimates_page_saves_hours_as_minutes(world: World, risky: Risky) -> None:
    cm = client_for(world.cm)
    page = cm.get(f"/programs/ALPHA/estimates/?component={world.comp.pk}").content.decode()
    assert 'value="16"' in page  # A's estimate: 960 minutes most likely = 16 h
    response = cm.post(
        f"/programs/ALPHA/estimates/{risky.c.pk}/",
        {"kind": "pert", "optimistic": "6", "most_likely": "8", "pessimistic": "12.5"},
    )
    assert response.status_code == 302
    estimate = ActivityEstimate.objects.get(activity=risky.c)
    assert (estimate.optimistic, estimate.most_likely, estimate.pessimistic) == (360, 480, 750)
    viewer = client_for(world.viewer)
    assert (
        viewer.post(
            f"/programs/ALPHA/estimates/{risky.c.pk}/",
            {"kind": "pert", "optimistic": "1", "most_likely": "2", "pessimistic": "3"},
        ).status_code
        == 403
    )
    read_only = viewer.get(f"/programs/ALPHA/estimates/?component={world.comp.pk}")
    assert "Save</button>" not in read_only.content.decode()
