"""The demo program's forecast: computed while the demo loads, it shows a P50/P80 and a
tornado that name the demo's own activities and the risks the register links to them."""

from __future__ import annotations

from typing import Any

from podium.demo import load_demo
from podium.forecast.demo import DEMO_SEED, seed_forecast
from podium.forecast.models import ForecastRun
from podium.programs.models import Program
from podium.risks.selectors import simulation_inputs


def test_demo_forecast(db: Any) -> None:
    load_demo()
    hdt = Program.objects.get(code="HDT")
    run = ForecastRun.objects.filter(program=hdt).first() or seed_forecast(hdt, hdt.manager)
    assert run.status == ForecastRun.Status.READY, run.error
    assert run.seed == DEMO_SEED
    r = run.results
    assert r["deterministic"] <= r["finish"]["p50"] <= r["finish"]["p80"] <= r["finish"]["p90"]
    assert r["counts"]["activities"] > 50
    inputs = simulation_inputs(hdt)
    if inputs.durations or inputs.risks:  # the risk register's demo is loaded
        assert r["finish"]["p80"] > r["deterministic"]
        uncertain = set(inputs.durations) | {a for risk in inputs.risks for a in risk.activities}
        top = r["sensitivity"][:5]
        assert top and all(str(row["id"]) in uncertain for row in top)
        assert r["drivers"], "the P80 has drivers"
