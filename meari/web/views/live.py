"""The editor's live panel (HTMX): conversion, findings, spoken duration, and the leaflet preview image.

``POST /c/<slug>/live`` takes the editor's form and answers an HTML fragment; nothing is saved and
nothing is written (no database, no cache), so the answer costs only the conversion and the review.
The leaflet preview is its own request: the editor's preview box posts the same form to
``/c/<slug>/live/preview`` when typing pauses (1.5 s); that answer puts the message in the cache under a
content key bound to the user, and its ``<img>`` fetches ``/preview/<key>/<side>.png``, which renders the
PDF once (then serves it from the cache), so typing is never slowed by rendering.
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
from meari.web.live import analyse, preview_of, preview_png
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
    # add, not set: a page shown again (or the same draft again) writes nothing
    cache.add(_key(user_id, key, "msg"), json.dumps({"msg": msg.model_dump_json(), "stamped": stamped}),
              PREVIEW_TTL_S)
    return key


def _form_message(request: HttpRequest, slug: str, ctx: dict) -> Message | None:
    """The editor's form as a message (members of the campaign only); None with ``ctx["error"]`` set."""
    from meari.campaign import workflow

    reading(workflow.get_campaign, request.user, slug)  # members only
    form = MessageForm(request.POST)
    if not form.is_valid():
        ctx["error"] = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return None
    try:
        return form.to_message()
    except MeariError as e:
        ctx["error"] = str(e)
        return None


@require_POST
@page
def live(request: HttpRequest, slug: str) -> HttpResponse:
    ctx: dict = {"slug": slug}
    msg = _form_message(request, slug, ctx)
    if msg is not None:
        try:
            ctx["live"] = analyse(msg)
        except MeariError as e:
            ctx["error"] = str(e)
    return render(request, "web/_live.html", ctx)


@require_POST
@page
def live_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor's preview box: the leaflet images of the form's message (rendered when fetched)."""
    ctx: dict = {"slug": slug}
    msg = _form_message(request, slug, ctx)
    if msg is not None:
        try:
            res = preview_of(msg)
        except MeariError as e:
            ctx["error"] = str(e)
        else:
            ctx.update({"preview_key": remember_preview(request.user.id, msg, res), "notes": res.notes,
                        "no_preview": not res.preview_key})
    return render(request, "web/_preview_box.html", ctx)


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
