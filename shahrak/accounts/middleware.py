from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Activate the signed-in user's chosen language (kept on the user, so it follows them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
