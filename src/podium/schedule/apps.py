from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "podium.schedule"
    label = "schedule"
    verbose_name = "Schedule"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab
        from podium.schedule import jobs  # noqa: F401  (registers job handlers)

        register_program_tab("Schedule", "schedule:program", order=20)
        register_program_tab("Gantt", "schedule:gantt", order=31)
