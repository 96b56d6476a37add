import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import audit, clock, dashboard
from . import members as members_service
from .access import get_process_for_member
from .forms import AuditFilterForm, LoginForm, PortalPasswordChangeForm, ProfileForm
from .health import health_report
from .models import AuditEntry, Membership, Role
from .security import address_refusal_message, address_refuses_log_in
from .spreadsheets import attachment


def home(request):
    if not request.user.is_authenticated:
        return render(request, "mipr/landing.html")
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("process")
        .order_by("-process__year", "process__name")
    )
    today = clock.today()  # the plan's today: a demo may fix it
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
    entries = AuditEntry.objects.filter(process=process)
    form = AuditFilterForm(
        request.GET,
        kinds=audit.kinds(),
        people=list(
            entries.order_by("actor").values_list("actor", flat=True).distinct()
        ),
    )
    filters = form.filters()
    page = Paginator(audit.filtered(entries, **filters), 50).get_page(
        request.GET.get("side")
    )
    audit.describe(page.object_list)
    return render(
        request,
        "mipr/audit_log.html",
        {
            "process": process,
            "page": page,
            "form": form,
            "filtered": bool(filters),
            # The filters again, for the links to other pages.
            "query": urlencode(
                {name: request.GET[name] for name in form.fields if name in filters}
            ),
        },
    )


@login_required
def members(request, slug):
    """The process's members, for the secretariat: their data, and removal."""
    process, _role = get_process_for_member(
        request.user, slug, roles=[Role.SECRETARIAT]
    )
    return render(
        request,
        "mipr/members.html",
        {
            "process": process,
            "memberships": process.memberships.select_related("user").order_by(
                "role", "user__first_name", "user__username"
            ),
        },
    )


def _membership(request, slug, user_id) -> Membership:
    process, _role = get_process_for_member(
        request.user, slug, roles=[Role.SECRETARIAT]
    )
    return get_object_or_404(
        Membership.objects.select_related("user", "process"),
        process=process,
        user_id=user_id,
    )


@login_required
def member_data(request, slug, user_id):
    """Everything the portal keeps about one member in this process (JSON)."""
    membership = _membership(request, slug, user_id)
    data = members_service.member_data(user=membership.user, process=membership.process)
    return attachment(
        json.dumps(data, ensure_ascii=False, indent=2),
        "application/json; charset=utf-8",
        f"{slug}-{membership.user.username}.json",
        personal=True,
    )


@login_required
def member_remove(request, slug, user_id):
    """Asks once, saying what happens; then removes the member."""
    membership = _membership(request, slug, user_id)
    refused = None
    try:
        members_service.check_removable(membership=membership, by=request.user)
    except members_service.RemovalRefused as error:
        refused = str(error)
    if request.method == "POST" and refused is None:
        name = membership.user.get_full_name() or membership.user.username
        members_service.member_remove(membership=membership)
        messages.success(
            request,
            _("%(name)s is removed from the process.") % {"name": name},
        )
        return redirect("members", slug=slug)
    return render(
        request,
        "mipr/member_remove.html",
        {
            "process": membership.process,
            "membership": membership,
            "refused": refused,
            "other_processes": Membership.objects.filter(user=membership.user)
            .exclude(pk=membership.pk)
            .exists(),
        },
        status=403 if refused and request.method == "POST" else 200,
    )


def accessibility(request):
    """The accessibility statement (tilgjengelighetserklæring)."""
    return render(
        request,
        "mipr/accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT},
    )


def privacy(request):
    """The privacy statement (personvernerklæring), with the periods in force."""
    return render(
        request,
        "mipr/privacy.html",
        {
            "contact": settings.PRIVACY_CONTACT,
            "participant_days": settings.PARTICIPANT_NAME_DAYS,
            "login_days": settings.LOGIN_RECORD_DAYS,
            "audit_days": settings.AUDIT_NAME_DAYS,
        },
    )


@login_required
def profile(request):
    """One's own name and e-mail address, and one's roles."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("process")
        .order_by("-process__year", "process__name")
    )
    return render(
        request, "mipr/profile.html", {"form": form, "memberships": memberships}
    )


@never_cache
def healthz(request):
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_refuses_log_in(request):
            # Password spraying from this address (see mipr.security): the
            # form comes back with the name typed and says why.
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, address_refusal_message())
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    form_class=PortalPasswordChangeForm,
    success_url=reverse_lazy("password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
