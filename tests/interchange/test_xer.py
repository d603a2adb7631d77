"""The XER reader: tables, calendars, links, options, encodings and bad input."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from podium.engine import ConstraintType, ParseError, schedule
from podium.interchange.xer import read_xer, read_xer_tables
from podium.interchange.xer_calendars import parse_calendar_data

# Monday-Friday 08:00-12:00 and 13:00-17:00; 2024-01-15 (serial 45306) is a holiday and
# Saturday 2024-01-20 (serial 45311) a working day 08:00-12:00.
WEEKDAY = "((0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|17:00)()))"
CLNDR_DATA = (
    "(0||CalendarData()((0||DaysOfWeek()((0||1()())"
    + "".join(f"(0||{d}(){WEEKDAY})" for d in range(2, 7))
    + "(0||7()())))(0||Exceptions()((0||0(d|45306)())"
    "(0||1(d|45311)((0||0(s|08:00|f|12:00)())))))))"
)
# 24 hours, every day; f|00:00 is the end of the day
ALL_DAY = (
    "(0||CalendarData()((0||DaysOfWeek()("
    + "".join(f"(0||{d}()((0||0(s|00:00|f|00:00)())))" for d in range(1, 8))
    + "))))"
)

HEADER = (
    "ERMHDR\t19.12\t2024-01-01\tProject\tadmin\tAdmin\tdbxDatabaseNoName\tProject Management\tUSD"
)


def xer(*blocks: str) -> str:
    return "\n".join([HEADER, *blocks, "%E"]) + "\n"


def table(name: str, fields: list[str], *rows: list[str]) -> str:
    lines = [f"%T\t{name}", "%F\t" + "\t".join(fields)]
    lines += ["%R\t" + "\t".join(r) for r in rows]
    return "\n".join(lines)


PROJECT = table(
    "PROJECT",
    [
        "proj_id",
        "proj_short_name",
        "clndr_id",
        "plan_start_date",
        "last_recalc_date",
        "critical_drtn_hr_cnt",
        "critical_path_type",
    ],
    ["1", "ALPHA", "10", "2024-01-08 00:00", "2024-01-08 00:00", "8", "CT_TotFloat"],
    ["2", "BETA", "20", "2024-01-08 00:00", "2024-01-08 00:00", "0", "CT_TotFloat"],
)
SCHEDOPTIONS = table(
    "SCHEDOPTIONS",
    [
        "proj_id",
        "sched_retained_logic",
        "sched_progress_override",
        "sched_calendar_on_relationship_lag",
    ],
    ["1", "Y", "N", "rcal_Successor"],
    ["2", "N", "Y", "rcal_24Hour"],
)
CALENDAR = table(
    "CALENDAR",
    ["clndr_id", "default_flag", "clndr_name", "base_clndr_id", "day_hr_cnt", "clndr_data"],
    ["10", "Y", "Standard", "", "8", CLNDR_DATA],
    ["20", "N", "24 Hours", "", "24", ALL_DAY],
)
PROJWBS = table(
    "PROJWBS",
    ["wbs_id", "proj_id", "proj_node_flag", "wbs_short_name", "parent_wbs_id"],
    ["100", "1", "Y", "ALPHA", ""],
    ["101", "1", "N", "DES", "100"],
    ["102", "1", "N", "BLD", "100"],
    ["200", "2", "Y", "BETA", ""],
)
TASK_FIELDS = [
    "task_id",
    "proj_id",
    "wbs_id",
    "clndr_id",
    "task_code",
    "task_name",
    "task_type",
    "status_code",
    "target_drtn_hr_cnt",
    "remain_drtn_hr_cnt",
    "act_start_date",
    "act_end_date",
    "cstr_type",
    "cstr_date",
    "early_start_date",
    "early_end_date",
    "late_start_date",
    "late_end_date",
    "total_float_hr_cnt",
    "free_float_hr_cnt",
    "phys_complete_pct",
]


def task(tid: str, code: str, ttype: str = "TT_Task", hours: str = "8", **kw: str) -> list[str]:
    values = {
        "task_id": tid,
        "proj_id": kw.pop("proj", "1"),
        "wbs_id": kw.pop("wbs", "101"),
        "clndr_id": kw.pop("cal", "10"),
        "task_code": code,
        "task_name": f"Task {code}",
        "task_type": ttype,
        "status_code": kw.pop("status", "TK_NotStart"),
        "target_drtn_hr_cnt": hours,
        "remain_drtn_hr_cnt": hours,
        **kw,
    }
    return [values.get(f, "") for f in TASK_FIELDS]


TASKS = table(
    "TASK",
    TASK_FIELDS,
    task("1001", "A100", "TT_Mile", "0"),
    task(
        "1002",
        "A110",
        hours="16",
        early_start_date="2024-01-08 08:00",
        early_end_date="2024-01-09 17:00",
        late_start_date="2024-01-09 08:00",
        late_end_date="2024-01-10 17:00",
        total_float_hr_cnt="8",
        free_float_hr_cnt="4.5",
    ),
    task("1003", "A120", wbs="102"),
    task("1004", "A130", wbs="102", cstr_type="CS_MSOA", cstr_date="2024-01-22 08:00"),
    task("1005", "A140", "TT_FinMile", "0", wbs="102"),
    task("1006", "A150", "TT_LOE", "8", wbs="102"),
    task(
        "1007",
        "A160",
        status="TK_Complete",
        act_start_date="2024-01-08 08:00",
        act_end_date="2024-01-08 17:00",
    ),
    task(
        "2001",
        "B100",
        proj="2",
        wbs="200",
        cal="20",
        hours="24",
        status="TK_Active",
        remain_drtn_hr_cnt="12",
        act_start_date="2024-01-07 12:00",
    ),
    task("2002", "B110", proj="2", wbs="200", cal="20", hours="10"),
)
TASKPRED = table(
    "TASKPRED",
    ["task_pred_id", "task_id", "pred_task_id", "pred_type", "lag_hr_cnt"],
    ["1", "1002", "1001", "PR_FS", "0"],
    ["2", "1003", "1002", "PR_SS", "4"],
    ["3", "1004", "1003", "PR_FF", "-2"],
    ["4", "1005", "1004", "PR_SF", "8"],
    ["5", "1006", "1001", "PR_SS", "0"],
    ["6", "2002", "2001", "PR_FS", "1.5"],
)
RSRC = table(
    "RSRC",
    ["rsrc_id", "rsrc_short_name", "rsrc_name", "rsrc_type", "clndr_id"],
    ["7", "ENG", "Engineer", "RT_Labor", "10"],
    ["8", "CONC", "Concrete", "RT_Mat", ""],
)
RSRCRATE = table(
    "RSRCRATE",
    ["rsrc_rate_id", "rsrc_id", "start_date", "cost_per_qty", "max_qty_per_hr"],
    ["1", "7", "2020-01-01 00:00", "80", "1"],
    ["2", "7", "2024-01-01 00:00", "95.5", "2"],
)
TASKRSRC = table(
    "TASKRSRC",
    [
        "taskrsrc_id",
        "task_id",
        "rsrc_id",
        "target_qty",
        "remain_qty",
        "target_qty_per_hr",
        "target_cost",
    ],
    ["1", "1002", "7", "16", "16", "1", "1528"],
    ["2", "1003", "8", "30", "30", "0", "900"],
)
FULL = xer(PROJECT, SCHEDOPTIONS, CALENDAR, PROJWBS, TASKS, TASKPRED, RSRC, RSRCRATE, TASKRSRC)


@pytest.fixture(scope="module")
def projects() -> dict[str, object]:
    return {p.name: p for p in read_xer(FULL.encode("cp1252"), source="demo.xer")}


def test_one_project_file_per_project_row(projects: dict[str, object]) -> None:
    assert list(projects) == ["ALPHA", "BETA"]
    alpha = read_xer(FULL.encode(), source="demo.xer")[0]
    assert alpha.format == "xer" and alpha.source == "demo.xer"
    assert [a.id for a in alpha.network.activities] == [
        "A100",
        "A110",
        "A120",
        "A130",
        "A140",
        "A150",
        "A160",
    ]


def test_tasks_become_activities_in_minutes() -> None:
    alpha, beta = read_xer(FULL.encode())
    acts = {a.id: a for a in alpha.network.activities}
    assert acts["A110"].duration_minutes == 16 * 60
    assert acts["A100"].kind == "milestone" and acts["A140"].kind == "milestone"
    assert acts["A150"].kind == "loe"
    assert acts["A130"].constraint_type is ConstraintType.SNET
    assert acts["A130"].constraint_date == datetime(2024, 1, 22, 8)
    assert acts["A160"].actual_finish == datetime(2024, 1, 8, 17)
    b100 = beta.network.activities[0]
    assert b100.actual_start == datetime(2024, 1, 7, 12) and b100.remaining_minutes == 720
    assert alpha.wbs["A120"] == "BLD" and alpha.wbs["A110"] == "DES"


def test_every_link_type_with_lags_in_minutes() -> None:
    alpha, beta = read_xer(FULL.encode())
    got = {(ln.pred, ln.succ): (ln.type, ln.lag_minutes) for ln in alpha.network.links}
    assert got == {
        ("A100", "A110"): ("FS", 0),
        ("A110", "A120"): ("SS", 240),
        ("A120", "A130"): ("FF", -120),
        ("A130", "A140"): ("SF", 480),
        ("A100", "A150"): ("SS", 0),
    }
    assert [(ln.type, ln.lag_minutes) for ln in beta.network.links] == [("FS", 90)]


def test_options_and_data_date_follow_the_file() -> None:
    alpha, beta = read_xer(FULL.encode())
    assert alpha.network.options.progress == "retained_logic"
    assert alpha.network.options.lag_calendar == "successor"
    assert alpha.network.options.critical_float_minutes == 480
    assert beta.network.options.progress == "progress_override"
    assert beta.network.options.lag_calendar == "24h"
    assert alpha.network.data_date == datetime(2024, 1, 8)
    assert alpha.network.default_calendar.name == "Standard"
    assert beta.network.default_calendar.name == "24 Hours"


def test_calendar_weeks_and_exceptions() -> None:
    cal = read_xer(FULL.encode())[0].calendars["Standard"]
    assert cal.week[0] == ((480, 720), (780, 1020))  # Monday
    assert cal.week[5] == () and cal.week[6] == ()  # weekend
    assert cal.day_intervals(date(2024, 1, 15)) == ()  # holiday (serial 45306)
    assert cal.day_intervals(date(2024, 1, 20)) == ((480, 720),)  # working Saturday
    day = read_xer(FULL.encode())[0].calendars["24 Hours"]
    assert day.week == (((0, 1440),),) * 7


def test_calendar_data_with_base_and_line_breaks() -> None:
    base = parse_calendar_data(CLNDR_DATA, name="base")
    derived = parse_calendar_data(
        "(0||CalendarData()(\x7f\x7f  (0||Exceptions()((0||0(d|45300)())))))", base=base
    )
    assert derived.week == base.week
    assert derived.day_intervals(date(2024, 1, 9)) == ()
    assert derived.day_intervals(date(2024, 1, 15)) == ()  # inherited holiday


def test_stored_dates_and_floats_in_minutes() -> None:
    alpha = read_xer(FULL.encode())[0]
    st = alpha.stored["A110"]
    assert st.early_start == datetime(2024, 1, 8, 8)
    assert st.late_finish == datetime(2024, 1, 10, 17)
    assert st.total_float_minutes == 480 and st.free_float_minutes == 270
    assert alpha.stored["A160"].early_start is None  # complete: no remaining dates


def test_resources_rates_and_assignments() -> None:
    alpha, beta = read_xer(FULL.encode())
    eng, conc = alpha.resources
    assert (eng.id, eng.kind, eng.standard_rate, eng.max_units) == ("ENG", "work", 95.5, 2.0)
    assert eng.calendar == "Standard" and conc.kind == "material"
    first = alpha.assignments[0]
    assert (first.activity_id, first.resource_id, first.work_minutes) == ("A110", "ENG", 960)
    assert beta.assignments == []


def test_schedule_follows_links_lags_and_calendars() -> None:
    alpha, beta = read_xer(FULL.encode())
    res = schedule(alpha.network)
    assert res["A110"].early_start == datetime(2024, 1, 8, 8)
    assert res["A120"].early_start == datetime(2024, 1, 8, 13)  # SS + 4 h
    # SNET Monday 22 Jan 08:00; the holiday on the 15th is skipped by the FF lag above
    assert res["A130"].early_start == datetime(2024, 1, 22, 8)
    # B100 resumes at the data date on the 24-hour calendar: 12 h left
    b = schedule(beta.network)
    assert b["B100"].early_finish == datetime(2024, 1, 8, 12)
    assert b["B110"].early_start == datetime(2024, 1, 8, 13, 30)  # FS + 1.5 h, 24 h lag


def test_cp1251_bytes_with_the_currency_hint_and_explicit_encoding() -> None:
    currtype = table(
        "CURRTYPE", ["curr_id", "curr_symbol", "curr_short_name"], ["2", "\u20ac", "EUR"]
    )
    text = xer(
        currtype,
        table(
            "PROJECT",
            ["proj_id", "proj_short_name", "plan_start_date"],
            ["1", "Проект", "2024-01-08 00:00"],
        ),
        table(
            "TASK",
            ["task_id", "proj_id", "task_code", "task_name", "target_drtn_hr_cnt"],
            ["1", "1", "A1", "Задача 1", "8"],
        ),
    )
    raw = text.encode("cp1251")
    [p] = read_xer(raw)
    assert p.name == "Проект" and p.network.activities[0].name == "Задача 1"
    no_hint = text.replace(currtype + "\n", "").encode("cp1251")
    assert read_xer(no_hint, encoding="cp1251")[0].name == "Проект"
    assert read_xer(text.encode("utf-8"))[0].name == "Проект"


def test_wbs_summary_spans_its_wbs_and_its_links_are_dropped() -> None:
    # W is the WBS summary of ALPHA's root WBS; P6 neither moves it by its predecessor
    # A100 (FS + 1 day) nor lets it drive A110 (HarbourPointe EC1080).
    tasks = table(
        "TASK",
        TASK_FIELDS,
        task("1001", "A100", "TT_Mile", "0"),
        task("1002", "A110", hours="16"),
        task("1003", "A120", wbs="102"),
        task("1009", "W", "TT_WBS", "24", wbs="100"),
    )
    preds = table(
        "TASKPRED",
        ["task_pred_id", "task_id", "pred_task_id", "pred_type", "lag_hr_cnt"],
        ["1", "1009", "1001", "PR_FS", "8"],
        ["2", "1002", "1009", "PR_FS", "0"],
        ["3", "1003", "1002", "PR_FS", "0"],
    )
    alpha = read_xer(xer(PROJECT, CALENDAR, PROJWBS, tasks, preds).encode())[0]
    acts = {a.id: a for a in alpha.network.activities}
    assert acts["W"].kind == "summary"
    assert {acts[i].parent for i in ("A100", "A110", "A120")} == {"W"}
    assert [(ln.pred, ln.succ) for ln in alpha.network.links] == [("A110", "A120")]
    r = schedule(alpha.network)
    assert r["A110"].early_start == datetime(2024, 1, 8, 8)
    assert r["W"].early_start == datetime(2024, 1, 8, 8)
    assert r["W"].early_finish == r["A120"].early_finish == datetime(2024, 1, 10, 17)


def test_reads_a_path(tmp_path: Path) -> None:
    path = tmp_path / "plan.xer"
    path.write_bytes(FULL.replace("\n", "\r\n").encode("cp1252"))
    assert [p.name for p in read_xer(path)] == ["ALPHA", "BETA"]


def test_tables_keep_line_numbers() -> None:
    tables = read_xer_tables(FULL)
    assert tables["PROJECT"].rows[0].line == 4
    assert tables["TASK"].rows[0].get("task_code") == "A100"


def _replace(old: str, new: str) -> bytes:
    assert old in FULL
    return FULL.replace(old, new, 1).encode("cp1252")


BAD = [
    pytest.param(b"%T\tPROJECT\n%E\n", 1, "ERMHDR", id="no-header"),
    pytest.param(FULL.rsplit("%E", 1)[0].encode(), None, "truncated", id="truncated"),
    pytest.param(FULL[: len(FULL) // 2].encode(), None, "truncated", id="cut-in-half"),
    pytest.param(_replace("%F\tproj_id", "%X\tproj_id"), 3, "unexpected line", id="garbled"),
    pytest.param(
        _replace("%T\tPROJECT\n%F", "%T\tPROJECT\n%R\t1\n%F"), 3, "before", id="row-first"
    ),
    pytest.param(
        _replace("%R\t1\tALPHA", "%R\t1\tALPHA\tx\ty\tz\tw\tv\tu\tt"),
        4,
        "values",
        id="extra-values",
    ),
    pytest.param(
        _replace("\t1003\tPR_FF", "\t9999\tPR_FF"),
        None,
        "unknown pred_task_id '9999'",
        id="unknown-pred",
    ),
    pytest.param(xer(TASKS).encode(), 1, "table PROJECT is missing", id="no-project-table"),
    pytest.param(
        _replace("\ttask_code\t", "\ttask_kode\t"), None, "no field task_code", id="no-task-code"
    ),
    pytest.param(_replace("PR_SF\t8", "PR_SF\teight"), None, "not a number", id="bad-lag"),
    pytest.param(
        _replace("2024-01-22 08:00", "2024-13-45 08:00"), None, "not a date", id="bad-date"
    ),
    pytest.param(_replace("PR_SF", "PR_XX"), None, "pred_type", id="bad-link-type"),
    pytest.param(_replace("CS_MSOA", "CS_NOPE"), None, "cstr_type", id="bad-constraint"),
    pytest.param(_replace("TT_LOE", "TT_Weird"), None, "task_type", id="bad-task-type"),
    pytest.param(_replace(ALL_DAY, ALL_DAY[:40]), 13, "clndr_data", id="truncated-calendar"),
    pytest.param(_replace("f|00:00", "f|99:00"), 13, "bad time", id="bad-calendar-time"),
    pytest.param(FULL.encode("cp1252") + b"%R\tjunk\n", None, "text after", id="after-end"),
]


@pytest.mark.parametrize(("data", "line", "reason"), BAD)
def test_bad_input_is_one_line_parse_error(data: bytes, line: int | None, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        read_xer(data, source="bad.xer")
    message = str(info.value)
    assert message.startswith("bad.xer:") and "\n" not in message
    assert reason in message
    if line is not None:
        assert info.value.line_or_element == line


def test_undecodable_bytes_name_the_file_and_line() -> None:
    data = FULL.replace("Task A120", "Caf\u00e9").encode("cp1252")
    with pytest.raises(ParseError) as info:
        read_xer(data, source="enc.xer", encoding="utf-8")
    assert str(info.value).startswith("enc.xer:") and "decode" in str(info.value)
    assert (
        info.value.line_or_element
        == FULL.split("\n").index(next(ln for ln in FULL.split("\n") if "Task A120" in ln)) + 1
    )
    with pytest.raises(ParseError, match="unknown encoding"):
        read_xer(FULL.encode(), encoding="klingon")


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        read_xer(tmp_path / "nope.xer")


def test_assignment_rows_do_not_override_the_activity_remaining_duration() -> None:
    # P6 keeps an activity's remaining duration as the span of its driving assignments
    # ("Drive Activity Dates", rollup_dates_flag), lags included: here 8 h of work that
    # starts 8 h in (relag_drtn_hr_cnt), so 16 h. The activity is scheduled on that
    # stored span, not on the longest assignment's quantity / rate without its lag (8 h).
    fields = [
        "taskrsrc_id",
        "task_id",
        "rsrc_id",
        "remain_qty",
        "remain_qty_per_hr",
        "relag_drtn_hr_cnt",
        "rollup_dates_flag",
    ]
    text = xer(
        PROJECT,
        CALENDAR,
        PROJWBS,
        table("TASK", TASK_FIELDS, task("1002", "A110", hours="16")),
        RSRC,
        table(
            "TASKRSRC",
            fields,
            ["1", "1002", "7", "8", "1", "0", "Y"],
            ["2", "1002", "7", "8", "1", "8", "Y"],
        ),
    )
    [alpha, _] = read_xer(text.encode())
    res = schedule(alpha.network)["A110"]
    assert res.early_start == datetime(2024, 1, 8, 8)
    assert res.early_finish == datetime(2024, 1, 9, 17)  # two 8 h days, not one
