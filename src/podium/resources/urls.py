from django.urls import path

from podium.resources import views

app_name = "resources"

urlpatterns = [
    # The organisation pool (lower-case "pool" is never a program code).
    path("pool/resources/", views.pool, name="pool"),
    path("pool/resources/<int:pk>/", views.pool_resource, name="pool-resource"),
    path("<str:code>/resources/", views.program_resources, name="program"),
    path("<str:code>/resources/level/", views.start_leveling, name="level"),
    path("<str:code>/resources/leveling/<int:pk>/", views.leveling_run, name="leveling"),
    path(
        "<str:code>/resources/leveling/<int:pk>/decide/",
        views.decide_leveling,
        name="leveling-decide",
    ),
]
