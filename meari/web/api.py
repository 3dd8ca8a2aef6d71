"""The JSON API (django-ninja): every workflow action the pages offer, same functions, same rules.

Authentication is the Django session (log in with ``POST /api/login`` or the login page); because the
session is a cookie, every unsafe call must carry the CSRF token in ``X-CSRFToken`` (``GET /api/csrf``
gives it). Refusals: 401 not logged in, 403 a rule said no (``detail`` is the rule's reason) or CSRF
failed, 404 not in your campaigns, 400 bad input (``detail`` is ``WHERE: PROBLEM``). The OpenAPI document
is at ``/api/openapi.json``; the interactive docs page is off because it loads scripts from a CDN.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from django.middleware.csrf import get_token
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from meari import __version__
from meari.campaign import rules, workflow
from meari.errors import MeariError
from meari.web.views.common import NotFound, reading

api = NinjaAPI(title="meari workbench API", version=__version__, auth=django_auth, docs_url=None,
               urls_namespace="api",
               description="Campaign workbench: messages and versions, sign-offs, approval, products, "
               "disseminations. Session cookie + X-CSRFToken header on every unsafe call.")


@api.exception_handler(workflow.Denied)
def _denied(request: HttpRequest, exc: workflow.Denied) -> Any:
    if isinstance(exc, workflow.NotFound):
        return api.create_response(request, {"detail": "not found in your campaigns"}, status=404)
    return api.create_response(request, {"detail": exc.reason, "rule": getattr(exc, "rule", "")}, status=403)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> Any:
    return api.create_response(request, {"detail": "not found in your campaigns"}, status=404)


@api.exception_handler(MeariError)
def _bad(request: HttpRequest, exc: MeariError) -> Any:
    return api.create_response(request, {"detail": str(exc)}, status=400)


# ------------------------------------------------------------------------------------------------
# Schemas


class Detail(Schema):
    detail: str


class Credentials(Schema):
    username: str
    password: str


class CampaignOut(Schema):
    slug: str
    name: str
    roles: list[str]


class AudienceIn(Schema):
    name: str
    description: str = ""


class AudienceOut(Schema):
    id: int
    name: str
    description: str


class MessageIn(Schema):
    yaml: str
    title: str = ""
    audience_id: int | None = None


class VersionIn(Schema):
    yaml: str
    base_version: int | None = None


class StateOut(Schema):
    latest: bool
    language_signed: bool
    legal_signed: bool
    approved: bool
    unresolved: list[str]


class VersionOut(Schema):
    id: int
    message_id: int
    number: int
    sha256: str
    channel: str
    author: str
    created: datetime
    yaml: str
    findings: list[dict]
    state: StateOut


class MessageOut(Schema):
    id: int
    campaign: str
    title: str
    versions: list[int]
    latest_version_id: int | None


class ResolutionIn(Schema):
    key: str
    status: str
    reason: str = ""


class SignOffIn(Schema):
    kind: str


class ProductIn(Schema):
    kind: str
    params: dict = {}


class ProductOut(Schema):
    id: int
    version_id: int
    kind: str
    sha256: str
    signature: str
    size: int
    media_type: str
    meta: dict
    built_by: str
    created: datetime


class DisseminationIn(Schema):
    quantity: int
    channel: str
    time: datetime
    lat: float
    lon: float
    release: dict = {}
    drift_plan_id: int | None = None
    notes: str = ""


class DisseminationOut(Schema):
    id: int
    product_id: int
    quantity: int
    channel: str
    time: datetime
    lat: float
    lon: float
    release: dict
    drift_plan_id: int | None
    notes: str
    by: str


class LiveIn(Schema):
    yaml: str


class FindingOut(Schema):
    key: str
    id: str
    severity: str
    text: str
    why: str
    on_version: int
    gone: bool = False
    resolution: str | None = None


# ------------------------------------------------------------------------------------------------


def _state(v: Any) -> StateOut:
    st = workflow.state(v)
    return StateOut(latest=st.latest, language_signed=st.language_by is not None, legal_signed=st.legal_by is not None,
                    approved=st.approved, unresolved=list(st.unresolved))


def _version(v: Any) -> VersionOut:
    return VersionOut(id=v.id, message_id=v.message_id, number=v.number, sha256=v.sha256, channel=v.channel,
                      author=v.author.get_username(), created=v.created, yaml=v.yaml, findings=v.findings,
                      state=_state(v))


def _product(p: Any) -> ProductOut:
    return ProductOut(id=p.id, version_id=p.version_id, kind=p.kind, sha256=p.sha256, signature=p.signature,
                      size=p.size, media_type=p.media_type, meta=p.meta, built_by=p.built_by.get_username(),
                      created=p.created)


def _dissemination(d: Any) -> DisseminationOut:
    return DisseminationOut(id=d.id, product_id=d.product_id, quantity=d.quantity, channel=d.channel, time=d.time,
                            lat=d.lat, lon=d.lon, release=d.release, drift_plan_id=d.drift_plan_id, notes=d.notes,
                            by=d.by.get_username())


# ------------------------------------------------------------------------------------------------
# Session


@api.get("/csrf", auth=None, response=dict, summary="CSRF token for the X-CSRFToken header (sets the cookie)")
def csrf(request: HttpRequest) -> dict:
    return {"csrf_token": get_token(request)}


@api.post("/login", auth=None, response={200: dict, 401: Detail, 429: Detail, 403: Detail},
          summary="Log in (rate-limited; failures are written to the ledger)")
def api_login(request: HttpRequest, body: Credentials) -> Any:
    from ninja.utils import check_csrf

    if check_csrf(request):
        raise HttpError(403, "CSRF check failed: send the X-CSRFToken header (GET /api/csrf)")
    from meari.web.views.auth import attempt_login

    user, error, status = attempt_login(request, body.username, body.password)
    if user is None:
        return Status(status, {"detail": error})
    return Status(200, {"username": user.get_username(), "csrf_token": get_token(request)})


@api.post("/logout", response=dict)
def api_logout(request: HttpRequest) -> dict:
    from django.contrib.auth import logout

    logout(request)
    return {"ok": True}


# ------------------------------------------------------------------------------------------------
# Campaigns, audiences, messages, versions


@api.get("/campaigns", response=list[CampaignOut], summary="The campaigns you are a member of")
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [CampaignOut(slug=c.slug, name=c.name, roles=sorted(workflow.actor(request.user, c).roles))
            for c in workflow.campaigns_for(request.user)]


@api.get("/campaigns/{slug}/audiences", response=list[AudienceOut])
def audiences(request: HttpRequest, slug: str) -> list[AudienceOut]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [AudienceOut(id=a.id, name=a.name, description=a.description) for a in c.audiences.order_by("name")]


@api.post("/campaigns/{slug}/audiences", response={201: AudienceOut})
def add_audience(request: HttpRequest, slug: str, body: AudienceIn) -> Any:
    c = reading(workflow.get_campaign, request.user, slug)
    a = workflow.create_audience(request.user, c, body.name.strip()[:200], body.description.strip()[:2000])
    return Status(201, AudienceOut(id=a.id, name=a.name, description=a.description))


def _message(m: Any) -> MessageOut:
    ids = list(m.versions.order_by("number").values_list("id", flat=True))
    return MessageOut(id=m.id, campaign=m.campaign.slug, title=m.title, versions=ids,
                      latest_version_id=ids[-1] if ids else None)


@api.get("/campaigns/{slug}/messages", response=list[MessageOut])
def messages(request: HttpRequest, slug: str) -> list[MessageOut]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [_message(m) for m in c.messages.order_by("id")]


@api.post("/campaigns/{slug}/messages", response={201: VersionOut},
          summary="Create a message from its YAML (version 1)")
def create_message(request: HttpRequest, slug: str, body: MessageIn) -> Any:
    c = reading(workflow.get_campaign, request.user, slug)
    aud = None
    if body.audience_id is not None:
        aud = c.audiences.filter(pk=body.audience_id).first()
        if aud is None:
            raise MeariError("no such audience in this campaign", "audience_id")
    v = workflow.create_message(request.user, c, _yaml(body.yaml), body.title.strip()[:200], aud)
    return Status(201, _version(v))


def _yaml(text: str) -> str:
    import unicodedata

    from meari.web.uploads import MAX_MESSAGE_YAML

    if len(text.encode("utf-8")) > MAX_MESSAGE_YAML:
        raise MeariError(f"message YAML over {MAX_MESSAGE_YAML:,} bytes", "yaml")
    return unicodedata.normalize("NFC", text)


@api.get("/messages/{message_id}", response=MessageOut)
def message(request: HttpRequest, message_id: int) -> MessageOut:
    return _message(reading(workflow.get_message, request.user, message_id))


@api.post("/messages/{message_id}/versions", response={201: VersionOut},
          summary="Save a new immutable version (an edit after approval voids it)")
def save_version(request: HttpRequest, message_id: int, body: VersionIn) -> Any:
    m = reading(workflow.get_message, request.user, message_id)
    if body.base_version is not None:
        latest = m.latest()
        if latest is not None and latest.number != body.base_version:
            raise MeariError(f"version {latest.number} was saved after version {body.base_version}; "
                             "merge your change into the latest", "base_version")
    return Status(201, _version(workflow.save_version(request.user, m, _yaml(body.yaml))))


@api.get("/versions/{version_id}", response=VersionOut)
def version(request: HttpRequest, version_id: int) -> VersionOut:
    return _version(reading(workflow.get_version, request.user, version_id))


@api.get("/versions/{version_id}/diff", response=dict, summary="Line diff of this version's YAML against another")
def version_diff(request: HttpRequest, version_id: int, against: int) -> dict:
    import difflib

    v = reading(workflow.get_version, request.user, version_id)
    other = v.message.versions.filter(number=against).first()
    if other is None:
        raise MeariError(f"message {v.message_id} has no version {against}", "against")
    lines = difflib.unified_diff(other.yaml.splitlines(), v.yaml.splitlines(), f"v{other.number}", f"v{v.number}",
                                 lineterm="")
    return {"from": other.number, "to": v.number, "unified": "\n".join(lines)}


@api.get("/versions/{version_id}/legal-findings", response=list[FindingOut],
         summary="ihl./truth. findings legal must resolve on this version")
def legal_findings(request: HttpRequest, version_id: int) -> list[FindingOut]:
    v = reading(workflow.get_version, request.user, version_id)
    done = dict(v.resolutions.values_list("key", "status"))
    return [FindingOut(key=f["key"], id=f["id"], severity=f["severity"], text=f.get("text", ""), why=f["why"],
                       on_version=f["on_version"], gone=bool(f.get("gone")), resolution=done.get(f["key"]))
            for f in workflow.legal_findings(v)]


@api.post("/versions/{version_id}/resolutions", response={201: dict})
def resolve(request: HttpRequest, version_id: int, body: ResolutionIn) -> Any:
    v = reading(workflow.get_version, request.user, version_id)
    r = workflow.resolve_finding(request.user, v, body.key, body.status, body.reason)
    return Status(201, {"id": r.id, "key": r.key, "status": r.status})


@api.post("/versions/{version_id}/signoffs", response={201: dict}, summary="Sign off: kind = language | legal")
def sign(request: HttpRequest, version_id: int, body: SignOffIn) -> Any:
    v = reading(workflow.get_version, request.user, version_id)
    s = workflow.sign_off(request.user, v, body.kind)
    return Status(201, {"id": s.id, "kind": s.kind})


@api.post("/versions/{version_id}/approval", response={201: dict})
def approve(request: HttpRequest, version_id: int) -> Any:
    v = reading(workflow.get_version, request.user, version_id)
    a = workflow.approve(request.user, v)
    return Status(201, {"id": a.id, "version_id": v.id})


# ------------------------------------------------------------------------------------------------
# Products and disseminations


@api.post("/versions/{version_id}/products", response={201: ProductOut},
          summary="Build one product from the latest approved version")
def build(request: HttpRequest, version_id: int, body: ProductIn) -> Any:
    v = reading(workflow.get_version, request.user, version_id)
    if len(json.dumps(body.params)) > 10_000:
        raise MeariError("parameters too large", "params")
    return Status(201, _product(workflow.build_product(request.user, v, body.kind, body.params)))


@api.get("/campaigns/{slug}/products", response=list[ProductOut])
def products(request: HttpRequest, slug: str) -> list[ProductOut]:
    from meari.campaign.models import Product

    c = reading(workflow.get_campaign, request.user, slug)
    return [_product(p) for p in Product.objects.filter(version__message__campaign=c).select_related("built_by")
            .order_by("id")]


@api.get("/products/{product_id}", response=ProductOut)
def product(request: HttpRequest, product_id: int) -> ProductOut:
    return _product(reading(workflow.get_product, request.user, product_id))


@api.get("/products/{product_id}/file", summary="Download the product file (X-Meari-SHA256 header)")
def product_file(request: HttpRequest, product_id: int) -> Any:
    p = reading(workflow.get_product, request.user, product_id)
    try:
        fh = open(workflow.product_file(p), "rb")  # noqa: SIM115 - FileResponse closes it
    except OSError:
        raise MeariError("the product file is missing from the store (run `meari audit verify`)", "product") from None
    resp = FileResponse(fh, content_type=p.media_type, as_attachment=True,
                        filename=f"m{p.version.message_id}-v{p.version.number}-{p.kind}{workflow.product_file(p).suffix}")
    resp["X-Meari-SHA256"] = p.sha256
    return resp


@api.post("/products/{product_id}/disseminations", response={201: DisseminationOut})
def disseminate(request: HttpRequest, product_id: int, body: DisseminationIn) -> Any:
    p = reading(workflow.get_product, request.user, product_id)
    drift = reading(workflow.get_product, request.user, body.drift_plan_id) if body.drift_plan_id else None
    d = workflow.record_dissemination(request.user, p, quantity=body.quantity, channel=body.channel, time=body.time,
                                      lat=body.lat, lon=body.lon, release=body.release, drift_plan=drift,
                                      notes=body.notes[:2000])
    return Status(201, _dissemination(d))


@api.get("/campaigns/{slug}/disseminations", response=list[DisseminationOut])
def disseminations(request: HttpRequest, slug: str) -> list[DisseminationOut]:
    from meari.campaign.models import Dissemination

    c = reading(workflow.get_campaign, request.user, slug)
    return [_dissemination(d) for d in Dissemination.objects.filter(product__version__message__campaign=c)
            .select_related("by").order_by("id")]


@api.get("/campaigns/{slug}/ledger", response=list[dict], summary="The campaign's ledger entries")
def ledger(request: HttpRequest, slug: str) -> list[dict]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [{"index": e.index, "time": e.time, "actor": e.actor, "action": e.action,
             "payload": json.loads(e.payload), "hash": e.hash} for e in workflow.ledger_for(request.user, c)]


# ------------------------------------------------------------------------------------------------
# Live conversion and review (nothing saved)


@api.post("/campaigns/{slug}/live", response=dict, summary="Convert and review a message draft (nothing saved)")
def live(request: HttpRequest, slug: str, body: LiveIn) -> dict:
    from meari.web.forms import parse_yaml
    from meari.web.live import analyse

    c = reading(workflow.get_campaign, request.user, slug)
    if not rules.can_read(workflow.actor(request.user, c), c.slug):
        raise NotFound(slug)
    return analyse(parse_yaml(_yaml(body.yaml))).to_dict()
api.add_router("/", "meari.web.api_research.router")
