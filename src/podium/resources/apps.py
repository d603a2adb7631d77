from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "podium.resources"
    label = "resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        from podium.core.audit import register_cost_types
        from podium.core.navigation import register_program_tab
        from podium.resources import leveling_services  # noqa: F401  (registers job handlers)

        register_program_tab("Resources", "resources:program", order=30)
        # a resource's history shows its cost rates
        register_cost_types("resources.resource")
