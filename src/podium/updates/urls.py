from django.urls import path

from podium.updates import views

app_name = "updates"

urlpatterns = [
    path("<str:code>/updates/", views.overview, name="overview"),
    path("<str:code>/updates/new/", views.new, name="new"),
    path("<str:code>/updates/component/<int:component>/", views.history, name="history"),
    path("<str:code>/updates/<int:pk>/", views.detail, name="detail"),
    path("<str:code>/updates/<int:pk>/edit/", views.edit, name="edit"),
    path("<str:code>/updates/<int:pk>/submit/", views.submit, name="submit"),
    path("<str:code>/updates/<int:pk>/reopen/", views.reopen, name="reopen"),
]
