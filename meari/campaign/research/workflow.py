"""Changes and reads for audience profiles, themes, raters, pretests, ratings and outcomes.

Same contract as :mod:`meari.campaign.workflow`: every function takes the acting user first; a refusal
raises ``Denied`` (403) / ``NotFound`` (404, anything outside the user's campaigns); bad input raises
``MeariError`` (400); every new record and its ledger entry are written in ONE transaction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction

from meari.campaign import ledger, stats
from meari.campaign.models import Campaign, Dissemination, MessageVersion, Product
from meari.campaign.research import csvform, rules, schema, themes
from meari.campaign.research.models import (
    DIMENSIONS,
    MOVED,
    OUTCOME_KINDS,
    AudienceProfile,
    CampaignTheme,
    Outcome,
    Pretest,
    ProfileVersion,
    Rater,
    Rating,
)
from meari.campaign.workflow import Denied, NotFound, actor
from meari.errors import MeariError


def _check(decision: Any) -> None:
    if not decision:
        raise Denied(decision.reason, decision.rule)


def _reader(user: Any, campaign: Campaign) -> None:
    _check(rules.can_read_research(actor(user, campaign), campaign.slug))


def _writer(user: Any, campaign: Campaign) -> str:
    a = actor(user, campaign)
    _check(rules.can_write_research(a, campaign.slug))
    return a.name


# ------------------------------------------------------------------------------------------------
# Audience profiles


def profiles_of(user: Any, campaign: Campaign) -> list[AudienceProfile]:
    _reader(user, campaign)
    return list(AudienceProfile.objects.filter(campaign=campaign).order_by("name"))


def get_profile(user: Any, profile_id: int) -> AudienceProfile:
    p = AudienceProfile.objects.select_related("campaign").filter(pk=profile_id).first()
    if p is None or not actor(user, p.campaign).member:
        raise NotFound(f"no audience profile {profile_id} in your campaigns", "can_read_research")
    return p


def profile_versions(user: Any, profile: AudienceProfile) -> list[ProfileVersion]:
    _reader(user, profile.campaign)
    return list(ProfileVersion.objects.filter(profile=profile).order_by("number"))


def latest_profile(profile: AudienceProfile) -> ProfileVersion | None:
    return ProfileVersion.objects.filter(profile=profile).order_by("-number").first()


def save_profile(user: Any, campaign: Campaign, name: str, data: Any) -> ProfileVersion:
    """An analyst saves a profile (new, or a new version of the one with this name)."""
    who = _writer(user, campaign)
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200:
        raise MeariError("a profile needs a name (at most 200 characters)", "name")
    clean = schema.validate_profile(data)
    with transaction.atomic():
        p, _ = AudienceProfile.objects.get_or_create(campaign=campaign, name=name, defaults={"created_by": user})
        last = ProfileVersion.objects.filter(profile=p).order_by("-number").first()
        v = ProfileVersion.objects.create(profile=p, number=(last.number + 1) if last else 1, data=clean,
                                          author=user)
        ledger.append(who, "profile.saved", {
            "id": v.id, "profile": p.id, "campaign": campaign.slug, "name": name, "number": v.number,
            "claims": len(schema.claims(clean)),
            "sha256": hashlib.sha256(ledger.canonical(clean).encode()).hexdigest()})
    return v


# ------------------------------------------------------------------------------------------------
# Themes: shipped catalogue, campaign copies


def themes_of(user: Any, campaign: Campaign) -> list[dict]:
    """The catalogue as this campaign sees it: its own copy where edited, the shipped theme otherwise.
    Each dict has ``key``, ``edited`` (bool) and the theme's fields."""
    _reader(user, campaign)
    own = {t.key: t for t in CampaignTheme.objects.filter(campaign=campaign)}
    out = []
    for t in themes.catalogue():
        if t["key"] in own:
            out.append({**own[t["key"]].data, "key": t["key"], "edited": True})
        else:
            out.append({**t, "edited": False})
    for k, t in own.items():
        if k not in {x["key"] for x in out}:
            out.append({**t.data, "key": k, "edited": True})
    return out


