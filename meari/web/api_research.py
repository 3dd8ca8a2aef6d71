"""JSON API for profiles, themes, raters, pretests, ratings and outcomes (mounted on the workbench API by one
line in meari/web/api.py: ``api.add_router("/", "meari.web.api_research.router")``). The API's exception
handlers map Denied → 403, NotFound → 404, MeariError → 400, as for the rest of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from meari.campaign import workflow
from meari.campaign.research import schema
from meari.campaign.research import workflow as rw
from meari.web.views.common import reading

router = Router(tags=["research"])


class ProfileIn(Schema):
    name: str
    data: dict


class ProfileOut(Schema):
    id: int
    profile: int
    name: str
    number: int
    data: dict


class ThemeIn(Schema):
    data: dict


class RaterIn(Schema):
    code: str
    years_since_leaving: int | None = None
    former_service: str = ""
    unit_type: str = ""
    defector: bool = True


class RaterOut(Schema):
    id: int
    code: str
    years_since_leaving: int | None
    former_service: str
    unit_type: str
    defector: bool


class PretestIn(Schema):
    version: int
    group: str = ""
    notes: str = ""


class PretestOut(Schema):
    id: int
    version: int
    group: str
    stale: bool


class RatingIn(Schema):
    rater: str
    dimension: str
    score: int
    comment: str = ""


class CsvIn(Schema):
    csv: str


class OutcomeIn(Schema):
    kind: str
    time: datetime
    lat: float | None = None
    lon: float | None = None
    dissemination: int | None = None
    said: str = ""
    moved: str = "unknown"
    notes: str = ""


class OutcomeOut(Schema):
    id: int
    kind: str
    time: datetime
    lat: float | None
    lon: float | None
    dissemination: int | None
    product: int | None
    moved: str


def _pv(v: Any) -> ProfileOut:
    return ProfileOut(id=v.id, profile=v.profile_id, name=v.profile.name, number=v.number, data=v.data)


def _pt(p: Any) -> PretestOut:
    return PretestOut(id=p.id, version=p.version_id, group=p.group, stale=rw.is_stale(p))


def _oc(o: Any) -> OutcomeOut:
    return OutcomeOut(id=o.id, kind=o.kind, time=o.time, lat=o.lat, lon=o.lon, dissemination=o.dissemination_id,
                      product=o.product_id, moved=o.moved)


@router.get("/campaigns/{slug}/profiles", response=list[ProfileOut], summary="Audience profiles (latest versions)")
def profiles(request: HttpRequest, slug: str) -> list[ProfileOut]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [_pv(v) for p in rw.profiles_of(request.user, c) if (v := rw.latest_profile(p)) is not None]


@router.post("/campaigns/{slug}/profiles", response={201: ProfileOut}, summary="Save a profile (a new version)")
def save_profile(request: HttpRequest, slug: str, body: ProfileIn) -> Any:
    c = reading(workflow.get_campaign, request.user, slug)
    return Status(201, _pv(rw.save_profile(request.user, c, body.name, body.data)))


@router.get("/profile-schema", summary="Profile sections and fields; Admiralty grades")
def profile_schema(request: HttpRequest) -> dict:
    return {"sections": {k: list(v) for k, v in schema.SECTIONS.items()}, "reliability": schema.RELIABILITY,
            "credibility": schema.CREDIBILITY}


@router.get("/campaigns/{slug}/themes", summary="The theme catalogue as this campaign sees it")
def themes(request: HttpRequest, slug: str) -> list[dict]:
    c = reading(workflow.get_campaign, request.user, slug)
    return rw.themes_of(request.user, c)


@router.put("/campaigns/{slug}/themes/{key}", summary="Save the campaign's copy of a theme")
def save_theme(request: HttpRequest, slug: str, key: str, body: ThemeIn) -> dict:
    c = reading(workflow.get_campaign, request.user, slug)
    t = rw.save_theme(request.user, c, key, body.data)
    return {"key": t.key, **t.data}


@router.get("/campaigns/{slug}/raters", response=list[RaterOut])
def raters(request: HttpRequest, slug: str) -> list[RaterOut]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [RaterOut(id=r.id, code=r.code, years_since_leaving=r.years_since_leaving,
                     former_service=r.former_service, unit_type=r.unit_type, defector=r.defector)
            for r in rw.raters_of(request.user, c)]


@router.post("/campaigns/{slug}/raters", response={201: RaterOut})
def add_rater(request: HttpRequest, slug: str, body: RaterIn) -> Any:
    c = reading(workflow.get_campaign, request.user, slug)
    r = rw.add_rater(request.user, c, body.code, years_since_leaving=body.years_since_leaving,
                     former_service=body.former_service, unit_type=body.unit_type, defector=body.defector)
    return Status(201, RaterOut(id=r.id, code=r.code, years_since_leaving=r.years_since_leaving,
                                former_service=r.former_service, unit_type=r.unit_type, defector=r.defector))


@router.get("/campaigns/{slug}/pretests", response=list[PretestOut])
def pretests(request: HttpRequest, slug: str) -> list[PretestOut]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [_pt(p) for p in rw.pretests_of(request.user, c)]


@router.post("/pretests", response={201: PretestOut}, summary="Open a pretest of the latest version of a message")
def create_pretest(request: HttpRequest, body: PretestIn) -> Any:
    v = reading(workflow.get_version, request.user, body.version)
    return Status(201, _pt(rw.create_pretest(request.user, v, group=body.group, notes=body.notes)))


@router.get("/pretests/{pretest_id}", summary="Results: means with 95 % intervals, alpha, raters, ranking")
def pretest(request: HttpRequest, pretest_id: int) -> dict:
    p = reading(rw.get_pretest, request.user, pretest_id)
    return rw.pretest_summary(request.user, p)


@router.post("/pretests/{pretest_id}/ratings", response={201: dict}, summary="Add ratings (all or none)")
def add_ratings(request: HttpRequest, pretest_id: int, body: list[RatingIn]) -> Any:
    p = reading(rw.get_pretest, request.user, pretest_id)
    out = rw.add_ratings(request.user, p, [{**r.dict(), "score": str(r.score)} for r in body], source="api")
    return Status(201, {"added": len(out)})


@router.post("/pretests/{pretest_id}/import", response={201: dict}, summary="Import a filled-in CSV form")
def import_csv(request: HttpRequest, pretest_id: int, body: CsvIn) -> Any:
    p = reading(rw.get_pretest, request.user, pretest_id)
    return Status(201, {"added": len(rw.import_ratings_csv(request.user, p, body.csv))})


@router.get("/campaigns/{slug}/outcomes", response=list[OutcomeOut])
def outcomes(request: HttpRequest, slug: str) -> list[OutcomeOut]:
    c = reading(workflow.get_campaign, request.user, slug)
    return [_oc(o) for o in rw.outcomes_of(request.user, c)]


@router.post("/campaigns/{slug}/outcomes", response={201: OutcomeOut})
def record_outcome(request: HttpRequest, slug: str, body: OutcomeIn) -> Any:
    c = reading(workflow.get_campaign, request.user, slug)
    d = None
    if body.dissemination is not None:
        d = next((x for x in rw.disseminations_of(request.user, c) if x.id == body.dissemination), None)
        if d is None:
            raise workflow.NotFound("no such dissemination in this campaign", "can_read")
    o = rw.record_outcome(request.user, c, kind=body.kind, time=body.time, lat=body.lat, lon=body.lon,
                          dissemination=d, said=body.said, moved=body.moved, notes=body.notes)
    return Status(201, _oc(o))


@router.get("/campaigns/{slug}/effects", summary="Variant comparison (Jeffreys intervals) and the plain statement")
def effects(request: HttpRequest, slug: str) -> dict:
    c = reading(workflow.get_campaign, request.user, slug)
    e = rw.effects(request.user, c)
    return {"statement": e["statement"], "unlinked": e["unlinked"],
            "variants": [{"variant": r.variant, "outcomes": r.k, "disseminated": r.n, **r.rate.as_dict()}
                         for r in e["rates"]]}


@router.get("/campaigns/{slug}/outcomes.{fmt}", summary="Outcomes as csv or parquet")
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    c = reading(workflow.get_campaign, request.user, slug)
    data = rw.export_outcomes(request.user, c, fmt)
    ct = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
    return HttpResponse(data, content_type=ct)
