"""The portal's URLs and /_bench/bare/: the cost of a request through the
middleware and one template, the baseline the pages are measured against."""

from django.shortcuts import render
from django.urls import include, path


def bare(request):
    return render(request, "bench/bare.html")


urlpatterns = [
    path("_bench/bare/", bare),
    path("", include("mipr.urls")),
]
