r"""Podium's native JSON for a whole schedule: write and read back exactly.

The document is one JSON object::

    {"format": "podium-schedule", "version": 1,
     "name": "...", "origin": "mspdi", "source": "plan.xml", "currency": "EUR",
     "project_start": "2024-01-01T08:00:00", "data_date": null,
     "default_calendar": "Standard",
     "options": {"progress": "retained_logic", "lag_calendar": "predecessor",
                 "critical_float_minutes": 0, "fast_path": null},
     "calendars": {"Standard": {"week": [[[480, 720], [780, 1020]], ... 7 days],
                                "exceptions": [{"start": "2024-12-25", "end": "2024-12-26",
                                                "intervals": []}],
                                "yearly": [{"month": 1, "day": 1, "intervals": [],
                                            "first_year": 1, "last_year": 9999}]}},
     "activities": [{"id": "A", "name": "...", "duration_minutes": 480, "calendar": null,
                     "kind": "task", "parent": null, "constraint_type": "ASAP",
                     "constraint_date": null, "deadline": null, "actual_start": null,
                     "actual_finish": null, "remaining_minutes": null,
                     "percent_complete": null, "component": null, "elapsed": false}],
     "links": [{"pred": "A", "succ": "B", "type": "FS", "lag_minutes": 0,
                "lag_kind": "work", "lag_percent": 0.0}],
     "resources": [...], "assignments": [...], "baselines": {"A": {...}},
     "stored": {"A": {...}}, "wbs": {"A": "1.1"}}

Times are ISO 8601 local times without a zone, durations and lags whole minutes. A split
activity also has ``"splits": [[work, gap], ...]`` (see
:attr:`~podium.engine.network.Activity.splits`).
An activity may carry an optional duration estimate for Monte Carlo simulation,
``"estimate": {"distribution": "triangular", "low_minutes": 360,
"most_likely_minutes": 480, "high_minutes": 720}`` (``distribution`` one of
``triangular``, ``pert``, ``uniform``, ``lognormal`` — the latter with the median as
``most_likely_minutes`` and the 90th percentile as ``high_minutes``); :func:`read_native`
ignores it and :func:`read_native_estimates` reads it (see
:class:`~podium.engine.montecarlo.Distribution`).
Activity calendars refer to ``calendars`` by name. :func:`read_native` of
:func:`write_native` gives a :class:`ProjectFile` equal to the original (calendar names
included). Errors name the JSON path of the bad value, e.g.
``plan.json:$.activities[3].duration_minutes: expected a whole number``.

Examples
--------
>>> from datetime import datetime
>>> from podium.engine import Activity, Network
>>> net = Network([Activity("A", "Design", 480)], [], datetime(2024, 1, 1, 8))
>>> project = ProjectFile("Demo", "json", net)
>>> read_native(write_native(project)) == project
True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import date, datetime
from typing import Any, TypeVar, cast, get_args

from podium.engine.calendars import Calendar, CalendarException, Interval, YearlyException
from podium.engine.errors import EngineError, ParseError
from podium.engine.montecarlo import Distribution, DistributionKind
from podium.engine.network import (
    Activity,
    ActivityKind,
    ConstraintType,
    LagCalendar,
    LagKind,
    Link,
    LinkType,
    Network,
    ProgressMode,
    ScheduleOptions,
)
from podium.interchange.base import (
    Assignment,
    BaselineEntry,
    FileFormat,
    ProjectFile,
    Resource,
    StoredDates,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "read_native",
    "read_native_estimates",
    "write_native",
]

FORMAT_NAME = "podium-schedule"
FORMAT_VERSION = 1

T = TypeVar("T")


# --------------------------------------------------------------------------- writing
def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _intervals(ivs: tuple[Interval, ...]) -> list[list[int]]:
    return [[s, e] for s, e in ivs]


def _calendar_json(cal: Calendar) -> dict[str, Any]:
    return {
        "week": [_intervals(day) for day in cal.week],
        "exceptions": [
            {
                "start": e.start.isoformat(),
                "end": e.end.isoformat() if e.end else None,
                "intervals": _intervals(e.intervals),
            }
            for e in cal.exceptions
        ],
        "yearly": [
            {
                "month": y.month,
                "day": y.day,
                "intervals": _intervals(y.intervals),
                "first_year": y.first_year,
                "last_year": y.last_year,
            }
            for y in cal.yearly
        ],
    }


class _CalendarNames:
    """Gives every distinct calendar object of a project a unique name."""

    def __init__(self) -> None:
        self.by_name: dict[str, Calendar] = {}
        self._ids: dict[int, str] = {}

    def name(self, cal: Calendar, preferred: str | None = None) -> str:
        got = self._ids.get(id(cal))
        if got is not None:
            return got
        base = preferred or cal.name or "Calendar"
        name, k = base, 2
        while name in self.by_name:
            name, k = f"{base} ({k})", k + 1
        self.by_name[name] = cal
        self._ids[id(cal)] = name
        return name


def write_native(
    project: ProjectFile,
    *,
    indent: int | None = 1,
    estimates: Mapping[str, Distribution] | None = None,
) -> str:
    """Serialise ``project`` as Podium's native JSON (see the module docstring).

    Parameters
    ----------
    project : ProjectFile
    indent : int or None
        ``json.dumps`` indentation; ``None`` for one line.
    estimates : mapping of str to Distribution, optional
        Duration estimates written as the activities' ``"estimate"`` (``"fixed"``
        distributions are written as three equal points of a triangular one).

    Returns
    -------
    str
    """
    net = project.network
    names = _CalendarNames()
    for key, cal in project.calendars.items():
        names.name(cal, key)
    default = names.name(net.default_calendar)
    activities = []
    for a in net.activities:
        activities.append(
            {
                "id": a.id,
                "name": a.name,
                "duration_minutes": int(a.duration_minutes),
                "calendar": None if a.calendar is None else names.name(a.calendar),
                "kind": a.kind,
                "parent": a.parent,
                "constraint_type": str(a.constraint_type.value),
                "constraint_date": _dt(a.constraint_date),
                "deadline": _dt(a.deadline),
                "actual_start": _dt(a.actual_start),
                "actual_finish": _dt(a.actual_finish),
                "remaining_minutes": a.remaining_minutes,
                "percent_complete": a.percent_complete,
                "component": a.component,
                "elapsed": a.elapsed,
            }
        )
        if a.splits:
            activities[-1]["splits"] = [[w, g] for w, g in a.splits]
        est = None if estimates is None else estimates.get(a.id)
        if est is not None:
            activities[-1]["estimate"] = {
                "distribution": "triangular" if est.kind == "fixed" else est.kind,
                "low_minutes": est.mode if est.kind == "fixed" else est.low,
                "most_likely_minutes": est.mode,
                "high_minutes": est.mode if est.kind == "fixed" else est.high,
            }
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": project.name,
        "origin": project.format,
        "source": project.source,
        "currency": project.currency,
        "project_start": _dt(net.project_start),
        "data_date": _dt(net.data_date),
        "default_calendar": default,
        "options": {
            "progress": net.options.progress,
            "lag_calendar": net.options.lag_calendar,
            "critical_float_minutes": net.options.critical_float_minutes,
            "fast_path": net.options.fast_path,
        },
        "calendars": {},
        "activities": activities,
        "links": [
            {
                "pred": ln.pred,
                "succ": ln.succ,
                "type": ln.type,
                "lag_minutes": int(ln.lag_minutes),
                "lag_kind": ln.lag_kind,
                "lag_percent": ln.lag_percent,
            }
            for ln in net.links
        ],
        "resources": [
            {f.name: getattr(r, f.name) for f in fields(Resource)} for r in project.resources
        ],
        "assignments": [
            {f.name: getattr(a, f.name) for f in fields(Assignment)} for a in project.assignments
        ],
        "baselines": {
            k: {
                "start": _dt(b.start),
                "finish": _dt(b.finish),
                "duration_minutes": b.duration_minutes,
                "cost": b.cost,
            }
            for k, b in project.baselines.items()
        },
        "stored": {
            k: {
                f.name: _dt(v) if isinstance(v := getattr(s, f.name), datetime) else v
                for f in fields(StoredDates)
            }
            for k, s in project.stored.items()
        },
        "wbs": dict(project.wbs),
        "project_calendars": list(project.calendars),
    }
    doc["calendars"] = {n: _calendar_json(c) for n, c in names.by_name.items()}
    return json.dumps(doc, indent=indent, ensure_ascii=False)


# --------------------------------------------------------------------------- reading
class _Reader:
    """Typed access to the parsed document; every error names its JSON path."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, reason: str) -> ParseError:
        return ParseError(self.file, path, reason)

    def obj(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {_kind(value)}")
        return cast(dict[str, Any], value)

    def arr(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected an array, got {_kind(value)}")
        return value

    def field(self, d: dict[str, Any], key: str, path: str, conv: Callable[[Any, str], T]) -> T:
        if key not in d:
            raise self.fail(path, f"missing key {key!r}")
        return conv(d[key], f"{path}.{key}")

    def opt(
        self, d: dict[str, Any], key: str, path: str, conv: Callable[[Any, str], T]
    ) -> T | None:
        value = d.get(key)
        return None if value is None else conv(value, f"{path}.{key}")

    def str_(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"expected a string, got {_kind(value)}")
        return value

    def int_(self, value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"expected a whole number, got {_kind(value)}")
        return value

    def num(self, value: object, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"expected a number, got {_kind(value)}")
        return float(value)

    def bool_(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {_kind(value)}")
        return value

    def dt(self, value: object, path: str) -> datetime:
        text = self.str_(value, path)
        try:
            out = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(path, f"not an ISO 8601 date-time: {text!r}") from None
        if out.tzinfo is not None:
            raise self.fail(path, f"local times only, got a zone in {text!r}")
        return out

    def day(self, value: object, path: str) -> date:
        text = self.str_(value, path)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(path, f"not an ISO 8601 date: {text!r}") from None

    def choice(self, value: object, path: str, allowed: tuple[str, ...]) -> str:
        text = self.str_(value, path)
        if text not in allowed:
            raise self.fail(path, f"{text!r} is not one of {', '.join(allowed)}")
        return text

    def intervals(self, value: object, path: str) -> tuple[Interval, ...]:
        out: list[Interval] = []
        for i, item in enumerate(self.arr(value, path)):
            p = f"{path}[{i}]"
            pair = self.arr(item, p)
            if len(pair) != 2:
                raise self.fail(p, "an interval is [start, end] in minutes from midnight")
            out.append((self.int_(pair[0], f"{p}[0]"), self.int_(pair[1], f"{p}[1]")))
        return tuple(out)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value), "an array" if isinstance(value, list) else "an object"
    )


def _engine(r: _Reader, path: str, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return build(*args, **kwargs)
    except EngineError as exc:
        raise r.fail(path, str(exc)) from None


def _calendar(r: _Reader, name: str, value: object, path: str) -> Calendar:
    d = r.obj(value, path)
    week_raw = r.field(d, "week", path, r.arr)
    if len(week_raw) != 7:
        raise r.fail(f"{path}.week", f"expected 7 weekdays, got {len(week_raw)}")
    week = [r.intervals(day, f"{path}.week[{i}]") for i, day in enumerate(week_raw)]
    exceptions = []
    for i, item in enumerate(r.arr(d.get("exceptions", []), f"{path}.exceptions")):
        p = f"{path}.exceptions[{i}]"
        e = r.obj(item, p)
        start = r.field(e, "start", p, r.day)
        end = r.opt(e, "end", p, r.day)
        ivs = r.intervals(e.get("intervals", []), f"{p}.intervals")
        exceptions.append(_engine(r, p, CalendarException, start, end, ivs))
    yearly = []
    for i, item in enumerate(r.arr(d.get("yearly", []), f"{path}.yearly")):
        p = f"{path}.yearly[{i}]"
        y = r.obj(item, p)
        args = (
            r.field(y, "month", p, r.int_),
            r.field(y, "day", p, r.int_),
            r.intervals(y.get("intervals", []), f"{p}.intervals"),
            r.int_(y.get("first_year", 1), f"{p}.first_year"),
            r.int_(y.get("last_year", 9999), f"{p}.last_year"),
        )
        yearly.append(_engine(r, p, YearlyException, *args))
    return _engine(r, path, Calendar, week, exceptions, yearly, name=name)


def _activity(r: _Reader, value: object, path: str, cals: dict[str, Calendar]) -> Activity:
    d = r.obj(value, path)
    cal_name = r.opt(d, "calendar", path, r.str_)
    if cal_name is not None and cal_name not in cals:
        raise r.fail(f"{path}.calendar", f"unknown calendar {cal_name!r}")
    kind = cast(
        ActivityKind, r.choice(d.get("kind", "task"), f"{path}.kind", get_args(ActivityKind))
    )
    ctype = r.choice(
        d.get("constraint_type", "ASAP"),
        f"{path}.constraint_type",
        tuple(c.value for c in ConstraintType),
    )
    splits = r.arr(d.get("splits", []), f"{path}.splits")
    kwargs: dict[str, Any] = {
        "id": r.field(d, "id", path, r.str_),
        "name": r.str_(d.get("name", ""), f"{path}.name"),
        "duration_minutes": r.int_(d.get("duration_minutes", 0), f"{path}.duration_minutes"),
        "calendar": None if cal_name is None else cals[cal_name],
        "kind": kind,
        "parent": r.opt(d, "parent", path, r.str_),
        "constraint_type": ctype,
        "constraint_date": r.opt(d, "constraint_date", path, r.dt),
        "deadline": r.opt(d, "deadline", path, r.dt),
        "actual_start": r.opt(d, "actual_start", path, r.dt),
        "actual_finish": r.opt(d, "actual_finish", path, r.dt),
        "remaining_minutes": r.opt(d, "remaining_minutes", path, r.int_),
        "percent_complete": r.opt(d, "percent_complete", path, r.num),
        "component": r.opt(d, "component", path, r.str_),
        "elapsed": r.bool_(d.get("elapsed", False), f"{path}.elapsed"),
        "splits": tuple(_split(r, v, f"{path}.splits[{k}]") for k, v in enumerate(splits)),
    }
    return _engine(r, path, Activity, **kwargs)


def _split(r: _Reader, value: object, path: str) -> tuple[int, int]:
    pair = r.arr(value, path)
    if len(pair) != 2:
        raise r.fail(path, "expected a [work, gap] pair of minutes")
    return r.int_(pair[0], f"{path}[0]"), r.int_(pair[1], f"{path}[1]")


def _link(r: _Reader, value: object, path: str) -> Link:
    d = r.obj(value, path)
    pred = r.field(d, "pred", path, r.str_)
    succ = r.field(d, "succ", path, r.str_)
    ltype = cast(LinkType, r.choice(d.get("type", "FS"), f"{path}.type", get_args(LinkType)))
    lag = r.int_(d.get("lag_minutes", 0), f"{path}.lag_minutes")
    lkind = cast(
        LagKind, r.choice(d.get("lag_kind", "work"), f"{path}.lag_kind", get_args(LagKind))
    )
    pct = r.num(d.get("lag_percent", 0.0), f"{path}.lag_percent")
    return _engine(r, path, Link, pred, succ, ltype, lag, lkind, pct)


def _resource(r: _Reader, value: object, path: str) -> Resource:
    d = r.obj(value, path)
    kind = r.choice(d.get("kind", "work"), f"{path}.kind", ("work", "material", "cost"))
    return Resource(
        id=r.field(d, "id", path, r.str_),
        name=r.str_(d.get("name", ""), f"{path}.name"),
        kind=cast(Any, kind),
        max_units=r.num(d.get("max_units", 1.0), f"{path}.max_units"),
        calendar=r.opt(d, "calendar", path, r.str_),
        standard_rate=r.num(d.get("standard_rate", 0.0), f"{path}.standard_rate"),
        overtime_rate=r.num(d.get("overtime_rate", 0.0), f"{path}.overtime_rate"),
        cost_per_use=r.num(d.get("cost_per_use", 0.0), f"{path}.cost_per_use"),
    )


def _assignment(r: _Reader, value: object, path: str, ids: set[str], res: set[str]) -> Assignment:
    d = r.obj(value, path)
    aid = r.field(d, "activity_id", path, r.str_)
    rid = r.field(d, "resource_id", path, r.str_)
    if aid not in ids:
        raise r.fail(f"{path}.activity_id", f"unknown activity {aid!r}")
    if rid not in res:
        raise r.fail(f"{path}.resource_id", f"unknown resource {rid!r}")
    return Assignment(
        activity_id=aid,
        resource_id=rid,
        units=r.num(d.get("units", 1.0), f"{path}.units"),
        work_minutes=r.opt(d, "work_minutes", path, r.int_),
        cost=r.opt(d, "cost", path, r.num),
    )


def _short(exc: Exception) -> str:
    return str(exc).split(";")[0][:120] or type(exc).__name__


def read_native(text: str | bytes, *, file: str = "<json>") -> ProjectFile:
    """Read Podium's native JSON (see the module docstring) into a :class:`ProjectFile`.

    Parameters
    ----------
    text : str or bytes
        The document.
    file : str
        Name used in error messages.

    Raises
    ------
    ParseError
        Invalid JSON (naming the line), a wrong format name or version, or a bad value
        (naming its JSON path, e.g. ``$.links[2].type``).
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            file, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except UnicodeDecodeError as exc:
        raise ParseError(file, 0, f"not UTF-8 text: {exc.reason}") from None
    except (RecursionError, ValueError) as exc:  # nesting too deep, a number too long
        raise ParseError(file, 0, f"invalid JSON: {_short(exc)}") from None
    r = _Reader(file)
    doc = r.obj(raw, "$")
    fmt = doc.get("format")
    if fmt != FORMAT_NAME:
        raise r.fail("$.format", f"expected {FORMAT_NAME!r}, got {fmt!r}")
    version = r.field(doc, "version", "$", r.int_)
    if version != FORMAT_VERSION:
        raise r.fail("$.version", f"unsupported version {version} (this reader knows 1)")
    cals = {
        name: _calendar(r, name, value, f"$.calendars[{json.dumps(name)}]")
        for name, value in r.obj(doc.get("calendars", {}), "$.calendars").items()
    }
    default_name = r.field(doc, "default_calendar", "$", r.str_)
    if default_name not in cals:
        raise r.fail("$.default_calendar", f"unknown calendar {default_name!r}")
    acts = [
        _activity(r, v, f"$.activities[{i}]", cals)
        for i, v in enumerate(r.field(doc, "activities", "$", r.arr))
    ]
    links = [
        _link(r, v, f"$.links[{i}]") for i, v in enumerate(r.arr(doc.get("links", []), "$.links"))
    ]
    o = r.obj(doc.get("options", {}), "$.options")
    fast = o.get("fast_path")
    options = ScheduleOptions(
        progress=cast(
            ProgressMode,
            r.choice(
                o.get("progress", "retained_logic"), "$.options.progress", get_args(ProgressMode)
            ),
        ),
        lag_calendar=cast(
            LagCalendar,
            r.choice(
                o.get("lag_calendar", "predecessor"),
                "$.options.lag_calendar",
                get_args(LagCalendar),
            ),
        ),
        critical_float_minutes=r.int_(
            o.get("critical_float_minutes", 0), "$.options.critical_float_minutes"
        ),
        fast_path=None if fast is None else r.bool_(fast, "$.options.fast_path"),
    )
    project_start = r.field(doc, "project_start", "$", r.dt)
    data_date = r.opt(doc, "data_date", "$", r.dt)
    ids = {a.id for a in acts}
    for i, ln in enumerate(links):
        for end in ("pred", "succ"):
            if getattr(ln, end) not in ids:
                raise r.fail(f"$.links[{i}].{end}", f"unknown activity {getattr(ln, end)!r}")
    for i, a in enumerate(acts):
        if a.parent is not None and a.parent not in ids:
            raise r.fail(f"$.activities[{i}].parent", f"unknown activity {a.parent!r}")
    network = _engine(
        r,
        "$",
        lambda: Network(acts, links, project_start, cals[default_name], data_date, options),
    )
    resources = [
        _resource(r, v, f"$.resources[{i}]")
        for i, v in enumerate(r.arr(doc.get("resources", []), "$.resources"))
    ]
    res_ids = {x.id for x in resources}
    assignments = [
        _assignment(r, v, f"$.assignments[{i}]", ids, res_ids)
        for i, v in enumerate(r.arr(doc.get("assignments", []), "$.assignments"))
    ]
    baselines: dict[str, BaselineEntry] = {}
    for key, value in r.obj(doc.get("baselines", {}), "$.baselines").items():
        p = f"$.baselines[{json.dumps(key)}]"
        b = r.obj(value, p)
        baselines[key] = BaselineEntry(
            start=r.opt(b, "start", p, r.dt),
            finish=r.opt(b, "finish", p, r.dt),
            duration_minutes=r.opt(b, "duration_minutes", p, r.int_),
            cost=r.opt(b, "cost", p, r.num),
        )
    stored: dict[str, StoredDates] = {}
    for key, value in r.obj(doc.get("stored", {}), "$.stored").items():
        p = f"$.stored[{json.dumps(key)}]"
        s = r.obj(value, p)
        stored[key] = StoredDates(
            **{n: r.opt(s, n, p, r.dt) for n in _STORED_DATES},
            total_float_minutes=r.opt(s, "total_float_minutes", p, r.int_),
            free_float_minutes=r.opt(s, "free_float_minutes", p, r.int_),
            critical=r.opt(s, "critical", p, r.bool_),
        )
    wbs = {
        k: r.str_(v, f"$.wbs[{json.dumps(k)}]")
        for k, v in r.obj(doc.get("wbs", {}), "$.wbs").items()
    }
    keep = r.arr(doc.get("project_calendars", list(cals)), "$.project_calendars")
    project_cals: dict[str, Calendar] = {}
    for i, n in enumerate(keep):
        name = r.str_(n, f"$.project_calendars[{i}]")
        if name not in cals:
            raise r.fail(f"$.project_calendars[{i}]", f"unknown calendar {name!r}")
        project_cals[name] = cals[name]
    origin = r.choice(
        doc.get("origin", "json"), "$.origin", ("mspdi", "xer", "psplib", "dslib", "csv", "json")
    )
    return ProjectFile(
        name=r.str_(doc.get("name", ""), "$.name"),
        format=cast(FileFormat, origin),
        network=network,
        source=r.str_(doc.get("source", ""), "$.source"),
        calendars=project_cals,
        resources=resources,
        assignments=assignments,
        baselines=baselines,
        stored=stored,
        wbs=wbs,
        currency=r.opt(doc, "currency", "$", r.str_),
    )


_STORED_DATES = (
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
)


_ESTIMATE_KINDS = ("triangular", "pert", "uniform", "lognormal")


def read_native_estimates(text: str | bytes, *, file: str = "<json>") -> dict[str, Distribution]:
    """The activities' optional ``"estimate"`` objects (module docstring) by activity id.

    Activities without one are left out. Raises :class:`ParseError` naming the JSON
    path of a bad estimate (``$.activities[3].estimate.high_minutes``) or an
    inconsistent one (low > most likely, say).

    Examples
    --------
    >>> doc = {"format": "podium-schedule", "version": 1, "activities": [
    ...     {"id": "A", "estimate": {"distribution": "pert", "low_minutes": 400,
    ...      "most_likely_minutes": 480, "high_minutes": 900}}, {"id": "B"}]}
    >>> read_native_estimates(json.dumps(doc))
    {'A': Distribution(kind='pert', low=400.0, mode=480.0, high=900.0)}
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            file, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except UnicodeDecodeError as exc:
        raise ParseError(file, 0, f"not UTF-8 text: {exc.reason}") from None
    except (RecursionError, ValueError) as exc:  # nesting too deep, a number too long
        raise ParseError(file, 0, f"invalid JSON: {_short(exc)}") from None
    r = _Reader(file)
    doc = r.obj(raw, "$")
    out: dict[str, Distribution] = {}
    for i, value in enumerate(r.arr(doc.get("activities", []), "$.activities")):
        path = f"$.activities[{i}]"
        act = r.obj(value, path)
        est = act.get("estimate")
        if est is None:
            continue
        p = f"{path}.estimate"
        e = r.obj(est, p)
        kind = cast(
            DistributionKind,
            r.choice(e.get("distribution", "triangular"), f"{p}.distribution", _ESTIMATE_KINDS),
        )
        low = r.num(e.get("low_minutes", 0), f"{p}.low_minutes")
        mode = r.field(e, "most_likely_minutes", p, r.num)
        high = r.field(e, "high_minutes", p, r.num)
        aid = r.field(act, "id", path, r.str_)
        out[aid] = _engine(r, p, Distribution, kind, low, mode, high)
    return out
