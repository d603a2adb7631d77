from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "podium.risks"
    label = "risks"
    verbose_name = "Risks and issues"

    def ready(self) -> None:
        from podium.core.audit import register_cost_types
        from podium.core.navigation import register_program_tab

        register_program_tab("Risks", "risks:register", order=50)
        register_program_tab("Issues", "risks:issues", order=52)
        # Only the cost impact carries money; risks themselves stay in everyone's history.
        register_cost_types("risks.riskcostimpact")
