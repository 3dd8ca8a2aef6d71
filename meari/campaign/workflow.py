"""The workbench's state changes: each checks its rule (:mod:`meari.campaign.rules`), changes the store and
appends its ledger entry in ONE database transaction, so a change without its entry (or the reverse) can
never be committed.

Every function takes the acting Django user first. A refused action raises :class:`Denied` (HTTP 403 in the
web app) with the rule's reason; bad input raises :class:`meari.errors.MeariError` (HTTP 400). Slow work
(review, PDF and audio rendering) runs before the transaction, so the write lock is held for milliseconds;
the rule is checked again inside the transaction against the state as it is then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from meari.atomic import write_bytes
from meari.campaign import ledger, rules
from meari.campaign.models import (
    Approval,
    Audience,
    Campaign,
    Dissemination,
    FindingResolution,
    Membership,
    Message,
    MessageVersion,
    Product,
    SignOff,
    Upload,
)
from meari.campaign.setup import store_data_dir
from meari.errors import MeariError

User = get_user_model()
#: the ledger's actor for changes made from the command line (meari users ...)
CLI_ACTOR = "cli"


class Denied(Exception):
    """A workflow rule refused the action (HTTP 403): ``reason`` is its one-line why, ``rule`` its stable id."""

    def __init__(self, reason: str, rule: str = "") -> None:
        self.reason = reason
        self.rule = rule
        super().__init__(reason)


class NotFound(Denied):
    """No such object in the user's campaigns (HTTP 404): another campaign's objects are not even named."""


def _check(decision: rules.Decision) -> None:
    if not decision:
        raise Denied(decision.reason, decision.rule)


def _lock_message(message_id: int) -> None:
    """Serialise changes to one message's chain. SQLite's IMMEDIATE transactions already serialise every
    writer; on PostgreSQL the message row is locked, so an approval and a concurrent edit cannot both pass
    their checks against the same 'latest' version."""
    if transaction.get_connection().vendor == "postgresql":
        Message.objects.select_for_update().filter(pk=message_id).first()


def _name(user: Any) -> str:
    return user.get_username() if user is not None else CLI_ACTOR


# ------------------------------------------------------------------------------------------------
# Reading: who is the actor in a campaign, what state is a version in


def actor(user: Any, campaign: Campaign | None) -> rules.Actor:
    """The plain :class:`rules.Actor` for a user in a campaign (roles there; global admin flag)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return rules.Actor(0, "anonymous")
    ms = Membership.objects.filter(user=user)
    roles = frozenset(m.role for m in ms if campaign is not None and m.campaign_id == campaign.id)
    global_admin = any(m.campaign_id is None and m.role == "admin" for m in ms)
    return rules.Actor(user.id, user.get_username(), roles, global_admin)


def campaigns_for(user: Any) -> list[Campaign]:
    """The campaigns a user is a member of (a user sees nothing of the others)."""
    return list(Campaign.objects.filter(memberships__user=user).distinct().order_by("slug"))


def get_campaign(user: Any, slug: str) -> Campaign:
    """The campaign ``slug`` if the user is a member; Denied otherwise (also when it does not exist)."""
    c = Campaign.objects.filter(slug=slug).first()
    a = actor(user, c)
    if c is None or not a.member:
        raise NotFound(f"no campaign {slug} among your campaigns", "can_read")
    return c


def get_message(user: Any, message_id: int) -> Message:
    """A message the user may read (Denied for another campaign's, or a missing one)."""
    m = Message.objects.select_related("campaign").filter(pk=message_id).first()
    if m is None or not actor(user, m.campaign).member:
        raise NotFound(f"no message {message_id} in your campaigns", "can_read")
    return m


def get_version(user: Any, version_id: int) -> MessageVersion:
    """A version the user may read (Denied for another campaign's, or a missing one)."""
    v = MessageVersion.objects.select_related("message__campaign").filter(pk=version_id).first()
    if v is None or not actor(user, v.message.campaign).member:
        raise NotFound(f"no message version {version_id} in your campaigns", "can_read")
    return v


def get_product(user: Any, product_id: int) -> Product:
    """A product the user may read (and download)."""
    p = Product.objects.select_related("version__message__campaign").filter(pk=product_id).first()
    if p is None or not actor(user, p.version.message.campaign).member:
        raise NotFound(f"no product {product_id} in your campaigns", "can_read")
    return p


