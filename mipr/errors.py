"""Domain errors: what a service refuses, and why, in words for people.

Services raise these instead of HTTP exceptions, so that they read the same from
a view, a command or a Celery task. One middleware (DomainErrorMiddleware) turns
an error that a view did not handle itself into a page with the reason:

    NotFound   404  the object is not there for this person (no reason shown,
                    so that nothing unpublished can be confirmed to exist)
    NotAllowed 403  the action is not allowed now, with the reason
    Conflict   409  the object changed meanwhile, with the reason
    TooMany    429  too many requests of this kind lately, with when to retry

A view that can do better (keep a form, show both texts) catches the error.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    template = "400.html"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class NotFound(DomainError):
    status = 404
    template = "404.html"
    default_message = _("Not found.")


class NotAllowed(DomainError):
    status = 403
    template = "403.html"
    default_message = _("This is not allowed.")


class Conflict(DomainError):
    status = 409
    template = "409.html"
    default_message = _(
        "Someone else changed this after you opened the page. Nothing was changed."
    )


class TooMany(DomainError):
    status = 429
    template = "429.html"
    default_message = _("Too many requests in a short time. Wait a little.")


class DomainErrorMiddleware:
    """A domain error that reached the top of a view becomes its page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        # A 404 says nothing more: the reason could tell what exists.
        reason = "" if isinstance(exception, NotFound) else exception.message
        return render(
            request,
            exception.template,
            {"exception": reason},
            status=exception.status,
        )
