from django.urls import path

from podium.discussions import views

app_name = "discussions"

# The fixed paths come before the thread's, whose kind is any word.
urlpatterns = [
    path("<str:code>/activity/", views.activity, name="activity"),
    path("<str:code>/discussions/comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("<str:code>/discussions/comments/<int:pk>/remove/", views.comment_remove, name="remove"),
    path("<str:code>/discussions/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/discussions/<str:kind>/<int:pk>/", views.thread, name="thread"),
]
