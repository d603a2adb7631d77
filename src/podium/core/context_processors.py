from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import podium
from podium.core.navigation import program_tabs


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"program_tabs": program_tabs(), "podium_version": podium.__version__}
