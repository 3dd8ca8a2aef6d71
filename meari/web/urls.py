"""Root URL map: the pages (meari.web.routes), the language switch, the JSON API (OpenAPI at /api/openapi.json)."""

from __future__ import annotations

from django.urls import include, path
from django.views.i18n import set_language

from meari.web.api import api

urlpatterns = [
    path("", include("meari.web.routes")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include(("meari.web.views.research", "research"))),
    path("api/", api.urls),
]
