"""`podium evm` as a user runs it, on a small DSLIB workbook built here.

Design (Mon-Tue, 16 h): fixed cost 1,000 at its start and 800 of resources spread;
Build (Wed, 8 h): 160 of variable cost. Status Tuesday 17:00 with Design 75 % done for
an actual cost of 1,700: PV 1,800, EV 1,000 + 0.75 × 800 = 1,600, ES = 12 h (PV reaches
1,600 after 12 h) against AT = 16 h.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.interchange.test_dslib import BASE_HEAD, TP_HEAD
from tests.test_cli import env, run  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

KEYS = {
    "status_date", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "es", "sv_t_hours", "spi_t",
    "p_factor", "eac_t_pf1", "eac_t_pfspi", "eac_t_pfsci",
}  # fmt: skip


def _workbook(path: Path, *, tracking: bool = True) -> Path:
    d = datetime
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Baseline Schedule"
    ws.append(["General", None, None, "Relations", None, "Baseline"])
    ws.append(BASE_HEAD)
    ws.append([0, "Shed", "1", None, None, d(2024, 1, 1, 8), d(2024, 1, 3, 17), "3d",
               None, None, 1000, None, None, 1960])  # fmt: skip
    ws.append([1, "Design", "1.1", None, "FS2", d(2024, 1, 1, 8), d(2024, 1, 2, 17), "2d",
               "Team[1.00 #1]", 800, 1000, 0, 0, 1800])  # fmt: skip
    ws.append([2, "Build", "1.2", "1FS", None, d(2024, 1, 3, 8), d(2024, 1, 3, 17), "1d",
               None, 0, 0, 20, 160, 160])  # fmt: skip
    res = wb.create_sheet("Resources")
    res.append(["General", None, None, None, "Resource Cost"])
    res.append(["ID", "Name", "Type", "Availability", "Cost/Use", "Cost/Unit"])
    res.append([1, "Team", "Renewable", "1", 0, 50])
    agenda = wb.create_sheet("Agenda")
    agenda.append(["Working Hours", None, None, "Working Days", None, None, "Holidays"])
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for h in range(24):
        on = "Yes" if 8 <= h < 17 and h != 12 else "No"
        day = days[h] if h < 7 else None
        day_on = ("Yes" if h < 5 else "No") if h < 7 else None
        agenda.append([f"{h}:00 - {(h + 1) % 24}:00", on, None, day, day_on, None, None])
    if tracking:
        tp = wb.create_sheet("Project Control - TP1")
        tp.append([None, "TP Status Date", d(2024, 1, 2, 17), None, "TP Name", "Tuesday"])
        tp.append([])
        tp.append(["General"])
        tp.append(TP_HEAD)
        design = [1, "Design"] + [None] * 9 + [d(2024, 1, 1, 8), "2d", None, None, "4h"]
        tp.append([*design, None, None, 1700.0, 200, 0.75, "Started"])
        tp.append([2, "Build"] + [None] * 9 + [None, "0", None, None, "1d", None, None, 0, 160, 0])
    wb.save(path)
    return path


def test_evm_prints_the_documented_json(env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    path = _workbook(tmp_path / "shed.xlsx")
    result = run(["evm", str(path), "--json"], env)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"periods"} and len(body["periods"]) == 1
    (period,) = body["periods"]
    assert set(period) == KEYS
    assert period["status_date"] == "2024-01-02T17:00:00"
    assert (period["pv"], period["ev"], period["ac"]) == (1800, 1600, 1700)
    assert (period["sv"], period["cv"]) == (-200, -100)
    assert period["spi"] == pytest.approx(1600 / 1800)
    assert period["cpi"] == pytest.approx(1600 / 1700)
    assert period["es"] == "2024-01-02T12:00:00"
    assert period["sv_t_hours"] == -4 and period["spi_t"] == 0.75
    assert period["p_factor"] == 1.0
    assert period["eac_t_pf1"] == "2024-01-04T12:00:00"  # AT + (PD - ES) = 16 + 12 h
    assert period["eac_t_pfspi"] == "2024-01-04T17:00:00"  # 16 + 12 / 0.75 = 32 h
    assert period["eac_t_pfsci"] == "2024-01-05T09:00:00"  # 16 + 12 / (0.75 × 16/17) = 33 h

    table = run(["evm", str(path)], env)
    assert table.returncode == 0, table.stderr
    assert "Shed" in table.stdout and "2024-01-02T12:00" in table.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.xlsx", b"not a workbook", "not a readable .xlsx workbook"),
        ("plan.xlsx", None, "no tracking periods"),
    ],
)
def test_evm_errors_are_one_line(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is None:
        _workbook(path, tracking=False)
    else:
        path.write_bytes(content)
    result = run(["evm", str(path)], env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and name in lines[0], result.stderr
    assert result.stdout == ""
