"""The governance pages: the gate review shows each criterion green or red with its
evidence, a go is refused naming the red criterion, the decision log shows corrections,
and who may see what."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.governance import services
from podium.governance.models import Decision, GateReview
from podium.programs.models import Program
from tests.conftest import World
from tests.governance.conftest import Gov, approve_budget


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(page: str) -> dict[str, str]:
    """criterion label → "met"/"not met" from the criteria table."""
    found = re.findall(
        r'<tr class="rag-(?:green|red)">\s*<td>([^<]+)</td>\s*<td>\w+</td>\s*'
        r'<td><span class="rag-label">([^<]+)</span>',
        page,
    )
    return dict(found)


def test_go_from_the_page_is_refused_naming_the_red_criterion_then_passes(
    gov: Gov, world: World, django_assert_max_num_queries: Any
) -> None:
    pm = client_for(world.pm)
    overview = pm.get("/programs/ALPHA/governance/").content.decode()
    assert "planning → delivery" in overview and "Open gate review" in overview
    opened = pm.post("/programs/ALPHA/governance/reviews/", {})
    review = GateReview.objects.get(program=gov.program, status="open")
    assert opened["Location"] == f"/programs/ALPHA/governance/reviews/{review.pk}/"
    with django_assert_max_num_queries(40):
        page = pm.get(opened["Location"]).content.decode()
    rows = _rows(page)
    assert rows["Budget baseline approved"] == "not met"
    assert rows["Every benefit has an owner"] == "met"
    assert "no approved budget baseline" in page and 'href="/programs/ALPHA/budget/"' in page

    refused = pm.post(f"{opened['Location']}decide/", {"outcome": "go", "rationale": "Ready"})
    assert refused.status_code == 422
    assert "Budget baseline approved: no approved budget baseline" in refused.content.decode()
    assert Program.objects.get(pk=gov.program.pk).stage == "planning"

    approve_budget(gov, world.pm)
    assert _rows(pm.get(opened["Location"]).content.decode())["Budget baseline approved"] == "met"
    done = pm.post(f"{opened['Location']}decide/", {"outcome": "go", "rationale": "Approved"},
                   follow=True)  # fmt: skip
    assert "recorded: Go" in done.content.decode()
    assert Program.objects.get(pk=gov.program.pk).stage == "delivery"


def test_program_page_refuses_a_direct_move_naming_the_gate_page(gov: Gov, world: World) -> None:
    page = client_for(world.pm).post(
        "/programs/ALPHA/transition/", {"target": "delivery", "reason": "Hurry"}, follow=True
    )
    assert "only through an approved gate review" in page.content.decode()
    assert "/programs/ALPHA/governance/" in page.content.decode()
    assert Program.objects.get(pk=gov.program.pk).stage == "planning"


def test_manual_evidence_upload_and_check(world: World) -> None:
    pm = client_for(world.pm)
    review = services.open_review(actor=world.pm, program=world.alpha)
    url = f"/programs/ALPHA/governance/reviews/{review.pk}/"
    upload = SimpleUploadedFile("charter.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    added = pm.post(f"{url}evidence/", {"criterion": "charter_approved", "file": upload})
    assert added.status_code == 302
    page = pm.get(url).content.decode()
    assert "evidence attached, not yet checked by a reviewer" in page
    assert _rows(page)["Charter approved by the sponsor"] == "not met"
    item = review.evidence.get()
    assert (
        client_for(world.team)
        .post(f"/programs/ALPHA/governance/evidence/{item.pk}/check/")
        .status_code
        == 403
    )
    pm.post(f"/programs/ALPHA/governance/evidence/{item.pk}/check/")
    page = pm.get(url).content.decode()
    assert _rows(page)["Charter approved by the sponsor"] == "met"
    download = pm.get(f"/programs/ALPHA/governance/evidence/{item.pk}/")
    assert download.content == b"%PDF-1.4 signed"
    assert (
        client_for(world.stakeholder)
        .get(f"/programs/ALPHA/governance/evidence/{item.pk}/")
        .status_code
        == 404
    )


def test_decision_log_shows_the_correction_beside_the_original(gov: Gov, world: World) -> None:
    review = services.open_review(actor=world.pm, program=gov.program)
    first = services.decide(actor=world.pm, review=review, outcome="no_go", rationale="Weak")
    pm = client_for(world.pm)
    page = pm.post(f"/programs/ALPHA/governance/decisions/{first.number}/",
                   {"outcome": "hold", "rationale": "It was a hold"}, follow=True)  # fmt: skip
    correction = Decision.objects.get(corrects=first)
    assert (
        f'<dt>Corrects</dt><dd><a href="/programs/ALPHA/governance/decisions/{first.number}/">'
        in (page.content.decode())
    )
    log = pm.get("/programs/ALPHA/governance/decisions/").content.decode()
    assert (
        f'corrected by <a href="/programs/ALPHA/governance/decisions/{correction.number}/">' in log
    )
    assert "a correction does not re-run the gate's transition" in log
    original = pm.get(f"/programs/ALPHA/governance/decisions/{first.number}/").content.decode()
    assert "Record a correcting decision" not in original  # corrected once; correct the new one
    gates_only = pm.get("/programs/ALPHA/governance/decisions/?kind=change_request")
    assert "No decisions yet of this kind" in gates_only.content.decode()


def test_authorization_page_fills_the_authorization_gate(gov: Gov, world: World) -> None:
    pm = client_for(world.pm)
    url = f"/programs/ALPHA/components/{world.comp.pk}/authorization/"
    bad = pm.post(url, {"business_case": "", "planned_start": "2026-05-01"})
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    saved = pm.post(url, {
        "business_case": "Pays back in 3 years.", "expected_benefits": [gov.benefit.pk],
        "initial_budget": "5000", "planned_start": "2026-05-01", "planned_finish": "2026-11-30",
    })  # fmt: skip
    assert saved.status_code == 302
    page = pm.get(url).content.decode()
    assert "5000" in page and gov.benefit.code in page
    team_page = client_for(world.team).get(url).content.decode()
    assert "Pays back in 3 years." in team_page and "5000" not in team_page  # no cost rights
    assert client_for(world.team).post(url, {"business_case": "x"}).status_code == 403


def test_permissions_on_pages(world: World) -> None:
    for user in (world.stakeholder, world.outsider):
        client = client_for(user)
        assert client.get("/programs/ALPHA/governance/").status_code == 404
        assert client.get("/programs/ALPHA/governance/decisions/").status_code == 404
    stakeholder_home = client_for(world.stakeholder).get("/programs/ALPHA/").content.decode()
    assert "/programs/ALPHA/governance/" not in stakeholder_home
    team = client_for(world.team)
    assert "/programs/ALPHA/governance/" in team.get("/programs/ALPHA/").content.decode()
    overview = team.get("/programs/ALPHA/governance/").content.decode()
    assert "Open gate review" not in overview
    assert team.post("/programs/ALPHA/governance/reviews/", {}).status_code == 403
    assert not GateReview.objects.exists()
    review = services.open_review(actor=world.pm, program=world.alpha)
    url = f"/programs/ALPHA/governance/reviews/{review.pk}/"
    assert "Record decision" not in team.get(url).content.decode()
    assert team.post(f"{url}decide/", {"outcome": "no_go", "rationale": "x"}).status_code == 403
    assert team.post("/programs/ALPHA/governance/board/",
                     {"user": world.team.pk, "role": "chair"}).status_code == 403  # fmt: skip


def test_board_page_adds_a_chair(world: World) -> None:
    pm = client_for(world.pm)
    pm.post("/programs/ALPHA/governance/board/", {"user": world.stakeholder.pk, "role": "chair"})
    page = pm.get("/programs/ALPHA/governance/board/").content.decode()
    assert "stakeholder" in page and "Chair" in page
    # the chair, a stakeholder, now sees governance and its tab
    chair = client_for(world.stakeholder)
    assert chair.get("/programs/ALPHA/governance/").status_code == 200


def test_overview_and_log_do_not_grow_with_components_or_decisions(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from podium.programs import services as programs

    for n in range(2, 8):
        comp = programs.create_component(
            actor=world.pm, program=world.alpha, code=f"C{n}", name=f"C{n}"
        )
        review = services.open_review(actor=world.pm, program=world.alpha, component=comp)
        services.decide(actor=world.pm, review=review, outcome="hold", rationale="Later")
    pm = client_for(world.pm)
    with django_assert_max_num_queries(25):
        overview = pm.get("/programs/ALPHA/governance/").content.decode()
    assert overview.count("Open gate review") == 8  # the program, C1 and C2..C7
    with django_assert_max_num_queries(20):
        log = pm.get("/programs/ALPHA/governance/decisions/").content.decode()
    assert log.count("<td>Hold") == 6
