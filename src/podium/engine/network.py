r"""The project network: activities, links, options — validated when built.

A :class:`Network` is immutable. Building it checks every activity and link and compiles
the integer-indexed arrays the scheduler works on (activity index, link endpoints, link
types, lags), so :func:`podium.engine.cpm.schedule` starts from arrays, not objects.

Link semantics (``lag`` measured in working time unless stated otherwise):

====  =====================================
FS    :math:`ES_j \ge EF_i + lag`
SS    :math:`ES_j \ge ES_i + lag`
FF    :math:`EF_j \ge EF_i + lag`
SF    :math:`EF_j \ge ES_i + lag`
====  =====================================

Examples
--------
>>> from datetime import datetime
>>> net = Network(
...     activities=[Activity("A", "Design", 960), Activity("B", "Build", 480)],
...     links=[Link("A", "B")],
...     project_start=datetime(2024, 1, 1, 8),
... )
>>> net.index["B"]
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

import numpy as np
import numpy.typing as npt

from podium.engine.calendars import Calendar
from podium.engine.errors import NetworkError, UnknownActivityError

__all__ = [
    "LINK_TYPES",
    "Activity",
    "ActivityKind",
    "ConstraintType",
    "Convention",
    "LagCalendar",
    "LagKind",
    "Link",
    "LinkType",
    "Network",
    "ProgressMode",
    "ScheduleOptions",
]

ActivityKind = Literal["task", "milestone", "summary", "loe"]
LinkType = Literal["FS", "SS", "FF", "SF"]
LagKind = Literal["work", "elapsed", "percent"]
ProgressMode = Literal["retained_logic", "progress_override"]
LagCalendar = Literal["predecessor", "successor", "project", "24h"]
Convention = Literal["msproject", "p6"]

LINK_TYPES: tuple[LinkType, ...] = ("FS", "SS", "FF", "SF")
_KINDS = ("task", "milestone", "summary", "loe")


class ConstraintType(StrEnum):
    """Date constraints of MS Project and Primavera P6.

    ``MSO``/``MFO`` (MS Project "must start/finish on") and P6's mandatory start/finish
    pin the date in both passes, overriding logic. ``SNET``/``FNET`` raise the early
    dates; ``SNLT``/``FNLT`` lower the late dates (float may go negative). ``ALAP``
    schedules the activity as late as its free float allows.
    """

    ASAP = "ASAP"
    ALAP = "ALAP"
    SNET = "SNET"
    SNLT = "SNLT"
    FNET = "FNET"
    FNLT = "FNLT"
    MSO = "MSO"
    MFO = "MFO"
    MANDATORY_START = "MANDATORY_START"
    MANDATORY_FINISH = "MANDATORY_FINISH"


_DATED = frozenset(ConstraintType) - {ConstraintType.ASAP, ConstraintType.ALAP}


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity (task, milestone, WBS summary or level-of-effort).

    Parameters
    ----------
    id, name : str
        Identifier (unique in the network) and display name.
    duration_minutes : int
        Original duration in working minutes of the activity's calendar
        (:math:`EF = ES + d` in working time). Milestones have ``0``.
    calendar : Calendar, optional
        Activity calendar; ``None`` uses the network's default calendar.
    elapsed : bool
        Duration in elapsed time (every minute counts), as MS Project's "edays".
    kind : {"task", "milestone", "summary", "loe"}
        A summary's dates roll up from its children (``parent`` points at it).
    parent : str, optional
        Id of the summary activity this one belongs to.
    constraint_type, constraint_date
        See :class:`ConstraintType`; dated constraints need ``constraint_date``.
    deadline : datetime, optional
        Late finish may not exceed it (:math:`LF \\le deadline`).
    actual_start, actual_finish, remaining_minutes, percent_complete
        Progress against the network's data date; an actual finish needs an actual start.
    component : str, optional
        The program component (project) the activity belongs to.
    start_milestone : bool
        For a milestone: it marks a start (P6 "start milestone"), so it sits at the next
        working minute after its predecessors, :math:`ES = \\text{next\\_work\\_start}(S)`
        (Tue 08:00 after a predecessor finishing Mon 17:00). ``False`` (default): a finish
        milestone, which stays at its predecessors' finish.
    manual : bool
        Manually scheduled (MS Project 2010+ ``Manual=1``): scheduled like any other
        activity, but never marked critical, whatever its float.
    float_calendar : Calendar, optional
        Measure this activity's total and free float on this calendar; ``None``
        (default) measures them on the calendar it is scheduled on. MS Project schedules
        a task on its resource's calendar but measures its slack on the task's own
        calendar (the project calendar when it has none). With a float calendar
        :math:`TF = \\min(W_f(LS) - W_f(ES),\\ W_f(LF) - W_f(EF))` (start and finish slack
        on it) before the activity starts, and the finish slack once it has started.
    splits : tuple of (int, int)
        Gaps inside the activity (an MS Project split task): each pair ``(work, gap)``
        says that after ``work`` minutes of its duration the work stops for ``gap``
        working minutes of its calendar, then resumes. Offsets increase strictly and
        lie inside the duration, :math:`0 < work < d`; gaps are positive. The gaps move
        with the activity and lengthen its span,
        :math:`EF = ES \\oplus (d + \\sum gap)` and :math:`LS = LF \\ominus (d + \\sum gap)`,
        so float stays :math:`W(LF) - W(EF)`. Once started with ``done`` minutes of work
        behind it, a gap at :math:`work \\le done` is history: the remaining work
        resumes at :math:`AS \\oplus (done + \\sum_{work \\le done} gap)` (and, with a
        data date, not before it); the gaps at :math:`work > done` still lie ahead and
        lengthen the remaining span, :math:`d_{rem} + \\sum_{work > done} gap`.
    """

    id: str
    name: str = ""
    duration_minutes: int = 0
    calendar: Calendar | None = None
    kind: ActivityKind = "task"
    parent: str | None = None
    constraint_type: ConstraintType = ConstraintType.ASAP
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    remaining_minutes: int | None = None
    percent_complete: float | None = None
    component: str | None = None
    elapsed: bool = False
    start_milestone: bool = False
    manual: bool = False
    float_calendar: Calendar | None = None
    splits: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        where = f"activity {self.id!r}"
        if self.splits:
            object.__setattr__(self, "splits", _check_splits(self, where))
        if not isinstance(self.id, str) or not self.id:
            raise NetworkError(f"{where}: id must be a non-empty string")
        if self.kind not in _KINDS:
            raise NetworkError(f"{where}: unknown kind {self.kind!r}")
        if int(self.duration_minutes) != self.duration_minutes or self.duration_minutes < 0:
            raise NetworkError(f"{where}: duration must be a whole number of minutes >= 0")
        if self.kind == "milestone" and self.duration_minutes:
            raise NetworkError(f"{where}: a milestone has no duration")
        if self.start_milestone and self.kind != "milestone":
            raise NetworkError(f"{where}: only a milestone can be a start milestone")
        try:
            ctype = ConstraintType(self.constraint_type)
        except ValueError:
            raise NetworkError(f"{where}: unknown constraint {self.constraint_type!r}") from None
        object.__setattr__(self, "constraint_type", ctype)
        if ctype in _DATED and self.constraint_date is None:
            raise NetworkError(f"{where}: constraint {ctype.value} needs a constraint_date")
        if self.actual_finish is not None:
            if self.actual_start is None:
                raise NetworkError(f"{where}: actual finish without an actual start")
            if self.actual_finish < self.actual_start:
                raise NetworkError(f"{where}: actual finish before actual start")
        if self.remaining_minutes is not None and self.remaining_minutes < 0:
            raise NetworkError(f"{where}: remaining duration is negative")
        pct = self.percent_complete
        if pct is not None and not 0 <= pct <= 100:
            raise NetworkError(f"{where}: percent complete {pct} is not within 0-100")
        if self.parent == self.id:
            raise NetworkError(f"{where}: an activity cannot be its own parent")

    @property
    def is_complete(self) -> bool:
        """Whether the activity has an actual finish."""
        return self.actual_finish is not None

    @property
    def is_started(self) -> bool:
        """Whether the activity has an actual start."""
        return self.actual_start is not None