def messages_of(user: Any, campaign: Campaign) -> list[Message]:
    """The messages of a campaign the user is a member of (newest first)."""
    _check(rules.can_read(actor(user, campaign), campaign.slug))
    return list(Message.objects.filter(campaign=campaign).order_by("-created", "-id"))


def versions_of(user: Any, message: Message) -> list[MessageVersion]:
    """Every version of a message, oldest first."""
    _check(rules.can_read(actor(user, message.campaign), message.campaign.slug))
    return list(MessageVersion.objects.filter(message=message).order_by("number"))


def products_of(user: Any, version: MessageVersion) -> list[Product]:
    """The products built from a version."""
    _check(rules.can_read(actor(user, version.message.campaign), version.message.campaign.slug))
    return list(Product.objects.filter(version=version).order_by("id"))


def diff_versions(old: MessageVersion, new: MessageVersion) -> list[str]:
    """Unified diff (lines) of two versions' YAML, for the history page."""
    import difflib

    return list(difflib.unified_diff(old.yaml.splitlines(), new.yaml.splitlines(), f"v{old.number}",
                                     f"v{new.number}", lineterm=""))


def product_file(product: Product) -> Path:
    """Where a product's file is (inside the data dir; the path is built from ids, never from user input)."""
    return store_data_dir() / product.path


def legal_findings(version: MessageVersion) -> list[dict]:
    """The ihl./truth. findings legal must resolve on ``version``, each with its ``key``.

    These are the version's own findings plus those of the previous version that this version no longer has
    (legal marks them fixed, or accepts them), so nothing flagged on the way disappears unseen.
    """
    own = [{**f, "key": rules.finding_key(f, version.number), "on_version": version.number}
           for f in version.findings if rules.needs_legal(f["id"])]
    prev = MessageVersion.objects.filter(message_id=version.message_id, number=version.number - 1).first()
    if prev is not None:
        here = {(f["id"], f.get("field", "text"), f.get("text")) for f in version.findings}
        for f in prev.findings:
            if rules.needs_legal(f["id"]) and (f["id"], f.get("field", "text"), f.get("text")) not in here:
                own.append({**f, "key": rules.finding_key(f, prev.number), "on_version": prev.number,
                            "gone": True})
    return own


def state(version: MessageVersion) -> rules.VersionState:
    """The plain :class:`rules.VersionState` of a version, read from the store."""
    msg = version.message
    latest = not MessageVersion.objects.filter(message_id=msg.id, number__gt=version.number).exists()
    authors = frozenset(MessageVersion.objects.filter(message_id=msg.id, number__lte=version.number)
                        .values_list("author_id", flat=True))
    signs = {s.kind: s.by_id for s in SignOff.objects.filter(version=version)}
    appr = Approval.objects.filter(version=version).values_list("by_id", flat=True).first()
    needed = legal_findings(version)
    done = set(FindingResolution.objects.filter(version=version).values_list("key", flat=True))
    return rules.VersionState(
        campaign=msg.campaign.slug, number=version.number, latest=latest, channel=version.channel,
        authors=authors, language_by=signs.get("language"), legal_by=signs.get("legal"), approved_by=appr,
        unresolved=tuple(f["key"] for f in needed if f["key"] not in done),
        resolvable=frozenset(f["key"] for f in needed if f["key"] not in done),
    )


# ------------------------------------------------------------------------------------------------
# Users, campaigns, members


def create_campaign(user: Any, slug: str, name: str = "") -> Campaign:
    """A global admin (or the CLI, ``user=None``) opens a campaign."""
    if user is not None:
        _check(rules.can_create_campaign(actor(user, None)))
    from django.utils.text import slugify

    if not slug or slugify(slug) != slug:
        raise MeariError(f"{slug!r} is not a slug (lower-case letters, digits, hyphens)", "campaign")
    with transaction.atomic():
        c, created = Campaign.objects.get_or_create(slug=slug, defaults={"name": name or slug})
        if created:
            ledger.append(_name(user), "campaign.created", {"id": c.id, "slug": slug, "name": c.name})
    return c