def save_theme(user: Any, campaign: Campaign, key: str, data: Any) -> CampaignTheme:
    """An analyst edits the campaign's copy of a theme (or adds a campaign theme)."""
    who = _writer(user, campaign)
    clean = themes.validate_theme({**(data or {}), "key": key}, f"theme {key}")
    with transaction.atomic():
        t, created = CampaignTheme.objects.get_or_create(campaign=campaign, key=clean["key"],
                                                         defaults={"data": clean, "updated_by": user})
        if not created:
            t.data, t.updated_by = clean, user
            t.save()
        ledger.append(who, "theme.saved", {"id": t.id, "campaign": campaign.slug, "key": clean["key"],
                                           "sha256": hashlib.sha256(ledger.canonical(clean).encode()).hexdigest()})
    return t


# ------------------------------------------------------------------------------------------------
# Raters


def raters_of(user: Any, campaign: Campaign) -> list[Rater]:
    _reader(user, campaign)
    return list(Rater.objects.filter(campaign=campaign).order_by("code"))


def add_rater(user: Any, campaign: Campaign, code: str, *, years_since_leaving: int | None = None,
              former_service: str = "", unit_type: str = "", defector: bool = True) -> Rater:
    """An analyst adds a panel member (a code, never a name) with the background that biases ratings."""
    who = _writer(user, campaign)
    code = str(code or "").strip()
    if not code or len(code) > 64 or any(c in code for c in ",\n\r\t"):
        raise MeariError("a rater code is 1-64 characters without commas or line breaks", "code")
    if years_since_leaving is not None and not 0 <= int(years_since_leaving) <= 80:
        raise MeariError("years since leaving must be 0-80", "years_since_leaving")
    if Rater.objects.filter(campaign=campaign, code=code).exists():
        raise MeariError(f"rater {code} exists already", "code")
    with transaction.atomic():
        r = Rater.objects.create(campaign=campaign, code=code, years_since_leaving=years_since_leaving,
                                 former_service=str(former_service)[:200], unit_type=str(unit_type)[:200],
                                 defector=bool(defector), created_by=user)
        ledger.append(who, "rater.added", {"id": r.id, "campaign": campaign.slug, "code": code,
                                           "years_since_leaving": years_since_leaving,
                                           "former_service": r.former_service, "unit_type": r.unit_type,
                                           "defector": r.defector})
    return r


# ------------------------------------------------------------------------------------------------
# Pretests and ratings


def is_stale(pretest: Pretest) -> bool:
    """A pretest is stale when its version is no longer the message's latest (computed, never stored)."""
    v = pretest.version
    return MessageVersion.objects.filter(message_id=v.message_id, number__gt=v.number).exists()


def create_pretest(user: Any, version: MessageVersion, *, group: str = "", notes: str = "") -> Pretest:
    """An analyst opens a pretest of the latest version of a message."""
    campaign = version.message.campaign
    who = _writer(user, campaign)
    if MessageVersion.objects.filter(message_id=version.message_id, number__gt=version.number).exists():
        raise Denied(f"version {version.number} is not the latest: pretest the current text", "can_write_research")
    group = (str(group).strip() or f"message-{version.message_id}")[:100]
    with transaction.atomic():
        p = Pretest.objects.create(campaign=campaign, version=version, group=group, notes=str(notes)[:4000],
                                   created_by=user)
        ledger.append(who, "pretest.created", {"id": p.id, "campaign": campaign.slug, "version": version.id,
                                               "number": version.number, "sha256": version.sha256, "group": group})
    return p


def get_pretest(user: Any, pretest_id: int) -> Pretest:
    p = Pretest.objects.select_related("campaign", "version__message").filter(pk=pretest_id).first()
    if p is None or not actor(user, p.campaign).member:
        raise NotFound(f"no pretest {pretest_id} in your campaigns", "can_read_research")
    return p


