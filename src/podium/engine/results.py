r"""What :func:`podium.engine.cpm.schedule` returns.

A :class:`ScheduleResult` keeps the dates as numpy arrays of instants (minutes since
0001-01-01, see :func:`~podium.engine.calendars.to_minutes`) and builds
:class:`ActivityResult` objects with :class:`~datetime.datetime` fields only when asked,
so large schedules stay cheap.

Floats are working minutes of the activity's calendar:
:math:`TF = W(LF) - W(EF)` and :math:`FF_i = \min(TF_i, \min_j \text{slack}(i \to j))`.

Criticality is decided by the scheduler (:math:`TF \le` threshold) except for one rule
applied here, after the passes, so every scheduling path shares it: a manually scheduled
activity (:attr:`~podium.engine.network.Activity.manual`) is never critical, as in MS
Project.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from podium.engine.calendars import from_minutes
from podium.engine.network import Activity

__all__ = ["ActivityResult", "ScheduleResult"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class ActivityResult:
    """Scheduled dates and floats of one activity.

    ``start``/``finish`` are what a scheduling tool shows (actual dates where
    progressed). ``early_*``/``late_*`` are the remaining early/late dates, ``None`` for
    a completed activity (nothing remains). Its floats are ``None`` too under
    ``convention="p6"``; under ``"msproject"`` they are ``0``, as MS Project stores them
    (a completed task is never critical).
    """

    id: str
    name: str
    kind: str
    start: datetime
    finish: datetime
    early_start: datetime | None
    early_finish: datetime | None
    late_start: datetime | None
    late_finish: datetime | None
    total_float_minutes: int | None
    free_float_minutes: int | None
    critical: bool
    complete: bool

    @property
    def summary(self) -> bool:
        """Whether this is a WBS summary activity."""
        return self.kind == "summary"


class ScheduleResult:
    """Per-activity dates, floats and criticality, plus the project finish.

    Attributes
    ----------
    ids : tuple of str
        Activity ids in network order; all arrays follow this order.
    start, finish, early_start, early_finish, late_start, late_finish : ndarray of int64
        Instants in minutes since 0001-01-01 (meaningless where ``complete`` for the
        early/late arrays).
    total_float, free_float : ndarray of int64
        Working minutes on each activity's calendar.
    critical, complete : ndarray of bool
    project_finish : datetime
        Latest finish of all activities.
    method : str
        ``"fast"`` (vectorised single-calendar path) or ``"general"``.
    complete_dates : bool
        Whether :meth:`at` reports a completed activity's floats as ``0`` (MS Project)
        rather than ``None`` (P6).
    """

    def __init__(
        self,
        *,
        ids: Sequence[str],
        activities: Sequence[Activity],
        start: IntArray,
        finish: IntArray,
        early_start: IntArray,
        early_finish: IntArray,
        late_start: IntArray,
        late_finish: IntArray,
        total_float: IntArray,
        free_float: IntArray,
        critical: BoolArray,
        complete: BoolArray,
        project_finish: int,
        driving_pred: npt.NDArray[np.intp],
        driving_succ: npt.NDArray[np.intp],
        method: str,
        manual_index: npt.NDArray[np.intp] | None = None,
        complete_dates: bool = False,
    ) -> None:
        self.ids = tuple(ids)
        self._activities = activities
        self.start = start
        self.finish = finish
        self.early_start = early_start
        self.early_finish = early_finish
        self.late_start = late_start
        self.late_finish = late_finish
        self.total_float = total_float
        self.free_float = free_float
        if manual_index is None:
            manual_index = np.asarray([i for i, a in enumerate(activities) if a.manual], np.intp)
        manual = manual_index
        if manual.size:  # MS Project never marks a manually scheduled task critical
            critical = critical.copy()
            critical[manual] = False
        self.critical = critical
        self.complete = complete
        self.project_finish_minutes = int(project_finish)
        self.driving_pred = driving_pred
        self.driving_succ = driving_succ
        self.method = method
        self.complete_dates = complete_dates
        self._index: dict[str, int] | None = None

    @property
    def project_finish(self) -> datetime:
        """The latest finish over all activities."""
        return from_minutes(self.project_finish_minutes)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, activity_id: str) -> int:
        """Index of ``activity_id`` in the arrays."""
        if self._index is None:
            self._index = {a: i for i, a in enumerate(self.ids)}
        return self._index[activity_id]

    def at(self, i: int) -> ActivityResult:
        """The result of the activity at array position ``i``."""
        done = bool(self.complete[i])
        hidden = done and not self.complete_dates

        def opt(arr: IntArray) -> datetime | None:
            return None if done else from_minutes(int(arr[i]))

        return ActivityResult(
            id=self.ids[i],
            name=self._activities[i].name,
            kind=self._activities[i].kind,
            start=from_minutes(int(self.start[i])),
            finish=from_minutes(int(self.finish[i])),
            early_start=opt(self.early_start),
            early_finish=opt(self.early_finish),
            late_start=opt(self.late_start),
            late_finish=opt(self.late_finish),
            total_float_minutes=None if hidden else 0 if done else int(self.total_float[i]),
            free_float_minutes=None if hidden else 0 if done else int(self.free_float[i]),
            critical=bool(self.critical[i]),
            complete=done,
        )

    def __getitem__(self, activity_id: str) -> ActivityResult:
        return self.at(self.position(activity_id))

    def __iter__(self) -> Iterator[ActivityResult]:
        return (self.at(i) for i in range(len(self.ids)))

    def critical_ids(self) -> list[str]:
        """Ids of critical activities (:math:`TF \\le` threshold), by early start."""
        idx = np.flatnonzero(self.critical)
        idx = idx[np.argsort(self.start[idx], kind="stable")]
        return [self.ids[i] for i in idx.tolist()]

    def longest_path(self) -> list[str]:
        """Activities on the longest path, by start.

        Starts from the activities finishing at the project finish and walks back over
        driving links (links whose constraint decided the successor's early date, and
        from a summary to the children that set its finish). Summaries are not listed.
        """
        n = len(self.ids)
        summary = np.fromiter((a.kind == "summary" for a in self._activities), dtype=bool, count=n)
        ends = np.flatnonzero(
            (self.finish == self.project_finish_minutes) & ~summary & ~self.complete
        )
        preds: dict[int, list[int]] = {}
        for p, s in zip(self.driving_pred.tolist(), self.driving_succ.tolist(), strict=True):
            preds.setdefault(s, []).append(p)
        seen = set(ends.tolist())
        queue = deque(seen)
        while queue:
            for p in preds.get(queue.popleft(), ()):
                if p not in seen and not self.complete[p]:
                    seen.add(p)
                    queue.append(p)
        order = sorted((i for i in seen if not summary[i]), key=lambda i: (int(self.start[i]), i))
        return [self.ids[i] for i in order]

    def datetimes(self, name: str) -> npt.NDArray[np.datetime64]:
        """One of the instant arrays (``"start"``, ``"late_finish"``…) as ``datetime64[m]``."""
        arr: IntArray = getattr(self, name)
        base = np.datetime64("0001-01-01T00:00", "m")
        return base + arr.astype("timedelta64[m]")
