"""THE acceptance test: the demo program's PDF status report opens and shows what the
dashboard and the report page show; a stakeholder's version carries no cost figures."""

from __future__ import annotations

import html
import re
from typing import Any

from podium.accounts.models import User
from podium.dashboard.selectors import program_status
from podium.demo import load_demo
from podium.programs.models import Program
from tests.reports.conftest import pdf_text


def _page_text(response: Any) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def test_demo_pdf_shows_the_dashboard_figures_and_charts(db: Any, client: Any) -> None:
    assert load_demo() is True
    hdt = Program.objects.get(code="HDT")
    pm = User.objects.get(username="pm.alvarez")
    client.force_login(pm)

    page = client.get("/programs/HDT/status-report/")
    assert page.status_code == 200
    shown = _page_text(page)
    response = client.get("/programs/HDT/status-report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)

    assert "Status report — week" in text and "HDT Riverside Regional Hospital" in text
    status = program_status(hdt, pm)
    labels = {"green": "Green", "amber": "Amber", "red": "Red", "grey": "No data"}
    assert len(status.dimensions) == 6
    for d in status.dimensions:
        assert d.label in text
        # the dashboard's headline, word for word, on the page and in the PDF
        assert d.headline in shown and d.headline in text, d.headline
        assert labels[d.rag] in text
    schedule, cost = status.dimension("schedule"), status.dimension("cost")
    spi_t = f"SPI(t) {schedule.figures['spi_t']:.2f}"
    cpi = f"CPI {cost.figures['cpi']:.2f}"
    assert spi_t in text and spi_t in shown
    assert cpi in text and cpi in shown
    # the key figures table: the same values as the dashboard's tiles
    assert f"SPI(t) {schedule.figures['spi_t']:.2f} Planned finish" in text
    bac = f"BAC {cost.figures['bac']:,.0f} EUR"
    assert bac in text and bac in shown
    # the charts (their titles and legends are drawn as text)
    assert "S-curve (EUR)" in text and "PV" in text and "EV" in text
    assert "Benefits by status" in text
    assert "Milestone slip against the baseline" in text

    # The sponsor's stakeholder gets a version without any money.
    sh = User.objects.get(username="sh.ferreira")
    client.force_login(sh)
    theirs = pdf_text(client.get("/programs/HDT/status-report.pdf").content)
    assert "Status by dimension" in theirs and "Benefits by status" in theirs
    for secret in ("CPI", "BAC", "EAC", "S-curve", "EUR", f"{cost.figures['bac']:,.0f}"):
        assert secret not in theirs, secret
    assert "Not visible with your role" in theirs
    assert spi_t in theirs  # an index without money: everyone sees it
    assert "Left out for your role: cost figures" in theirs
    assert "Decisions this week" not in theirs and "Open change requests" not in theirs
