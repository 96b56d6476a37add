from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    # The stable public addresses show the newest public process.
    path("", views.plan, name="index"),
    path("kalender.ics", views.calendar_feed, name="calendar"),
    path("plan.csv", views.plan_csv, name="csv"),
    path("<slug:slug>/", views.plan, name="plan"),
    path("<slug:slug>/kalender.ics", views.calendar_feed, name="process-calendar"),
    path("<slug:slug>/plan.csv", views.plan_csv, name="process-csv"),
    path("<slug:slug>/milepel/ny/", views.milestone_create, name="milestone-create"),
    path("<slug:slug>/milepel/<int:pk>/", views.milestone_detail, name="milestone"),
    path(
        "<slug:slug>/milepel/<int:pk>/endre/",
        views.milestone_edit,
        name="milestone-edit",
    ),
    path(
        "<slug:slug>/milepel/<int:pk>/status/",
        views.milestone_status,
        name="milestone-status",
    ),
    path(
        "<slug:slug>/milepel/<int:pk>/flytt/",
        views.milestone_move,
        name="milestone-move",
    ),
    path(
        "<slug:slug>/milepel/<int:pk>/slett/",
        views.milestone_delete,
        name="milestone-delete",
    ),
]
