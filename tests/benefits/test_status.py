"""A benefit's status follows its measurements against the realization profile and its
thresholds; the change is audited on its own and shows in the program's summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.benefits import rules, selectors, services
from podium.benefits.models import Benefit
from podium.core.errors import PermissionDenied, ValidationFailed, VersionConflict
from podium.core.models import AuditRecord
from tests.conftest import World

# 100 on 2025-01-01 → 200 on 2025-12-31 (364 days): the target on 2025-07-02 (day 182)
# is 150; at risk above 5 % shortfall (< 142.5), off track above 15 % (< 127.5).
MID = dt.date(2025, 7, 2)


@pytest.fixture
def benefit(world: World) -> Benefit:
    return services.create_benefit(
        actor=world.pm, program=world.alpha, name="More online bookings", kpi="Bookings",
        unit="%", baseline_value=100, baseline_date=dt.date(2025, 1, 1),
        targets=[(dt.date(2025, 12, 31), 200)], owner=world.team, at_risk_pct=5,
        off_track_pct=15,
    )  # fmt: skip


def _measure(world: World, benefit: Benefit, value: float, **kw: Any) -> Benefit:
    services.record_measurement(
        actor=kw.pop("actor", world.team), benefit=Benefit.objects.get(pk=benefit.pk),
        date=kw.pop("date", MID), value=value, **kw,
    )  # fmt: skip
    return Benefit.objects.get(pk=benefit.pk)


def test_target_is_interpolated_at_the_measurement_date() -> None:
    profile = [(dt.date(2025, 1, 1), 100.0), (dt.date(2025, 12, 31), 200.0)]
    assert rules.target_at(profile, MID) == pytest.approx(150.0)
    assert rules.target_at(profile, dt.date(2024, 6, 1)) == 100.0
    assert rules.target_at(profile, dt.date(2026, 6, 1)) == 200.0


def test_status_changes_when_a_measurement_crosses_the_tolerance(
    world: World, benefit: Benefit
) -> None:
    assert benefit.status == "not_measured"
    on_track = _measure(world, benefit, 143)  # 4.7 % short
    assert on_track.status == "on_track"
    at_risk = _measure(world, benefit, 142, date=MID + dt.timedelta(days=0))  # 5.3 % short
    assert at_risk.status == "at_risk"
    assert at_risk.status_changed_at is not None
    off = _measure(world, benefit, 127)  # 15.3 % short
    assert off.status == "off_track"
    notes = list(
        AuditRecord.objects.filter(object_type="benefits.benefit", action="transition")
        .order_by("id")
        .values_list("note", flat=True)
    )
    assert [n.split(" (")[0] for n in notes] == [
        "status changed not measured → on track",
        "status changed on track → at risk",
        "status changed at risk → off track",
    ]


def test_lower_is_better_turns_the_shortfall_around(world: World) -> None:
    benefit = services.create_benefit(
        actor=world.pm, program=world.alpha, name="Fewer errors", kpi="Errors per 1000",
        baseline_value=10, baseline_date=dt.date(2025, 1, 1),
        targets=[(dt.date(2025, 12, 31), 2)], direction="lower",
    )  # fmt: skip
    # target on 2025-07-02: 10 - 8 * 182/364 = 6; 6.2 is 3.3 % worse, 7 is 16.7 % worse
    assert _measure(world, benefit, 6.2, actor=world.pm).status == "on_track"
    assert _measure(world, benefit, 7, actor=world.pm).status == "off_track"
    assert _measure(world, benefit, 4, actor=world.pm).status == "on_track"


def test_changing_the_profile_restatuses(world: World, benefit: Benefit) -> None:
    benefit = _measure(world, benefit, 143)
    assert benefit.status == "on_track"
    updated = services.set_targets(
        actor=world.pm, benefit=benefit, targets=[(dt.date(2025, 7, 2), 180)],
        expected_version=benefit.version,
    )  # fmt: skip
    assert updated.status == "off_track"  # 143 against 180: 20.6 % short


def test_the_change_appears_in_the_program_summary_and_its_api(
    world: World, benefit: Benefit, api_as: Any
) -> None:
    before = selectors.program_benefit_summary(world.alpha)
    assert before.counts["not_measured"] == 1 and before.changes == []
    _measure(world, benefit, 140)
    summary = selectors.program_benefit_summary(world.alpha)
    assert summary.counts["at_risk"] == 1 and summary.counts["not_measured"] == 0
    assert [(c.code, c.before, c.after) for c in summary.changes] == [
        (benefit.code, "not_measured", "at_risk")
    ]
    response = api_as(world.viewer).get("/programs/ALPHA/benefits/summary")
    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["at_risk"] == 1
    assert body["changes"][0]["after"] == "at_risk"
    assert body["changes"][0]["code"] == benefit.code


def test_api_measurement_changes_status_and_etag(
    world: World, benefit: Benefit, api_as: Any
) -> None:
    client = api_as(world.team)  # the benefit's owner
    first = client.get(f"/benefits/{benefit.pk}")
    etag = first["ETag"]
    response = client.post(
        f"/benefits/{benefit.pk}/measurements", {"date": "2025-07-02", "value": 120}, **{
            "If-Match": etag})  # fmt: skip
    assert response.status_code == 201, response.content
    assert client.get(f"/benefits/{benefit.pk}").json()["status"] == "off_track"
    stale = client.post(
        f"/benefits/{benefit.pk}/measurements", {"date": "2025-07-03", "value": 150},
        **{"If-Match": etag},
    )  # fmt: skip
    assert stale.status_code == 412
    assert client.get(f"/benefits/{benefit.pk}/measurements").json()[0]["value"] == 120


def test_only_owner_or_manager_measures_and_refusals_leave_no_trace(
    world: World, benefit: Benefit
) -> None:
    count = AuditRecord.objects.count()
    with pytest.raises(PermissionDenied):
        _measure(world, benefit, 150, actor=world.viewer)
    with pytest.raises(ValidationFailed):
        _measure(world, benefit, 150, date=dt.date(2024, 12, 1))  # before the baseline
    with pytest.raises(VersionConflict):
        _measure(world, benefit, 150, expected_version=benefit.version + 5)
    assert AuditRecord.objects.count() == count
    assert Benefit.objects.get(pk=benefit.pk).measurements.count() == 0


def test_expected_value_is_audited_as_cost_data(world: World) -> None:
    from podium.programs.selectors import program_history

    benefit = services.create_benefit(
        actor=world.pm, program=world.alpha, name="Licences retired", kpi="EUR/year",
        baseline_value=0, baseline_date=dt.date(2025, 1, 1), expected_value="1200000",
        category="financial",
    )  # fmt: skip
    pm_history = list(program_history(world.alpha, world.pm))
    viewer_history = list(program_history(world.alpha, world.viewer))
    assert any(r.after == {"expected_value": "1200000.00"} for r in pm_history)
    assert not any("1200000" in str(r.after) + str(r.before) for r in viewer_history)
    assert any(r.object_id == str(benefit.pk) for r in viewer_history)  # the benefit itself


def test_the_change_shows_on_the_program_overview(world: World, benefit: Benefit) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.viewer)
    page = client.get("/programs/ALPHA/").content.decode()
    assert "1 not measured" in page and "No benefit changed status recently." in page
    _measure(world, benefit, 140)
    page = client.get("/programs/ALPHA/").content.decode()
    assert "1 at risk" in page and "0 not measured" in page
    assert f"{benefit.code} {benefit.name}</a>: Not measured → At risk" in page
