from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Persian unless the reader chose otherwise.

    A signed-in user's choice is kept on the user, so it follows them; a visitor's is kept in the
    language cookie. The browser's Accept-Language is ignored on purpose: Shahrak is Persian first,
    and an English-language browser on a ministry desk should not turn the pages English.
    Runs after LocaleMiddleware and AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in dict(settings.LANGUAGES):
            language = user.language
        elif request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in dict(settings.LANGUAGES):
            language = request.COOKIES[settings.LANGUAGE_COOKIE_NAME]
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)