def pretests_of(user: Any, campaign: Campaign) -> list[Pretest]:
    _reader(user, campaign)
    return list(Pretest.objects.filter(campaign=campaign).select_related("version__message").order_by("-id"))


def pretests_of_message(user: Any, message: Any) -> list[Pretest]:
    _reader(user, message.campaign)
    return list(Pretest.objects.filter(version__message=message).select_related("version").order_by("id"))


def add_ratings(user: Any, pretest: Pretest, rows: list[dict], *, source: str = "form") -> list[Rating]:
    """Store ratings ``[{rater: code, dimension, score, comment}]`` — all of them or none.

    A rater code must be on the campaign's panel; a rater already scored on a dimension in this pretest is
    an error (ratings are written once), as is a duplicate within the rows."""
    campaign = pretest.campaign
    a = actor(user, campaign)
    _check(rules.can_rate(a, campaign.slug, is_stale(pretest)))
    panel = {r.code: r for r in Rater.objects.filter(campaign=campaign)}
    done = set(Rating.objects.filter(pretest=pretest).values_list("rater__code", "dimension"))
    seen: set[tuple[str, str]] = set()
    clean = []
    for i, r in enumerate(rows):
        where = f"row {r.get('line', i + 1)}"
        code = str(r.get("rater", "")).strip()
        dim = str(r.get("dimension", "")).strip()
        if code not in panel:
            raise MeariError(f"{where}: rater {code!r} is not on the campaign's panel (add the rater first)", "ratings")
        if dim not in DIMENSIONS:
            raise MeariError(f"{where}: unknown dimension {dim!r}", "ratings")
        try:
            score = int(r.get("score"))
        except (TypeError, ValueError):
            raise MeariError(f"{where}: score {r.get('score')!r} is not 1-5", "ratings") from None
        if not 1 <= score <= 5 or str(r.get("score")).strip() not in {"1", "2", "3", "4", "5"}:
            raise MeariError(f"{where}: score {r.get('score')!r} is not 1-5", "ratings")
        if (code, dim) in done:
            raise MeariError(f"{where}: rater {code} has already rated {dim} in this pretest", "ratings")
        if (code, dim) in seen:
            raise MeariError(f"{where}: rater {code} rated {dim} twice", "ratings")
        seen.add((code, dim))
        clean.append((panel[code], dim, score, str(r.get("comment", "") or "")[:4000]))
    if not clean:
        raise MeariError("no ratings given", "ratings")
    with transaction.atomic():
        # checked again inside the transaction: an edit may have landed since
        _check(rules.can_rate(a, campaign.slug, is_stale(pretest)))
        out = [Rating.objects.create(pretest=pretest, rater=rt, dimension=d, score=s, comment=c, by=user)
               for rt, d, s, c in clean]
        ledger.append(a.name, "ratings.added", {
            "pretest": pretest.id, "campaign": campaign.slug, "version": pretest.version_id, "source": source,
            "ids": [x.id for x in out],
            "ratings": [[rt.code, d, s] for rt, d, s, _ in clean],
            "comments_sha256": hashlib.sha256("\n".join(c for *_, c in clean).encode()).hexdigest()})
    return out


def import_ratings_csv(user: Any, pretest: Pretest, data: bytes | str) -> list[Rating]:
    """Import a filled-in offline form (see :mod:`.csvform`): the whole file or nothing."""
    _check(rules.can_rate(actor(user, pretest.campaign), pretest.campaign.slug, is_stale(pretest)))
    rows = csvform.parse_form(data)
    return add_ratings(user, pretest, [{"line": r.line, "rater": r.rater, "dimension": r.dimension,
                                        "score": str(r.score), "comment": r.comment} for r in rows], source="csv")


