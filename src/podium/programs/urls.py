from django.urls import path

from podium.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_create, name="create"),
    path("<str:code>/", views.program_detail, name="detail"),
    path("<str:code>/edit/", views.program_edit, name="edit"),
    path("<str:code>/transition/", views.program_transition, name="transition"),
    path("<str:code>/history/", views.program_history, name="history"),
    path("<str:code>/export/", views.program_export, name="export"),
    path("<str:code>/goals/", views.goal_add, name="goal-add"),
    path("<str:code>/goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
    path("<str:code>/components/", views.component_list, name="components"),
    path("<str:code>/components/new/", views.component_create, name="component-create"),
    path("<str:code>/components/<int:pk>/", views.component_detail, name="component"),
    path("<str:code>/components/<int:pk>/edit/", views.component_edit, name="component-edit"),
    path(
        "<str:code>/components/<int:pk>/transition/",
        views.component_transition,
        name="component-transition",
    ),
    path(
        "<str:code>/components/<int:pk>/history/",
        views.component_history,
        name="component-history",
    ),
    path("<str:code>/members/", views.members, name="members"),
    path("<str:code>/members/<int:pk>/role/", views.member_role, name="member-role"),
    path("<str:code>/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]