def _check_splits(a: Activity, where: str) -> tuple[tuple[int, int], ...]:
    """The splits of ``a`` as a tuple of integer pairs, or :class:`NetworkError`."""
    if a.kind != "task":
        raise NetworkError(f"{where}: only a task can be split, not a {a.kind}")
    out: list[tuple[int, int]] = []
    last = 0
    for pair in a.splits:
        try:
            work, gap = pair
        except (TypeError, ValueError):
            raise NetworkError(f"{where}: a split is a (work, gap) pair, not {pair!r}") from None
        if int(work) != work or int(gap) != gap:
            raise NetworkError(f"{where}: split ({work}, {gap}) must be whole minutes")
        if not last < work < a.duration_minutes:
            raise NetworkError(
                f"{where}: split after {work} minutes of work is not inside the duration "
                f"({a.duration_minutes} minutes) or not after the previous split"
            )
        if gap <= 0:
            raise NetworkError(f"{where}: the gap of a split must be positive, not {gap}")
        out.append((int(work), int(gap)))
        last = int(work)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Link:
    """A precedence relationship ``pred -> succ``.

    Parameters
    ----------
    pred, succ : str
        Activity ids.
    type : {"FS", "SS", "FF", "SF"}
        Relationship type (see the module table).
    lag_minutes : int
        Lag; negative is a lead. Working minutes for ``lag_kind="work"``, clock minutes
        for ``"elapsed"``; ignored for ``"percent"``.
    lag_kind : {"work", "elapsed", "percent"}
        ``"percent"`` lags are ``lag_percent`` % of the predecessor's duration, in working
        time.
    lag_percent : float
        Percentage for ``lag_kind="percent"`` (may be negative).
    """

    pred: str
    succ: str
    type: LinkType = "FS"
    lag_minutes: int = 0
    lag_kind: LagKind = "work"
    lag_percent: float = 0.0

    def __post_init__(self) -> None:
        if self.type not in LINK_TYPES:
            raise NetworkError(f"link {self.label}: unknown type {self.type!r}")
        if self.lag_kind not in ("work", "elapsed", "percent"):
            raise NetworkError(f"link {self.label}: unknown lag kind {self.lag_kind!r}")
        if int(self.lag_minutes) != self.lag_minutes:
            raise NetworkError(f"link {self.label}: lag must be whole minutes")

    @property
    def label(self) -> str:
        """``"A -> B (FS)"``, used in messages."""
        return f"{self.pred} -> {self.succ} ({self.type})"


