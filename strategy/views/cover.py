"""The PDF's cover: the council's logo, uploaded by the secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mipr.access import get_process_for_member
from mipr.models import Role

from .. import logo as cover
from ..forms import CoverLogoForm
from ..models import CoverLogo


@login_required
def cover_edit(request, slug):
    process, _role = get_process_for_member(
        request.user, slug, roles={Role.SECRETARIAT}
    )
    if request.method == "POST":
        form = CoverLogoForm(request.POST, request.FILES)
        if form.is_valid():
            if form.cleaned_data["logo"]:
                cover.cover_logo_save(
                    process=process, data=form.cleaned_data["logo"], by=request.user
                )
                messages.success(request, _("The logo is saved."))
            else:
                cover.cover_logo_remove(process=process)
                messages.success(request, _("The logo is removed."))
            return redirect("strategy:cover", slug=slug)
    else:
        form = CoverLogoForm()
    logo = CoverLogo.objects.filter(process=process).first()
    return render(
        request,
        "strategy/cover.html",
        {
            "process": process,
            "form": form,
            "logo_src": cover.data_uri(logo) if logo else None,
        },
    )
