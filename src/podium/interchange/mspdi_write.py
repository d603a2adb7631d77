"""Write a :class:`~podium.interchange.base.ProjectFile` as Microsoft Project XML (MSPDI).

Elements follow the sequences of MS Project's schema (``mspdi_pj12.xsd``, Project 2007;
later versions only append elements): see :data:`PROJECT_ORDER`, :data:`TASK_ORDER`,
:data:`CALENDAR_ORDER`, :data:`EXCEPTION_ORDER`, :data:`RESOURCE_ORDER` and
:data:`ASSIGNMENT_ORDER`. Calendars are written fully resolved (base calendars, no
inheritance) with their exceptions in the 2007 ``Exceptions`` form; yearly exceptions
become yearly recurring exceptions (``Type`` 2). Activities keep their id as ``UID`` when
it is a whole number ``>= 0``; other ids get fresh UIDs. The activity ``"0"`` (the project
summary that :func:`~podium.interchange.mspdi.read_mspdi` creates) is written as MS
Project's outline-level-0 task. Two elements carry what the engine model adds: ``Manual``
(Project 2010's schema places it after ``Name``) is written only for manually scheduled
activities, and ``IgnoreResourceCalendar=1`` for every activity with a calendar, since that
calendar is already the one the task is scheduled on (resource calendars applied by the
reader). A split activity's gaps are written as daily remaining-work ``TimephasedData``
with zero work across each gap (:mod:`~podium.interchange.mspdi_splits`), on its first
assignment, or on an assignment to the null resource when it has none.

Examples
--------
>>> from datetime import datetime
>>> from podium.engine import Activity, Link, Network
>>> from podium.interchange.base import ProjectFile
>>> net = Network([Activity("1", "A", 480), Activity("2", "B", 480)], [Link("1", "2")],
...               project_start=datetime(2024, 1, 1, 8))
>>> xml = write_mspdi(ProjectFile("Demo", "mspdi", net))
>>> xml.startswith(b'<?xml version="1.0" encoding="UTF-8"')
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import Element, SubElement, tostring

from podium.engine.calendars import Calendar, CalendarException, Interval, YearlyException
from podium.engine.cpm_general import ELAPSED
from podium.engine.network import Activity, ConstraintType, Link
from podium.engine.results import ScheduleResult
from podium.interchange.base import ProjectFile
from podium.interchange.mspdi import (
    CONSTRAINT_CODES,
    LINK_TYPE_CODES,
    NS,
    PROJECT_SUMMARY_UID,
)
from podium.interchange.mspdi_splits import split_records
from podium.interchange.mspdi_xml import _NULL_RESOURCE_UID

__all__ = [
    "ASSIGNMENT_ORDER",
    "CALENDAR_ORDER",
    "EXCEPTION_ORDER",
    "PROJECT_ORDER",
    "RESOURCE_ORDER",
    "TASK_ORDER",
    "write_mspdi",
]

# Child sequences from mspdi_pj12.xsd (only the elements Podium writes need to be here,
# but listing the schema's neighbours keeps the order checkable).
PROJECT_ORDER = (
    "SaveVersion", "UID", "Name", "Title", "Subject", "Category", "Company", "Manager",
    "Author", "CreationDate", "Revision", "LastSaved", "ScheduleFromStart", "StartDate",
    "FinishDate", "FYStartDate", "CriticalSlackLimit", "CurrencyDigits", "CurrencySymbol",
    "CurrencyCode", "CurrencySymbolPosition", "CalendarUID", "DefaultStartTime",
    "DefaultFinishTime", "MinutesPerDay", "MinutesPerWeek", "DaysPerMonth",
    "DefaultTaskType", "DefaultFixedCostAccrual", "DefaultStandardRate",
    "DefaultOvertimeRate", "DurationFormat", "WorkFormat", "EditableActualCosts",
    "HonorConstraints", "EarnedValueMethod", "InsertedProjectsLikeSummary",
    "MultipleCriticalPaths", "NewTasksEffortDriven", "NewTasksEstimated",
    "SplitsInProgressTasks", "SpreadActualCost", "SpreadPercentComplete",
    "TaskUpdatesResource", "FiscalYearStart", "WeekStartDay", "MoveCompletedEndsBack",
    "MoveRemainingStartsBack", "MoveRemainingStartsForward", "MoveCompletedEndsForward",
    "BaselineForEarnedValue", "AutoAddNewResourcesAndTasks", "StatusDate", "CurrentDate",
    "MicrosoftProjectServerURL", "Autolink", "NewTaskStartDate", "DefaultTaskEVMethod",
    "ProjectExternallyEdited", "ExtendedCreationDate", "ActualsInSync",
    "RemoveFileProperties", "AdminProject", "OutlineCodes", "WBSMasks",
    "ExtendedAttributes", "Calendars", "Tasks", "Resources", "Assignments",
)  # fmt: skip
TASK_ORDER = (
    "UID", "ID", "Name", "Manual", "Type", "IsNull", "CreateDate", "Contact", "WBS", "WBSLevel",
    "OutlineNumber", "OutlineLevel", "Priority", "Start", "Finish", "Duration",
    "DurationFormat", "Work", "Stop", "Resume", "ResumeValid", "EffortDriven", "Recurring",
    "OverAllocated", "Estimated", "Milestone", "Summary", "Critical", "IsSubproject",
    "IsSubprojectReadOnly", "SubprojectName", "ExternalTask", "ExternalTaskProject",
    "EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "StartVariance",
    "FinishVariance", "WorkVariance", "FreeSlack", "TotalSlack", "FixedCost",
    "FixedCostAccrual", "PercentComplete", "PercentWorkComplete", "Cost", "OvertimeCost",
    "OvertimeWork", "ActualStart", "ActualFinish", "ActualDuration", "ActualCost",
    "ActualOvertimeCost", "ActualWork", "ActualOvertimeWork", "RegularWork",
    "RemainingDuration", "RemainingCost", "RemainingWork", "RemainingOvertimeCost",
    "RemainingOvertimeWork", "ACWP", "CV", "ConstraintType", "CalendarUID",
    "ConstraintDate", "Deadline", "LevelAssignments", "LevelingCanSplit", "LevelingDelay",
    "LevelingDelayFormat", "PreLeveledStart", "PreLeveledFinish", "Hyperlink",
    "HyperlinkAddress", "HyperlinkSubAddress", "IgnoreResourceCalendar", "Notes",
    "HideBar", "Rollup", "BCWS", "BCWP", "PhysicalPercentComplete", "EarnedValueMethod",
    "PredecessorLink", "ActualWorkProtected", "ActualOvertimeWorkProtected",
    "ExtendedAttribute", "Baseline", "OutlineCode", "IsPublished", "StatusManager",
    "CommitmentStart", "CommitmentFinish", "CommitmentType", "TimephasedData",
)  # fmt: skip
PREDECESSOR_LINK_ORDER = (
    "PredecessorUID", "Type", "CrossProject", "CrossProjectName", "LinkLag", "LagFormat",
)  # fmt: skip
BASELINE_ORDER = (
    "TimephasedData", "Number", "Interim", "Start", "Finish", "Duration", "DurationFormat",
    "EstimatedDuration", "Work", "Cost", "BCWS", "BCWP", "FixedCost",
)  # fmt: skip
CALENDAR_ORDER = (
    "UID", "Name", "IsBaseCalendar", "IsBaselineCalendar", "BaseCalendarUID", "WeekDays",
    "Exceptions", "WorkWeeks",
)  # fmt: skip
WEEKDAY_ORDER = ("DayType", "DayWorking", "TimePeriod", "WorkingTimes")
EXCEPTION_ORDER = (
    "EnteredByOccurrences", "TimePeriod", "Occurrences", "Name", "Type", "Period",
    "DaysOfWeek", "MonthItem", "MonthPosition", "Month", "MonthDay", "DayWorking",
    "WorkingTimes",
)  # fmt: skip
RESOURCE_ORDER = (
    "UID", "ID", "Name", "Type", "IsNull", "Initials", "Phonetics", "NTAccount",
    "MaterialLabel", "Code", "Group", "WorkGroup", "EmailAddress", "Hyperlink",
    "HyperlinkAddress", "HyperlinkSubAddress", "MaxUnits", "PeakUnits", "OverAllocated",
    "AvailableFrom", "AvailableTo", "Start", "Finish", "CanLevel", "AccrueAt", "Work",
    "RegularWork", "OvertimeWork", "ActualWork", "RemainingWork", "ActualOvertimeWork",
    "RemainingOvertimeWork", "PercentWorkComplete", "StandardRate", "StandardRateFormat",
    "Cost", "OvertimeRate", "OvertimeRateFormat", "OvertimeCost", "CostPerUse",
    "ActualCost", "ActualOvertimeCost", "RemainingCost", "RemainingOvertimeCost",
    "WorkVariance", "CostVariance", "SV", "CV", "ACWP", "CalendarUID",
)  # fmt: skip
ASSIGNMENT_ORDER = (
    "UID", "TaskUID", "ResourceUID", "PercentWorkComplete", "ActualCost",
    "ActualFinish", "ActualOvertimeCost", "ActualOvertimeWork", "ActualStart",
    "ActualWork", "ACWP", "Confirmed", "Cost", "CostRateTable", "CostVariance", "CV",
    "Delay", "Finish", "FinishVariance", "Hyperlink", "HyperlinkAddress",
    "HyperlinkSubAddress", "WorkVariance", "HasFixedRateUnits", "FixedMaterial",
    "LevelingDelay", "LevelingDelayFormat", "LinkedFields", "Milestone", "Notes",
    "Overallocated", "OvertimeCost", "OvertimeWork", "PeakUnits", "RegularWork",
    "RemainingCost", "RemainingOvertimeCost", "RemainingOvertimeWork", "RemainingWork",
    "ResponsePending", "Start", "Stop", "Resume", "StartVariance", "Units",
    "UpdateNeeded", "VAC", "Work", "WorkContour", "BCWS", "BCWP", "BookingType",
    "ActualWorkProtected", "ActualOvertimeWorkProtected", "CreationDate",
    "ExtendedAttribute", "Baseline", "TimephasedData",
)  # fmt: skip

_Q = "{" + NS + "}"
_CONSTRAINT_CODE = {c: k for k, c in CONSTRAINT_CODES.items()}
_CONSTRAINT_CODE[ConstraintType.MANDATORY_START] = 2  # P6 mandatory -> must start on
_CONSTRAINT_CODE[ConstraintType.MANDATORY_FINISH] = 3
_LINK_CODE = {t: k for k, t in LINK_TYPE_CODES.items()}
_RESOURCE_CODE = {"material": 0, "work": 1, "cost": 2}
_SAFE_YEARS = (1984, 2149)  # the dates MS Project accepts


def _sub(parent: Element, tag: str, value: object = None) -> Element:
    el = SubElement(parent, _Q + tag)
    if value is not None:
        el.text = _fmt(value)
    return el


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def _duration(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    return f"{sign}PT{h}H{m}M0S"


def _clock(minutes: int) -> str:
    h, m = divmod(minutes % 1440, 60)
    return f"{h:02d}:{m:02d}:00"


def _uids(ids: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, int]:
    """Keep whole-number ids as UIDs; number the others after the largest."""
    ids = list(ids)
    out: dict[str, int] = {}
    for i in ids:
        if i.isdigit() and str(int(i)) == i:
            out[i] = int(i)
    taken = set(out.values()) | {int(x) for x in reserved}
    nxt = max(taken, default=0) + 1
    for i in ids:
        if i not in out:
            out[i] = nxt
            taken.add(nxt)
            nxt += 1
    return out


# --------------------------------------------------------------------------- calendars
class _Calendars:
    """Calendar UIDs for the project's calendars, the default and activity calendars."""

    def __init__(self, project: ProjectFile) -> None:
        net = project.network
        self.items: list[tuple[int, Calendar]] = []
        keys = list(project.calendars)
        numbers = _uids(keys)
        for key in keys:
            self.items.append((numbers[key], project.calendars[key]))
        self.by_key = numbers
        self.default_uid = self.uid_of(net.default_calendar)
        for a in net.activities:
            if a.calendar is not None:
                self.uid_of(a.calendar)

    def uid_of(self, cal: Calendar) -> int:
        for uid, c in self.items:
            if c is cal:
                return uid
        for uid, c in self.items:
            if c == cal:
                return uid
        uid = max((u for u, _ in self.items), default=0) + 1
        self.items.append((uid, cal))
        return uid


