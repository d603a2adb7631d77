from typing import Any

from django.apps import AppConfig


def _reads_register(user: Any, program: Any) -> bool:
    from podium.stakeholders.access import can_read_register

    return can_read_register(user, program)


class StakeholdersConfig(AppConfig):
    name = "podium.stakeholders"
    label = "stakeholders"
    verbose_name = "Stakeholder register"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab

        register_program_tab("Stakeholders", "stakeholders:list", order=70, visible=_reads_register)
