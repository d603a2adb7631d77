from django.urls import path

from podium.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("<str:code>/dashboard/", views.dashboard, name="dashboard"),
    path("<str:code>/roadmap/", views.roadmap, name="roadmap"),
]
