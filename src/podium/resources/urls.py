from django.urls import path

from podium.resources import views

app_name = "resources"

urlpatterns = [
    path("<str:code>/resources/", views.program_resources, name="program"),
    path("<str:code>/resources/level/", views.start_leveling, name="level"),
    path("<str:code>/resources/leveling/<int:pk>/", views.leveling_run, name="leveling"),
    path(
        "<str:code>/resources/leveling/<int:pk>/decide/",
        views.decide_leveling,
        name="leveling-decide",
    ),
]