@dataclass(frozen=True, slots=True)
class ScheduleOptions:
    """How :func:`~podium.engine.cpm.schedule` treats progress, lags and criticality.

    Parameters
    ----------
    progress : {"retained_logic", "progress_override"}
        Retained logic: the remaining work of an out-of-sequence activity still waits
        for its predecessors. Progress override: a started activity ignores its
        predecessors and continues from the data date.
    lag_calendar : {"predecessor", "successor", "project", "24h"}
        Calendar on which working-time lags are measured.
    critical_float_minutes : int
        An activity is critical when :math:`TF \\le` this threshold.
    fast_path : bool, optional
        Force (``True``) or forbid (``False``) the vectorised single-calendar path;
        ``None`` picks it whenever the network allows it.
    convention : {"msproject", "p6"}
        Where dates land when working time alone does not decide it. ``"msproject"``
        (default) keeps milestones at the instant logic gives them and snaps finishes to
        the previous working end and starts to the next working start; an
        SNET/FNET/MSO/MFO constraint date may place a task before the project start, and
        without a data date a started task resumes its remaining work at
        :math:`AS \\oplus (d - d_{rem})`. ``"p6"``
        follows Primavera P6:

        * a finish milestone's late date is the previous working end before its
          ceiling, :math:`LF = \\text{prev\\_work\\_end}(\\min_j LS_j)` (Mon 17:00
          before a successor's Tue 08:00);
        * a finish driven by an FF/SF link stays at the link's instant when that is a
          working start (an SF from a Tue 08:00 start gives :math:`EF` Tue 08:00, not
          Mon 17:00), and mirrored, a late start bounded by an SS/SF successor stays at
          a working end;
        * remaining work never starts before the data date, not even under a mandatory
          constraint, whose late dates then stay at the constraint date (negative
          float);
        * an ALAP activity's early dates are its delayed dates and its float is taken
          from them.
    """

    progress: ProgressMode = "retained_logic"
    lag_calendar: LagCalendar = "predecessor"
    critical_float_minutes: int = 0
    fast_path: bool | None = None
    convention: Convention = "msproject"

    def __post_init__(self) -> None:
        if self.progress not in ("retained_logic", "progress_override"):
            raise NetworkError(f"unknown progress mode {self.progress!r}")
        if self.lag_calendar not in ("predecessor", "successor", "project", "24h"):
            raise NetworkError(f"unknown lag calendar {self.lag_calendar!r}")
        if self.convention not in ("msproject", "p6"):
            raise NetworkError(f"unknown convention {self.convention!r}")


