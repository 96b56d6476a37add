from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import audit, dashboard
from .access import get_process_for_member
from .forms import LoginForm, PortalPasswordChangeForm
from .health import health_report
from .models import AuditEntry, Membership, Role


def home(request):
    if not request.user.is_authenticated:
        return render(request, "mipr/landing.html")
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("process")
        .order_by("-process__year", "process__name")
    )
    today = timezone.localdate()
    panels = dashboard.panels_for(
        user=request.user, memberships=memberships, today=today
    )
    processes = [
        {"membership": m, "process": m.process, "panels": panels.get(m.process_id, [])}
        for m in memberships
    ]
    return render(
        request, "mipr/dashboard.html", {"processes": processes, "today": today}
    )


@login_required
def audit_log(request, slug):
    """Who changed what, and when, in one process: for the secretariat."""
    process, _role = get_process_for_member(
        request.user, slug, roles=[Role.SECRETARIAT]
    )
    kinds = audit.kinds()
    kind = request.GET.get("type", "")
    entries = AuditEntry.objects.filter(process=process)
    if kind in kinds:
        entries = entries.filter(model=kind)
    else:
        kind = ""
    page = Paginator(entries, 50).get_page(request.GET.get("side"))
    return render(
        request,
        "mipr/audit_log.html",
        {"process": process, "page": page, "kinds": kinds, "kind": kind},
    )


def accessibility(request):
    """The accessibility statement (tilgjengelighetserklæring)."""
    return render(
        request,
        "mipr/accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT},
    )


@never_cache
def healthz(request):
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


login = auth_views.LoginView.as_view(
    authentication_form=LoginForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    form_class=PortalPasswordChangeForm,
    success_url=reverse_lazy("password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
