r"""Read Primavera P6 XER files into :class:`~podium.interchange.base.ProjectFile`.

An XER file is tab-separated text: an ``ERMHDR`` header line, then for each table a
``%T name`` line, a ``%F field…`` line and ``%R value…`` rows, and ``%E`` at the end.
It is usually Windows-1252; other code pages are detected (UTF-8, a Cyrillic
``CURRTYPE`` euro sign) or given with ``encoding=``.

Tables read: ``PROJECT`` and ``SCHEDOPTIONS`` (data date, options), ``CALENDAR``
(``clndr_data``, see :mod:`podium.interchange.xer_calendars`), ``PROJWBS`` (WBS codes),
``TASK``, ``TASKPRED``, ``RSRC``, ``RSRCRATE`` and ``TASKRSRC``. Durations, lags and
floats are stored in hours and converted to minutes (:math:`m = \mathrm{round}(60 h)`).

Mapping onto the engine:

==========================  ==========================================================
``task_code``               activity id
``TT_Task``/``TT_Rsrc``     task; ``TT_Mile`` start milestone, ``TT_FinMile``
                            (finish) milestone; ``TT_LOE`` loe
``TT_WBS``                  summary over the activities of its WBS subtree (its
                            links are dropped: P6 never lets them drive)
``cstr_type``               ``CS_MSO`` MSO, ``CS_MEO`` MFO, ``CS_MSOA`` SNET,
                            ``CS_MSOB`` SNLT, ``CS_MEOA`` FNET, ``CS_MEOB`` FNLT,
                            ``CS_ALAP``, ``CS_MANDSTART``, ``CS_MANDFIN``
``last_recalc_date``        data date; ``plan_start_date`` project start
``plan_end_date``           must-finish-by date (late dates count back from it)
``sched_progress_override`` progress override, else retained logic
``sched_calendar_on_``…     lag calendar (predecessor, successor, 24 h, project)
``critical_drtn_hr_cnt``    critical float threshold
==========================  ==========================================================

Every network is scheduled with ``ScheduleOptions(convention="p6")`` (P6's placement
of milestones, finish-type links, mandatory constraints and ALAP dates).

Examples
--------
>>> text = "\n".join([
...     "ERMHDR\t19.12\t2024-01-01\tProject\tadmin\tAdmin\tdb\tProject Management\tUSD",
...     "%T\tPROJECT", "%F\tproj_id\tproj_short_name\tplan_start_date\tlast_recalc_date",
...     "%R\t1\tDEMO\t2024-01-01 00:00\t2024-01-01 00:00",
...     "%T\tTASK", "%F\ttask_id\tproj_id\ttask_code\ttask_name\ttask_type\ttarget_drtn_hr_cnt",
...     "%R\t10\t1\tA100\tDesign\tTT_Task\t16", "%R\t11\t1\tA110\tBuild\tTT_Task\t8",
...     "%T\tTASKPRED", "%F\ttask_id\tpred_task_id\tpred_type\tlag_hr_cnt",
...     "%R\t11\t10\tPR_FS\t0", "%E"])
>>> [project] = read_xer(text.encode("cp1252"))
>>> project.name, [a.id for a in project.network.activities]
('DEMO', ['A100', 'A110'])
>>> from podium.engine import schedule
>>> schedule(project.network)["A110"].early_finish
datetime.datetime(2024, 1, 3, 17, 0)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from podium.engine.calendars import Calendar
from podium.engine.errors import NetworkError, ParseError
from podium.engine.network import (
    Activity,
    ActivityKind,
    ConstraintType,
    LagCalendar,
    Link,
    LinkType,
    Network,
    ScheduleOptions,
)
from podium.interchange.base import Assignment, ProjectFile, Resource, StoredDates
from podium.interchange.xer_calendars import CalendarDataError, parse_calendar_data
from podium.interchange.xer_tables import (
    XerRow,
    XerTable,
    _decode,
    _Reader,
    read_xer_tables,
)

__all__ = ["XerTable", "read_xer", "read_xer_tables"]

_KIND: dict[str, ActivityKind] = {
    "TT_Task": "task",
    "TT_Rsrc": "task",
    "TT_Mile": "milestone",
    "TT_FinMile": "milestone",
    "TT_LOE": "loe",
    "TT_WBS": "summary",
}
_CONSTRAINT = {
    "CS_MSO": ConstraintType.MSO,
    "CS_MEO": ConstraintType.MFO,
    "CS_MSOA": ConstraintType.SNET,
    "CS_MSOB": ConstraintType.SNLT,
    "CS_MEOA": ConstraintType.FNET,
    "CS_MEOB": ConstraintType.FNLT,
    "CS_ALAP": ConstraintType.ALAP,
    "CS_MANDSTART": ConstraintType.MANDATORY_START,
    "CS_MANDFIN": ConstraintType.MANDATORY_FINISH,
}
_LINK: dict[str, LinkType] = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
_LAG_CAL: dict[str, LagCalendar] = {
    "rcal_predecessor": "predecessor",
    "rcal_successor": "successor",
    "rcal_24hour": "24h",
    "rcal_projdefault": "project",
}
_RSRC_KIND: dict[str, Literal["work", "material", "cost"]] = {
    "RT_Labor": "work",
    "RT_Equip": "work",
    "RT_Mat": "material",
}


# ---------------------------------------------------------------------------- reading


def read_xer(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    source: str | None = None,
    encoding: str | None = None,
) -> list[ProjectFile]:
    """Read every project of a P6 XER file.

    Parameters
    ----------
    path_or_bytes : path or bytes
        The file, or its raw bytes.
    source : str, optional
        Name used in error messages and :attr:`ProjectFile.source` (default: the path,
        or ``"<xer>"`` for bytes).
    encoding : str, optional
        Code page of the file; by default UTF-8 when the bytes are valid UTF-8, else
        Windows-1252 (Windows-1251 when the currency table says so).

    Returns
    -------
    list of ProjectFile
        One per ``PROJECT`` row, in file order, each with a network ready for
        :func:`podium.engine.schedule` (options, data date and calendars set) and the
        dates P6 stored in ``stored``.

    Raises
    ------
    ParseError
        ``FILE:LINE: reason`` for undecodable bytes, a broken table structure, a
        missing table or field, a bad number or date, bad ``clndr_data``, a link to an
        unknown activity or a network the engine rejects.
    """
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
        name = source or "<xer>"
    else:
        name = source or str(path_or_bytes)
        try:
            data = Path(path_or_bytes).read_bytes()
        except OSError as exc:
            raise ParseError(name, 0, f"cannot read the file: {exc.strerror or exc}") from None
    text = _decode(data, name, encoding)
    reader = _Reader(name, read_xer_tables(text, name))
    return _Builder(reader).projects()


@dataclass
class _Task:
    row: XerRow
    proj: str
    code: str


class _Builder:
    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.calendars = self._calendars()
        self.tasks: dict[str, _Task] = {}
        for row in reader.table("TASK"):
            tid = row.get("task_id")
            code = row.get("task_code")
            if not tid or not code:
                raise reader.error(row.line, "task without task_id or task_code")
            if tid in self.tasks:
                raise reader.error(row.line, f"duplicate task_id {tid}")
            self.tasks[tid] = _Task(row, row.get("proj_id"), code)
        self.options = {row.get("proj_id"): row for row in reader.table("SCHEDOPTIONS")}
        self.wbs = {row.get("wbs_id"): row for row in reader.table("PROJWBS")}

    # ------------------------------------------------------------------ calendars
    def _calendars(self) -> dict[str, tuple[Calendar, int]]:
        rows = {row.get("clndr_id"): row for row in self.r.table("CALENDAR")}
        out: dict[str, tuple[Calendar, int]] = {}

        def build(cid: str, seen: tuple[str, ...]) -> Calendar:
            if cid in out:
                return out[cid][0]
            row = rows[cid]
            if cid in seen:
                raise self.r.error(row.line, f"calendar {cid}: base calendars form a loop")
            base_id = row.get("base_clndr_id")
            base = build(base_id, (*seen, cid)) if base_id in rows else None
            name = row.get("clndr_name") or f"Calendar {cid}"
            try:
                cal = parse_calendar_data(row.get("clndr_data"), name=name, base=base)
            except (CalendarDataError, NetworkError) as exc:
                raise self.r.error(row.line, f"calendar {cid} ({name}): {exc}") from None
            out[cid] = (cal, row.line)
            return cal

        for cid in rows:
            build(cid, ())
        return out

    def calendar(self, cid: str, line: int) -> Calendar:
        got = self.calendars.get(cid)
        if got is None:
            raise self.r.error(line, f"unknown calendar clndr_id {cid}")
        return got[0]

    # ------------------------------------------------------------------ projects
    def projects(self) -> list[ProjectFile]:
        rows = list(self.r.table("PROJECT", required=True))
        if not rows:
            raise self.r.error(self.r.table("PROJECT").line, "table PROJECT has no rows")
        preds = self._links()
        resources = self._resources()
        assignments = self._assignments()
        return [self._project(row, preds, resources, assignments) for row in rows]

    def _options(self, proj: XerRow) -> ScheduleOptions:
        opts = self.options.get(proj.get("proj_id"))

        def flag(name: str, default: str) -> str:
            value = (opts.get(name) if opts is not None else "") or proj.get(name)
            return value or default

        override = flag("sched_progress_override", "N") == "Y"
        lag = flag("sched_calendar_on_relationship_lag", "rcal_Predecessor").lower()
        threshold = 0
        if proj.get("critical_path_type", "CT_TotFloat") in ("", "CT_TotFloat"):
            threshold = self.r.minutes(proj, "critical_drtn_hr_cnt") or 0
        return ScheduleOptions(
            progress="progress_override" if override else "retained_logic",
            lag_calendar=_LAG_CAL.get(lag, "predecessor"),
            critical_float_minutes=threshold,
            convention="p6",
        )

    def _wbs_code(self, wbs_id: str) -> str:
        parts: list[str] = []
        seen: set[str] = set()
        while wbs_id in self.wbs and wbs_id not in seen:
            seen.add(wbs_id)
            row = self.wbs[wbs_id]
            if row.get("proj_node_flag") != "Y":
                parts.append(row.get("wbs_short_name"))
            wbs_id = row.get("parent_wbs_id")
        return ".".join(reversed(parts))

    def _project(
        self,
        proj: XerRow,
        preds: dict[str, list[tuple[XerRow, _Task]]],
        resources: list[Resource],
        assignments: list[tuple[str, Assignment]],
    ) -> ProjectFile:
        r = self.r
        pid = proj.get("proj_id")
        name = proj.get("proj_short_name") or f"project {pid}"
        data_date = r.date(proj, "last_recalc_date")
        start = r.date(proj, "plan_start_date") or data_date
        if start is None:
            raise r.error(proj.line, f"project {name}: no plan_start_date")
        default_id = proj.get("clndr_id")
        if default_id:
            default = self.calendar(default_id, proj.line)
        else:
            flagged = [c for c, (_, line) in self.calendars.items() if self._is_default(c)] or list(
                self.calendars
            )
            default = self.calendars[flagged[0]][0] if flagged else Calendar.standard()
        mine = [t for t in self.tasks.values() if t.proj == pid]
        codes: dict[str, str] = {}
        for t in mine:
            if t.code in codes.values():
                raise r.error(t.row.line, f"duplicate task_code {t.code} in project {name}")
            codes[t.row.get("task_id")] = t.code
        parents = self._wbs_parents(mine)
        activities = [self._activity(t, parents.get(t.code), default) for t in mine]
        links: list[Link] = []
        for t in mine:
            for row, pred in preds.get(t.row.get("task_id"), []):
                if pred.proj != pid:
                    continue  # a cross-project link: P6 takes the other project as fixed
                if "TT_WBS" in (t.row.get("task_type"), pred.row.get("task_type")):
                    continue  # P6: a WBS summary's links neither move it nor drive
                lag = r.minutes(row, "lag_hr_cnt") or 0
                ptype = row.get("pred_type", "PR_FS") or "PR_FS"
                if ptype not in _LINK:
                    raise r.error(row.line, f"unknown pred_type {ptype}")
                links.append(Link(pred.code, t.code, _LINK[ptype], lag))
        try:
            network = Network(
                activities=activities,
                links=links,
                project_start=start,
                default_calendar=default,
                data_date=data_date,
                options=self._options(proj),
                must_finish_by=r.date(proj, "plan_end_date"),
            )
        except NetworkError as exc:
            raise r.error(proj.line, f"project {name}: {exc}") from None
        mine_ids = {t.row.get("task_id") for t in mine}
        return ProjectFile(
            name=name,
            format="xer",
            network=network,
            source=r.source,
            calendars={c.name: c for c, _ in self.calendars.values()},
            resources=resources,
            assignments=[a for tid, a in assignments if tid in mine_ids],
            stored={t.code: self._stored(t.row) for t in mine},
            wbs={t.code: self._wbs_code(t.row.get("wbs_id")) for t in mine},
        )

    def _is_default(self, cid: str) -> bool:
        return any(
            row.get("clndr_id") == cid and row.get("default_flag") == "Y"
            for row in self.r.table("CALENDAR")
        )

    def _wbs_parents(self, tasks: list[_Task]) -> dict[str, str]:
        """Each activity's nearest enclosing WBS summary activity (``TT_WBS``), if any.

        P6 spans a WBS summary from the earliest start to the latest finish of the
        activities of its WBS subtree; its own relationships are dropped by the reader
        (they never move it nor its successors, see :meth:`_project`).
        """
        summary_of = {
            t.row.get("wbs_id"): t.code for t in tasks if t.row.get("task_type") == "TT_WBS"
        }
        if not summary_of:
            return {}
        return self._nest(tasks, summary_of)

    def _nest(self, tasks: list[_Task], summary_of: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for t in tasks:
            wbs_id = t.row.get("wbs_id")
            own = t.row.get("task_type") == "TT_WBS"
            if own:
                wbs_id = self.wbs[wbs_id].get("parent_wbs_id") if wbs_id in self.wbs else ""
            seen: set[str] = set()
            while wbs_id and wbs_id not in seen:
                seen.add(wbs_id)
                if wbs_id in summary_of:
                    out[t.code] = summary_of[wbs_id]
                    break
                wbs_id = self.wbs[wbs_id].get("parent_wbs_id") if wbs_id in self.wbs else ""
        return out

    def _activity(self, t: _Task, parent: str | None, default: Calendar) -> Activity:
        r, row = self.r, t.row
        ttype = row.get("task_type", "TT_Task") or "TT_Task"
        kind = _KIND.get(ttype)
        if kind is None:
            raise r.error(row.line, f"task {t.code}: unknown task_type {ttype}")
        # a calendar the export left out: P6's import falls back to the project default
        cal = self.calendars.get(row.get("clndr_id"), (default, 0))[0]
        duration = r.minutes(row, "target_drtn_hr_cnt") or 0
        if kind == "milestone":
            duration = 0
        status = row.get("status_code", "TK_NotStart")
        actual_start = r.date(row, "act_start_date") if status != "TK_NotStart" else None
        actual_finish = r.date(row, "act_end_date") if status == "TK_Complete" else None
        if actual_finish is not None and actual_start is None:
            actual_start = actual_finish
        remaining = None
        if actual_start is not None and actual_finish is None:
            remaining = r.minutes(row, "remain_drtn_hr_cnt")
            if remaining is not None and remaining < 0:
                raise r.error(row.line, f"task {t.code}: negative remain_drtn_hr_cnt")
        pct = r.number(row, "phys_complete_pct")
        ctype = ConstraintType.ASAP
        cdate = None
        code = row.get("cstr_type")
        if code:
            if code not in _CONSTRAINT:
                raise r.error(row.line, f"task {t.code}: unknown cstr_type {code}")
            ctype = _CONSTRAINT[code]
            cdate = r.date(row, "cstr_date")
            if ctype not in (ConstraintType.ASAP, ConstraintType.ALAP) and cdate is None:
                raise r.error(row.line, f"task {t.code}: {code} without cstr_date")
        try:
            return Activity(
                id=t.code,
                name=row.get("task_name"),
                duration_minutes=duration,
                calendar=cal,
                kind=kind,
                parent=parent,
                constraint_type=ctype,
                constraint_date=cdate,
                actual_start=actual_start,
                actual_finish=actual_finish,
                remaining_minutes=remaining,
                percent_complete=pct if pct is not None and 0 <= pct <= 100 else None,
                start_milestone=ttype == "TT_Mile",
            )
        except NetworkError as exc:
            raise r.error(row.line, str(exc)) from None

    def _stored(self, row: XerRow) -> StoredDates:
        r = self.r
        done = row.get("status_code") == "TK_Complete"

        def pick(*names: str) -> datetime | None:
            if done:
                return None
            for n in names:
                got = r.date(row, n)
                if got is not None:
                    return got
            return None

        es = pick("early_start_date", "restart_date")
        ef = pick("early_end_date", "reend_date")
        tf = None if done else r.minutes(row, "total_float_hr_cnt")
        ff = None if done else r.minutes(row, "free_float_hr_cnt")
        crit = row.get("driving_path_flag")
        return StoredDates(
            start=r.date(row, "act_start_date") or es,
            finish=r.date(row, "act_end_date") or ef,
            early_start=es,
            early_finish=ef,
            late_start=pick("late_start_date", "rem_late_start_date"),
            late_finish=pick("late_end_date", "rem_late_end_date"),
            total_float_minutes=tf,
            free_float_minutes=ff,
            critical=None if not crit else crit == "Y",
        )

    # ------------------------------------------------------------------ links, resources
    def _links(self) -> dict[str, list[tuple[XerRow, _Task]]]:
        out: dict[str, list[tuple[XerRow, _Task]]] = {}
        for row in self.r.table("TASKPRED"):
            succ = self.tasks.get(row.get("task_id"))
            pred = self.tasks.get(row.get("pred_task_id"))
            if succ is None:
                raise self.r.error(row.line, f"link to unknown task_id {row.get('task_id')!r}")
            if pred is None:
                raise self.r.error(
                    row.line, f"link from unknown pred_task_id {row.get('pred_task_id')!r}"
                )
            out.setdefault(row.get("task_id"), []).append((row, pred))
        return out

    def _resources(self) -> list[Resource]:
        rates: dict[str, XerRow] = {}
        for row in self.r.table("RSRCRATE"):
            rid = row.get("rsrc_id")
            old = rates.get(rid)
            if old is None or row.get("start_date") >= old.get("start_date"):
                rates[rid] = row
        out: list[Resource] = []
        for row in self.r.table("RSRC"):
            rid = row.get("rsrc_id")
            rate = rates.get(rid)
            cost = self.r.number(rate, "cost_per_qty", 0.0) if rate is not None else 0.0
            units = self.r.number(rate, "max_qty_per_hr", 1.0) if rate is not None else 1.0
            cid = row.get("clndr_id")
            out.append(
                Resource(
                    id=row.get("rsrc_short_name") or rid,
                    name=row.get("rsrc_name") or rid,
                    kind=_RSRC_KIND.get(row.get("rsrc_type"), "work"),
                    max_units=units if units is not None else 1.0,
                    calendar=self.calendars[cid][0].name if cid in self.calendars else None,
                    standard_rate=cost or 0.0,
                )
            )
        return out

    def _assignments(self) -> list[tuple[str, Assignment]]:
        names = {row.get("rsrc_id"): row.get("rsrc_short_name") for row in self.r.table("RSRC")}
        out: list[tuple[str, Assignment]] = []
        for row in self.r.table("TASKRSRC"):
            task = self.tasks.get(row.get("task_id"))
            if task is None:
                raise self.r.error(
                    row.line, f"assignment to unknown task_id {row.get('task_id')!r}"
                )
            rid = row.get("rsrc_id")
            if not rid:
                continue  # a role assignment without a resource
            work = self.r.number(row, "target_qty")
            units = self.r.number(row, "target_qty_per_hr", 1.0)
            cost = self.r.number(row, "target_cost")
            out.append(
                (
                    row.get("task_id"),
                    Assignment(
                        activity_id=task.code,
                        resource_id=names.get(rid) or rid,
                        units=units if units is not None else 1.0,
                        work_minutes=None if work is None else round(work * 60),
                        cost=cost,
                    ),
                )
            )
        return out
