"""Pages for audience profiles, themes, pretests and effects (namespace ``research``).

Views parse input, call :mod:`meari.campaign.research.workflow` (rules, ledger) and render; plots come
from :mod:`meari.campaign.research.render`. Hooked in by one line in meari/web/urls.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import yaml
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from meari.campaign import stats, workflow
from meari.campaign.research import render as plots
from meari.campaign.research import rules as rrules
from meari.campaign.research import schema
from meari.campaign.research import workflow as rw
from meari.campaign.research.models import MOVED, OUTCOME_KINDS, Rating
from meari.errors import MeariError
from meari.web.views.common import page, reading

MAX_CSV = 2 * 1024 * 1024
MAX_TABLE = 300  # outcome rows shown on the page (all are in the exports)


def _ctx(request: HttpRequest, campaign: Any) -> dict:
    a = workflow.actor(request.user, campaign)
    return {"campaign": campaign, "actor": a, "roles": sorted(a.roles),
            "can_write": rrules.can_write_research(a, campaign.slug)}


def _png(data: bytes) -> HttpResponse:
    r = HttpResponse(data, content_type="image/png")
    r["Cache-Control"] = "private, no-store"
    return r


# ------------------------------------------------------------------------------------------------
# Profiles


def _claims_text(claims: list[dict]) -> str:
    return "\n".join(f"{c['text']} | {c['source']} | {c['date']} | {c['grade']}" for c in claims)


def _parse_claims(text: str, where: str) -> list[dict]:
    """One claim per line: ``text | source | date | grade`` (the form's plain-text format)."""
    out = []
    for n, line in enumerate(str(text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4:
            raise MeariError(_("line %(n)d: write text | source | date | grade") % {"n": n}, where)
        out.append({"text": parts[0], "source": parts[1], "date": parts[2], "grade": parts[3]})
    return out


def _fields(data: dict | None) -> list[dict]:
    rows = []
    for s, fs in schema.SECTIONS.items():
        for f in fs:
            cl = (data or {}).get(s, {}).get(f, [])
            rows.append({"name": f"{s}.{f}", "section": s, "field": f, "claims": cl, "text": _claims_text(cl)})
    return rows


@require_http_methods(["GET", "POST"])
@page
def profiles(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _ctx(request, c)
    problem, form_data, name = "", None, request.GET.get("edit", "")
    if request.method == "POST":
        name = request.POST.get("name", "")
        data: dict = {s: {} for s in schema.SECTIONS}
        try:
            for s, fs in schema.SECTIONS.items():
                for f in fs:
                    data[s][f] = _parse_claims(request.POST.get(f"{s}.{f}", ""), f"{s}.{f}")
            v = rw.save_profile(request.user, c, name, data)
            return redirect("research:profile", profile_id=v.profile_id)
        except MeariError as e:
            problem, form_data = str(e), data
    items = []
    for p in rw.profiles_of(request.user, c):
        latest = rw.latest_profile(p)
        items.append({"profile": p, "latest": latest, "claims": len(schema.claims(latest.data)) if latest else 0})
        if name and p.name == name and form_data is None and latest is not None:
            form_data = latest.data
    ctx.update({"items": items, "fields": _fields(form_data), "problem": problem, "name": name,
                "grades": schema.RELIABILITY, "credibility": schema.CREDIBILITY})
    return render(request, "web/research/profiles.html", ctx)


@require_safe
@page
def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    p = reading(rw.get_profile, request.user, profile_id)
    ctx = _ctx(request, p.campaign)
    versions = rw.profile_versions(request.user, p)
    want = request.GET.get("v")
    shown = next((v for v in versions if str(v.number) == want), versions[-1] if versions else None)
    rows = []
    if shown:
        for name, cl in schema.claims(shown.data):
            rows.append({"field": name, **cl, "meaning": schema.grade_meaning(cl["grade"])})
    ctx.update({"profile": p, "versions": versions, "shown": shown, "rows": rows})
    return render(request, "web/research/profile.html", ctx)


# ------------------------------------------------------------------------------------------------
# Themes


@require_http_methods(["GET", "POST"])
@page
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _ctx(request, c)
    problem = ""
    if request.method == "POST":
        key = request.POST.get("key", "")
        try:
            data = yaml.safe_load(request.POST.get("yaml", "")) or {}
        except yaml.YAMLError as e:
            problem = f"theme {key}: {_('not valid YAML')}: {str(e).splitlines()[0]}"
        else:
            try:
                rw.save_theme(request.user, c, key, data)
                return redirect(f"{request.path}#theme-{key}")
            except MeariError as e:
                problem = str(e)
    items = rw.themes_of(request.user, c)
    for t in items:
        t["yaml"] = yaml.safe_dump({k: v for k, v in t.items() if k not in {"key", "edited", "yaml"}},
                                   allow_unicode=True, sort_keys=False, width=100)
    ctx.update({"items": items, "problem": problem})
    return render(request, "web/research/themes.html", ctx)


# ------------------------------------------------------------------------------------------------
# Pretests


@require_http_methods(["GET", "POST"])
@page
def pretests(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _ctx(request, c)
    problem = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rater":
                years = request.POST.get("years_since_leaving", "").strip()
                rw.add_rater(request.user, c, request.POST.get("code", ""),
                             years_since_leaving=int(years) if years.isdigit() else None,
                             former_service=request.POST.get("former_service", ""),
                             unit_type=request.POST.get("unit_type", ""),
                             defector=request.POST.get("defector") == "yes")
                return redirect("research:pretests", slug=c.slug)
            v = reading(workflow.get_version, request.user, int(request.POST.get("version") or 0))
            p = rw.create_pretest(request.user, v, group=request.POST.get("group", ""),
                                  notes=request.POST.get("notes", ""))
            return redirect("research:pretest", pretest_id=p.id)
        except MeariError as e:
            problem = str(e)
    latest = []
    for m in workflow.messages_of(request.user, c):
        v = m.versions.order_by("-number").first()
        if v is not None:
            latest.append(v)
    rows = [{"p": p, "stale": rw.is_stale(p), "n": p.ratings.count()} for p in rw.pretests_of(request.user, c)]
    ctx.update({"raters": rw.raters_of(request.user, c), "latest": latest, "rows": rows, "problem": problem})
    return render(request, "web/research/pretests.html", ctx)


def _entry_grid(p: Any) -> list[dict]:
    done = {(r.rater.code, r.dimension): r for r in Rating.objects.filter(pretest=p).select_related("rater")}
    return [{"rater": rt, "cells": [{"dim": d, "rating": done.get((rt.code, d))} for d in stats.DIMENSIONS]}
            for rt in p.campaign.raters.order_by("code")]


@require_http_methods(["GET", "POST"])
@page
def pretest(request: HttpRequest, pretest_id: int) -> HttpResponse:
    p = reading(rw.get_pretest, request.user, pretest_id)
    ctx = _ctx(request, p.campaign)
    problem, saved = "", ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "import":
                f = request.FILES.get("file")
                if f is None:
                    raise MeariError(_("choose a CSV file"), "ratings file")
                if f.size and f.size > MAX_CSV:
                    raise MeariError(_("file too large"), "ratings file")
                out = rw.import_ratings_csv(request.user, p, f.read(MAX_CSV + 1))
            else:
                rows = []
                for rt in p.campaign.raters.all():
                    for d in stats.DIMENSIONS:
                        s = request.POST.get(f"s-{rt.code}-{d}", "").strip()
                        if s:
                            rows.append({"rater": rt.code, "dimension": d, "score": s,
                                         "comment": request.POST.get(f"c-{rt.code}", "") if d == "motivation" else ""})
                out = rw.add_ratings(request.user, p, rows)
            saved = _("%(n)d ratings saved") % {"n": len(out)}
        except MeariError as e:
            problem = str(e)
        except workflow.Denied as e:
            problem = e.reason
    s = rw.pretest_summary(request.user, p)
    ctx.update({"p": p, "version": p.version, "message": p.version.message, "s": s, "problem": problem,
                "saved": saved, "grid": _entry_grid(p), "dims": stats.DIMENSIONS,
                "can_rate": rrules.can_rate(ctx["actor"], p.campaign.slug, s["stale"])})
    return render(request, "web/research/pretest.html", ctx)


@require_safe
@page
def pretest_png(request: HttpRequest, pretest_id: int) -> HttpResponse:
    p = reading(rw.get_pretest, request.user, pretest_id)
    sums = rw.group_dimensions(request.user, p)
    if len(sums) > 5:  # a readable plot: the five best and this pretest's version (the table has them all)
        mine = rw.pretest_summary(request.user, p, n_boot=100)["label"]
        sums = sums[:5] + [s for s in sums[5:] if s["label"] == mine]
    return _png(plots.pretest_png(sums, stats.DIMENSIONS))


@require_safe
@page
def pretest_form(request: HttpRequest, pretest_id: int) -> HttpResponse:
    p = reading(rw.get_pretest, request.user, pretest_id)
    r = HttpResponse(rw.blank_form(request.user, p).encode("utf-8"), content_type="text/csv; charset=utf-8")
    r["Content-Disposition"] = f'attachment; filename="pretest-{p.id}-form.csv"'
    return r


# ------------------------------------------------------------------------------------------------
# Effects


def _parse_time(s: str) -> datetime:
    try:
        t = datetime.fromisoformat(s.strip())
    except ValueError:
        raise MeariError(_("time must be YYYY-MM-DDTHH:MM"), "time") from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _float(s: str, where: str) -> float | None:
    s = (s or "").strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        raise MeariError(_("not a number"), where) from None


@require_http_methods(["GET", "POST"])
@page
def effects(request: HttpRequest, slug: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    ctx = _ctx(request, c)
    problem = ""
    dis = rw.disseminations_of(request.user, c)
    if request.method == "POST":
        try:
            did = request.POST.get("dissemination", "")
            d = next((x for x in dis if str(x.id) == did), None) if did else None
            if did and d is None:
                raise MeariError(_("no such dissemination"), "dissemination")
            rw.record_outcome(request.user, c, kind=request.POST.get("kind", ""),
                              time=_parse_time(request.POST.get("time", "")),
                              lat=_float(request.POST.get("lat", ""), "lat"),
                              lon=_float(request.POST.get("lon", ""), "lon"), dissemination=d,
                              said=request.POST.get("said", ""), moved=request.POST.get("moved", "unknown"),
                              notes=request.POST.get("notes", ""))
            return redirect("research:effects", slug=c.slug)
        except MeariError as e:
            problem = str(e)
    e = rw.effects(request.user, c)
    outs, n_outs = rw.recent_outcomes(request.user, c, MAX_TABLE)
    ctx.update({"e": e, "outcomes": outs, "n_outcomes": n_outs, "dis": dis,
                "kinds": OUTCOME_KINDS, "moved": MOVED, "problem": problem,
                "now": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")})
    return render(request, "web/research/effects.html", ctx)


@require_safe
@page
def effects_png(request: HttpRequest, slug: str, which: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    if which not in ("timeline", "map", "variants"):
        return render(request, "404.html", status=404)
    e = rw.effects(request.user, c)
    if which == "timeline":
        return _png(plots.timeline_png(e["disseminations"], e["outcomes"]))
    if which == "map":
        return _png(plots.map_png(e["disseminations"], e["outcomes"], e["drift"]))
    return _png(plots.variants_png(e["rates"]))


@require_safe
@page
def effects_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    data = rw.export_outcomes(request.user, c, fmt)
    ct = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
    r = HttpResponse(data, content_type=ct)
    r["Content-Disposition"] = f'attachment; filename="{c.slug}-outcomes.{fmt}"'
    return r


app_name = "research"
urlpatterns = [
    path("c/<slug:slug>/profiles", profiles, name="profiles"),
    path("profile/<int:profile_id>/", profile, name="profile"),
    path("c/<slug:slug>/themes", themes, name="themes"),
    path("c/<slug:slug>/pretests", pretests, name="pretests"),
    path("pretest/<int:pretest_id>/", pretest, name="pretest"),
    path("pretest/<int:pretest_id>/plot.png", pretest_png, name="pretest_png"),
    path("pretest/<int:pretest_id>/form.csv", pretest_form, name="pretest_form"),
    path("c/<slug:slug>/effects", effects, name="effects"),
    path("c/<slug:slug>/effects/<str:which>.png", effects_png, name="effects_png"),
    path("c/<slug:slug>/effects/outcomes.<str:fmt>", effects_export, name="effects_export"),
]
