from typing import Any

from django.apps import AppConfig


def _can_read(user: Any, program: Any) -> bool:
    from podium.changes.access import can_read

    return can_read(user, program)


class ChangesConfig(AppConfig):
    name = "podium.changes"
    label = "changes"
    verbose_name = "Change requests"

    def ready(self) -> None:
        from podium.core.audit import register_cost_types, register_private_types
        from podium.core.navigation import register_program_tab

        register_cost_types("changes.costline")
        # Their history is as private as the requests themselves.
        register_private_types(
            "changes.changerequest", "changes.changeline", "changes.costline", visible=_can_read
        )

        # Hidden for stakeholders (and anyone else who may not read change requests).
        register_program_tab("Change requests", "changes:list", order=82, visible=_can_read)
