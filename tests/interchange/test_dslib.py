"""DSLIB workbook reader: baseline, Agenda calendar, resources, risk, tracking, errors.

The small workbooks are built here in DSLIB's own layout (two header rows, the Agenda
grid, ``Project Control - TP1``); one test also reads a real DSLIB file when
``../shared/data`` is present.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from podium.engine import ParseError, schedule
from podium.interchange.dslib import (
    parse_duration,
    read_dslib,
    read_dslib_risk,
    read_dslib_tracking,
)

BASE_HEAD = [
    "ID", "Name", "WBS", "Predecessors", "Successors", "Baseline Start", "Baseline End",
    "Duration", "Resource Demand", "Resource Cost", "Fixed Cost", "Cost/Hour",
    "Variable Cost", "Total Cost",
]  # fmt: skip
TP_HEAD = [
    "ID", "Name", "Baseline Start", "Baseline End", "Duration", "Resource Demand",
    "Resource Cost", "Fixed Cost", "Cost/Hour", "Variable Cost", "Total Cost",
    "Actual Start", "Actual Duration", "PAC", "PRC", "Remaining Duration", "PAC Dev",
    "PRC Dev", "Actual Cost", "Remaining Cost", "Percentage Completed", "Tracking",
    "Earned Value (EV)", "Planned Value (PV)",
]  # fmt: skip


def _baseline_rows() -> list[list[Any]]:
    d = datetime
    return [
        [0, "House", "1", None, None, d(2024, 1, 1, 8), d(2024, 1, 10, 12), "7d 4h"],
        [1, "Start", "1.1", None, "FS2", d(2024, 1, 1, 8), d(2023, 12, 29, 17), "0"],
        [10, "Shell", "1.2", None, None, d(2024, 1, 1, 8), d(2024, 1, 10, 12), "7d 4h"],
        [2, "Walls", "1.2.1", "1FS", None, d(2024, 1, 1, 8), d(2024, 1, 3, 17), "3d",
         "Masons[2.00 #4]", None, None, None, None, 1200.5],
        [3, "Roof", "1.2.2", "2FS+1d", None, d(2024, 1, 8, 8), d(2024, 1, 10, 12), "2d 4h",
         "Masons[1,50 #4];Crane"],
        [4, "Paint", "1.2.3", "2SS+1w;3FF-4h", None, d(2024, 1, 9, 14), d(2024, 1, 9, 17), "3h"],
    ]  # fmt: skip


def _workbook(path: Path, edit: dict[tuple[str, str], Any] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Baseline Schedule"
    ws.append(["General", None, None, "Relations", None, "Baseline"])
    ws.append(BASE_HEAD)
    for row in _baseline_rows():
        ws.append(row)
    res = wb.create_sheet("Resources")
    res.append(["General", None, None, None, "Resource Cost"])
    res.append(["ID", "Name", "Type", "Availability", "Cost/Use", "Cost/Unit", "Assigned To"])
    res.append([1, "Masons", "Renewable", "4 people", 5, 30.5, "2[2.00 Masons]"])
    risk = wb.create_sheet("Risk Analysis")
    risk.append(["General", None, "Baseline", "Activity Duration Distribution Profiles"])
    risk.append(["ID", "Name", "Duration", "Description", "Optimistic", "Most Probable",
                 "Pessimistic"])  # fmt: skip
    risk.append([0, "House", "60h", None, None, None, None])
    risk.append([2, "Walls", "24h", "standard - symmetric", 80, 100, 120])
    risk.append([3, "Roof", "20h", "manual - absolute", 16, 20, 30])
    agenda = wb.create_sheet("Agenda")
    agenda.append(["Working Hours", None, None, "Working Days", None, None, "Holidays"])
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for h in range(24):
        on = "Yes" if 8 <= h < 17 and h != 12 else "No"
        day = days[h] if h < 7 else None
        day_on = ("Yes" if h < 5 else "No") if h < 7 else None
        holiday = datetime(2024, 1, 4) if h == 0 else None
        agenda.append([f"{h}:00 - {(h + 1) % 24}:00", on, None, day, day_on, None, holiday])
    tp = wb.create_sheet("Project Control - TP1")
    tp.append([None, "TP Status Date", datetime(2024, 1, 5, 17), None, "TP Name", "5/01/2024"])
    tp.append([])
    tp.append(["General"])
    tp.append(TP_HEAD)
    tp.append([0, "House"] + [None] * 16 + [900.0, None, 0.4, None, 850.0, 1000.0])
    row2 = [2, "Walls"] + [None] * 9 + [datetime(2024, 1, 1, 8), "3d 2h", None, None, "0"]
    tp.append([*row2, None, None, 800.0, 0, 1, "Finished", 800.0, 800.0])
    row3 = [3, "Roof"] + [None] * 9 + [datetime(2024, 1, 5, 8), "1d", None, None, "1d 4h"]
    tp.append([*row3, None, None, 100.0, 50, 0.4, "Started", 50.0, 200.0])
    for (sheet, cell), value in (edit or {}).items():
        wb[sheet][cell] = value
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return _workbook(tmp_path / "house.xlsx")


def test_baseline_activities_structure_and_links(book: Path) -> None:
    project = read_dslib(book)
    net = project.network
    acts = {a.id: a for a in net.activities}
    assert project.name == "House" and project.format == "dslib"
    assert (acts["0"].kind, acts["10"].kind, acts["1"].kind) == ("summary", "summary", "milestone")
    assert acts["10"].parent == "0" and acts["2"].parent == "10"
    assert acts["3"].duration_minutes == 20 * 60
    assert [(ln.pred, ln.succ, ln.type, ln.lag_minutes) for ln in net.links] == [
        ("1", "2", "FS", 0),
        ("2", "3", "FS", 480),
        ("2", "4", "SS", 2400),
        ("3", "4", "FF", -240),
    ]
    assert project.wbs["4"] == "1.2.3"
    assert project.baselines["3"].start == datetime(2024, 1, 8, 8)  # 1d lag skips the holiday
    assert project.baselines["2"].cost == 1200.5
    assert project.stored["4"].finish == datetime(2024, 1, 9, 17)


def test_agenda_is_the_calendar(book: Path) -> None:
    cal = read_dslib(book).network.default_calendar
    assert cal.day_intervals(date(2024, 1, 2)) == ((480, 720), (780, 1020))
    assert cal.day_intervals(date(2024, 1, 4)) == ()  # holiday
    assert cal.day_intervals(date(2024, 1, 6)) == ()  # Saturday


def test_engine_reproduces_the_baseline(book: Path) -> None:
    project = read_dslib(book)
    result = schedule(project.network)
    for aid in ("2", "3", "4", "10", "0"):
        assert (result[aid].start, result[aid].finish) == (
            project.baselines[aid].start,
            project.baselines[aid].finish,
        ), aid


def test_resources_and_assignments(book: Path) -> None:
    project = read_dslib(book)
    masons = project.resources[0]
    assert (masons.id, masons.name, masons.max_units) == ("1", "Masons", 4.0)
    assert (masons.standard_rate, masons.cost_per_use) == (30.5, 5.0)
    assert [(a.activity_id, a.resource_id, a.units) for a in project.assignments] == [
        ("2", "1", 2.0),
        ("3", "1", 1.5),
        ("3", "Crane", 1.0),
    ]
    assert project.resources[1].name == "Crane"


def test_risk_three_point_estimates(book: Path) -> None:
    risk = read_dslib_risk(book)
    assert set(risk) == {"2", "3"}
    walls, roof = risk["2"], risk["3"]
    assert (walls.optimistic_minutes, walls.most_likely_minutes, walls.pessimistic_minutes) == (
        0.8 * 1440,
        1440,
        1.2 * 1440,
    )
    assert roof.profile == "manual - absolute"
    assert (roof.optimistic_minutes, roof.pessimistic_minutes) == (16 * 60, 30 * 60)


def test_tracking_periods(book: Path) -> None:
    (tp,) = read_dslib_tracking(book)
    assert (tp.name, tp.status_date) == ("5/01/2024", datetime(2024, 1, 5, 17))
    assert (tp.actual_cost, tp.earned_value, tp.planned_value) == (900.0, 850.0, 1000.0)
    walls, roof = tp.activities["2"], tp.activities["3"]
    assert walls.status == "Finished" and walls.percent_complete == 100
    assert walls.actual_finish == datetime(2024, 1, 5, 10)  # 3d 2h, skipping the holiday
    assert (roof.actual_finish, roof.remaining_minutes, roof.percent_complete) == (None, 720, 40)
    assert (roof.actual_cost, roof.earned_value, roof.planned_value) == (100.0, 50.0, 200.0)


@pytest.mark.parametrize(
    ("edit", "where", "reason"),
    [
        ({("Baseline Schedule", "H5"): "3x"}, "'Baseline Schedule'!H5", "cannot read duration"),
        ({("Baseline Schedule", "D6"): "9FS"}, "'Baseline Schedule'!D6", "unknown predecessor"),
        ({("Baseline Schedule", "D7"): "2XX"}, "'Baseline Schedule'!D7", "cannot read"),
        ({("Baseline Schedule", "D7"): "2FS+1q"}, "'Baseline Schedule'!D7", "cannot read"),
        ({("Baseline Schedule", "F6"): "31/02/2024"}, "'Baseline Schedule'!F6", "not a date"),
        ({("Baseline Schedule", "A7"): 2}, "'Baseline Schedule'!A7", "duplicate ID '2'"),
        ({("Baseline Schedule", "A2"): "Nr"}, "'Baseline Schedule'", "no header row"),
        ({("Agenda", "B10"): "Maybe"}, "'Agenda'!B10", "expected Yes or No"),
        ({("Agenda", "G3"): "soon"}, "'Agenda'!G3", "holiday is not a date"),
        ({("Resources", "D3"): "many"}, "'Resources'!D3", "not a number"),
        ({("Risk Analysis", "E4"): 130}, "'Risk Analysis'!E4", "not ordered"),
        ({("Project Control - TP1", "C1"): "later"}, "'Project Control - TP1'!C1", "not a date"),
        ({("Project Control - TP1", "U6"): 7}, "'Project Control - TP1'!U6", "not within 0-1"),
    ],
)
def test_bad_cells_name_the_cell(
    tmp_path: Path, edit: dict[tuple[str, str], Any], where: str, reason: str
) -> None:
    path = _workbook(tmp_path / "bad.xlsx", edit)
    with pytest.raises(ParseError) as info:
        read_dslib(path)
        read_dslib_risk(path)
        read_dslib_tracking(path)
    err = info.value
    assert (err.file, err.line_or_element) == ("bad.xlsx", where)
    assert reason in err.reason
    assert "\n" not in str(err)


def test_missing_sheet_truncated_and_absent_files(tmp_path: Path, book: Path) -> None:
    wb = Workbook()
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(ParseError, match=r"empty\.xlsx:'Agenda': sheet is missing"):
        read_dslib(tmp_path / "empty.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(book.read_bytes()[:2000])
    with pytest.raises(ParseError, match=r"cut\.xlsx:0: not a readable \.xlsx"):
        read_dslib(cut)
    with pytest.raises(ParseError, match="file not found"):
        read_dslib(tmp_path / "none.xlsx")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("22d 4h", 10800), ("0", 0), (0, 0), ("3w 2h", 7320), ("1d4h", 720), ("-1w", -2400),
     ("+2d", 960), ("16d ", 7680)],
)  # fmt: skip
def test_durations(text: object, minutes: int) -> None:
    assert parse_duration(text, hours_per_day=8, days_per_week=5) == minutes


REAL = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "dslib"
    / "Excel"
    / "C2011-10 Building a House.xlsx"
)


@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent")
def test_real_workbook_risk_and_tracking() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        project = read_dslib(REAL)
        risk = read_dslib_risk(REAL)
        periods = read_dslib_tracking(REAL)
    assert len(project.network.activities) == 35
    assert project.resources[0].max_units == 6.0
    assert len(project.network.default_calendar.exceptions) == 28
    roofing = risk["6"]  # manual - absolute: 141 / 314 / 386 hours
    assert (roofing.optimistic_minutes, roofing.pessimistic_minutes) == (141 * 60, 386 * 60)
    assert len(periods) == 41
    assert periods[0].status_date == datetime(2011, 8, 11, 17)
    tanks = periods[0].activities["1"]
    assert tanks.status == "Started" and tanks.remaining_minutes == (11 * 8 + 2) * 60
    assert periods[-1].activities["1"].actual_finish is not None
