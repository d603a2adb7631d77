from typing import Any

from django.apps import AppConfig


def _is_stakeholder(user: Any, program: Any) -> bool:
    from podium.programs.models import Role
    from podium.programs.permissions import roles_in

    return Role.STAKEHOLDER in roles_in(user, program)


class DeliveryConfig(AppConfig):
    name = "podium.delivery"
    label = "delivery"
    verbose_name = "Deliverables and transition"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab

        register_program_tab("Deliverables", "delivery:board", order=55)
        # Stakeholders' own list (anyone named as accepting stakeholder also finds it
        # from the board's "waiting for your acceptance" button).
        register_program_tab(
            "My acceptances", "delivery:acceptances", order=56, visible=_is_stakeholder
        )