def add_user(by: Any, username: str, password: str, role: str, campaign_slug: str | None = None) -> Any:
    """Create a user (or add a role to an existing one) with an Argon2-hashed password; ledgered.

    ``by=None`` is the command line. A role without a campaign is only allowed for admin (a global admin).
    """
    if role not in rules.ROLES:
        raise MeariError(f"unknown role {role!r}; one of {', '.join(rules.ROLES)}", "--role")
    if campaign_slug is None and role != "admin":
        raise MeariError(f"a {role} belongs to a campaign: give --campaign SLUG", "--campaign")
    if not username or len(username) > 150 or any(ch.isspace() for ch in username):
        raise MeariError("a user name is 1-150 characters without spaces", "NAME")
    if by is not None:
        c = Campaign.objects.filter(slug=campaign_slug).first() if campaign_slug else None
        _check(rules.can_manage_members(actor(by, c), campaign_slug))
    campaign = None
    if campaign_slug:
        campaign = Campaign.objects.filter(slug=campaign_slug).first() or create_campaign(by, campaign_slug)
    with transaction.atomic():
        u = User.objects.filter(username=username).first()
        new = u is None
        if new:
            if not password:
                raise MeariError("a new user needs a password (on stdin)", "password")
            u = User.objects.create_user(username=username, password=password)
            ledger.append(_name(by), "user.created", {"id": u.id, "username": username})
        elif password:
            if by is not None and not actor(by, None).global_admin:
                # a campaign admin must not take over an account that may belong to other campaigns
                raise Denied("only a global admin may change an existing user's password", "can_manage_members")
            u.set_password(password)
            u.save(update_fields=["password"])
            ledger.append(_name(by), "user.password_changed", {"id": u.id, "username": username})
        _, created = Membership.objects.get_or_create(user=u, campaign=campaign, role=role)
        if created:
            ledger.append(_name(by), "role.granted", {"user": username, "user_id": u.id, "role": role,
                                                       "campaign": campaign.slug if campaign else None})
    return u


def remove_role(by: Any, username: str, role: str, campaign_slug: str | None) -> None:
    """Take a role away from a user; ledgered."""
    c = Campaign.objects.filter(slug=campaign_slug).first() if campaign_slug else None
    if by is not None:
        _check(rules.can_manage_members(actor(by, c), campaign_slug))
    with transaction.atomic():
        n, _ = Membership.objects.filter(user__username=username, campaign=c, role=role).delete()
        if not n:
            raise MeariError(f"{username} has no role {role} in {campaign_slug or 'the global scope'}", "role")
        ledger.append(_name(by), "role.revoked", {"user": username, "role": role, "campaign": campaign_slug})


def list_users() -> list[dict]:
    """Every user with their roles (for ``meari users list``)."""
    out = []
    for u in User.objects.order_by("username"):
        roles = [(m.campaign.slug if m.campaign else "*", m.role)
                 for m in Membership.objects.filter(user=u).select_related("campaign").order_by("campaign__slug",
                                                                                                  "role")]
        out.append({"username": u.get_username(), "active": u.is_active, "roles": roles})
    return out


def members_of(user: Any, campaign: Campaign) -> list[dict]:
    """The members of one campaign and their roles there (for its admins; others see their campaign's too)."""
    _check(rules.can_read(actor(user, campaign), campaign.slug))
    out: dict[str, list[str]] = {}
    for m in Membership.objects.filter(campaign=campaign).select_related("user").order_by("user__username", "role"):
        out.setdefault(m.user.get_username(), []).append(m.role)
    return [{"username": k, "roles": v} for k, v in out.items()]


def on_login_failed(sender: Any = None, credentials: dict | None = None, request: Any = None, **_: Any) -> None:
    """Signal receiver: every failed login is a ledger entry (user name tried, client address)."""
    name = (credentials or {}).get("username") or ""
    addr = request.META.get("REMOTE_ADDR") if request is not None else None
    record_login_failure(str(name)[:150], addr)


def record_login_failure(username: str, address: str | None = None) -> None:
    """Append a login failure to the ledger (its own transaction: no other change goes with it)."""
    with transaction.atomic():
        ledger.append("anonymous", "login.failed", {"username": username, "address": address})


# ------------------------------------------------------------------------------------------------
# Messages and versions


def create_audience(user: Any, campaign: Campaign, name: str, description: str = "") -> Audience:
    """A writer (or admin) adds an audience to a campaign."""
    a = actor(user, campaign)
    _check(rules.can_add_audience(a, campaign.slug))
    with transaction.atomic():
        aud = Audience.objects.create(campaign=campaign, name=name, description=description)
        ledger.append(a.name, "audience.created", {"id": aud.id, "campaign": campaign.slug, "name": name})
    return aud


