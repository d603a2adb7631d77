"""The pages: who sees what (stakeholders see submitted updates without cost ratings,
drafts stay with those who file them, other programs answer 404), the pre-filled form,
the overview with the change since the previous update, history and detail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.updates.models import ComponentUpdate
from tests.conftest import World
from tests.updates.conftest import LAST_WEEK, THIS_WEEK, file


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def two_weeks(active: World) -> tuple[ComponentUpdate, ComponentUpdate]:
    before = file(active.cm, active.comp, LAST_WEEK, schedule_rag="amber",
                  schedule_reason="Cable late.", cost_reason="Spend on plan, CPI 1.02")  # fmt: skip
    now = file(active.cm, active.comp, THIS_WEEK, schedule_rag="red",
               schedule_reason="Cable still missing.", cost_reason="Spend on plan, CPI 1.02",
               risks_rag="green")  # fmt: skip
    return before, now


@pytest.mark.parametrize(
    ("role", "status"),
    [("program_manager", 200), ("component_manager", 200), ("team_member", 200),
     ("stakeholder", 200), ("viewer", 200), ("non_member", 404), ("admin", 200)],
)  # fmt: skip
def test_who_reads_the_overview(active: World, two_weeks: Any, role: str, status: int) -> None:
    response = client_for(active.by_role(role)).get("/programs/ALPHA/updates/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Schedule" in html and "Amber → Red" in html


@pytest.mark.parametrize("role", ["team_member", "stakeholder", "viewer"])
def test_no_cost_rating_without_cost_rights(active: World, two_weeks: Any, role: str) -> None:
    client = client_for(active.by_role(role))
    _, now = two_weeks
    for url in ("/programs/ALPHA/updates/", f"/programs/ALPHA/updates/{now.pk}/"):
        html = client.get(url).content.decode()
        assert "CPI 1.02" not in html and ">Cost<" not in html
        assert "Cable still missing." in html


def test_cost_rating_for_managers(active: World, two_weeks: Any) -> None:
    _, now = two_weeks
    html = client_for(active.pm).get(f"/programs/ALPHA/updates/{now.pk}/").content.decode()
    assert "CPI 1.02" in html


def test_drafts_stay_with_those_who_file(active: World) -> None:
    draft = file(active.cm, active.comp, THIS_WEEK, submit=False)
    url = f"/programs/ALPHA/updates/{draft.pk}/"
    assert client_for(active.cm).get(url).status_code == 200
    assert client_for(active.pm).get(url).status_code == 200
    for role in ("team_member", "stakeholder", "viewer", "non_member"):
        assert client_for(active.by_role(role)).get(url).status_code == 404


def test_other_programs_answer_404(active: World, two_weeks: Any) -> None:
    _, now = two_weeks
    assert client_for(active.pm_b).get(f"/programs/ALPHA/updates/{now.pk}/").status_code == 404
    assert client_for(active.pm_b).get(f"/programs/BETA/updates/{now.pk}/").status_code == 404


def test_the_overview_shows_the_change_and_missing_components(
    active: World, two_weeks: Any
) -> None:
    from podium.programs.services import create_component
    from tests.updates.conftest import in_delivery

    other = create_component(actor=active.pm, program=active.alpha, code="C2", name="Second",
                             manager=active.cm)  # fmt: skip
    in_delivery(other)
    html = client_for(active.pm).get("/programs/ALPHA/updates/").content.decode()
    assert "Amber → Red" in html and "▼" in html  # schedule got worse
    assert "Green (same)" in html
    assert "missing" in html  # C2 filed nothing this week
    last = client_for(active.pm).get(f"/programs/ALPHA/updates/?week={LAST_WEEK.isoformat()}")
    assert "Amber (first update)" in last.content.decode()


def test_the_new_form_is_prefilled(active: World, two_weeks: Any) -> None:
    ComponentUpdate.objects.filter(period=THIS_WEEK).delete()
    response = client_for(active.cm).get(f"/programs/ALPHA/updates/new/?component={active.comp.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "What Podium knows" in html and "Rewire ward 4." in html  # last next steps
    assert response.context["form"].initial["blockers"] == ""
    assert "Suggested" in html


def test_a_form_without_a_reason_for_red_is_refused(active: World) -> None:
    url = f"/programs/ALPHA/updates/new/?component={active.comp.pk}"
    data = {f"{d}_rag": "green" for d in ("overall", "schedule", "cost", "scope", "risks",
                                            "resources", "stakeholders")}  # fmt: skip
    data |= {f"{d}_reason": "ok" for d in ("overall", "schedule", "cost", "scope", "risks",
                                             "resources", "stakeholders")}  # fmt: skip
    data |= {"schedule_rag": "red", "schedule_reason": "", "accomplishments": "Done.",
             "next_steps": "More.", "action": "submit"}  # fmt: skip
    response = client_for(active.cm).post(url, data)
    assert response.status_code == 422
    assert "why schedule is red" in response.content.decode()
    assert not ComponentUpdate.objects.exists()
    data["schedule_reason"] = "Cable late."
    response = client_for(active.cm).post(url, data)
    assert response.status_code == 302
    assert ComponentUpdate.objects.get().status == "submitted"


def test_only_those_who_file_get_the_form(active: World) -> None:
    url = f"/programs/ALPHA/updates/new/?component={active.comp.pk}"
    assert client_for(active.team).get(url).status_code == 403
    assert client_for(active.stakeholder).get("/programs/ALPHA/updates/new/").status_code == 403


def test_history_and_reopen(active: World, two_weeks: Any) -> None:
    _, now = two_weeks
    pm = client_for(active.pm)
    html = pm.get(f"/programs/ALPHA/updates/component/{active.comp.pk}/").content.decode()
    assert now.week_label in html
    response = pm.post(f"/programs/ALPHA/updates/{now.pk}/reopen/", {"note": "Fix cost"})
    assert response.status_code == 302
    assert ComponentUpdate.objects.get(pk=now.pk).status == "draft"
    edit = client_for(active.cm).get(f"/programs/ALPHA/updates/{now.pk}/edit/")
    assert edit.status_code == 200


def test_overview_queries_do_not_grow_with_updates(
    active: World, two_weeks: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(active.pm)
    client.get("/programs/ALPHA/updates/")
    with django_assert_max_num_queries(30):
        client.get("/programs/ALPHA/updates/")


def test_the_program_history_keeps_update_records_from_readers_without_cost_rights(
    active: World, two_weeks: Any
) -> None:
    _, now = two_weeks
    pm_history = client_for(active.pm).get("/programs/ALPHA/history/").content.decode()
    assert str(now) in pm_history
    for role in ("stakeholder", "team_member"):
        html = client_for(active.by_role(role)).get("/programs/ALPHA/history/").content.decode()
        assert str(now) not in html and "CPI 1.02" not in html