def blank_form(user: Any, pretest: Pretest) -> str:
    """The CSV form for a pretest, one row per panel member and dimension."""
    _reader(user, pretest.campaign)
    v = pretest.version
    codes = [r.code for r in Rater.objects.filter(campaign=pretest.campaign).order_by("code")]
    return csvform.blank_form(codes, header_note=f"pretest {pretest.id}: {v.message.title or 'message'} "
                                                 f"v{v.number} sha256 {v.sha256[:12]}")


def _rating_rows(pretests: list[Pretest]) -> list[stats.RatingRow]:
    rows = Rating.objects.filter(pretest__in=pretests).values_list("rater__code", "pretest_id", "dimension", "score")
    return [stats.RatingRow(c, str(p), d, s) for c, p, d, s in rows]


def _label(p: Pretest) -> str:
    return f"{p.version.message.title or 'message ' + str(p.version.message_id)} v{p.version.number}"


def pretest_summary(user: Any, pretest: Pretest, *, n_boot: int = stats.N_BOOT) -> dict:
    """The results page's data: this pretest's summary, the panel, comments, and the ranking of its group."""
    _reader(user, pretest.campaign)
    group = list(Pretest.objects.filter(campaign=pretest.campaign, group=pretest.group)
                 .select_related("version__message").order_by("id"))
    rows = _rating_rows(group)
    mine = [r for r in rows if r.item == str(pretest.id)]
    summary = stats.summarise_item(mine, str(pretest.id), n_boot=n_boot)
    ranked = stats.rank_items(rows, n_boot=n_boot)
    labels = {str(p.id): _label(p) for p in group}
    stale_of = {str(p.id): is_stale(p) for p in group}
    panel = {r.code: r for r in Rater.objects.filter(campaign=pretest.campaign)}
    raters = []
    for r in summary.raters:
        rt = panel.get(r["rater"])
        raters.append({**r, "years_since_leaving": rt.years_since_leaving if rt else None,
                       "former_service": rt.former_service if rt else "", "unit_type": rt.unit_type if rt else "",
                       "defector": rt.defector if rt else None})
    comments = [{"rater": c, "dimension": d, "score": s, "comment": t} for c, d, s, t in
                Rating.objects.filter(pretest=pretest).exclude(comment="").values_list(
                    "rater__code", "dimension", "score", "comment")]
    return {
        "pretest": pretest.id, "version": pretest.version_id, "number": pretest.version.number,
        "label": labels[str(pretest.id)], "stale": stale_of[str(pretest.id)], "group": pretest.group,
        "summary": summary.as_dict(), "raters": raters, "comments": comments,
        "ranking": [{"pretest": int(x.item), "label": labels[x.item], "rank": x.rank, "stale": stale_of[x.item],
                     "overall": x.overall.as_dict(), "ties": [labels[t] for t in x.ties]} for x in ranked],
        "ranking_statement": stats.ranking_statement(ranked, labels),
    }


def group_dimensions(user: Any, pretest: Pretest, *, n_boot: int = stats.N_BOOT) -> list[dict]:
    """Per-dimension intervals for every pretest of this one's group, in ranking order (for the plot)."""
    _reader(user, pretest.campaign)
    group = list(Pretest.objects.filter(campaign=pretest.campaign, group=pretest.group)
                 .select_related("version__message").order_by("id"))
    rows = _rating_rows(group)
    by_item: dict[str, list[stats.RatingRow]] = defaultdict(list)
    for r in rows:
        by_item[r.item].append(r)
    out = []
    for x in stats.rank_items(rows, n_boot=200):
        p = next(g for g in group if str(g.id) == x.item)
        dims = {d: iv.as_dict() for d, iv in stats.summarise_item(by_item[x.item], x.item, n_boot=n_boot)
                .dimensions.items()}
        out.append({"label": _label(p), "stale": is_stale(p), "dimensions": dims})
    return out


