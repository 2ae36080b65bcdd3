"""Response headers that depend on who asked."""


class PrivateResponsesMiddleware:
    """Keep what a signed-in user sees out of every cache, the browser's included.

    A page for a signed-in user may show what only they may see, and should not come
    back from the browser's history after they sign out. A response that states its own
    caching (a download, a chart addressed by its content) keeps it. Static files never
    get here: WhiteNoise answers them first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
