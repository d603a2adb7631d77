"""The forecast page's chart data (kinds ``histogram``, ``cumulative`` and ``tornado`` of
``static/podium/charts.js``), from a run's stored results."""

from __future__ import annotations

from typing import Any

__all__ = ["P_LINES", "cumulative_chart", "histogram_chart", "tornado_chart"]

P_LINES = ("p10", "p50", "p80", "p90")


def _lines(results: dict[str, Any]) -> list[dict[str, str]]:
    finish = results.get("finish") or {}
    lines = [{"key": p, "name": p.upper(), "date": finish[p]} for p in P_LINES if p in finish]
    if results.get("deterministic"):
        lines.append(
            {"key": "deterministic", "name": "Deterministic", "date": results["deterministic"]}
        )
    return lines


def _target(results: dict[str, Any], target: Any) -> dict[str, str] | None:
    if target is None:
        return None
    return {"name": f"Target {target:%Y-%m-%d}", "date": f"{target:%Y-%m-%d}T23:59"}


def histogram_chart(results: dict[str, Any], target: Any = None) -> dict[str, Any]:
    return {
        "bins": results.get("histogram") or [],
        "lines": _lines(results),
        "target": _target(results, target),
    }


def cumulative_chart(results: dict[str, Any], target: Any = None) -> dict[str, Any]:
    return {
        "points": results.get("cumulative") or [],
        "lines": _lines(results),
        "target": _target(results, target),
    }


def label(row: dict[str, Any]) -> str:
    return f"{row['component']} · {row['code']} {row['name']}"


def tornado_chart(results: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "Rank correlation with the finish",
        "items": [
            {"label": label(row), "value": row["value"]} for row in results.get("sensitivity") or []
        ],
    }
