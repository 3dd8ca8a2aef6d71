"""The workbench pages, one per step: campaigns, campaign, message, editor, version, sign-off, approval,
products, disseminations. Every change goes through :mod:`meari.campaign.workflow` (which checks the rule
and writes the ledger); what a page offers is asked of :mod:`meari.campaign.rules`, so a button is shown
exactly when the action would be allowed."""

from __future__ import annotations

import json
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from meari.campaign import rules, workflow
from meari.errors import MeariError
from meari.web import uploads
from meari.web.diff import diff_rows
from meari.web.forms import MessageForm, parse_yaml, to_yaml
from meari.web.live import analyse
from meari.web.views.common import page, reading, refused
from meari.web.views.live import remember_preview


def _campaign_ctx(request: HttpRequest, campaign: Any) -> dict:
    a = workflow.actor(request.user, campaign)
    return {"campaign": campaign, "actor": a, "roles": sorted(a.roles)}


def _analysed(request: HttpRequest, version: Any, ctx: dict) -> tuple[Any, Any]:
    """A stored version's message and its live analysis; the preview image made fetchable for this user,
    unstamped once legal has signed (as the product is then built)."""
    msg = workflow.message_of(version)
    res = analyse(msg)
    ctx["preview_key"] = remember_preview(request.user.id, msg, res, stamped=ctx["state"].legal_by is None)
    return msg, res


def _version_ctx(request: HttpRequest, version: Any) -> dict:
    """A version with its chain state and the decisions the page shows as buttons or reasons."""
    campaign = version.message.campaign
    a = workflow.actor(request.user, campaign)
    st = workflow.state(version)
    ctx = _campaign_ctx(request, campaign)
    from django.contrib.auth import get_user_model

    ids = [x for x in (st.language_by, st.legal_by, st.approved_by) if x]
    names = dict(get_user_model().objects.filter(id__in=ids).values_list("id", "username"))
    ctx.update({
        "version": version, "message": version.message, "state": st,
        "language_by": names.get(st.language_by), "legal_by": names.get(st.legal_by),
        "approved_by": names.get(st.approved_by),
        "can": {
            "edit": rules.can_edit(a, campaign.slug),
            "sign_language": rules.can_sign_language(a, st),
            "sign_legal": rules.can_sign_legal(a, st),
            "approve": rules.can_approve(a, st),
            "build": rules.can_build_product(a, st, rules.CHANNEL_PRODUCTS.get(st.channel, ("?",))[0]),
        },
    })
    return ctx


# ------------------------------------------------------------------------------------------------


