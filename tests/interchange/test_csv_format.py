"""CSV of activities and links: columns, units, delimiters, BOM, round trip, errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from podium.engine import Calendar, ParseError, schedule
from podium.interchange.csv_format import format_duration, parse_duration, read_csv, write_csv

START = datetime(2024, 1, 1, 8)  # a Monday

PLAN = """\
id,name,duration,predecessors,calendar,constraint_type,constraint_date,parent,wbs
S,Phase,,,,,,,1
1,Design,5d,,,,,S,1.1
2,Build,4h,1FS+2d,24 Hours,SNET,2024-01-10T08:00,S,1.2
3,Test,30m,1;2SS-1h,,,,S,1.3
4,Done,0,3FF+50%,,,,,2
"""


def test_columns_become_activities_links_and_structure() -> None:
    project = read_csv(PLAN, project_start=START)
    net = project.network
    acts = {a.id: a for a in net.activities}
    assert acts["S"].kind == "summary"
    assert acts["1"].duration_minutes == 5 * 480 and acts["1"].parent == "S"
    assert acts["2"].duration_minutes == 240 and acts["2"].calendar == Calendar.twenty_four_hour()
    assert acts["2"].constraint_type == "SNET"
    assert acts["2"].constraint_date == datetime(2024, 1, 10, 8)
    assert acts["3"].duration_minutes == 30
    assert acts["4"].kind == "milestone"
    assert [(ln.pred, ln.succ, ln.type, ln.lag_minutes, ln.lag_kind) for ln in net.links] == [
        ("1", "2", "FS", 960, "work"),
        ("1", "3", "FS", 0, "work"),
        ("2", "3", "SS", -60, "work"),
        ("3", "4", "FF", 0, "percent"),
    ]
    assert net.links[3].lag_percent == 50.0
    assert project.wbs == {"S": "1", "1": "1.1", "2": "1.2", "3": "1.3", "4": "2"}


def test_schedule_follows_the_lags() -> None:
    project = read_csv(PLAN, project_start=START)
    result = schedule(project.network)
    assert result["1"].finish == datetime(2024, 1, 5, 17)
    assert result["2"].start == datetime(2024, 1, 10, 8)  # 2 days after design, SNET


def test_semicolon_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    text = "id;name;duration;predecessors\n1;Design;1d;\n2;Build;2h;1\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    project = read_csv(path, project_start=START)
    assert project.name == "plan"
    assert project.network.ids == ("1", "2")
    assert project.network.links[0].pred == "1"


def test_write_then_read_gives_the_same_network() -> None:
    project = read_csv(PLAN, project_start=START)
    again = read_csv(write_csv(project), project_start=START)
    assert again.network == project.network
    assert again.wbs == project.wbs


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("5d", 2400),
        ("4h", 240),
        ("30m", 30),
        ("1d 4h", 720),
        ("1.5h", 90),
        ("1w", 2400),
        ("0", 0),
        ("-2h", -120),
    ],
)
def test_duration_units(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("minutes", [0, 30, 90, 240, 480, 2400, 2430, -480])
def test_format_duration_round_trips(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


HEAD = "id,name,duration,predecessors,calendar,constraint_type,constraint_date,parent\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("1,A,5x,,,,,\n", 2, "column 'duration': cannot read duration '5x'"),
        ("1,A,-5d,,,,,\n", 2, "column 'duration': negative duration"),
        ("1,A,1d,,,,,\n2,B,1d,9FS,,,,\n", 3, "column 'predecessors': unknown predecessor '9'"),
        ("1,A,1d,1,,,,\n", 2, "column 'predecessors': activity '1' cannot precede itself"),
        ("1,A,1d,,,SNET,2024-13-01,\n", 2, "column 'constraint_date': not an ISO 8601 date"),
        ("1,A,1d,,,SOON,,\n", 2, "column 'constraint_type': unknown constraint 'SOON'"),
        ("1,A,1d,,Night,,,\n", 2, "column 'calendar': unknown calendar 'Night'"),
        ("1,A,1d,,,,,X\n", 2, "column 'parent': unknown activity 'X'"),
        ("1,A,1d,,,,,\n1,B,1d,,,,,\n", 3, "column 'id': duplicate id '1' (first on line 2)"),
        ("1,A,1d,,,SNET,,\n", 2, "needs a constraint_date"),
        ("1,A,1d,,,,,,extra\n", 2, "9 cells but 8 columns"),
        ('1,"A,1d\n', 2, ""),
    ],
)
def test_bad_cells_name_line_and_column(body: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as info:
        read_csv(HEAD + body, project_start=START)
    assert info.value.line_or_element == line
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,duration\nA,1d\n", "<csv>:1: missing column 'id'"),
        ("id,colour\n1,red\n", "<csv>:1: unknown column 'colour'"),
    ],
)
def test_bad_header(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        read_csv(text, project_start=START)


def test_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read file"):
        read_csv(tmp_path / "none.csv", project_start=START)
    bad = tmp_path / "latin.csv"
    bad.write_bytes("id,name\n1,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ParseError, match=r"latin\.csv:0: not UTF-8"):
        read_csv(bad, project_start=START)