def parse_version(yaml_text: str, where: str = "message") -> tuple[Any, list[dict]]:
    """Validate YAML as a meari message the workbench accepts; return it and its review findings."""
    from meari.campaign.products import acceptance_problems
    from meari.message import parse_message
    from meari.review import review

    msg = parse_message(yaml_text, where)
    problems = acceptance_problems(msg)
    if problems:
        raise MeariError(problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""), where)
    findings = [f.to_dict() for f in review(msg).findings]
    return msg, findings


def create_message(user: Any, campaign: Campaign, yaml_text: str, title: str = "",
                   audience: Audience | None = None) -> MessageVersion:
    """A writer creates a message; its first version is saved (and ledgered) with it."""
    _check(rules.can_edit(actor(user, campaign), campaign.slug))
    if audience is not None and audience.campaign_id != campaign.id:
        raise Denied("that audience belongs to another campaign")
    msg, findings = parse_version(yaml_text)
    with transaction.atomic():
        _check(rules.can_edit(actor(user, campaign), campaign.slug))
        m = Message.objects.create(campaign=campaign, audience=audience, title=title or msg.text[:60],
                                   created_by=user)
        ledger.append(user.get_username(), "message.created", {"id": m.id, "campaign": campaign.slug,
                                                                "title": m.title})
        return _new_version(user, m, yaml_text, msg, findings)


def save_version(user: Any, message: Message, yaml_text: str) -> MessageVersion:
    """A writer saves a new immutable version (an edit after approval voids it: the chain starts again)."""
    campaign = message.campaign
    _check(rules.can_edit(actor(user, campaign), campaign.slug))
    msg, findings = parse_version(yaml_text)
    with transaction.atomic():
        _check(rules.can_edit(actor(user, campaign), campaign.slug))
        _lock_message(message.pk)
        return _new_version(user, message, yaml_text, msg, findings)


def _new_version(user: Any, m: Message, yaml_text: str, msg: Any, findings: list[dict]) -> MessageVersion:
    last = MessageVersion.objects.filter(message=m).order_by("-number").first()
    number = last.number + 1 if last else 1
    voided = None
    if last is not None and Approval.objects.filter(version=last).exists():
        voided = last.number
    sha = hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()
    v = MessageVersion.objects.create(message=m, number=number, yaml=yaml_text, sha256=sha, channel=msg.channel,
                                      findings=findings, author=user)
    payload = {"id": v.id, "message": m.id, "campaign": m.campaign.slug, "number": number, "sha256": sha,
               "channel": msg.channel, "findings": len(findings)}
    if voided is not None:
        payload["voids_approval_of"] = voided
    ledger.append(user.get_username(), "version.saved", payload)
    return v


def message_of(version: MessageVersion) -> Any:
    """The validated :class:`meari.message.Message` of a stored version."""
    from meari.message import parse_message

    return parse_message(version.yaml, f"version {version.number}")


# ------------------------------------------------------------------------------------------------
# The review chain


def resolve_finding(user: Any, version: MessageVersion, key: str, status: str, reason: str = "") -> FindingResolution:
    """Legal resolves one ihl./truth. finding: ``fixed`` (gone in this version) or ``accepted`` with a reason."""
    with transaction.atomic():
        _lock_message(version.message_id)
        a = actor(user, version.message.campaign)
        _check(rules.can_resolve_finding(a, state(version), key, status, reason))
        f = next(x for x in legal_findings(version) if x["key"] == key)
        r = FindingResolution.objects.create(version=version, key=key, rule_id=f["id"],
                                             field=f.get("field", "text"), start=f.get("start", -1),
                                             end=f.get("end", -1), text=f.get("text", ""), status=status,
                                             reason=reason.strip(), by=user)
        ledger.append(a.name, "finding.resolved", {"id": r.id, "version": version.id, "key": key, "rule": f["id"],
                                                   "status": status, "reason": r.reason,
                                                   "campaign": a_slug(version)})
    return r


def a_slug(version: MessageVersion) -> str:
    return version.message.campaign.slug


