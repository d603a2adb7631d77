"""The deliverables board, a deliverable's page with its accept/reject forms, "My
acceptances", and a component's transition plan with its checklist."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.delivery.models import Deliverable, Evidence, TransitionItem
from tests.conftest import World
from tests.delivery.conftest import Outputs


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(d: Deliverable, suffix: str = "") -> str:
    return f"/programs/{d.program.code}/deliverables/{d.pk}/{suffix}"


def test_board_groups_by_status_and_filters_by_component(
    world: World, outputs: Outputs, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.viewer)
    with django_assert_max_num_queries(20):
        page = client.get("/programs/ALPHA/deliverables/").content.decode()
    columns = re.findall(r'<h2 id="col-(\w+)">', page)
    assert columns == ["planned", "in_production", "delivered", "accepted", "transitioned"]
    delivered = page.split('id="col-delivered"')[1].split("</section>")[0]
    assert outputs.mine.code in delivered and outputs.other.code in delivered
    assert outputs.planned.code not in delivered
    assert "due 2026-03-06" in page  # the planned one's milestone
    assert "Add deliverable" not in page  # a viewer adds nothing
    other_comp = client_for(world.pm).get(
        f"/programs/ALPHA/deliverables/?component={world.comp.pk + 999}"
    )
    assert other_comp.status_code == 200
    assert "Deliverables" in client.get("/programs/ALPHA/").content.decode()


def test_board_is_404_outside_the_program(world: World, outputs: Outputs) -> None:
    assert client_for(world.outsider).get("/programs/ALPHA/deliverables/").status_code == 404
    assert client_for(world.stakeholder).get(_url(outputs.mine)).status_code == 200
    assert client_for(world.pm_b).get(_url(outputs.mine)).status_code == 404


def test_only_the_named_stakeholder_sees_accept_and_reject(world: World, outputs: Outputs) -> None:
    mine = client_for(world.stakeholder).get(_url(outputs.mine)).content.decode()
    assert "Accept deliverable" in mine and "Reject deliverable" in mine
    assert "Covers every room." in mine
    for user in (world.pm, world.cm, world.admin, world.viewer):
        page = client_for(user).get(_url(outputs.mine)).content.decode()
        assert "Accept deliverable" not in page
    theirs = client_for(world.stakeholder).get(_url(outputs.other)).content.decode()
    assert "Accept deliverable" not in theirs
    assert (
        "Accept deliverable" in client_for(world.viewer).get(_url(outputs.other)).content.decode()
    )


def test_accept_url_of_someone_elses_deliverable_is_403_and_outside_404(
    world: World, outputs: Outputs
) -> None:
    sh = client_for(world.stakeholder)
    assert sh.get(_url(outputs.other, "accept/")).status_code == 403
    assert sh.post(_url(outputs.other, "accept/"), {"comment": "sure"}).status_code == 403
    assert sh.post(_url(outputs.other, "reject/"), {"reason": "no"}).status_code == 403
    assert client_for(world.pm).get(_url(outputs.mine, "accept/")).status_code == 403
    assert sh.get("/programs/BETA/deliverables/1/accept/").status_code == 404
    assert (
        sh.get(f"/programs/ALPHA/deliverables/{outputs.mine.pk + 999}/accept/").status_code == 404
    )
    assert Deliverable.objects.get(pk=outputs.other.pk).status == "delivered"


def test_accept_through_the_page_with_comment_and_evidence(world: World, outputs: Outputs) -> None:
    sh = client_for(world.stakeholder)
    form = sh.get(_url(outputs.mine, "accept/"))
    assert form.status_code == 200 and 'id="accept"' in form.content.decode()
    response = sh.post(
        _url(outputs.mine, "accept/"),
        {"comment": "All rooms covered", "version": outputs.mine.version,
         "evidence_file": SimpleUploadedFile("sign-off.pdf", b"%PDF-1.5 ok")},
    )  # fmt: skip
    assert response.status_code == 302
    page = sh.get(response["Location"]).content.decode()
    assert "D-002 accepted." in page
    assert "Accepted by stakeholder on" in page and "All rooms covered" in page
    assert "evidence: sign-off.pdf" in page
    evidence = Evidence.objects.get(deliverable=outputs.mine)
    download = client_for(world.viewer).get(f"/programs/ALPHA/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert download.content == b"%PDF-1.5 ok"
    assert download["Content-Disposition"] == 'attachment; filename="sign-off.pdf"'
    assert client_for(world.pm_b).get(f"/programs/ALPHA/evidence/{evidence.pk}/").status_code == 404


def test_reject_without_reason_shows_the_error_and_changes_nothing(
    world: World, outputs: Outputs
) -> None:
    sh = client_for(world.stakeholder)
    response = sh.post(_url(outputs.mine, "reject/"), {"comment": "Hmm"})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Deliverable.objects.get(pk=outputs.mine.pk).status == "delivered"
    ok = sh.post(_url(outputs.mine, "reject/"), {"reason": "Ward 4 missing"})
    assert ok.status_code == 302
    page = sh.get(_url(outputs.mine)).content.decode()
    assert "Reason: Ward 4 missing" in page and "In production" in page


def test_bad_evidence_file_is_explained(world: World, outputs: Outputs) -> None:
    sh = client_for(world.stakeholder)
    response = sh.post(
        _url(outputs.mine, "accept/"),
        {"comment": "ok", "evidence_file": SimpleUploadedFile("photo.png", b"not a png")},
    )
    assert response.status_code == 422
    assert "photo.png is not a real .png file." in response.content.decode()
    assert Deliverable.objects.get(pk=outputs.mine.pk).status == "delivered"
    cm = client_for(world.cm)
    refused = cm.post(_url(outputs.mine, "evidence/"), {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert refused.status_code == 422 and "is not an accepted type" in refused.content.decode()


def test_managers_move_deliverables_with_buttons(world: World, outputs: Outputs) -> None:
    cm = client_for(world.cm)
    page = cm.get(_url(outputs.planned)).content.decode()
    assert "Start production" in page
    cm.post(_url(outputs.planned, "step/start/"), {"version": outputs.planned.version})
    assert Deliverable.objects.get(pk=outputs.planned.pk).status == "in_production"
    stale = cm.post(_url(outputs.planned, "step/deliver/"), {"version": outputs.planned.version})
    assert "changed by someone else" in cm.get(stale["Location"]).content.decode()
    assert (
        client_for(world.stakeholder).post(_url(outputs.accepted, "step/transition/")).status_code
        == 403
    )


def test_create_and_edit_deliverable_pages(world: World, outputs: Outputs) -> None:
    cm = client_for(world.cm)
    form = cm.get("/programs/ALPHA/deliverables/new/").content.decode()
    assert "Ward reopens (2026-03-06)" in form
    response = cm.post(
        "/programs/ALPHA/deliverables/new/",
        {"name": "Staff rota", "component": world.comp.pk, "kind": "service",
         "milestone": outputs.milestone.pk, "accepting_stakeholder": world.stakeholder.pk},
    )  # fmt: skip
    assert response.status_code == 302
    created = Deliverable.objects.get(name="Staff rota")
    assert created.milestone == outputs.milestone
    assert client_for(world.stakeholder).get("/programs/ALPHA/deliverables/new/").status_code == 403
    edit = cm.post(
        _url(outputs.accepted, "edit/"),
        {"name": "Floor plan", "component": world.comp.pk, "kind": "product",
         "acceptance_criteria": "Changed after the fact", "version": outputs.accepted.version,
         "accepting_stakeholder": world.stakeholder.pk},
    )  # fmt: skip
    assert edit.status_code == 200 and "can no longer change" in edit.content.decode()


def test_my_acceptances_lists_what_waits(world: World, outputs: Outputs) -> None:
    sh = client_for(world.stakeholder)
    nav = sh.get("/programs/ALPHA/").content.decode()
    assert "/programs/ALPHA/acceptances/" in nav
    assert (
        "/programs/ALPHA/acceptances/"
        not in client_for(world.team).get("/programs/ALPHA/").content.decode()
    )
    page = sh.get("/programs/ALPHA/acceptances/").content.decode()
    waiting = page.split("Waiting for your decision")[1].split("Everything else")[0]
    assert outputs.mine.code in waiting and outputs.other.code not in waiting
    assert outputs.accepted.code in page.split("Everything else")[1]
    board = sh.get("/programs/ALPHA/deliverables/").content.decode()
    assert "1 waiting for your acceptance" in board


def test_transition_plan_page_ticks_with_htmx_and_plain_forms(
    world: World, outputs: Outputs
) -> None:
    cm = client_for(world.cm)
    url = f"/programs/ALPHA/components/{world.comp.pk}/handover/"
    page = cm.get(url).content.decode()
    assert "Not complete yet:" in page and "1 of 2 checklist items open." in page
    assert "Head of facilities" in page
    tick = f"/programs/ALPHA/transition-items/{outputs.item_open.pk}/tick/"
    fragment = cm.post(tick, {"done": "1", "version": outputs.item_open.version},
                       headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert f'id="item-{outputs.item_open.pk}"' in fragment and "done by cm" in fragment
    assert 'hx-swap-oob="true"' in fragment and "No handover date." in fragment
    saved = cm.post(url, {"receiving_organization": "Facilities", "receiving_owner_name": "Head",
                          "handover_date": "2026-12-01", "support_until": "2026-11-01",
                          "version": outputs.plan.version})  # fmt: skip
    assert (
        saved.status_code == 422
        and "Support ends before the handover date." in saved.content.decode()
    )
    saved = cm.post(
        url,
        {"receiving_organization": "Facilities", "receiving_owner_name": "Head",
         "handover_date": "2026-12-01", "version": outputs.plan.version},
    )  # fmt: skip
    assert saved.status_code == 302
    assert "Complete:" in cm.get(url).content.decode()
    item = TransitionItem.objects.get(pk=outputs.item_open.pk)
    plain = cm.post(tick, {"done": "0", "version": item.version})
    assert plain.status_code == 302 and not TransitionItem.objects.get(pk=item.pk).done


def test_transition_plan_is_read_only_for_others(world: World, outputs: Outputs) -> None:
    url = f"/programs/ALPHA/components/{world.comp.pk}/handover/"
    sh = client_for(world.stakeholder)
    page = sh.get(url).content.decode()
    assert "Keys handed" in page and "Mark done" not in page and "Save plan" not in page
    assert sh.post(url, {"notes": "x"}).status_code == 403
    tick = f"/programs/ALPHA/transition-items/{outputs.item_open.pk}/tick/"
    assert sh.post(tick, {"done": "1"}).status_code == 403
    assert not TransitionItem.objects.get(pk=outputs.item_open.pk).done
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.pm_b).post(tick, {"done": "1"}).status_code == 404


def test_pages_have_no_inline_script_or_style(world: World, outputs: Outputs) -> None:
    sh = client_for(world.stakeholder)
    for url in ("/programs/ALPHA/deliverables/", _url(outputs.mine), _url(outputs.mine, "accept/"),
                "/programs/ALPHA/acceptances/",
                f"/programs/ALPHA/components/{world.comp.pk}/handover/"):  # fmt: skip
        html = sh.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url
