"""The Forecast tab and the forecast API: who sees and starts what, empty state, results
with charts and their text alternatives, cost figures only for those who may see costs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from podium.forecast import services
from podium.forecast.models import ForecastRun
from tests.conftest import World
from tests.forecast.conftest import Inputs, risky_inputs


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def ready_run(world: World, capture: Any, use_inputs: Inputs) -> ForecastRun:
    use_inputs(risky_inputs())
    with capture(execute=True):
        run, _ = services.start_forecast(
            actor=world.pm, program=world.alpha, iterations=300, seed=3,
            target=dt.date(2026, 3, 12),
        )  # fmt: skip
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.READY, run.error
    return run


def test_empty_state_and_who_may_run(world: World, scheduled: Any) -> None:
    page = client_for(world.pm).get("/programs/ALPHA/forecast/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "No forecast yet" in html and "Run forecast" in html
    assert 'href="/programs/ALPHA/forecast/"' in html  # the program tab
    html = client_for(world.stakeholder).get("/programs/ALPHA/forecast/").content.decode()
    assert "No forecast yet" in html and "Run forecast" not in html
    assert client_for(world.outsider).get("/programs/ALPHA/forecast/").status_code == 404


def test_starting_from_the_page_shows_the_job_progress(
    world: World, scheduled: Any, use_inputs: Inputs
) -> None:
    use_inputs(risky_inputs())
    pm = client_for(world.pm)
    response = pm.post("/programs/ALPHA/forecast/run/", {"iterations": "500", "seed": "5"})
    assert response.status_code == 302
    run = ForecastRun.objects.get()
    assert (run.iterations, run.seed, run.status) == (500, 5, "running")
    html = pm.get("/programs/ALPHA/forecast/").content.decode()
    assert f"Running forecast #{run.pk}" in html and f"/jobs/{run.job_id}/progress/" in html
    # others see that it runs, without polling a job that is not theirs
    html = client_for(world.stakeholder).get("/programs/ALPHA/forecast/").content.decode()
    assert "is running" in html and "/progress/" not in html
    stakeholder = client_for(world.stakeholder)
    assert (
        stakeholder.post("/programs/ALPHA/forecast/run/", {"iterations": "500"}).status_code == 403
    )
    bad = pm.post("/programs/ALPHA/forecast/run/", {"iterations": "5"}, follow=True)
    assert "Iterations" in bad.content.decode() and ForecastRun.objects.count() == 1


def test_result_page_with_charts_and_text_alternatives(
    world: World,
    scheduled: Any,
    use_inputs: Inputs,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    run = ready_run(world, django_capture_on_commit_callbacks, use_inputs)
    pm = client_for(world.pm)
    pm.get("/programs/ALPHA/forecast/")  # warm the session
    with django_assert_max_num_queries(15):
        page = pm.get("/programs/ALPHA/forecast/")
    html = page.content.decode()
    finish = run.results["finish"]
    assert f'<dd id="p80">{finish["p80"][:10]}</dd>' in html
    assert f'<dd id="deterministic">{run.results["deterministic"][:10]}</dd>' in html
    on_time = round(run.results["probability_on_time"] * 100)
    assert f'<dd id="on-time">{on_time}%</dd>' in html
    for kind in ("histogram", "cumulative", "tornado"):
        assert f'data-chart="{kind}"' in html and f'aria-describedby="{kind}-table"' in html
    tornado = page.context["tornado_data"]
    assert tornado["items"][0]["label"] == "WARD-REFIT · B Rewire"
    histogram = page.context["histogram_data"]
    assert [line["name"] for line in histogram["lines"]] == [
        "P10",
        "P50",
        "P80",
        "P90",
        "Deterministic",
    ]
    assert histogram["target"] == {"name": "Target 2026-03-12", "date": "2026-03-12T23:59"}
    assert "What drives the P80" in html and "risk R-1" in html
    assert 'id="forecast-cost"' in html  # the program manager sees the cost distribution
    assert f'href="/programs/ALPHA/forecast/{run.pk}/"' in html  # the runs list


def test_stakeholders_see_the_forecast_without_costs(
    world: World,
    scheduled: Any,
    use_inputs: Inputs,
    django_capture_on_commit_callbacks: Any,
    api_as: Any,
) -> None:
    run = ready_run(world, django_capture_on_commit_callbacks, use_inputs)
    html = client_for(world.stakeholder).get(f"/programs/ALPHA/forecast/{run.pk}/").content.decode()
    assert 'data-chart="histogram"' in html and 'id="forecast-cost"' not in html
    body = api_as(world.stakeholder).get(f"/programs/ALPHA/forecasts/{run.pk}").json()
    assert "cost" not in body["results"] and body["results"]["finish"] == run.results["finish"]
    assert body["job"] is None  # the job belongs to the program manager
    body = api_as(world.pm).get(f"/programs/ALPHA/forecasts/{run.pk}").json()
    assert body["results"]["cost"]["p50"] > 0 and body["job"]["status"] == "succeeded"


def test_api_start_list_get(
    world: World,
    scheduled: Any,
    use_inputs: Inputs,
    django_capture_on_commit_callbacks: Any,
    api_as: Any,
) -> None:
    use_inputs(risky_inputs())
    pm = api_as(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post("/programs/ALPHA/forecasts", {"iterations": 200, "seed": 9})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "running" and body["seed"] == 9 and body["job"]["status"] == "queued"
    done = pm.get(f"/programs/ALPHA/forecasts/{body['id']}").json()
    assert done["status"] == "ready" and done["results"]["iterations"] == 200
    assert [r["id"] for r in pm.get("/programs/ALPHA/forecasts").json()] == [body["id"]]
    assert api_as(world.stakeholder).post("/programs/ALPHA/forecasts", {}).status_code == 403
    assert api_as(world.outsider).get("/programs/ALPHA/forecasts").status_code == 404
    assert api_as(world.outsider).get(f"/programs/ALPHA/forecasts/{body['id']}").status_code == 404
    refused = pm.post("/programs/ALPHA/forecasts", {"iterations": 5})
    assert refused.status_code == 422 and "iterations" in refused.json()["errors"]
