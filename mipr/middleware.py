from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Bokmål for everyone unless they picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language and show
    English to a Norwegian council member whose laptop happens to be set up in
    English. Here only the language cookie (set by the switch) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: the thread's language is put back afterwards,
        # so work done later in the same thread (a test, a task run in-process)
        # never inherits the last visitor's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
