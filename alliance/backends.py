"""The sign-in lock-out as an authentication backend."""

from axes.backends import AxesStandaloneBackend


class SignInLockoutBackend(AxesStandaloneBackend):
    """Refuse a locked-out user name and address; step aside without a request.

    django-axes counts failures per request (user name and address). Tests,
    management commands and services call `authenticate()` without one: there is no
    address to lock, and axes would otherwise raise instead of letting the next
    backend check the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
