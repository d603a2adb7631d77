"""Schedule every MS Project file of ``../shared/data/mspdi`` and compare with what MS
Project stored: Start, Finish, TotalSlack and Critical of every task.

Mismatches the engine does not model yet are listed in :data:`KNOWN` (file -> reason ->
task UIDs) with the rule MS Project applies; a file whose only mismatches are known ones
is marked ``xfail`` (not strict) so the suite stays green while the engine catches up.
Any other mismatch fails. The per-file match rates are printed at the end of the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from podium.engine import schedule
from podium.interchange.mspdi import read_mspdi, write_mspdi

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mspdi"
FIELDS = ("Start", "Finish", "TotalSlack", "Critical")

REASONS = {
    "stale-late-dates": (
        "MS Project data, not an engine rule: the stored LateFinish of these unlinked "
        "tasks is the project finish of an earlier state of the file, as if their late "
        "dates were not recalculated when later tasks moved the finish (no documented "
        "MS Project rule gives it; LateStart/TotalSlack follow from that LateFinish by "
        "the engine's own arithmetic). mspdiduration UID 1-4: LF 2009-04-21 17:00 = "
        "UID 5's finish, the latest of the non-elapsed tasks 1-5, while UID 5 has the "
        "project finish 2009-04-24 08:00 (LF 2009-04-23 17:00). mspditimephased UID "
        "1-6 9 12-14 17-22: LF 2008-12-11 17:00 (2008-12-12 05:00 on the night and "
        "24-hour calendars) = the finish of UID 10/11, the latest of tasks 1-24, while "
        "UID 10/11 and tasks 25-42 have the project finish 2009-01-02. "
        "mspditimephasedsegments UID 2-18: LF 2011-03-04 17:00 = the finish of UID "
        "12-15, except UID 12-15 themselves (LF 2013-05-24, after every finish in the "
        "file: a task since shortened or removed) and UID 19 (LF = UID 20's finish)"
    ),
}


def _uids(spec: str) -> set[str]:
    out: set[str] = set()
    for part in spec.split():
        lo, _, hi = part.partition("-")
        out.update(str(k) for k in range(int(lo), int(hi or lo) + 1))
    return out


KNOWN: dict[str, dict[str, set[str]]] = {
    name: {reason: _uids(spec) for reason, spec in reasons.items()}
    for name, reasons in {
        "mspdiduration.xml": {"stale-late-dates": "1-4"},
        "mspditimephased.xml": {"stale-late-dates": "1-6 9 12-14 17-22"},
        "mspditimephasedsegments.xml": {"stale-late-dates": "2-19"},
    }.items()
}

FILES = sorted(DATA.glob("*.xml")) if DATA.is_dir() else []
PARAMS = [pytest.param(f, id=f.name) for f in FILES] or [
    pytest.param(
        None,
        marks=pytest.mark.skip(reason=f"reference data folder {DATA} is absent"),
        id="no-data",
    )
]


@dataclass
class Rate:
    tasks: int = 0
    matched: dict[str, int] | None = None
    known: int = 0

    def __post_init__(self) -> None:
        self.matched = dict.fromkeys(FIELDS, 0)


RATES: dict[str, Rate] = {}


@pytest.fixture(scope="module", autouse=True)
def _match_rate_table(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not RATES:
        return
    lines = [
        "",
        "MSPDI reference match rates (tasks matching MS Project / tasks)",
        f"{'file':46} {'tasks':>5} " + " ".join(f"{f:>10}" for f in FIELDS) + "  known",
    ]
    for name, rate in sorted(RATES.items()):
        assert rate.matched is not None
        cells = " ".join(f"{100 * rate.matched[f] / rate.tasks:9.1f}%" for f in FIELDS)
        lines.append(f"{name:46} {rate.tasks:5d} {cells}  {rate.known}")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    for line in lines:
        if reporter is not None:
            reporter.write_line(line)
        else:  # pragma: no cover
            print(line)


@pytest.mark.reference
@pytest.mark.parametrize("path", PARAMS)
def test_same_dates_as_ms_project(path: Path) -> None:
    project = read_mspdi(path)
    result = schedule(project.network)
    known = KNOWN.get(path.name, {})
    rate = RATES[path.name] = Rate()
    assert rate.matched is not None
    unexpected: list[str] = []
    explained: set[str] = set()
    for activity in project.network.activities:
        stored = project.stored[activity.id]
        got = result[activity.id]
        rate.tasks += 1
        pairs = {
            "Start": (stored.start, got.start),
            "Finish": (stored.finish, got.finish),
            "TotalSlack": (stored.total_float_minutes, got.total_float_minutes),
            "Critical": (stored.critical, got.critical),
        }
        wrong = []
        for field, (want, have) in pairs.items():
            if want is None or want == have:
                rate.matched[field] += 1
            else:
                wrong.append(f"{field} expected {want} got {have}")
        if not wrong:
            continue
        reasons = [r for r, uids in known.items() if activity.id in uids]
        if reasons:
            explained.update(reasons)
            rate.known += 1
        else:
            unexpected.append(f"UID {activity.id} ({activity.name}): " + "; ".join(wrong))
    assert not unexpected, f"{path.name}: unexplained mismatches:\n" + "\n".join(unexpected)
    if explained:
        pytest.xfail(" | ".join(REASONS[r] for r in sorted(explained)))


@pytest.mark.reference
@pytest.mark.parametrize("path", PARAMS)
def test_round_trip_keeps_network_and_schedule(path: Path) -> None:
    first = read_mspdi(path)
    result = schedule(first.network)
    again = read_mspdi(write_mspdi(first, result), source=f"{path.name} (written)")
    assert again.network.activities == first.network.activities
    assert again.network.links == first.network.links
    assert again.network.default_calendar == first.network.default_calendar
    assert again.calendars == first.calendars
    assert (again.resources, again.assignments, again.baselines) == (
        first.resources,
        first.assignments,
        first.baselines,
    )
    assert list(schedule(again.network)) == list(result)