_TYPE_CODE = {t: i for i, t in enumerate(LINK_TYPES)}


@dataclass(frozen=True)
class Network:
    """Activities and links, plus the project start and default calendar.

    Parameters
    ----------
    activities : sequence of Activity
    links : sequence of Link
    project_start : datetime
        No activity starts earlier (snapped to its calendar's next working minute),
        except, under ``convention="msproject"``, one whose SNET/FNET/MSO/MFO constraint
        date is earlier.
    default_calendar : Calendar
        Calendar of activities without their own (MS Project's project calendar).
    data_date : datetime, optional
        Status date: remaining work is scheduled from here.
    options : ScheduleOptions
        Defaults for :func:`~podium.engine.cpm.schedule`.
    must_finish_by : datetime, optional
        The project's "must finish by" date (P6): the backward pass starts from it instead
        of the early project finish, :math:`LF_i \\le` ``must_finish_by`` for every
        activity (snapped to the previous working end), so float may go negative.

    Raises
    ------
    UnknownActivityError
        A link or parent names an activity that does not exist.
    NetworkError
        Duplicate ids, a link from an activity to itself, a parent that is not a summary.

    Attributes
    ----------
    index : dict[str, int]
        Activity id to position in ``activities``.
    link_pred, link_succ : ndarray of intp
        Link endpoints as activity indexes.
    link_type : ndarray of int8
        0 = FS, 1 = SS, 2 = FF, 3 = SF.
    out_order, out_ptr : ndarray of intp
        Links sorted by predecessor (stable) and the offsets of each activity's run in
        that order (compressed sparse rows): the links leaving activity ``i`` are
        ``out_order[out_ptr[i]:out_ptr[i + 1]]``.
    link_lag : ndarray of int64
        Lags in minutes (percent lags resolved to working minutes of the predecessor's
        duration: :math:`\\mathrm{round}(p / 100 \\cdot d_{pred})`).
    durations : ndarray of int64
        Original durations in minutes.
    parent_index : ndarray of intp
        Index of each activity's parent, ``-1`` for top-level activities.
    has_children : ndarray of bool
        Summary activities with at least one child (their dates roll up).
    ids : tuple of str
        Activity ids in order.
    single_calendar_blocker : str or None
        Why the network needs the general scheduling path regardless of options
        (own calendars, constraints, progress…), ``None`` when it does not.
    """

    activities: Sequence[Activity]
    links: Sequence[Link]
    project_start: datetime
    default_calendar: Calendar = field(default_factory=Calendar.standard)
    data_date: datetime | None = None
    options: ScheduleOptions = field(default_factory=ScheduleOptions)
    must_finish_by: datetime | None = None
    index: dict[str, int] = field(init=False, repr=False, compare=False)
    link_pred: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    link_succ: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    link_type: npt.NDArray[np.int8] = field(init=False, repr=False, compare=False)
    out_order: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    out_ptr: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    link_lag: npt.NDArray[np.int64] = field(init=False, repr=False, compare=False)
    durations: npt.NDArray[np.int64] = field(init=False, repr=False, compare=False)
    parent_index: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)
    has_children: npt.NDArray[np.bool_] = field(init=False, repr=False, compare=False)
    ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    single_calendar_blocker: str | None = field(init=False, repr=False, compare=False)
    manual_index: npt.NDArray[np.intp] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        acts = tuple(self.activities)
        links = tuple(self.links)
        object.__setattr__(self, "activities", acts)
        object.__setattr__(self, "links", links)
        index: dict[str, int] = {}
        for i, a in enumerate(acts):
            if index.setdefault(a.id, i) != i:
                raise NetworkError(f"duplicate activity id {a.id!r}")
        pred = np.empty(len(links), dtype=np.intp)
        succ = np.empty(len(links), dtype=np.intp)
        types = np.empty(len(links), dtype=np.int8)
        lags = np.empty(len(links), dtype=np.int64)
        for k, ln in enumerate(links):
            p = index.get(ln.pred)
            s = index.get(ln.succ)
            if p is None:
                raise UnknownActivityError(ln.label, ln.pred)
            if s is None:
                raise UnknownActivityError(ln.label, ln.succ)
            if p == s:
                raise NetworkError(f"link {ln.label}: an activity cannot precede itself")
            pred[k], succ[k], types[k] = p, s, _TYPE_CODE[ln.type]
            if ln.lag_kind == "percent":
                lags[k] = round(ln.lag_percent * acts[p].duration_minutes / 100)
            else:
                lags[k] = ln.lag_minutes
        parent = np.full(len(acts), -1, dtype=np.intp)
        for i, a in enumerate(acts):
            if a.parent is None:
                continue
            j = index.get(a.parent)
            if j is None:
                raise UnknownActivityError(f"{a.id} (parent)", a.parent)
            if acts[j].kind != "summary":
                raise NetworkError(f"activity {a.id!r}: parent {a.parent!r} is not a summary")
            parent[i] = j
        self._check_hierarchy(parent, acts)
        has_children = np.zeros(len(acts), dtype=bool)
        has_children[parent[parent >= 0]] = True
        durations = np.fromiter((a.duration_minutes for a in acts), np.int64, len(acts))
        out_ptr = np.zeros(len(acts) + 1, dtype=np.intp)
        np.cumsum(np.bincount(pred, minlength=len(acts)), out=out_ptr[1:])
        object.__setattr__(self, "out_order", np.argsort(pred, kind="stable"))
        object.__setattr__(self, "out_ptr", out_ptr)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "link_lag", lags)
        object.__setattr__(self, "durations", durations)
        object.__setattr__(self, "has_children", has_children)
        object.__setattr__(self, "ids", tuple(index))
        object.__setattr__(self, "link_pred", pred)
        object.__setattr__(self, "link_succ", succ)
        object.__setattr__(self, "single_calendar_blocker", self._blocker(has_children))
        manual = [i for i, a in enumerate(acts) if a.manual]
        object.__setattr__(self, "manual_index", np.asarray(manual, dtype=np.intp))
        object.__setattr__(self, "link_pred", pred)
        object.__setattr__(self, "link_succ", succ)
        object.__setattr__(self, "link_type", types)
        object.__setattr__(self, "parent_index", parent)

    @staticmethod
    def _check_hierarchy(parent: npt.NDArray[np.intp], acts: tuple[Activity, ...]) -> None:
        state = [0] * len(acts)  # 0 new, 1 on the current path, 2 done
        plist = parent.tolist()
        for start in range(len(acts)):
            path = []
            i = start
            while i != -1 and state[i] == 0:
                state[i] = 1
                path.append(i)
                i = plist[i]
            if i != -1 and state[i] == 1:
                raise NetworkError(f"activity {acts[i].id!r} is its own ancestor")
            for j in path:
                state[j] = 2

    def _blocker(self, has_children: npt.NDArray[np.bool_]) -> str | None:
        if self.data_date is not None:
            return "a data date is set"
        if self.must_finish_by is not None:
            return "a must-finish-by date is set"
        cal = self.default_calendar
        for a in self.activities:
            if a.calendar is not None and a.calendar is not cal and a.calendar != cal:
                return f"activity {a.id!r} has its own calendar"
            if a.elapsed or a.kind == "loe":
                return f"activity {a.id!r} is elapsed or level-of-effort"
            if a.constraint_type != "ASAP" or a.deadline is not None:
                return f"activity {a.id!r} has a constraint or deadline"
            if a.actual_start is not None:
                return f"activity {a.id!r} has progress"
            if a.start_milestone:
                return f"activity {a.id!r} is a start milestone"
            if a.splits:
                return f"activity {a.id!r} is split"
        touches = has_children[self.link_pred] | has_children[self.link_succ]
        if touches.any():
            return f"link {self.links[int(np.argmax(touches))].label} touches a summary"
        for ln in self.links:
            if ln.lag_kind == "elapsed":
                return f"link {ln.label} has an elapsed lag"
        return None

    def calendar_of(self, activity: Activity) -> Calendar:
        """The calendar an activity's duration is measured on."""
        return activity.calendar if activity.calendar is not None else self.default_calendar
