"""PSPLIB j30: the resource-free CPM makespan against the files' own figures.

For every j30 instance the CPM makespan in periods must equal the critical-path length
the file states (``MPM-Time``, the CP lower bound) and never exceed the proven optimum
in ``solutions/j30opt.sm``. Skips when ``../shared/data`` is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.engine import schedule
from podium.interchange.psplib import makespan_periods, read_psplib, read_psplib_arrays

pytestmark = pytest.mark.reference

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "psplib"
J30 = DATA / "j30"
OPT = DATA / "solutions" / "j30opt.sm"


def _optima() -> dict[str, int]:
    """``{"j301_1.sm": 43, ...}`` from the table after the dashed rule."""
    out: dict[str, int] = {}
    started = False
    for line in OPT.read_text(encoding="latin-1").splitlines():
        if line.startswith("-----"):
            started = True
            continue
        words = line.split()
        if started and len(words) >= 3 and all(w.isdigit() for w in words[:3]):
            out[f"j30{words[0]}_{words[1]}.sm"] = int(words[2])
    return out


@pytest.mark.skipif(not J30.is_dir() or not OPT.is_file(), reason=f"{J30} is absent")
def test_j30_cpm_makespan_equals_critical_path_and_bounds_the_optimum() -> None:
    optima = _optima()
    files = sorted(J30.glob("*.sm"))
    assert len(files) == 480 and len(optima) == 480
    equal_cp = equal_opt = 0
    wrong: list[str] = []
    for path in files:
        text = path.read_text(encoding="latin-1")
        project = read_psplib(text)
        cpm = makespan_periods(schedule(project.network), project)
        stated = read_psplib_arrays(text).critical_path
        optimum = optima[path.name]
        equal_cp += cpm == stated
        equal_opt += cpm == optimum
        if cpm != stated or cpm > optimum:
            wrong.append(f"{path.name}: CPM {cpm}, MPM-Time {stated}, optimum {optimum}")
    print(f"\nj30: {equal_cp}/480 CPM = MPM-Time; {equal_opt}/480 optimum = CP lower bound")
    assert wrong == []
    # REFERENCE_FIGURES.md: the optimum equals the CP lower bound on 216 j30 instances
    assert equal_opt == 216
