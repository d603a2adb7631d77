from django.urls import path

from podium.schedule import views, views_gantt

app_name = "schedule"

urlpatterns = [
    path("<str:code>/schedule/", views.program_schedule, name="program"),
    path("<str:code>/gantt/", views_gantt.program_gantt, name="gantt"),
    path("<str:code>/schedule/compute/", views.recompute, name="compute"),
    path("<str:code>/schedule/baselines/", views.save_baseline, name="baseline-save"),
    path("<str:code>/schedule/import/", views.import_file, name="import"),
    path(
        "<str:code>/components/<int:pk>/schedule/",
        views.component_schedule,
        name="component",
    ),
]