def summaries_for_version(user: Any, version: MessageVersion) -> list[dict]:
    """Summaries of every pretest of this exact version (for the approval page)."""
    _reader(user, version.message.campaign)
    return [pretest_summary(user, p) for p in Pretest.objects.filter(version=version).order_by("id")]


# ------------------------------------------------------------------------------------------------
# Outcomes (effects)


def record_outcome(user: Any, campaign: Campaign, *, kind: str, time: datetime, lat: float | None = None,
                   lon: float | None = None, dissemination: Dissemination | None = None,
                   product: Product | None = None, said: str = "", moved: str = "unknown",
                   notes: str = "") -> Outcome:
    """An analyst records an outcome; a linked dissemination implies its product."""
    who = _writer(user, campaign)
    if kind not in OUTCOME_KINDS:
        raise MeariError(f"outcome kind {kind!r} is not one of {', '.join(OUTCOME_KINDS)}", "kind")
    if moved not in MOVED:
        raise MeariError(f"moved must be one of {', '.join(MOVED)}", "moved")
    if time is None or time.tzinfo is None:
        raise MeariError("the time needs a time zone", "time")
    if (lat is None) != (lon is None):
        raise MeariError("give both latitude and longitude, or neither", "lat")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180 and math.isfinite(lat + lon)):
        raise MeariError("latitude/longitude out of range", "lat")
    if dissemination is not None:
        if dissemination.product.version.message.campaign_id != campaign.id:
            raise NotFound("no such dissemination in this campaign", "can_write_research")
        if product is not None and product.id != dissemination.product_id:
            raise MeariError("the product is not the one that dissemination sent out", "product")
        product = dissemination.product
    if product is not None and product.version.message.campaign_id != campaign.id:
        raise NotFound("no such product in this campaign", "can_write_research")
    with transaction.atomic():
        o = Outcome.objects.create(campaign=campaign, kind=kind, time=time, lat=lat, lon=lon,
                                   dissemination=dissemination, product=product, said=str(said)[:8000],
                                   moved=moved, notes=str(notes)[:8000], by=user)
        ledger.append(who, "outcome.recorded", {
            "id": o.id, "campaign": campaign.slug, "kind": kind, "time": time.isoformat(), "lat": lat, "lon": lon,
            "dissemination": dissemination.id if dissemination else None, "product": product.id if product else None,
            "moved": moved, "said_sha256": hashlib.sha256(o.said.encode()).hexdigest()})
    return o


def outcomes_of(user: Any, campaign: Campaign) -> list[Outcome]:
    _reader(user, campaign)
    return list(Outcome.objects.filter(campaign=campaign).order_by("time", "id"))


def recent_outcomes(user: Any, campaign: Campaign, n: int = 300) -> tuple[list[Outcome], int]:
    """The ``n`` latest outcomes (newest first) and how many there are in all (the page shows a window)."""
    _reader(user, campaign)
    qs = Outcome.objects.filter(campaign=campaign)
    return list(qs.order_by("-time", "-id")[:n]), qs.count()


def disseminations_of(user: Any, campaign: Campaign) -> list[Dissemination]:
    _reader(user, campaign)
    return list(Dissemination.objects.filter(product__version__message__campaign=campaign)
                .select_related("product__version__message", "drift_plan").order_by("time", "id"))