def _working_times(parent: Element, intervals: tuple[Interval, ...]) -> None:
    if not intervals:
        return
    wts = _sub(parent, "WorkingTimes")
    for s, e in intervals:
        wt = _sub(wts, "WorkingTime")
        _sub(wt, "FromTime", _clock(s))
        _sub(wt, "ToTime", _clock(e))


def _write_calendar(parent: Element, uid: int, cal: Calendar) -> None:
    el = _sub(parent, "Calendar")
    _sub(el, "UID", uid)
    _sub(el, "Name", cal.name)
    _sub(el, "IsBaseCalendar", True)
    _sub(el, "BaseCalendarUID", -1)
    days = _sub(el, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday
        ivs = cal.week[(day_type + 5) % 7]
        wd = _sub(days, "WeekDay")
        _sub(wd, "DayType", day_type)
        _sub(wd, "DayWorking", bool(ivs))
        _working_times(wd, ivs)
    if cal.exceptions or cal.yearly:
        excs = _sub(el, "Exceptions")
        for exc in cal.exceptions:
            _write_exception(excs, exc)
        for y in cal.yearly:
            _write_yearly(excs, y)


def _time_period(parent: Element, first: date, last: date) -> None:
    tp = _sub(parent, "TimePeriod")
    _sub(tp, "FromDate", datetime.combine(first, datetime.min.time()))
    _sub(tp, "ToDate", datetime.combine(last, datetime.min.time()) + timedelta(minutes=1439))


def _write_exception(parent: Element, exc: CalendarException) -> None:
    assert exc.end is not None
    el = _sub(parent, "Exception")
    _sub(el, "EnteredByOccurrences", False)
    _time_period(el, exc.start, exc.end)
    _sub(el, "Occurrences", 1)
    _sub(el, "Name", "Working" if exc.intervals else "Non-working")
    _sub(el, "Type", 1)  # daily: every day of the period
    _sub(el, "Period", 1)
    _sub(el, "DayWorking", bool(exc.intervals))
    _working_times(el, exc.intervals)


def _write_yearly(parent: Element, y: YearlyException) -> None:
    first = max(y.first_year, _SAFE_YEARS[0])
    last = min(y.last_year, _SAFE_YEARS[1])
    if first > last:
        return
    start = date(first, y.month, 28 if (y.month, y.day) == (2, 29) else y.day)
    end = date(last, y.month, 28 if (y.month, y.day) == (2, 29) else y.day)
    el = _sub(parent, "Exception")
    _sub(el, "EnteredByOccurrences", False)
    _time_period(el, start, end)
    _sub(el, "Occurrences", last - first + 1)
    _sub(el, "Name", f"Yearly {y.month:02d}-{y.day:02d}")
    _sub(el, "Type", 2)  # yearly by day of the month
    _sub(el, "Period", 1)
    _sub(el, "Month", y.month - 1)
    _sub(el, "MonthDay", y.day)
    _sub(el, "DayWorking", bool(y.intervals))
    _working_times(el, y.intervals)


# --------------------------------------------------------------------------- tasks
def _outline(acts: Sequence[Activity]) -> list[tuple[Activity, int, str]]:
    """Activities in outline order (parents before children) with level and number.

    A root summary ``"0"`` is MS Project's project summary at outline level 0; any other
    top-level activity then follows its children at level 1.
    """
    children: dict[str | None, list[Activity]] = {}
    for a in acts:
        children.setdefault(a.parent, []).append(a)
    roots = children.get(None, [])
    summary = next((a for a in roots if a.id == PROJECT_SUMMARY_UID and a.kind == "summary"), None)
    out: list[tuple[Activity, int, str]] = []
    top = roots
    if summary is not None:
        out.append((summary, 0, "0"))
        top = children.get(summary.id, []) + [a for a in roots if a is not summary]

    def walk(items: list[Activity], level: int, prefix: str) -> None:
        for k, a in enumerate(items, start=1):
            number = f"{prefix}{k}"
            out.append((a, level, number))
            walk(children.get(a.id, []), level + 1, number + ".")

    walk(top, 1, "")
    return out


def _lag_format(link: Link, minutes_per_day: int) -> tuple[int, int]:
    """(LinkLag, LagFormat) of a link: tenths of a minute, or the percentage."""
    if link.lag_kind == "percent":
        return round(link.lag_percent), 19
    lag = link.lag_minutes
    if link.lag_kind == "elapsed":
        fmt = 8 if lag % 1440 == 0 else 6 if lag % 60 == 0 else 4
    else:
        fmt = 7 if lag % minutes_per_day == 0 else 5 if lag % 60 == 0 else 3
    return lag * 10, fmt


def _write_task(
    parent: Element,
    project: ProjectFile,
    a: Activity,
    position: int,
    level: int,
    number: str,
    uids: dict[str, int],
    cals: _Calendars,
    result: ScheduleResult | None,
    minutes_per_day: int,
) -> None:
    net = project.network
    got = result[a.id] if result is not None and a.id in result.ids else None
    stored = project.stored.get(a.id)
    t = _sub(parent, "Task")
    _sub(t, "UID", uids[a.id])
    _sub(t, "ID", position)
    if a.name:
        _sub(t, "Name", a.name)
    if a.manual:
        _sub(t, "Manual", True)
    _sub(t, "IsNull", False)
    _sub(t, "WBS", project.wbs.get(a.id, number))
    _sub(t, "OutlineNumber", number)
    _sub(t, "OutlineLevel", level)
    start = got.start if got else stored.start if stored else None
    finish = got.finish if got else stored.finish if stored else None
    if start is not None:
        _sub(t, "Start", start)
    if finish is not None:
        _sub(t, "Finish", finish)
    _sub(t, "Duration", _duration(a.duration_minutes))
    _sub(t, "DurationFormat", (8 if a.elapsed else 7))
    _sub(t, "Milestone", a.kind == "milestone")
    _sub(t, "Summary", a.kind == "summary")
    if got is not None:
        _sub(t, "Critical", got.critical)
        for tag, value in (
            ("EarlyStart", got.early_start),
            ("EarlyFinish", got.early_finish),
            ("LateStart", got.late_start),
            ("LateFinish", got.late_finish),
        ):
            if value is not None:
                _sub(t, tag, value)
        if got.free_float_minutes is not None:
            _sub(t, "FreeSlack", got.free_float_minutes * 10)
        if got.total_float_minutes is not None:
            _sub(t, "TotalSlack", got.total_float_minutes * 10)
    if a.percent_complete is not None:
        _sub(t, "PercentComplete", round(a.percent_complete))
    if a.actual_start is not None:
        _sub(t, "ActualStart", a.actual_start)
    if a.actual_finish is not None:
        _sub(t, "ActualFinish", a.actual_finish)
    if a.remaining_minutes is not None:
        _sub(t, "RemainingDuration", _duration(a.remaining_minutes))
    _sub(t, "ConstraintType", _CONSTRAINT_CODE[a.constraint_type])
    own = a.calendar if a.float_calendar is None else a.float_calendar
    if a.float_calendar is not None and a.float_calendar == net.default_calendar:
        own = None
    _sub(t, "CalendarUID", -1 if own is None else cals.uid_of(own))
    if a.constraint_date is not None:
        _sub(t, "ConstraintDate", a.constraint_date)
    if a.deadline is not None:
        _sub(t, "Deadline", a.deadline)
    if a.calendar is not None and a.float_calendar is None:
        _sub(t, "IgnoreResourceCalendar", True)
    for ln in net.links:
        if ln.succ != a.id:
            continue
        lag, fmt = _lag_format(ln, minutes_per_day)
        pl = _sub(t, "PredecessorLink")
        _sub(pl, "PredecessorUID", uids[ln.pred])
        _sub(pl, "Type", _LINK_CODE[ln.type])
        _sub(pl, "CrossProject", False)
        _sub(pl, "LinkLag", lag)
        _sub(pl, "LagFormat", fmt)
    base = project.baselines.get(a.id)
    if base is not None:
        b = _sub(t, "Baseline")
        _sub(b, "Number", 0)
        if base.start is not None:
            _sub(b, "Start", base.start)
        if base.finish is not None:
            _sub(b, "Finish", base.finish)
        if base.duration_minutes is not None:
            _sub(b, "Duration", _duration(base.duration_minutes))
            _sub(b, "DurationFormat", 7)
        if base.cost is not None:
            _sub(b, "Cost", base.cost)


def _write_splits(
    el: Element, uid: int, project: ProjectFile, a: Activity, result: ScheduleResult | None
) -> None:
    """The activity's splits as remaining-work records (``Type`` 1, daily) of ``el``."""
    net = project.network
    stored = project.stored.get(a.id)
    start = a.actual_start
    if start is None and result is not None and a.id in result.ids:
        start = result[a.id].start
    if start is None and stored is not None:
        start = stored.start
    cal = ELAPSED if a.elapsed else net.calendar_of(a)
    for rec in split_records(start or net.project_start, a.duration_minutes, a.splits, cal):
        td = _sub(el, "TimephasedData")
        _sub(td, "Type", 1)
        _sub(td, "UID", uid)
        _sub(td, "Start", rec.start)
        _sub(td, "Finish", rec.finish)
        _sub(td, "Unit", 2)
        _sub(td, "Value", _duration(rec.minutes or 0))


def _minutes_per_day(cal: Calendar) -> int:
    work = [sum(e - s for s, e in day) for day in cal.week if day]
    return max(set(work), key=work.count) if work else 480


# --------------------------------------------------------------------------- project
def write_mspdi(project: ProjectFile, result: ScheduleResult | None = None) -> bytes:
    """Serialise ``project`` (and optionally its schedule) as an MSPDI document.

    Parameters
    ----------
    project : ProjectFile
        Network, calendars, resources, assignments and baselines to write.
    result : ScheduleResult, optional
        When given, each task carries the scheduled Start/Finish, early/late dates,
        FreeSlack/TotalSlack (tenths of a minute) and Critical, and the project its
        FinishDate; otherwise the dates MS Project stored (``project.stored``), if any.

    Returns
    -------
    bytes
        UTF-8 XML in the ``http://schemas.microsoft.com/project`` namespace.
    """
    net = project.network
    cals = _Calendars(project)
    mpd = _minutes_per_day(net.default_calendar)
    root = Element(_Q + "Project")
    _sub(root, "SaveVersion", 12)
    _sub(root, "Name", project.name)
    _sub(root, "ScheduleFromStart", True)
    _sub(root, "StartDate", net.project_start)
    if result is not None:
        _sub(root, "FinishDate", result.project_finish)
    slack = net.options.critical_float_minutes
    _sub(root, "CriticalSlackLimit", slack // mpd if slack % mpd == 0 else 0)
    currency = project.currency or ""
    if currency and not (len(currency) == 3 and currency.isalpha()):
        _sub(root, "CurrencySymbol", currency)
    _sub(root, "CurrencyCode", currency if len(currency) == 3 and currency.isalpha() else "XXX")
    _sub(root, "CalendarUID", cals.default_uid)
    monday = net.default_calendar.week[0] or ((480, 1020),)
    _sub(root, "DefaultStartTime", _clock(monday[0][0]))
    _sub(root, "DefaultFinishTime", _clock(monday[-1][1]))
    _sub(root, "MinutesPerDay", mpd)
    _sub(root, "MinutesPerWeek", sum(sum(e - s for s, e in d) for d in net.default_calendar.week))
    _sub(root, "DaysPerMonth", 20)
    _sub(root, "DurationFormat", 7)
    _sub(root, "HonorConstraints", True)
    _sub(root, "SplitsInProgressTasks", net.options.progress == "retained_logic")
    if net.data_date is not None:
        _sub(root, "StatusDate", net.data_date)

    task_uids = _uids(net.ids)
    outline = _outline(net.activities)  # registers every calendar before they are written
    tasks = Element(_Q + "Tasks")
    first_id = 0 if outline and outline[0][1] == 0 else 1
    for position, (a, level, number) in enumerate(outline, start=first_id):
        _write_task(tasks, project, a, position, level, number, task_uids, cals, result, mpd)
    res_uids = _uids([r.id for r in project.resources])
    for r in project.resources:  # resource calendars must exist before we write them
        if r.calendar is not None and r.calendar in project.calendars:
            cals.uid_of(project.calendars[r.calendar])

    calendars = _sub(root, "Calendars")
    for uid, cal in sorted(cals.items, key=lambda item: item[0]):
        _write_calendar(calendars, uid, cal)
    root.append(tasks)
    if project.resources:
        resources = _sub(root, "Resources")
        for k, r in enumerate(project.resources, start=1):
            el = _sub(resources, "Resource")
            _sub(el, "UID", res_uids[r.id])
            _sub(el, "ID", k)
            _sub(el, "Name", r.name)
            _sub(el, "Type", _RESOURCE_CODE[r.kind])
            _sub(el, "IsNull", False)
            _sub(el, "MaxUnits", r.max_units)
            _sub(el, "StandardRate", r.standard_rate)
            _sub(el, "StandardRateFormat", 2)
            _sub(el, "OvertimeRate", r.overtime_rate)
            _sub(el, "OvertimeRateFormat", 2)
            _sub(el, "CostPerUse", r.cost_per_use)
            if r.calendar is not None and r.calendar in project.calendars:
                _sub(el, "CalendarUID", cals.uid_of(project.calendars[r.calendar]))
    split = {a.id: a for a in net.activities if a.splits}
    if project.assignments or split:
        assignments = _sub(root, "Assignments")
        k = 0
        for k, asg in enumerate(project.assignments, start=1):
            if asg.activity_id not in task_uids or asg.resource_id not in res_uids:
                continue
            el = _sub(assignments, "Assignment")
            _sub(el, "UID", k)
            _sub(el, "TaskUID", task_uids[asg.activity_id])
            _sub(el, "ResourceUID", res_uids[asg.resource_id])
            if asg.cost is not None:
                _sub(el, "Cost", asg.cost)
            _sub(el, "Units", asg.units)
            if asg.work_minutes is not None:
                _sub(el, "Work", _duration(asg.work_minutes))
            if asg.activity_id in split:  # the splits ride on the task's first assignment
                _write_splits(el, k, project, split.pop(asg.activity_id), result)
        for a in split.values():  # no resource: the null resource, as MS Project does
            k += 1
            el = _sub(assignments, "Assignment")
            _sub(el, "UID", k)
            _sub(el, "TaskUID", task_uids[a.id])
            _sub(el, "ResourceUID", _NULL_RESOURCE_UID)
            _sub(el, "Units", 1)
            _sub(el, "Work", _duration(0))
            _write_splits(el, k, project, a, result)
    body: bytes = tostring(root, encoding="utf-8", default_namespace=NS, xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body
