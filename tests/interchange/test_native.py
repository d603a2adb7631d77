"""Native JSON: exact round trip of whole schedules and errors naming the JSON path."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.engine import (
    Activity,
    Calendar,
    CalendarException,
    Link,
    Network,
    ParseError,
    ScheduleOptions,
    YearlyException,
)
from podium.interchange.base import (
    Assignment,
    BaselineEntry,
    ProjectFile,
    Resource,
    StoredDates,
)
from podium.interchange.native import FORMAT_NAME, read_native, write_native

START = datetime(2024, 1, 1, 8)
NIGHT = Calendar(
    [[(0, 360), (1320, 1440)]] * 5 + [[], []],
    exceptions=[CalendarException(date(2024, 12, 24), date(2024, 12, 26))],
    yearly=[YearlyException(1, 1), YearlyException(5, 1, ((480, 720),), 2020, 2030)],
    name="Night",
)


def _full_project() -> ProjectFile:
    std = Calendar.standard()
    acts = [
        Activity("P", "Phase", kind="summary"),
        Activity("A", "Design", 960, parent="P", deadline=datetime(2024, 2, 1, 17)),
        Activity(
            "B",
            "Build",
            480,
            calendar=NIGHT,
            parent="P",
            constraint_type="SNET",
            constraint_date=datetime(2024, 1, 3, 22),
            actual_start=datetime(2024, 1, 3, 22),
            remaining_minutes=120,
            percent_complete=62.5,
            component="north",
        ),
        Activity("M", "Done", kind="milestone", elapsed=True),
    ]
    links = [
        Link("A", "B", "SS", 240),
        Link("B", "M", "FF", -30, "elapsed"),
        Link("A", "M", "SF", 0, "percent", 12.5),
    ]
    net = Network(
        acts,
        links,
        START,
        std,
        data_date=datetime(2024, 1, 4, 8),
        options=ScheduleOptions("progress_override", "successor", 60, False),
    )
    return ProjectFile(
        name="Full «test»",
        format="mspdi",
        network=net,
        source="full.xml",
        calendars={"Standard": std, "Night": NIGHT},
        resources=[Resource("R1", "Crew", "work", 2.5, "Night", 40.0, 60.0, 10.0)],
        assignments=[Assignment("A", "R1", 0.5, 480, 123.45)],
        baselines={"A": BaselineEntry(START, datetime(2024, 1, 2, 17), 960, 1000.0)},
        stored={"A": StoredDates(start=START, total_float_minutes=0, critical=True)},
        wbs={"P": "1", "A": "1.1"},
        currency="EUR",
    )


def test_whole_schedule_round_trips_exactly() -> None:
    project = _full_project()
    text = write_native(project)
    doc = json.loads(text)
    assert (doc["format"], doc["version"]) == (FORMAT_NAME, 1)
    again = read_native(text)
    assert again == project
    assert again.network.activities[2].calendar is again.calendars["Night"]
    assert again.calendars["Night"].name == "Night"
    assert write_native(again) == text


@st.composite
def networks(draw: st.DrawFn) -> ProjectFile:
    n = draw(st.integers(1, 8))
    ids = [f"T{i}" for i in range(n)]
    cal = draw(st.sampled_from([Calendar.standard(), Calendar.twenty_four_hour(), NIGHT]))
    acts = []
    for i in ids:
        dur = draw(st.integers(0, 5000))
        acts.append(
            Activity(
                i,
                draw(st.text(max_size=8)),
                dur,
                kind="milestone" if dur == 0 else "task",
                calendar=draw(st.sampled_from([None, NIGHT])),
                percent_complete=draw(st.none() | st.floats(0, 100, allow_nan=False)),
            )
        )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1]),
            max_size=12,
            unique=True,
        )
    )
    links = [
        Link(
            ids[a],
            ids[b],
            draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
            draw(st.integers(-2000, 2000)),
        )
        for a, b in pairs
    ]
    start = START + timedelta(minutes=draw(st.integers(0, 100_000)))
    net = Network(acts, links, start, cal)
    baselines = {
        i: BaselineEntry(
            start,
            None,
            draw(st.none() | st.integers(0, 10_000)),
            draw(st.none() | st.floats(allow_nan=False, allow_infinity=False)),
        )
        for i in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    }
    return ProjectFile("random", "json", net, calendars={cal.name: cal}, baselines=baselines)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_random_networks_round_trip(project: ProjectFile) -> None:
    assert read_native(write_native(project)) == project


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(write_native(_full_project()))
    return doc


def _set(path: list[Any], value: Any) -> str:
    doc = _doc()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(doc)


def _drop(path: list[Any]) -> str:
    doc = _doc()
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        (
            _set(["activities", 1, "duration_minutes"], "8h"),
            "$.activities[1].duration_minutes",
            "expected a whole number",
        ),
        (
            _set(["activities", 1, "duration_minutes"], -5),
            "$.activities[1]",
            "duration must be a whole number",
        ),
        (_set(["links", 0, "succ"], "Z"), "$.links[0].succ", "unknown activity 'Z'"),
        (_set(["links", 0, "type"], "XX"), "$.links[0].type", "'XX' is not one of"),
        (
            _set(["activities", 2, "actual_start"], "2024-02-30T08:00"),
            "$.activities[2].actual_start",
            "not an ISO 8601",
        ),
        (
            _set(["activities", 2, "calendar"], "Moon"),
            "$.activities[2].calendar",
            "unknown calendar 'Moon'",
        ),
        (
            _set(["calendars", "Night", "week"], []),
            '$.calendars["Night"].week',
            "expected 7 weekdays",
        ),
        (
            _set(["calendars", "Night", "exceptions", 0, "end"], "2024-12-01"),
            '$.calendars["Night"].exceptions[0]',
            "ends",
        ),
        (_set(["project_start"], "2024-01-01T08:00+02:00"), "$.project_start", "local times"),
        (
            _set(["assignments", 0, "resource_id"], "R9"),
            "$.assignments[0].resource_id",
            "unknown resource",
        ),
        (_set(["format"], "other"), "$.format", "expected 'podium-schedule'"),
        (_set(["version"], 2), "$.version", "unsupported version 2"),
        (_drop(["activities", 0, "id"]), "$.activities[0]", "missing key 'id'"),
        (_set(["activities", 1, "parent"], "Q"), "$.activities[1].parent", "unknown activity"),
        (json.dumps([1]), "$", "expected an object"),
        (write_native(_full_project())[:200], 9, "invalid JSON"),
    ],
)
def test_bad_values_name_their_json_path(text: str, where: object, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        read_native(text, file="plan.json")
    err = info.value
    assert (err.file, err.line_or_element) == ("plan.json", where)
    assert reason in err.reason
    assert "\n" not in str(err)


def test_splits_round_trip_and_bad_splits_name_their_path() -> None:
    split = Activity("S", "split", 1440, splits=((480, 960),))
    project = ProjectFile("Demo", "json", Network([split], [], START))
    text = write_native(project)
    assert json.loads(text)["activities"][0]["splits"] == [[480, 960]]
    assert read_native(text) == project
    data = json.loads(text)
    data["activities"][0]["splits"] = [[480]]
    with pytest.raises(ParseError, match=r"activities\[0\]\.splits\[0\]"):
        read_native(json.dumps(data))