def effects(user: Any, campaign: Campaign) -> dict:
    """Plain data for the effects page: disseminations, outcomes, per-variant rates and the statement.

    A variant is a message version; its exposures are the quantities it was disseminated in (leaflets,
    broadcasts), its outcomes those linked to its products. The rate is outcomes per unit disseminated.
    """
    _reader(user, campaign)
    dis = list(Dissemination.objects.filter(product__version__message__campaign=campaign)
               .values("id", "time", "lat", "lon", "quantity", "channel", "drift_plan_id",
                       "product__version_id", "product__version__number", "product__version__message__title",
                       "product__version__message_id"))
    outs = list(Outcome.objects.filter(campaign=campaign).values(
        "id", "kind", "time", "lat", "lon", "dissemination_id", "product__version_id", "moved"))
    label: dict[int, str] = {}
    exposure: dict[int, int] = defaultdict(int)
    for d in dis:
        vid = d["product__version_id"]
        label[vid] = (f"{d['product__version__message__title'] or 'message ' + str(d['product__version__message_id'])}"
                      f" v{d['product__version__number']}")
        exposure[vid] += d["quantity"]
    hits: dict[int, int] = defaultdict(int)
    for o in outs:
        if o["product__version_id"] is not None and o["kind"] in ("surrender", "hotline", "other-contact"):
            hits[o["product__version_id"]] += 1
    counts = {label[v]: (min(hits.get(v, 0), exposure[v]), exposure[v]) for v in exposure}
    rates, statement = stats.compare_variants(counts)
    drift = _drift_footprints({d["drift_plan_id"] for d in dis if d["drift_plan_id"]})
    return {"disseminations": dis, "outcomes": outs, "rates": rates, "statement": statement,
            "drift": drift, "unlinked": sum(1 for o in outs if o["product__version_id"] is None)}


_FOOTPRINTS: dict[str, dict] = {}


def _drift_footprints(ids: set[int]) -> list[dict]:
    """Footprints from the stored drift plans (their JSON files: GeoJSON footprint, release, centroid,
    p50/p90 radii). Products are immutable, so each file is read once per process (keyed by its hash)."""
    from meari.campaign.workflow import product_file

    out = []
    for p in Product.objects.filter(id__in=ids, kind="drift"):
        if p.sha256 not in _FOOTPRINTS:
            try:
                doc = json.loads(product_file(p).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                doc = {}
            _FOOTPRINTS[p.sha256] = {
                "release": doc.get("release"), "centroid": [doc.get("centroid_lat"), doc.get("centroid_lon")],
                "p50_radius_m": doc.get("p50_radius_m"), "p90_radius_m": doc.get("p90_radius_m"),
                "footprint": doc.get("footprint")}
        out.append({"id": p.id, **_FOOTPRINTS[p.sha256]})
    return out


def export_outcomes(user: Any, campaign: Campaign, fmt: str) -> bytes:
    """Outcomes as CSV (UTF-8) or Parquet, one row per outcome with its linked dissemination and version."""
    _reader(user, campaign)
    cols = ["id", "kind", "time", "lat", "lon", "dissemination", "product", "version", "message", "moved", "said",
            "notes", "by"]
    rows = []
    for o in (Outcome.objects.filter(campaign=campaign).select_related("product__version__message", "by")
              .order_by("time", "id")):
        rows.append({"id": o.id, "kind": o.kind, "time": o.time.isoformat(), "lat": o.lat, "lon": o.lon,
                     "dissemination": o.dissemination_id, "product": o.product_id,
                     "version": o.product.version.number if o.product else None,
                     "message": (o.product.version.message.title if o.product else None),
                     "moved": o.moved, "said": o.said, "notes": o.notes, "by": o.by.get_username()})
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if v is None else v) for k, v in r.items()})
        return buf.getvalue().encode("utf-8")
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema_ = pa.schema([("id", pa.int64()), ("kind", pa.string()), ("time", pa.timestamp("us", tz="UTC")),
                             ("lat", pa.float64()), ("lon", pa.float64()), ("dissemination", pa.int64()),
                             ("product", pa.int64()), ("version", pa.int64()), ("message", pa.string()),
                             ("moved", pa.string()), ("said", pa.string()), ("notes", pa.string()),
                             ("by", pa.string())])
        data = {c: [r[c] for r in rows] for c in cols}
        data["time"] = [datetime.fromisoformat(t) for t in data["time"]]
        table = pa.table(data, schema=schema_)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        return sink.getvalue().to_pybytes()
    raise MeariError(f"unknown export format {fmt!r} (csv or parquet)", "format")


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
