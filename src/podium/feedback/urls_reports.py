"""URLs of feedback monitoring and the "you said, we did" reports (included by
:mod:`podium.feedback.urls`, namespace ``feedback``)."""

from django.urls import URLPattern, path

from podium.feedback import views_reports as views

urlpatterns: list[URLPattern] = [
    path("<str:code>/feedback/monitoring/", views.monitoring_page, name="monitoring"),
    path("<str:code>/feedback/reports/", views.reports_page, name="reports"),
    path("<str:code>/feedback/reports/<str:period>/", views.report_page, name="report"),
    path(
        "<str:code>/feedback/reports/<str:period>/publish/",
        views.report_publish,
        name="report-publish",
    ),
    path(
        "<str:code>/feedback/reports/<str:period>/pdf/",
        views.report_pdf_download,
        name="report-pdf",
    ),
]
