from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "podium.schedule"
    label = "schedule"
    verbose_name = "Schedule"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab

        register_program_tab("Schedule", "schedule:program", order=20)
