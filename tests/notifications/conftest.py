from __future__ import annotations

from typing import Any

import pytest

PROCESSOR = "podium.notifications.context_processors.notifications"


@pytest.fixture(autouse=True)
def unread_count_in_templates(settings: Any) -> None:
    """The header's unread count comes from this app's context processor (in settings)."""
    templates = [dict(t) for t in settings.TEMPLATES]
    options = dict(templates[0]["OPTIONS"])
    if PROCESSOR not in options["context_processors"]:
        options["context_processors"] = [*options["context_processors"], PROCESSOR]
    templates[0]["OPTIONS"] = options
    settings.TEMPLATES = templates
