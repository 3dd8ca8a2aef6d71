"""The editor's live panel (HTMX): conversion, findings, spoken duration, and the leaflet preview image.

``POST /c/<slug>/live`` takes the editor's form and answers an HTML fragment; nothing is saved. The
preview image is fetched by the fragment's ``<img>``: the live answer puts the message in the cache
under a content key bound to the user, and ``/preview/<key>/<side>.png`` renders it once (then serves it
from the cache), so typing is not slowed by PDF rendering.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from meari.errors import MeariError
from meari.message import Message
from meari.web.forms import MessageForm
from meari.web.live import analyse, preview_png
from meari.web.views.common import page, reading

PREVIEW_TTL_S = 3600


def _key(user_id: int, key: str, what: str) -> str:
    return f"meari:preview:{user_id}:{key}:{what}"


def remember_preview(user_id: int, msg: Message, res, stamped: bool = True) -> str:  # noqa: ANN001 - LiveResult
    """Let this user's browser fetch the preview image of ``msg`` (rendered on first request); its key."""
    if not res.preview_key:
        return ""
    from meari.web.live import preview_key

    key = res.preview_key if stamped else preview_key(msg, stamped=False)
    cache.set(_key(user_id, key, "msg"), json.dumps({"msg": msg.model_dump_json(), "stamped": stamped}),
              PREVIEW_TTL_S)
    return key


@require_POST
@page
def live(request: HttpRequest, slug: str) -> HttpResponse:
    from meari.campaign import workflow

    reading(workflow.get_campaign, request.user, slug)  # members only
    form = MessageForm(request.POST)
    ctx: dict = {"slug": slug}
    if not form.is_valid():
        ctx["error"] = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return render(request, "web/_live.html", ctx)
    try:
        msg = form.to_message()
        res = analyse(msg)
    except MeariError as e:
        ctx["error"] = str(e)
        return render(request, "web/_live.html", ctx)
    ctx["preview_key"] = remember_preview(request.user.id, msg, res)
    ctx["live"] = res
    return render(request, "web/_live.html", ctx)


@require_safe
@page
def preview(request: HttpRequest, key: str, side: str) -> HttpResponse:
    if side not in ("front", "back"):
        raise Http404
    pngs = cache.get(_key(request.user.id, key, "png"))
    if pngs is None:
        raw = cache.get(_key(request.user.id, key, "msg"))
        if raw is None:
            raise Http404("preview expired")
        entry = json.loads(raw)
        try:
            pngs = preview_png(Message.model_validate_json(entry["msg"]), stamped=entry["stamped"])
        except MeariError as e:
            return HttpResponse(str(e), status=422, content_type="text/plain; charset=utf-8")
        cache.set(_key(request.user.id, key, "png"), pngs, PREVIEW_TTL_S)
    resp = HttpResponse(pngs[0 if side == "front" else 1], content_type="image/png")
    resp["Cache-Control"] = "private, max-age=3600"
    return resp