def sign_off(user: Any, version: MessageVersion, kind: str) -> SignOff:
    """The linguist signs the language (``kind="language"``) or legal signs (``kind="legal"``)."""
    check = {"language": rules.can_sign_language, "legal": rules.can_sign_legal}.get(kind)
    if check is None:
        raise MeariError(f"unknown sign-off {kind!r}: language or legal", "kind")
    with transaction.atomic():
        _lock_message(version.message_id)
        a = actor(user, version.message.campaign)
        _check(check(a, state(version)))
        s = SignOff.objects.create(version=version, kind=kind, by=user)
        ledger.append(a.name, "signoff", {"id": s.id, "version": version.id, "number": version.number,
                                          "kind": kind, "campaign": a_slug(version)})
    return s


def approve(user: Any, version: MessageVersion) -> Approval:
    """A third person approves the latest, signed-off version."""
    with transaction.atomic():
        _lock_message(version.message_id)
        a = actor(user, version.message.campaign)
        _check(rules.can_approve(a, state(version)))
        ap = Approval.objects.create(version=version, by=user)
        ledger.append(a.name, "approval", {"id": ap.id, "version": version.id, "number": version.number,
                                           "sha256": version.sha256, "campaign": a_slug(version)})
    return ap


# ------------------------------------------------------------------------------------------------
# Products and disseminations


#: recorded-voice uploads the store keeps (the web app validates the audio itself before this)
UPLOAD_EXTS = ("wav", "flac", "ogg", "mp3")
MAX_UPLOAD_BYTES = 25 * 1024 * 1024


def store_upload(user: Any, campaign: Campaign, data: bytes, ext: str, name: str = "", kind: str = "voice") -> Upload:
    """Keep an uploaded recording under DATA_DIR/uploads/<sha256>.<ext>; ledgered. The same bytes are kept once."""
    a = actor(user, campaign)
    _check(rules.can_upload(a, campaign.slug))
    ext = (ext or "").lower().lstrip(".")
    if ext not in UPLOAD_EXTS:
        raise MeariError(f"a recording is one of {', '.join(UPLOAD_EXTS)}, not {ext!r}", "upload")
    if not data or len(data) > MAX_UPLOAD_BYTES:
        raise MeariError(f"a recording is 1 byte to {MAX_UPLOAD_BYTES // 2**20} MB", "upload")
    if kind != "voice":
        raise MeariError(f"unknown upload kind {kind!r}", "upload")
    sha = hashlib.sha256(data).hexdigest()
    rel = f"uploads/{sha}.{ext}"
    path = store_data_dir() / rel
    if not path.exists():
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # the store owns its products/ tree
        write_bytes(path, data)
    with transaction.atomic():
        old = Upload.objects.filter(campaign=campaign, sha256=sha).first()
        if old is not None:
            return old
        up = Upload.objects.create(campaign=campaign, kind=kind, sha256=sha, ext=ext, size=len(data),
                                   name=str(name)[:200], by=user)
        ledger.append(a.name, "upload.stored", {"id": up.id, "campaign": campaign.slug, "kind": kind,
                                                "sha256": sha, "path": rel, "size": up.size, "name": up.name})
    return up


def _voice_file(version: MessageVersion, params: dict | None) -> tuple[Path | None, dict | None]:
    """The stored recording named by ``params["voice_upload"]`` (its SHA-256) in the version's campaign."""
    ref = (params or {}).get("voice_upload")
    if not ref:
        return None, params
    ref = str(ref)
    up = Upload.objects.filter(campaign_id=version.message.campaign_id, sha256=ref, kind="voice").first()
    if up is None:
        raise MeariError("no such recording in this campaign", "voice_upload")
    return store_data_dir() / up.path, params


def _product_relpath(version: MessageVersion, kind: str, sha: str, ext: str) -> str:
    m = version.message
    return f"products/{m.campaign.slug}/m{m.id}/v{version.number}/{kind}-{sha[:16]}.{ext}"


