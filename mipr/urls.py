from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("endringslogg/<slug:slug>/", views.audit_log, name="audit_log"),
    path("medlemmer/<slug:slug>/", views.members, name="members"),
    path(
        "medlemmer/<slug:slug>/<int:user_id>/data.json",
        views.member_data,
        name="member-data",
    ),
    path(
        "medlemmer/<slug:slug>/<int:user_id>/fjern/",
        views.member_remove,
        name="member-remove",
    ),
    path("logg-inn/", views.login, name="login"),
    path("logg-ut/", views.logout, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("passord/", views.password_change, name="password_change"),
    path("passord/endret/", views.password_change_done, name="password_change_done"),
    path("tidslinje/", include("timeline.urls")),
    # /delta/ for participants and /workshop/ for the facilitator.
    path("", include("workshops.urls")),
    path("strategi/", include("findings.urls")),
    path("strategi/", include("strategy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
