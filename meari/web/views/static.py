"""``/static/<name>``: one of the indexed files (see meari.web.static), with ETag and long caching."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from meari.web.static import ASSETS


@require_safe
def asset(request: HttpRequest, name: str) -> HttpResponse:
    a = ASSETS.get(name)
    if a is None:
        raise Http404("no such static file")
    etag = f'"{a.etag}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    resp = HttpResponse(a.body, content_type=a.content_type)
    resp["ETag"] = etag
    resp["Cache-Control"] = "public, max-age=31536000, immutable" if request.GET.get("v") == a.etag \
        else "public, max-age=300"
    return resp
