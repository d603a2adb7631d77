"""Validation when activities, links and networks are built; the named errors."""

from datetime import datetime
from typing import Any

import pytest

from podium.engine import (
    Activity,
    CycleError,
    Link,
    Network,
    NetworkError,
    ParseError,
    ScheduleOptions,
    UnknownActivityError,
    schedule,
)

START = datetime(2024, 1, 1, 8)


def test_unknown_link_target_names_the_link() -> None:
    with pytest.raises(UnknownActivityError) as info:
        Network([Activity("A", duration_minutes=60)], [Link("A", "X", "SS")], START)
    assert str(info.value) == "link A -> X (SS): unknown activity 'X'"
    assert info.value.missing == "X"


def test_unknown_link_source_and_parent() -> None:
    with pytest.raises(UnknownActivityError, match="'Q'"):
        Network([Activity("A")], [Link("Q", "A")], START)
    with pytest.raises(UnknownActivityError, match="'P'"):
        Network([Activity("A", parent="P")], [], START)


@pytest.mark.parametrize(
    ("activities", "links", "message"),
    [
        ([Activity("A"), Activity("A")], [], "duplicate activity id 'A'"),
        ([Activity("A")], [Link("A", "A")], "cannot precede itself"),
        ([Activity("A"), Activity("B", parent="A")], [], "is not a summary"),
        (
            [Activity("S", kind="summary", parent="T"), Activity("T", kind="summary", parent="S")],
            [],
            "its own ancestor",
        ),
    ],
)
def test_invalid_networks(activities: list[Activity], links: list[Link], message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        Network(activities, links, START)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": ""}, "non-empty"),
        ({"duration_minutes": -5}, ">= 0"),
        ({"duration_minutes": 1.5}, "whole number"),
        ({"kind": "epic"}, "unknown kind"),
        ({"kind": "milestone", "duration_minutes": 60}, "no duration"),
        ({"constraint_type": "SOON"}, "unknown constraint"),
        ({"constraint_type": "SNET"}, "needs a constraint_date"),
        ({"actual_finish": START}, "without an actual start"),
        ({"actual_start": START, "actual_finish": datetime(2023, 1, 1)}, "before actual start"),
        ({"percent_complete": 150}, "within 0-100"),
        ({"remaining_minutes": -1}, "negative"),
        ({"parent": "A"}, "own parent"),
    ],
)
def test_invalid_activities(kwargs: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {"id": "A", **kwargs}
    with pytest.raises(NetworkError, match=message):
        Activity(**fields)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": "XX"}, "unknown type"),
        ({"lag_kind": "weeks"}, "unknown lag kind"),
        ({"lag_minutes": 0.5}, "whole minutes"),
    ],
)
def test_invalid_links(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        Link("A", "B", **kwargs)


@pytest.mark.parametrize("kwargs", [{"progress": "magic"}, {"lag_calendar": "moon"}])
def test_invalid_options(kwargs: dict[str, Any]) -> None:
    with pytest.raises(NetworkError):
        ScheduleOptions(**kwargs)


def test_string_constraint_is_normalised() -> None:
    a = Activity("A", constraint_type="SNET", constraint_date=START)  # type: ignore[arg-type]
    assert a.constraint_type == "SNET" and a.constraint_type.name == "SNET"


@pytest.mark.parametrize("fast", [True, False])
def test_cycle_error_names_the_activities_on_the_cycle(fast: bool) -> None:
    acts = [Activity(x, duration_minutes=60) for x in "ABCDE"]
    links = [Link("E", "A"), Link("A", "B"), Link("B", "C"), Link("C", "A"), Link("C", "D")]
    net = Network(acts, links, START)
    with pytest.raises(CycleError) as info:
        schedule(net, ScheduleOptions(fast_path=fast))
    assert str(info.value) == "cycle in the network: A -> B -> C -> A"
    assert info.value.activity_ids == ("A", "B", "C")


def test_summary_linked_to_its_own_child_is_refused() -> None:
    acts = [Activity("S", kind="summary"), Activity("A", duration_minutes=60, parent="S")]
    net = Network(acts, [Link("S", "A")], START)
    with pytest.raises(NetworkError, match="summary and its own activities"):
        schedule(net)


def test_parse_error_is_one_line() -> None:
    err = ParseError("plan.xer", 42, "unknown link\n target 'T9'")
    assert str(err) == "plan.xer:42: unknown link target 'T9'"
    assert (err.file, err.line_or_element) == ("plan.xer", 42)
    assert str(ParseError("p.xml", "Tasks/Task[3]/UID", "not a number")) == (
        "p.xml:Tasks/Task[3]/UID: not a number"
    )
