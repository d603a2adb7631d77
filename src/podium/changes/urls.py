from django.urls import path

from podium.changes import views

app_name = "changes"

urlpatterns = [
    path("<str:code>/changes/", views.request_list, name="list"),
    path("<str:code>/changes/new/", views.request_new, name="new"),
    path("<str:code>/changes/<int:pk>/", views.request_detail, name="detail"),
    path("<str:code>/changes/<int:pk>/edit/", views.request_edit, name="edit"),
    path("<str:code>/changes/<int:pk>/lines/", views.line_add, name="line-add"),
    path("<str:code>/changes/<int:pk>/impact/", views.impact_page, name="impact"),
    path("<str:code>/changes/<int:pk>/<str:action>/", views.request_action, name="action"),
    path("<str:code>/change-lines/<int:pk>/remove/", views.line_remove, name="line-remove"),
]
