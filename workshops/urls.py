from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    # Participants: /delta/ is the address on the projector and the cards.
    path("delta/", views.join, name="join"),
    path("delta/gruppe/<int:group_id>/", views.group_page, name="group"),
    path("delta/gruppe/<int:group_id>/<int:number>/", views.answer_page, name="answer"),
    path(
        "delta/gruppe/<int:group_id>/<int:number>/autolagring/",
        views.autosave,
        name="autosave",
    ),
    path(
        "delta/gruppe/<int:group_id>/<int:number>/puls/",
        views.heartbeat,
        name="heartbeat",
    ),
    # The facilitator (secretariat) and the working group.
    path("workshop/", views.workshop_list, name="list"),
    path("workshop/ny/", views.workshop_create, name="create"),
    path("workshop/<int:pk>/", views.workshop_detail, name="detail"),
    path("workshop/<int:pk>/endre/", views.workshop_edit, name="edit"),
    path("workshop/<int:pk>/sporsmal/ny/", views.question_edit, name="question-create"),
    path(
        "workshop/<int:pk>/sporsmal/<int:question_pk>/",
        views.question_edit,
        name="question-edit",
    ),
    path(
        "workshop/<int:pk>/sporsmal/<int:question_pk>/slett/",
        views.question_delete,
        name="question-delete",
    ),
    path("workshop/<int:pk>/gruppe/ny/", views.group_edit, name="group-create"),
    path(
        "workshop/<int:pk>/gruppe/<int:group_pk>/", views.group_edit, name="group-edit"
    ),
    path(
        "workshop/<int:pk>/gruppe/<int:group_pk>/slett/",
        views.group_delete,
        name="group-delete",
    ),
    path("workshop/<int:pk>/status/", views.workshop_status, name="status"),
    path("workshop/<int:pk>/bli-med/", views.join_screen, name="join-screen"),
    path("workshop/<int:pk>/kort/", views.join_cards, name="join-cards"),
    path(
        "workshop/<int:pk>/gruppe/<int:group_pk>/qr.svg",
        views.group_qr,
        name="group-qr",
    ),
    path(
        "workshop/<int:pk>/gruppe/<int:group_pk>/ny-kode/",
        views.group_new_code,
        name="group-new-code",
    ),
    path("workshop/<int:pk>/vegg/", views.wall, name="wall"),
    path("workshop/<int:pk>/vegg/svar/", views.wall_fragment, name="wall-fragment"),
    path("workshop/<int:pk>/svar.csv", views.export_csv, name="export-csv"),
    path("workshop/<int:pk>/svar.xlsx", views.export_xlsx, name="export-xlsx"),
]
