from django.urls import path

from podium.work import views

app_name = "work"

urlpatterns = [
    path("my-work/", views.mine, name="mine"),
    path("my-work/week/", views.this_week, name="this-week"),
    path("my-work/week/<str:week>/", views.week, name="week"),
    path("programs/<str:code>/timesheets/", views.program_timesheets, name="program"),
    path("programs/<str:code>/timesheets/<int:pk>/", views.timesheet, name="timesheet"),
    path("programs/<str:code>/timesheets/<int:pk>/approve/", views.approve, name="approve"),
    path("programs/<str:code>/timesheets/<int:pk>/reject/", views.reject, name="reject"),
]
