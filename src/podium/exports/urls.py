from django.urls import path

from podium.exports import views

app_name = "exports"

urlpatterns = [
    path("<str:code>/exports/", views.index, name="index"),
    path("<str:code>/exports/<slug:key>.xlsx", views.download, name="download"),
]
