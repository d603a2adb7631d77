"""Podium's schedule of every P6 export in ``../shared/data/xer`` against P6's own dates.

For each project of each file: read it, schedule it with the options the file declares
and compare, for every activity where P6 stored them (a stored total float marks an
activity P6 scheduled; older samples carry hand-typed planned dates without one), the
remaining early/late start and finish and the total float (WBS summaries excluded). A
per-file match-rate table is printed at the end of the run.

Mismatches whose cause is a known engine gap (see ``ENGINE_GAPS``) are expected
failures while the engine catches up; the match rate must still not drop below the
floor recorded there, so a reader regression fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from podium.engine import ParseError, schedule
from podium.interchange.base import ProjectFile
from podium.interchange.xer import read_xer

pytestmark = pytest.mark.reference

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "xer"
FILES = sorted(DATA.glob("*.xer")) if DATA.is_dir() else []
INVALID = {"mpxj-invalid-8.4.xer"}
LABELS = {
    "early_start": "ES",
    "early_finish": "EF",
    "late_start": "LS",
    "late_finish": "LF",
    "total_float_minutes": "TF",
}
FIELDS = ("early_start", "early_finish", "late_start", "late_finish", "total_float_minutes")

# Engine gaps, (file, project) -> (lowest accepted match rate, cause). Diagnosed one by
# one; each reason names the P6 rule the engine does not implement yet. Fixed so far
# (now exact): start milestones, finish-milestone late dates, SF/FF finishes kept at a
# day start, data-date floor, ALAP early dates, project must-finish-by, completed
# predecessors past the data date, SS lags already run by progress, completed
# successors bounding open predecessors (retained logic), finish links of started
# successors under progress override, WBS summary links.
P6_60_MINUTE = (
    "P6 6.0 keeps a finish that an SF link lands on a day start one minute later "
    "(08:01) and a late start one minute earlier (15:59); P6 8.2+ (wk2) keeps 08:00 and "
    "the engine follows the later versions. Not documented, and this is the only 5.x/6.x "
    "export with an SF link (its one PR_SF), so no version rule can be confirmed"
)
LEVELED = (
    "P6's early dates of activities are later than any logic, constraint or calendar "
    "allows: the schedule was resource-leveled (not in the CPM engine; the file keeps "
    "only the level_* options, no leveled-date columns). BFBPS13: 254 of 1,220 early "
    "starts later than CPM, 1,206 late starts equal; BFBPS14: 593 early starts later, "
    "and leveling pushed the project finish from 1 to 4 Nov 2022, so 1,102 late starts "
    "are later too"
)
EMPTY_CALENDARS = (
    "the export has empty clndr_data '(0||()())' for the shift calendars (24 / 2S,7-19 "
    "/ 12S,19-7) with the default day_hr_cnt 8 / week_hr_cnt 40, so nothing declares "
    "their shifts; the reader falls back to P6's default Mon-Fri 8-12, 13-17 week, the "
    "best of the weeks tried on the file (245 of its 660 values match; Mon-Fri 8-16: "
    "202, Mon-Fri 8-17: 106, 24 h x 7: 48), "
    "and calendar 6501 of project 4351 is not exported at all"
)
CROSS_PROJECT = (
    "A7720/A7770/A7820 have no predecessor in the export (their one link is an FF into "
    "M1320 of project 10001) and no constraint, yet P6 starts them months after the data "
    "date: the logic that drove them was not exported (external_early_start_date is "
    "empty, and their restart_date lies 2-6 months after early_start_date, which a "
    "fresh P6 schedule never leaves: the stored early dates are stale)"
)
STALE_HOLIDAYS = (
    "P6's stored dates ignore the 24 holidays of the 'Trades - 5 Day Workweek' calendar "
    "(with them removed 650 of 655 values match; the progressed copy EC00610 honours "
    "them): computed before the holidays were added. Left over: ALAP start milestone "
    "EC1420 five days off its ALAP successor on both sides"
)
STALE_DURATIONS = (
    "P6's stored early/late dates predate an import (2011-03-23 11:59: every TASK "
    "update_date, and create_date of 102 of the 417 TASKRSRC rows, none of which has "
    "rem_late dates). The import duplicated assignments with lags and P6 set the 8 "
    "activities' remaining durations to the span of their driving assignments (EC2170: "
    "1,968 h of work + Elec's 240 h lag = remain_drtn_hr_cnt 2,208 h), as documented "
    "for Drive Activity Dates; restart/reend already span 2,208 h but early dates still "
    "span 1,968 h. 58 of 108 not-started activities have restart/reend != early dates "
    "(0 in every other sample). Podium schedules the file's durations"
)
ENGINE_GAPS: dict[tuple[str, str], tuple[float, str]] = {
    ("XER-Parser-bhatticoder-CONSRTRUCTION.xer", "KH 10"): (0.96, P6_60_MINUTE),
    ("xer-parser-Jaggelas-test.xer", "935"): (0.40, CROSS_PROJECT),
    ("xer-to-csv-converter-HarbourPointe.xer", "EC00610"): (0.84, STALE_DURATIONS),
    ("xer-to-csv-converter-HarbourPointe-Baseline.xer", "Harbour Pointe - B2"): (
        0.21,
        STALE_HOLIDAYS,
    ),
    ("xer-to-csv-converter-Johnstown.xer", "NRG00820"): (0.37, EMPTY_CALENDARS),
    ("xer-to-csv-converter-Johnstown.xer", "NRG00870"): (0.20, EMPTY_CALENDARS),
    ("xer_pro-BFBPS13.xer", "BFBPS13"): (0.865, LEVELED),
    ("xer_pro-BFBPS14.xer", "BFBPS14"): (0.21, LEVELED),
}


@dataclass
class Outcome:
    compared: int = 0
    matched: int = 0
    by_field: dict[str, tuple[int, int]] | None = None


RESULTS: dict[tuple[str, str], Outcome] = {}


def _projects() -> Iterator[object]:
    if not FILES:
        yield pytest.param(
            None,
            None,
            marks=pytest.mark.skip(reason=f"reference data not found at {DATA}"),
            id="no-data",
        )
        return
    for path in FILES:
        if path.name in INVALID:
            continue
        for project in read_xer(path):
            yield pytest.param(path, project, id=f"{path.stem}::{project.name}")


@pytest.fixture(scope="module", autouse=True)
def match_table(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not RESULTS:
        return
    reporter.write_line("")
    reporter.write_line("P6 XER reference: values equal to P6's (ES, EF, LS, LF, TF)")
    per_file: dict[str, list[int]] = {}
    for (file, project), out in sorted(RESULTS.items()):
        parts = " ".join(f"{LABELS[k]}={m}/{n}" for k, (m, n) in (out.by_field or {}).items())
        rate = out.matched / out.compared if out.compared else 1.0
        reporter.write_line(f"  {file:55} {project:22} {rate:7.1%}  {parts}")
        acc = per_file.setdefault(file, [0, 0])
        acc[0] += out.matched
        acc[1] += out.compared
    total = [sum(v[0] for v in per_file.values()), sum(v[1] for v in per_file.values())]
    reporter.write_line(
        f"  overall {total[0]}/{total[1]} = {total[0] / max(total[1], 1):.1%} "
        f"over {len(per_file)} files"
    )


def _compare(project: ProjectFile) -> tuple[Outcome, list[str]]:
    result = schedule(project.network)
    kinds = {a.id: a.kind for a in project.network.activities}
    out = Outcome(by_field={})
    assert out.by_field is not None
    misses: list[str] = []
    for aid, stored in project.stored.items():
        if kinds[aid] == "summary" or stored.total_float_minutes is None:
            continue  # P6 stores a float wherever it computed the schedule
        got = result[aid]
        for name in FIELDS:
            want = getattr(stored, name)
            if want is None:
                continue
            have = getattr(got, name)
            m, n = out.by_field.get(name, (0, 0))
            ok = have == want
            out.by_field[name] = (m + ok, n + 1)
            out.compared += 1
            out.matched += ok
            if not ok:
                misses.append(f"{aid} {name}: P6 {want}, Podium {have}")
    return out, misses


@pytest.mark.parametrize(("path", "project"), list(_projects()))
def test_schedule_matches_p6(path: Path, project: ProjectFile) -> None:
    out, misses = _compare(project)
    RESULTS[(path.name, project.name)] = out
    if not misses:
        return
    rate = out.matched / out.compared
    gap = ENGINE_GAPS.get((path.name, project.name))
    summary = f"{len(misses)} of {out.compared} values differ ({rate:.1%} match)"
    if gap is None or rate < gap[0]:
        pytest.fail(f"{summary}; first: " + "; ".join(misses[:5]))
    pytest.xfail(f"{summary}: {gap[1]}")


@pytest.mark.skipif(not (DATA / "mpxj-invalid-8.4.xer").exists(), reason="no reference data")
def test_invalid_calendar_is_a_parse_error() -> None:
    path = DATA / "mpxj-invalid-8.4.xer"
    with pytest.raises(ParseError) as info:
        read_xer(path)
    assert info.value.line_or_element == 33
    assert "calendar 180" in str(info.value) and "clndr_data" in str(info.value)


@pytest.mark.skipif(not (DATA / "aspose-encoding1251.xer").exists(), reason="no reference data")
def test_cp1251_sample_reads_cyrillic_names() -> None:
    [project] = read_xer(DATA / "aspose-encoding1251.xer")
    assert [a.name for a in project.network.activities] == ["Задача 1", "Тест2"]
