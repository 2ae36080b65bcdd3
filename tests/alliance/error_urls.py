from django.urls import path

from alliance.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("planted failure")


urlpatterns = [path("planted-failure/", fails), *site_urlpatterns]
