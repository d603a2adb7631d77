"""Earned value of a program (``podium.finance.evm``) against hand-computed figures, the
roll-up, status snapshots and the API.

The program: component C1 with task X (10 days from Mon 2026-03-02, budget 10,000,
earned 50/50) and an account-level material line of 1,000; component C2 with task Y
(5 days from Mon 2026-03-16, budget 5,000, earned 0/100). Both on the standard
calendar (8 h a day), baselined, then progressed at the data date Thu 2026-03-19 08:00:
X started on 03-02 and is 80 % complete, Y has not started. Status date: the end of
Wed 2026-03-18 (the data date is the start of the next working day).

By hand, at the end of 2026-03-18 (13 working days = 104 h after the start):

=========  ======  ======  =====  =====
row        BAC     PV      EV     AC
=========  ======  ======  =====  =====
X          10,000  10,000  5,000  6,500   (4,000 + 2,500; 50/50: half once started)
C1 lines   1,000   1,000   800    300     (spread over C1's span, earned with its 80 %)
C1         11,000  11,000  5,800  6,800
Y          5,000   3,000   0      0       (3 of 5 days planned; 0/100; the 700 of 03-19
                                           is after the status date)
program    16,000  14,000  5,800  6,800
=========  ======  ======  =====  =====

Earned schedule of the program: PV grows by 1,100 a day (137.5 an hour) over the first
10 days, so EV 5,800 is reached after 42.18 h; ProTrack counts whole hours behind
schedule: ES = 42 h (Mon 03-09 10:00), AT = 104 h, SPI(t) = 42/104, SV(t) = −62 h =
−7.75 days. p-factor at ES: planned X 5,250, C1 line 525, Y 0; earned min(5,250,
5,000) + min(525, 800) → 5,525 / 5,775.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from podium.core.errors import PermissionDenied, ValidationFailed
from podium.core.models import AuditRecord, ImmutableError
from podium.engine import Activity as EActivity
from podium.engine import Calendar, Network
from podium.finance import evm, services
from podium.finance.models import StatusSnapshot
from podium.interchange.base import ProjectFile
from podium.programs import services as program_services
from podium.programs.models import Program
from podium.resources.services import assign, create_resource
from podium.schedule import services as schedule_services
from podium.schedule.models import Activity
from tests.conftest import World
from tests.governance.helpers import advance

DAY = 480
STATUS = dt.date(2026, 3, 18)


def _project(code: str, name: str, days: int, start: dt.datetime) -> ProjectFile:
    network = Network(
        [EActivity(code, name, days * DAY)], [], project_start=start,
        default_calendar=Calendar.standard("Standard"),
    )  # fmt: skip
    return ProjectFile(name=name, format="json", network=network, source="test.json")


@pytest.fixture
def program(world: World) -> Program:
    alpha = advance(world.pm, world.alpha, "Charter approved")
    program_services.update_component(
        actor=world.pm, component=world.comp, expected_version=None,
        start_date=dt.date(2026, 3, 2),
    )  # fmt: skip
    c2 = program_services.create_component(
        actor=world.pm, program=alpha, code="C2", name="Second", start_date=dt.date(2026, 3, 16)
    )
    schedule_services.import_project(
        actor=world.pm, program=alpha, component=world.comp,
        project=_project("X", "Build", 10, dt.datetime(2026, 3, 2, 8)),
    )  # fmt: skip
    schedule_services.import_project(
        actor=world.pm, program=alpha, component=c2,
        project=_project("Y", "Test", 5, dt.datetime(2026, 3, 16, 8)),
    )  # fmt: skip
    schedule_services.save_baseline(actor=world.pm, program=alpha, name="Plan")
    x = Activity.objects.get(component=world.comp, code="X")
    y = Activity.objects.get(component=c2, code="Y")
    lab = services.create_cost_account(
        actor=world.pm, program=alpha, component=world.comp, code="C1-LAB", name="C1 labour"
    )
    mat = services.create_cost_account(
        actor=world.pm, program=alpha, component=world.comp, code="C1-MAT", name="C1 material"
    )
    c2_lab = services.create_cost_account(
        actor=world.pm, program=alpha, component=c2, code="C2-LAB", name="C2 labour"
    )
    baseline = services.create_baseline(actor=world.pm, program=alpha)
    services.add_line(actor=world.pm, baseline=baseline, cost_account=lab, amount="10000",
                      activity=x)  # fmt: skip
    services.add_line(actor=world.pm, baseline=baseline, cost_account=mat, amount="1000",
                      category="material")  # fmt: skip
    services.add_line(actor=world.pm, baseline=baseline, cost_account=c2_lab, amount="5000",
                      activity=y)  # fmt: skip
    services.approve_baseline(actor=world.pm, baseline=baseline, expected_version=None)
    evm.set_earning_rule(actor=world.pm, activity=x, rule="fifty_fifty")
    evm.set_earning_rule(actor=world.pm, activity=y, rule="zero_hundred")
    for day, amount, account, activity in (
        (dt.date(2026, 3, 5), "4000", lab, x),
        (dt.date(2026, 3, 18), "2500", lab, x),
        (dt.date(2026, 3, 10), "300", mat, None),
        (dt.date(2026, 3, 19), "700", c2_lab, y),
    ):
        services.record_actual(actor=world.pm, program=alpha, cost_account=account, date=day,
                               amount=amount, activity=activity)  # fmt: skip
    schedule_services.record_progress(
        actor=world.pm, program=alpha, data_date=dt.datetime(2026, 3, 19, 8),
        updates=[schedule_services.Progress(x, dt.datetime(2026, 3, 2, 8), None, 80.0, 2 * DAY)],
    )  # fmt: skip
    alpha.refresh_from_db()
    return alpha


def _figures(row: evm.EvmRow) -> tuple[float, float, float, float]:
    return row.bac, row.pv, row.ev, row.ac


def test_metrics_at_the_status_date_equal_the_hand_computed_ones(program: Program) -> None:
    result = evm.program_evm(program)  # default: the day before the data date

    assert result.status_date == STATUS
    assert result.baseline_number == 1 and result.schedule_baseline == "Plan"
    rows = {row.key: row for row in result.activities}
    assert _figures(rows["C1/X"]) == (10000, 10000, 5000, 6500)
    assert _figures(rows["C2/Y"]) == (5000, 3000, 0, 0)
    assert (
        rows["C1/X"].earning_rule == "fifty_fifty" and rows["C2/Y"].earning_rule == "zero_hundred"
    )
    components = {row.key: row for row in result.components}
    assert _figures(components["C1"]) == (11000, 11000, 5800, 6800)
    assert _figures(components["C2"]) == (5000, 3000, 0, 0)
    total = result.program
    assert _figures(total) == (16000, 14000, 5800, 6800)
    assert (total.sv, total.cv) == (-8200, -1000)
    assert total.spi == pytest.approx(5800 / 14000)
    assert total.cpi == pytest.approx(5800 / 6800)
    assert total.eac == pytest.approx(6800 + 16000 - 5800)
    assert total.eac_cpi == pytest.approx(16000 / (5800 / 6800), abs=0.01)
    sci = (5800 / 6800) * (5800 / 14000)
    assert total.eac_sci == pytest.approx(6800 + (16000 - 5800) / sci, abs=0.01)
    assert total.etc == pytest.approx(16000 / (5800 / 6800) - 6800, abs=0.01)
    assert total.vac == pytest.approx(16000 - 16000 / (5800 / 6800), abs=0.01)
    assert total.tcpi == pytest.approx((16000 - 5800) / (16000 - 6800))


def test_earned_schedule_of_the_program(program: Program) -> None:
    total = evm.program_evm(program, STATUS).program

    assert total.es == dt.date(2026, 3, 9)  # 42 working hours after Mon 03-02 08:00
    assert total.spi_t == pytest.approx(42 / 104)
    assert total.sv_t_days == pytest.approx(-62 / 8)
    assert total.sci_t == pytest.approx(42 / 104 * 5800 / 6800)
    assert total.p_factor == pytest.approx(5525 / 5775)
    assert total.planned_finish == dt.date(2026, 3, 20)  # the baseline's, not today's plan
    # PF 1: AT + (PD - ES) = 104 + (120 - 42) = 182 h = 22 days and 6 h from Mon 03-02
    assert total.eac_t_pf1 == dt.date(2026, 4, 1)
    assert total.eac_t_spi_t is not None and total.eac_t_spi_t > total.eac_t_pf1
    activity = evm.program_evm(program, STATUS).activities[0]
    assert activity.es is None and activity.spi_t is None  # earned schedule: not per activity


def test_components_add_up_to_the_program_and_activities_to_their_component(
    program: Program,
) -> None:
    result = evm.program_evm(program, STATUS)
    for figure in ("bac", "pv", "ev", "ac"):
        assert sum(getattr(c, figure) for c in result.components) == pytest.approx(
            getattr(result.program, figure)
        )
    c2 = next(c for c in result.components if c.key == "C2")
    assert _figures(c2) == tuple(
        sum(values) for values in zip(*(_figures(a) for a in result.activities
                                        if a.component == "C2"), strict=True)
    )  # fmt: skip


def test_planned_value_follows_the_saved_baseline_not_the_slipped_dates(
    program: Program,
) -> None:
    y = Activity.objects.get(program=program, code="Y")
    assert y.start is not None and y.start.date() > dt.date(2026, 3, 16)  # slipped
    rows = {r.key: r for r in evm.program_evm(program, dt.date(2026, 3, 16)).activities}
    assert rows["C2/Y"].pv == 1000  # one of its five baseline days


def test_actual_cost_counts_entries_up_to_the_status_date(program: Program) -> None:
    assert evm.program_evm(program, dt.date(2026, 3, 4)).program.ac == 0
    assert evm.program_evm(program, dt.date(2026, 3, 5)).program.ac == 4000
    assert evm.program_evm(program, dt.date(2026, 3, 19)).program.ac == 7500


def test_past_status_dates_estimate_progress_linearly(world: World, program: Program) -> None:
    x = Activity.objects.get(program=program, code="X")
    evm.set_earning_rule(actor=world.pm, activity=x, rule="percent_complete")
    # 40 of the 104 working hours between the actual start and the data date: 80 % × 40/104
    result = evm.program_evm(program, dt.date(2026, 3, 6))
    row = next(r for r in result.activities if r.key == "C1/X")
    assert row.percent_complete == pytest.approx(80 * 40 / 104, abs=0.01)
    assert row.ev == pytest.approx(10000 * 0.8 * 40 / 104, abs=0.01)
    assert any("estimated" in note for note in result.notes)
    assert evm.program_evm(program, dt.date(2026, 3, 1)).program.ev == 0


def test_weighted_milestones_earn_the_milestones_passed(world: World, program: Program) -> None:
    x = Activity.objects.get(program=program, code="X")
    evm.set_earning_rule(actor=world.cm, activity=x, rule="weighted_milestones",
                         weights=[20, 50, 30])  # fmt: skip
    row = next(r for r in evm.program_evm(program, STATUS).activities if r.key == "C1/X")
    assert row.ev == 7000  # 80 % passes 20 % and 70 %, not 100 %
    with pytest.raises(ValidationFailed):
        evm.set_earning_rule(actor=world.pm, activity=x, rule="weighted_milestones", weights=[])
    with pytest.raises(ValidationFailed):
        evm.set_earning_rule(actor=world.pm, activity=x, rule="zero_hundred", weights=[1])
    with pytest.raises(PermissionDenied):
        evm.set_earning_rule(actor=world.team, activity=x, rule="zero_hundred")


def test_resource_costs_budget_the_work_no_line_covers(world: World, program: Program) -> None:
    x = Activity.objects.get(program=program, code="X")
    y = Activity.objects.get(program=program, code="Y")
    dev = create_resource(actor=world.pm, program=program, code="DEV", name="Developers",
                          standard_rate=50, cost_per_use=100)  # fmt: skip
    assign(actor=world.pm, activity=x, resource=dev, units=1)
    # X carries a line: its budget stays the line's
    assert evm.program_evm(program, STATUS).program.bac == 16000
    # without an approved budget, the assignment budgets X: 80 h × 50 + 100 per use
    program.budget_baselines.update(status="superseded")
    result = evm.program_evm(program, STATUS)
    assert result.program.bac == 4100 and result.baseline_number is None
    assert [r.key for r in result.activities if r.bac] == ["C1/X"]
    assert y.pk in {r.activity_id for r in result.activities}  # its actual cost still shows


def test_a_program_without_budget_or_costs_has_zero_figures(world: World) -> None:
    result = evm.program_evm(world.beta, STATUS)
    assert _figures(result.program) == (0, 0, 0, 0)
    assert result.program.spi is None and result.program.cpi is None
    assert result.components == [] and result.activities == []


# -- S-curve ------------------------------------------------------------------------------


def test_s_curve_is_weekly_with_pv_to_the_end_and_ev_ac_to_the_status_date(
    program: Program,
) -> None:
    curve = evm.s_curve(program)
    dates = [p.date for p in curve.points]
    assert curve.status_date == STATUS and STATUS in dates
    assert all(d.weekday() == 6 for d in dates if d != STATUS)
    assert dates == sorted(dates)
    pv = [p.pv for p in curve.points]
    assert pv == sorted(pv) and pv[0] == 0 and pv[-1] == 16000
    status = curve.points[dates.index(STATUS)]
    assert (status.pv, status.ev, status.ac) == (14000, 5800, 6800)
    assert all(p.ev is None and p.ac is None for p in curve.points if p.date > STATUS)
    assert all(p.forecast is None for p in curve.points if p.date < STATUS)
    assert status.forecast == 6800 and curve.points[-1].forecast == curve.eac
    assert curve.eac == pytest.approx(16000 / (5800 / 6800), abs=0.01)
    sunday = curve.points[dates.index(dt.date(2026, 3, 8))]
    assert sunday.ac == 4000  # the entries up to that day


# -- snapshots ----------------------------------------------------------------------------


def test_snapshots_are_kept_as_taken(world: World, program: Program) -> None:
    first = evm.take_snapshot(world.pm, program, dt.date(2026, 3, 13), "Week 11")
    second = evm.take_snapshot(world.pm, program, STATUS, "Week 12")
    lab = program.cost_accounts.get(code="C1-LAB")
    services.record_actual(actor=world.pm, program=program, cost_account=lab,
                           date=dt.date(2026, 3, 12), amount="999")  # fmt: skip

    kept = StatusSnapshot.objects.get(pk=second.pk)
    assert kept.metrics["program"]["ac"] == 6800  # later bookings do not rewrite it
    assert [c["key"] for c in kept.metrics["components"]] == ["C1", "C2"]
    assert evm.program_evm(program, STATUS).program.ac == 7799
    assert [s.name for s in evm.snapshot_list(program)] == ["Week 11", "Week 12"]
    trend = evm.evm_trend(program)
    assert [t.status_date for t in trend] == [dt.date(2026, 3, 13), STATUS]
    assert trend[1].cpi == pytest.approx(5800 / 6800) and trend[1].spi_t == pytest.approx(42 / 104)
    kept.name = "Renamed"
    with pytest.raises(ImmutableError):
        kept.save()
    with pytest.raises(ImmutableError):
        first.delete()
    assert StatusSnapshot.objects.filter(program=program).count() == 2
    records = AuditRecord.objects.filter(object_type="finance.statussnapshot")
    assert records.count() == 2 and records.first().user == world.pm  # type: ignore[union-attr]


def test_snapshot_refusals(world: World, program: Program) -> None:
    evm.take_snapshot(world.pm, program, STATUS, "March")
    with pytest.raises(ValidationFailed):
        evm.take_snapshot(world.pm, program, STATUS, "March")
    with pytest.raises(ValidationFailed):
        evm.take_snapshot(world.pm, program, STATUS, "  ")
    with pytest.raises(PermissionDenied):
        evm.take_snapshot(world.stakeholder, program, STATUS, "April")
    assert StatusSnapshot.objects.filter(program=program).count() == 1


# -- API ----------------------------------------------------------------------------------

ENDPOINTS = [
    ("GET", "/programs/ALPHA/evm"),
    ("GET", "/programs/ALPHA/evm?status_date=2026-03-18"),
    ("GET", "/programs/ALPHA/evm/s-curve"),
    ("GET", "/programs/ALPHA/evm/snapshots"),
    ("POST", "/programs/ALPHA/evm/snapshots"),
    ("GET", "/programs/ALPHA/evm/trend"),
]


def test_api_program_evm_shape(world: World, program: Program, api_as: Any) -> None:
    response = api_as(world.cm).get("/programs/ALPHA/evm?status_date=2026-03-18")
    assert response.status_code == 200
    data = response.json()
    assert data["status_date"] == "2026-03-18" and data["currency"] == program.currency
    total = data["program"]
    assert (total["bac"], total["pv"], total["ev"], total["ac"]) == (
        "16000.00", "14000.00", "5800.00", "6800.00",
    )  # fmt: skip
    assert total["spi_t"] == round(42 / 104, 4) and total["es"] == "2026-03-09"
    assert [c["key"] for c in data["components"]] == ["C1", "C2"]
    assert [a["key"] for a in data["activities"]] == ["C1/X", "C2/Y"]
    assert data["activities"][1]["cpi"] is None  # no actual cost yet: undefined


def test_api_s_curve_snapshots_and_trend(world: World, program: Program, api_as: Any) -> None:
    client = api_as(world.pm)
    curve = client.get("/programs/ALPHA/evm/s-curve").json()
    assert curve["bac"] == "16000.00" and curve["points"][-1]["pv"] == "16000.00"
    assert {"date", "pv", "ev", "ac", "forecast"} <= set(curve["points"][0])

    created = client.post("/programs/ALPHA/evm/snapshots", {"name": "March"})
    assert created.status_code == 201, created.content
    snap = created.json()
    assert snap["status_date"] == "2026-03-18" and snap["created_by"] == "pm"
    assert snap["program"]["ev"] == "5800.00" and len(snap["components"]) == 2
    again = client.post("/programs/ALPHA/evm/snapshots", {"name": "March"})
    assert again.status_code == 422
    listed = client.get("/programs/ALPHA/evm/snapshots").json()
    assert [s["name"] for s in listed] == ["March"]
    trend = client.get("/programs/ALPHA/evm/trend").json()
    assert trend[0]["cpi"] == round(5800 / 6800, 4) and trend[0]["ac"] == "6800.00"
    refused = api_as(world.cm).post("/programs/ALPHA/evm/snapshots", {"name": "By cm"})
    assert refused.status_code == 403


def test_api_earning_rule(world: World, program: Program, api_as: Any) -> None:
    x = Activity.objects.get(program=program, code="X")
    client = api_as(world.cm)
    response = client.call("PUT", f"/activities/{x.pk}/earning-rule",
                           {"rule": "weighted_milestones", "weights": [1, 1]})  # fmt: skip
    assert response.status_code == 200 and response.json()["weights"] == [1, 1]
    bad = client.call("PUT", f"/activities/{x.pk}/earning-rule", {"rule": "fifty_fifty",
                                                                  "weights": [1]})  # fmt: skip
    assert bad.status_code == 422
    other = api_as(world.pm_b).call("PUT", f"/activities/{x.pk}/earning-rule",
                                    {"rule": "zero_hundred"})  # fmt: skip
    assert other.status_code == 404


@pytest.mark.parametrize("role", ["stakeholder", "team_member", "viewer"])
def test_api_refuses_users_without_the_cost_permission(
    world: World, program: Program, api_as: Any, role: str
) -> None:
    client = api_as(world.by_role(role))
    for method, path in ENDPOINTS:
        response = client.call(method, path, {"name": "x"} if method == "POST" else None)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "16000" not in response.content.decode()
    assert not StatusSnapshot.objects.exists()


def test_api_hides_other_programs(world: World, program: Program, api_as: Any) -> None:
    client = api_as(world.pm_b)
    for method, path in ENDPOINTS:
        response = client.call(method, path, {"name": "x"} if method == "POST" else None)
        assert response.status_code == 404, (method, path)


def test_status_snapshot_amounts_stay_out_of_history_for_a_stakeholder(
    world: World, program: Program, api_as: Any
) -> None:
    evm.take_snapshot(world.pm, program, STATUS, "March")
    history = api_as(world.stakeholder).get("/programs/ALPHA/history")
    assert history.status_code == 200
    assert "status snapshot" not in history.content.decode()
    assert "status snapshot" in api_as(world.pm).get("/programs/ALPHA/history").content.decode()


def test_money_in_the_api_is_decimal_strings(world: World, program: Program, api_as: Any) -> None:
    data = api_as(world.pm).get("/programs/ALPHA/evm").json()
    assert Decimal(data["program"]["eac"]) == Decimal("17000.00")


def test_reads_do_not_grow_with_the_program(
    world: World, program: Program, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        evm.program_evm(program, STATUS)
    dev = create_resource(actor=world.pm, program=program, code="DEV", name="Developers",
                          standard_rate=10)  # fmt: skip
    for i in range(3):  # three more components, each a 1-day task budgeted by its resource
        component = program_services.create_component(
            actor=world.pm, program=program, code=f"X{i}", name=f"Extra {i}"
        )
        schedule_services.import_project(
            actor=world.pm, program=program, component=component,
            project=_project(f"Z{i}", f"Extra {i}", 1, dt.datetime(2026, 3, 2, 8)),
        )  # fmt: skip
        task = Activity.objects.get(component=component)
        assign(actor=world.pm, activity=task, resource=dev, units=1)
    with django_assert_max_num_queries(12):
        result = evm.program_evm(program, STATUS)
    assert result.program.bac == 16000 + 3 * 8 * 10
    assert len(result.components) == 5
    with django_assert_max_num_queries(12):
        evm.s_curve(program)