@require_safe
@page
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = []
    for c in workflow.campaigns_for(request.user):
        a = workflow.actor(request.user, c)
        rows.append({"campaign": c, "roles": sorted(a.roles), "messages": c.messages.count()})
    return render(request, "web/campaigns.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@page
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _campaign_ctx(request, c)
    problem = ""
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "audience":
                workflow.create_audience(request.user, c, (request.POST.get("name") or "").strip()[:200],
                                         (request.POST.get("description") or "").strip()[:2000])
                return redirect("web:campaign", slug=slug)
            if what == "import":
                text = uploads.message_yaml(request.FILES.get("file"))
                msg = parse_yaml(text, "message.yaml")
                v = workflow.create_message(request.user, c, text, (request.POST.get("title") or "").strip()[:200],
                                            _audience(c, request.POST.get("audience_id")))
                del msg
                return redirect("web:version", version_id=v.id)
            raise MeariError("unknown action", "form")
        except MeariError as e:
            problem = str(e)
    msgs = []
    for m in c.messages.select_related("audience").order_by("-id"):
        latest = m.latest()
        st = workflow.state(latest) if latest else None
        msgs.append({"message": m, "latest": latest, "state": st})
    ctx.update({"messages": msgs, "audiences": c.audiences.order_by("name"), "problem": problem,
                "can_edit": rules.can_edit(ctx["actor"], c.slug),
                "can_add_audience": rules.can_add_audience(ctx["actor"], c.slug)})
    return render(request, "web/campaign.html", ctx, status=400 if problem else 200)


def _audience(c: Any, raw: str | None) -> Any:
    if not raw:
        return None
    try:
        return c.audiences.get(pk=int(raw))
    except (ValueError, c.audiences.model.DoesNotExist):
        raise MeariError("no such audience in this campaign", "audience") from None


@require_http_methods(["GET", "POST"])
@page
def message_new(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    return _editor(request, c, None)


@require_http_methods(["GET", "POST"])
@page
def message_edit(request: HttpRequest, message_id: int) -> HttpResponse:
    m = reading(workflow.get_message, request.user, message_id)
    return _editor(request, m.campaign, m)


def _editor(request: HttpRequest, c: Any, m: Any) -> HttpResponse:
    """The editor: a form of the message's keys; every save is a new immutable version."""
    ctx = _campaign_ctx(request, c)
    ctx["can_edit"] = rules.can_edit(ctx["actor"], c.slug)
    latest = m.latest() if m is not None else None
    base = workflow.message_of(latest) if latest is not None else None
    problem = ""
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                msg = form.to_message(base)
                text = to_yaml(msg.model_dump(mode="json", exclude_none=True))
                if m is None:
                    v = workflow.create_message(request.user, c, text, form.cleaned_data.get("title") or "",
                                                _audience(c, request.POST.get("audience_id")))
                else:
                    stale = form.cleaned_data.get("base_version")
                    if stale and latest is not None and stale != latest.number:
                        raise MeariError(_("version %(n)d was saved while you edited; reload to edit the latest")
                                         % {"n": latest.number}, "editor")
                    v = workflow.save_version(request.user, m, text)
                return redirect("web:version", version_id=v.id)
            except MeariError as e:
                problem = str(e)
        else:
            problem = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    else:
        if base is None:
            from meari.message import Message

            base = Message(text="…", drafted_in="sk", sponsor="")
            initial = MessageForm.initial_from(base)
            initial["text"] = ""
        else:
            initial = MessageForm.initial_from(base, m.title)
            initial["base_version"] = latest.number
        form = MessageForm(initial=initial)
    ctx.update({"form": form, "message": m, "latest": latest, "problem": problem,
                "audiences": c.audiences.order_by("name")})
    return render(request, "web/editor.html", ctx, status=400 if problem else 200)


@require_safe
@page
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    m = reading(workflow.get_message, request.user, message_id)
    versions = list(m.versions.select_related("author").order_by("-number"))
    ctx = _campaign_ctx(request, m.campaign)
    rows = [{"version": v, "state": workflow.state(v)} for v in versions]
    a_num = _int(request.GET.get("a"), versions[-1].number if versions else 0)
    b_num = _int(request.GET.get("b"), versions[0].number if versions else 0)
    by_num = {v.number: v for v in versions}
    diff = None
    if a_num in by_num and b_num in by_num and a_num != b_num:
        diff = diff_rows(by_num[a_num].yaml, by_num[b_num].yaml)
    ctx.update({"message": m, "rows": rows, "diff": diff, "a": a_num, "b": b_num,
                "can_edit": rules.can_edit(ctx["actor"], m.campaign.slug)})
    return render(request, "web/message.html", ctx)


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@require_safe
@page
def version(request: HttpRequest, version_id: int) -> HttpResponse:
    v = reading(workflow.get_version, request.user, version_id)
    ctx = _version_ctx(request, v)
    msg, res = _analysed(request, v, ctx)
    prev = v.message.versions.filter(number=v.number - 1).first()
    ctx.update({"msg": msg, "live": res, "diff": diff_rows(prev.yaml, v.yaml) if prev else None,
                "prev": prev, "products": v.products.order_by("id")})
    return render(request, "web/version.html", ctx)


@require_safe
@page
def version_yaml(request: HttpRequest, version_id: int) -> HttpResponse:
    v = reading(workflow.get_version, request.user, version_id)
    resp = HttpResponse(v.yaml, content_type="application/x-yaml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="message-{v.message_id}-v{v.number}.yaml"'
    return resp


@require_http_methods(["GET", "POST"])
@page
def signoff(request: HttpRequest, version_id: int) -> HttpResponse:
    v = reading(workflow.get_version, request.user, version_id)
    problem = ""
    if request.method == "POST":
        what = request.POST.get("action")
        with refused() as r:
            if what == "resolve":
                workflow.resolve_finding(request.user, v, request.POST.get("key") or "",
                                         request.POST.get("status") or "", request.POST.get("reason") or "")
            elif what in ("language", "legal"):
                workflow.sign_off(request.user, v, what)
            else:
                raise MeariError("unknown action", "form")
            return redirect("web:signoff", version_id=v.id)
        problem = r.problem
    ctx = _version_ctx(request, v)
    done = {r.key: r for r in v.resolutions.select_related("by")}
    a = ctx["actor"]
    st = ctx["state"]
    legal = []
    for f in workflow.legal_findings(v):
        legal.append({**f, "resolution": done.get(f["key"]),
                      "can_fix": rules.can_resolve_finding(a, st, f["key"], "fixed", ""),
                      "can_accept": rules.can_resolve_finding(a, st, f["key"], "accepted", "x" * 100)})
    msg, res = _analysed(request, v, ctx)
    ctx.update({"legal": legal, "problem": problem, "msg": msg, "live": res,
                "is_legal": "legal" in a.roles, "is_linguist": "linguist" in a.roles})
    return render(request, "web/signoff.html", ctx, status=403 if problem else 200)


@require_http_methods(["GET", "POST"])
@page
def approve(request: HttpRequest, version_id: int) -> HttpResponse:
    v = reading(workflow.get_version, request.user, version_id)
    problem = ""
    if request.method == "POST":
        with refused() as r:
            workflow.approve(request.user, v)
            return redirect("web:approve", version_id=v.id)
        problem = r.problem
    ctx = _version_ctx(request, v)
    msg, res = _analysed(request, v, ctx)
    ctx.update({"problem": problem, "msg": msg, "live": res,
                "resolutions": v.resolutions.select_related("by").order_by("id")})
    return render(request, "web/approve.html", ctx, status=403 if problem else 200)


# ------------------------------------------------------------------------------------------------
# Products and disseminations


@require_http_methods(["GET", "POST"])
@page
def products(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _campaign_ctx(request, c)
    problem = notice = ""
    if request.method == "POST":
        v = reading(workflow.get_version, request.user, _int(request.POST.get("version"), 0))
        if v.message.campaign_id != c.id:
            return render(request, "404.html", status=404)
        kind = request.POST.get("kind") or ""
        with refused() as r:
            params = uploads.product_params(kind, request.POST, request.FILES)
            if kind == "audio" and request.FILES.get("voice_file"):
                data, ext = uploads.voice_recording(request.FILES["voice_file"])
                params["voice_upload"] = workflow.store_upload(request.user, c, data, ext).sha256
            p = workflow.build_product(request.user, v, kind, params)
            notice = _("Built %(kind)s (SHA-256 %(sha)s…).") % {"kind": p.kind, "sha": p.sha256[:16]}
        problem = r.problem
    from meari.campaign.models import Product

    items = Product.objects.filter(version__message__campaign=c).select_related(
        "version__message", "built_by").order_by("-id")
    buildable = []
    for m in c.messages.order_by("-id"):
        latest = m.latest()
        if latest is None:
            continue
        st = workflow.state(latest)
        kinds = [(k, rules.can_build_product(ctx["actor"], st, k)) for k in rules.CHANNEL_PRODUCTS.get(st.channel, ())]
        buildable.append({"message": m, "version": latest, "state": st, "kinds": kinds,
                          "any": any(ok for _, ok in kinds), "reason": kinds[0][1].reason if kinds else ""})
    ctx.update({"products": items, "buildable": buildable, "problem": problem, "notice": notice})
    status = 403 if problem and request.method == "POST" else 200
    return render(request, "web/products.html", ctx, status=status)


@require_safe
@page
def product_download(request: HttpRequest, product_id: int) -> HttpResponse:
    p = reading(workflow.get_product, request.user, product_id)
    path = workflow.product_file(p)  # built from ids by the store, never from a user value
    try:
        fh = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except OSError:
        raise MeariError("the product file is missing from the store (run `meari audit verify`)", "product") from None
    ext = path.suffix
    name = f"{p.version.message.campaign.slug}-m{p.version.message_id}-v{p.version.number}-{p.kind}{ext}"
    resp = FileResponse(fh, content_type=p.media_type, as_attachment=True, filename=name)
    resp["X-Meari-SHA256"] = p.sha256
    return resp


@require_http_methods(["GET", "POST"])
@page
def disseminations(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _campaign_ctx(request, c)
    from meari.campaign.models import Dissemination, Product

    problem = notice = ""
    if request.method == "POST":
        p = reading(workflow.get_product, request.user, _int(request.POST.get("product"), 0))
        if p.version.message.campaign_id != c.id:
            return render(request, "404.html", status=404)
        with refused() as r:
            fields = uploads.dissemination_fields(request.POST)
            drift = None
            if fields.pop("drift_plan_id", None):
                drift = reading(workflow.get_product, request.user, int(request.POST["drift_plan"]))
            workflow.record_dissemination(request.user, p, drift_plan=drift, **fields)
            notice = _("Dissemination recorded.")
        problem = r.problem
    prods = Product.objects.filter(version__message__campaign=c).select_related("version__message").order_by("-id")
    ctx.update({
        "products": [p for p in prods if p.kind != "drift"], "drift_plans": [p for p in prods if p.kind == "drift"],
        "items": Dissemination.objects.filter(product__version__message__campaign=c)
        .select_related("product", "by", "drift_plan").order_by("-time"),
        "problem": problem, "notice": notice, "now": timezone.now().strftime("%Y-%m-%dT%H:%M"),
        "can_record": "operator" in ctx["actor"].roles,
    })
    return render(request, "web/disseminations.html", ctx, status=(403 if problem else 200))


@require_safe
@page
def ledger(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    entries = []
    for e in workflow.ledger_for(request.user, c):
        entries.append({"entry": e, "payload": json.loads(e.payload)})
    ctx = _campaign_ctx(request, c)
    ctx["entries"] = entries[-500:]
    return render(request, "web/ledger.html", ctx)
