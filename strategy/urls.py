from django.urls import path

from . import draft_views, views

app_name = "strategy"

urlpatterns = [
    path("", draft_views.index, name="index"),
    path("<slug:slug>/ny/", draft_views.strategy_start, name="start"),
    path("<slug:slug>/vedtatt/", draft_views.adopted, name="adopted"),
    path("<slug:slug>/endringer/", draft_views.version_diff, name="diff"),
    path("<slug:slug>/versjon/<int:number>/", draft_views.version_read, name="version"),
    path(
        "<slug:slug>/versjon/<int:number>/pdf/",
        draft_views.pdf_request,
        name="pdf-request",
    ),
    path("<slug:slug>/pdf/<int:pk>/", draft_views.pdf_status, name="pdf"),
    path(
        "<slug:slug>/pdf/<int:pk>/status/",
        draft_views.pdf_status_json,
        name="pdf-status",
    ),
    path(
        "<slug:slug>/pdf/<int:pk>/last-ned/",
        draft_views.pdf_download,
        name="pdf-download",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/ny-versjon/",
        draft_views.version_new,
        name="version-new",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/publiser/",
        draft_views.version_publish,
        name="version-publish",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/presentert/",
        draft_views.version_presented,
        name="version-presented",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/vedta/",
        draft_views.version_adopt,
        name="version-adopt",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/offentlig/",
        draft_views.version_public,
        name="version-public",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/lesere/",
        draft_views.version_readers,
        name="version-readers",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/lest/",
        draft_views.review_finish,
        name="review-finish",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/kommentar/",
        draft_views.comment_add,
        name="comment-add",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/kommentar/<int:pk>/lost/",
        draft_views.comment_resolve,
        name="comment-resolve",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/ny/",
        draft_views.section_add,
        name="section-add",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/",
        draft_views.section_edit,
        name="section-edit",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/historikk/",
        draft_views.section_history,
        name="section-history",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/flytt/",
        draft_views.section_move,
        name="section-move",
    ),
    path("<slug:slug>/funn/", views.themes, name="themes"),
    path("<slug:slug>/funn/svar/", views.answers, name="answers"),
    path("<slug:slug>/funn/merk/", views.tag_item, name="tag"),
    path("<slug:slug>/funn/ny/", views.finding_edit, name="finding-create"),
    path("<slug:slug>/funn/<int:pk>/", views.finding_edit, name="finding-edit"),
    path(
        "<slug:slug>/funn/<int:pk>/slett/", views.finding_delete, name="finding-delete"
    ),
    path("<slug:slug>/funn/<int:pk>/flytt/", views.finding_move, name="finding-move"),
    path("<slug:slug>/funn/slaa-sammen/", views.finding_merge, name="finding-merge"),
    path("<slug:slug>/funn/oppsummering/", views.summary, name="summary"),
    path(
        "<slug:slug>/funn/oppsummering/del/", views.summary_share, name="summary-share"
    ),
    path("<slug:slug>/funn/funn.xlsx", views.findings_xlsx, name="findings-xlsx"),
    path("<slug:slug>/kilder/", views.sources, name="sources"),
    path("<slug:slug>/kilder/ny/", views.source_edit, name="source-create"),
    path("<slug:slug>/kilder/<int:pk>/", views.source_edit, name="source-edit"),
]
