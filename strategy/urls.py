from django.urls import path

from .views import cover, pdf, reading, review, writing

app_name = "strategy"

urlpatterns = [
    path("", reading.index, name="index"),
    path("<slug:slug>/ny/", writing.strategy_start, name="start"),
    path("<slug:slug>/disposisjon/", writing.outline_edit, name="outline"),
    path("<slug:slug>/forside/", cover.cover_edit, name="cover"),
    path("<slug:slug>/vedtatt/", reading.adopted, name="adopted"),
    path("<slug:slug>/endringer/", reading.version_diff, name="diff"),
    path("<slug:slug>/versjon/<int:number>/", reading.version_read, name="version"),
    path(
        "<slug:slug>/versjon/<int:number>/pdf/",
        pdf.pdf_request,
        name="pdf-request",
    ),
    path("<slug:slug>/pdf/<int:pk>/", pdf.pdf_status, name="pdf"),
    path(
        "<slug:slug>/pdf/<int:pk>/status/",
        pdf.pdf_status_json,
        name="pdf-status",
    ),
    path(
        "<slug:slug>/pdf/<int:pk>/last-ned/",
        pdf.pdf_download,
        name="pdf-download",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/ny-versjon/",
        writing.version_new,
        name="version-new",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/publiser/",
        review.version_publish,
        name="version-publish",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/presentert/",
        review.version_presented,
        name="version-presented",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/vedta/",
        review.version_adopt,
        name="version-adopt",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/offentlig/",
        review.version_public,
        name="version-public",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/kommentarer-offentlige/",
        review.version_comments_public,
        name="version-comments-public",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/lesere/",
        review.version_readers,
        name="version-readers",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/lest/",
        review.review_finish,
        name="review-finish",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/kommentar/",
        review.comment_add,
        name="comment-add",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/kommentar/<int:pk>/lost/",
        review.comment_resolve,
        name="comment-resolve",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/ny/",
        writing.section_add,
        name="section-add",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/",
        writing.section_edit,
        name="section-edit",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/forhandsvisning/",
        writing.section_preview,
        name="section-preview",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/historikk/",
        writing.section_history,
        name="section-history",
    ),
    path(
        "<slug:slug>/versjon/<int:number>/seksjon/<int:pk>/flytt/",
        writing.section_move,
        name="section-move",
    ),
]
