from django.urls import path

from podium.resources import views

app_name = "resources"

urlpatterns = [
    path("<str:code>/resources/", views.program_resources, name="program"),
]
