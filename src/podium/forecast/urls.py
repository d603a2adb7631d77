from django.urls import path

from podium.forecast import views

app_name = "forecast"

urlpatterns = [
    path("<str:code>/forecast/", views.program_forecast, name="program"),
    path("<str:code>/forecast/run/", views.start, name="start"),
    path("<str:code>/forecast/<int:pk>/", views.run_page, name="run"),
]
