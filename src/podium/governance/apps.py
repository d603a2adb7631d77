from typing import Any

from django.apps import AppConfig


def _sees_governance(user: Any, program: Any) -> bool:
    from podium.governance.access import can_see

    return can_see(user, program)


_MODELS = (
    "decision", "boardmember", "gatetemplate", "gatecriterion", "gatereview",
    "criterionevidence", "recommendation", "gatecondition", "componentauthorization",
)  # fmt: skip


class GovernanceConfig(AppConfig):
    name = "podium.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from podium.core.audit import register_private_types
        from podium.core.navigation import register_program_tab
        from podium.governance import criteria  # noqa: F401  (registers the evaluators)
        from podium.governance.services import check_gate, gate_page_for
        from podium.programs import gates

        # The history of gates and decisions is as private as the governance pages.
        register_private_types(*(f"governance.{m}" for m in _MODELS), visible=_sees_governance)
        gates.register(check_gate)
        gates.register_gate_page(gate_page_for)
        register_program_tab("Governance", "governance:gates", order=80, visible=_sees_governance)
