from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "podium.finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from podium.core.audit import register_cost_types
        from podium.core.navigation import register_program_tab
        from podium.finance.selectors import FINANCE_TYPES
        from podium.programs.permissions import can_see_costs

        register_program_tab("Budget", "finance:budget", order=40, visible=can_see_costs)
        register_program_tab("Performance", "finance:performance", order=45, visible=can_see_costs)
        register_cost_types(*FINANCE_TYPES)
