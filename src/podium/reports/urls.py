from django.urls import path

from podium.reports import views

app_name = "reports"

urlpatterns = [
    path("<str:code>/status-report/", views.report, name="report"),
    path("<str:code>/status-report.pdf", views.report_pdf, name="pdf"),
    path("<str:code>/status-report/subscription/", views.subscription, name="subscription"),
    path("<str:code>/calendar/", views.calendar, name="calendar"),
    path("<str:code>/calendar/regenerate/", views.calendar_regenerate, name="calendar-regenerate"),
    path("<str:code>/calendar/<str:token>.ics", views.calendar_ics, name="calendar-ics"),
]
