from django.urls import path

from . import views

app_name = "findings"

# Under /strategi/<process>/, beside the strategy document: the addresses
# people have bookmarked since the findings were part of it.
urlpatterns = [
    path("<slug:slug>/funn/", views.theme_view, name="themes"),
    path("<slug:slug>/funn/svar/", views.answers, name="answers"),
    path("<slug:slug>/funn/merk/", views.tag_item, name="tag"),
    path("<slug:slug>/funn/merk/punkt/", views.tag_tick, name="tag-tick"),
    path(
        "<slug:slug>/funn/merk/nytt-funn/",
        views.tag_new_finding,
        name="tag-new-finding",
    ),
    path("<slug:slug>/funn/ny/", views.finding_edit, name="finding-create"),
    path("<slug:slug>/funn/<int:pk>/", views.finding_edit, name="finding-edit"),
    path(
        "<slug:slug>/funn/<int:pk>/slett/", views.finding_delete, name="finding-delete"
    ),
    path("<slug:slug>/funn/<int:pk>/flytt/", views.finding_move, name="finding-move"),
    path("<slug:slug>/funn/slaa-sammen/", views.finding_merge, name="finding-merge"),
    path("<slug:slug>/funn/oppsummering/", views.summary, name="summary"),
    path(
        "<slug:slug>/funn/oppsummering/lysbilder/",
        views.summary_slides,
        name="summary-slides",
    ),
    path(
        "<slug:slug>/funn/oppsummering/lysbilder.pdf",
        views.summary_slides_pdf,
        name="summary-slides-pdf",
    ),
    path(
        "<slug:slug>/funn/oppsummering/del/", views.summary_share, name="summary-share"
    ),
    path("<slug:slug>/funn/funn.xlsx", views.findings_xlsx, name="findings-xlsx"),
    path("<slug:slug>/kilder/", views.sources, name="sources"),
    path("<slug:slug>/kilder/ny/", views.source_edit, name="source-create"),
    path("<slug:slug>/kilder/<int:pk>/", views.source_edit, name="source-edit"),
]