def build_product(user: Any, version: MessageVersion, kind: str, params: dict | None = None) -> Product:
    """An operator builds one product from the latest approved version; file, hash and ledger entry."""
    from meari.campaign.products import build

    a = actor(user, version.message.campaign)
    _check(rules.can_build_product(a, state(version), kind))
    voice, params = _voice_file(version, params)
    built = build(message_of(version), kind, params, voice_file=voice)
    sha = hashlib.sha256(built.data).hexdigest()
    rel = _product_relpath(version, kind, sha, built.ext)
    path = store_data_dir() / rel
    existed = path.exists()
    if not existed:
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # the store owns its products/ tree
        write_bytes(path, built.data)
    try:
        with transaction.atomic():
            _lock_message(version.message_id)
            _check(rules.can_build_product(actor(user, version.message.campaign), state(version), kind))
            old = Product.objects.filter(path=rel).first()
            if old is not None:
                return old  # the same bytes are already stored and recorded
            p = Product.objects.create(version=version, kind=kind, path=rel, sha256=sha, signature=built.signature,
                                       size=len(built.data), media_type=built.media_type, meta=built.meta,
                                       built_by=user)
            ledger.append(a.name, "product.built", {"id": p.id, "version": version.id, "number": version.number,
                                                    "kind": kind, "path": rel, "sha256": sha, "size": p.size,
                                                    "signature": built.signature, "campaign": a_slug(version)})
    except BaseException:
        if not existed and not Product.objects.filter(path=rel).exists():
            path.unlink(missing_ok=True)
        raise
    return p


def build_all_products(user: Any, version: MessageVersion, params: dict[str, dict] | None = None) -> list[Product]:
    """Every product of the version's channel (drift only when its parameters give a release or aim point)."""
    params = params or {}
    out = []
    for kind in rules.CHANNEL_PRODUCTS.get(version.channel, ()):
        p = params.get(kind)
        if kind == "drift" and not (p and (p.get("release") or p.get("aim"))):
            continue
        out.append(build_product(user, version, kind, p))
    return out


def record_dissemination(user: Any, product: Product, *, quantity: int, channel: str, time: datetime,
                         lat: float, lon: float, release: dict | None = None, drift_plan: Product | None = None,
                         notes: str = "") -> Dissemination:
    """An operator records what went out (product, quantity, channel, time, place, release, drift plan)."""
    import math

    version = product.version
    if not isinstance(quantity, int) or quantity < 1:
        raise MeariError("quantity must be a whole number of at least 1", "quantity")
    for name, v, lim in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if not isinstance(v, int | float) or not math.isfinite(v) or abs(v) > lim:
            raise MeariError(f"{name} must be a number within ±{lim:g}", name)
    if drift_plan is not None and (drift_plan.kind != "drift"
                                   or drift_plan.version.message.campaign_id != version.message.campaign_id):
        raise MeariError("the drift plan must be a drift product of the same campaign", "drift_plan")
    if time.tzinfo is None:
        raise MeariError("the time needs a time zone", "time")
    with transaction.atomic():
        _lock_message(version.message_id)
        a = actor(user, version.message.campaign)
        _check(rules.can_record_dissemination(a, state(version)))
        d = Dissemination.objects.create(product=product, quantity=quantity, channel=channel[:100], time=time,
                                         lat=float(lat), lon=float(lon), release=release or {},
                                         drift_plan=drift_plan, notes=notes, by=user)
        ledger.append(a.name, "dissemination", {
            "id": d.id, "product": product.id, "product_sha256": product.sha256, "quantity": quantity,
            "channel": d.channel, "time": time.isoformat(), "lat": d.lat, "lon": d.lon, "release": d.release,
            "drift_plan": drift_plan.id if drift_plan else None, "campaign": a_slug(version)})
    return d


def ledger_for(user: Any, campaign: Campaign) -> Iterable[Any]:
    """The ledger entries of one campaign, for those who may read them."""
    from meari.campaign.models import LedgerEntry

    _check(rules.can_read_ledger(actor(user, campaign), campaign.slug))
    needle = ledger.canonical(campaign.slug)
    return (e for e in LedgerEntry.objects.filter(payload__contains=f'"campaign":{needle}').order_by("index"))


__all__ = [
    "Denied",
    "NotFound",
    "actor",
    "add_user",
    "approve",
    "build_all_products",
    "build_product",
    "campaigns_for",
    "create_audience",
    "create_campaign",
    "create_message",
    "diff_versions",
    "get_campaign",
    "get_message",
    "get_product",
    "get_version",
    "legal_findings",
    "list_users",
    "members_of",
    "messages_of",
    "products_of",
    "record_dissemination",
    "record_login_failure",
    "remove_role",
    "resolve_finding",
    "save_version",
    "sign_off",
    "state",
    "store_upload",
    "versions_of",
]
