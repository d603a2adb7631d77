from django.urls import path

from podium.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.mark_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
]
