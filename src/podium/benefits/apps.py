from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "podium.benefits"
    label = "benefits"
    verbose_name = "Benefits"

    def ready(self) -> None:
        from podium.core.audit import register_cost_types
        from podium.core.navigation import register_program_tab

        register_program_tab("Benefits", "benefits:register", order=60)
        # A benefit's expected value is money: its changes are audited on this proxy, which
        # only users who may see costs see in a program's history.
        register_cost_types("benefits.benefitvalue")
