"""Audience profiles, themes, pretests, ratings and outcomes through the research workflow: permissions per
role, cross-campaign isolation, stale pretests, all-or-nothing CSV import (workflow and CLI), ledger, export."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from meari.campaign import ledger
from meari.campaign.models import LedgerEntry
from meari.campaign.research import workflow as rw
from meari.campaign.research.models import Pretest, ProfileVersion, Rater, Rating
from meari.campaign.workflow import Denied, NotFound, create_message, save_version
from meari.errors import MeariError
from tests.campaign.conftest import CLEAN, ROLES, run_cli, store_args

PROFILE = {
    "who": {"unit_type": [{"text": "폭풍군단 경보병", "source": "NIS briefing to the National Assembly",
                           "date": "2024-12", "grade": "b2"}]},
    "conditions": {"told_about_capture": [{"text": "Told that capture means torture", "source": "POW interview",
                                           "date": "2025-01-20", "grade": "C3"}]},
    "accessibility": {"loudspeaker": [{"text": "Positions within 1-2 km of the line", "source": "unit report",
                                       "date": "2025-02-01", "grade": "B2"}]},
}
ACTIONS = ("save_profile", "save_theme", "add_rater", "create_pretest", "add_ratings", "record_outcome")


def _entries(action: str) -> int:
    return LedgerEntry.objects.filter(action=action).count()


def _setup(team):  # noqa: ANN001, ANN202
    v = create_message(team["writer"], team["own"], CLEAN, title="appeal")
    rw.add_rater(team["analyst"], team["own"], "R01", years_since_leaving=3, former_service="보병", unit_type="경보병")
    rw.add_rater(team["analyst"], team["own"], "R02", years_since_leaving=12, defector=True)
    return v


def _do(action: str, user, team, v):  # noqa: ANN001, ANN202
    c = team["own"]
    if action == "save_profile":
        return rw.save_profile(user, c, "Kursk light infantry", PROFILE)
    if action == "save_theme":
        return rw.save_theme(user, c, "survival", {"title": {"en": "Survival (ours)", "ko": "살아남기"}})
    if action == "add_rater":
        return rw.add_rater(user, c, f"X-{user.get_username()}")
    if action == "create_pretest":
        return rw.create_pretest(user, v)
    if action == "add_ratings":
        p = Pretest.objects.filter(version=v).first() or rw.create_pretest(team["analyst"], v)
        return rw.add_ratings(user, p, [{"rater": "R01", "dimension": "credibility", "score": "4"}])
    if action == "record_outcome":
        return rw.record_outcome(user, c, kind="hotline", time=datetime(2025, 3, 1, tzinfo=UTC), lat=51.6, lon=35.2)
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_analysts_write(team, role: str, action: str) -> None:  # noqa: ANN001
    v = _setup(team)
    if action == "add_ratings":
        rw.create_pretest(team["analyst"], v)
    if role == "analyst":
        before = LedgerEntry.objects.count()
        assert _do(action, team[role], team, v)
        assert LedgerEntry.objects.count() > before
        return
    before = LedgerEntry.objects.count()
    with pytest.raises(Denied) as e:
        _do(action, team[role], team, v)
    assert not isinstance(e.value, NotFound) and "analyst" in e.value.reason
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_other_campaigns_analyst_sees_nothing(team, action: str) -> None:  # noqa: ANN001
    v = _setup(team)
    with pytest.raises(Denied):
        _do(action, team["analyst2"], team, v)
    p = rw.create_pretest(team["analyst"], v)
    prof = rw.save_profile(team["analyst"], team["own"], "x", PROFILE)
    for fn, arg in ((rw.get_pretest, p.id), (rw.get_profile, prof.profile_id)):
        with pytest.raises(NotFound):
            fn(team["writer2"], arg)
    for fn in (rw.profiles_of, rw.themes_of, rw.raters_of, rw.pretests_of, rw.outcomes_of, rw.effects):
        with pytest.raises(Denied):
            fn(team["analyst2"], team["own"])


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads(team, role: str) -> None:  # noqa: ANN001
    v = _setup(team)
    rw.save_profile(team["analyst"], team["own"], "Kursk light infantry", PROFILE)
    p = rw.create_pretest(team["analyst"], v)
    rw.add_ratings(team["analyst"], p, [{"rater": "R01", "dimension": "credibility", "score": "4"},
                                        {"rater": "R02", "dimension": "credibility", "score": "3"}])
    u = team[role]
    assert [x.name for x in rw.profiles_of(u, team["own"])] == ["Kursk light infantry"]
    assert len(rw.themes_of(u, team["own"])) >= 7
    s = rw.pretest_summary(u, rw.get_pretest(u, p.id), n_boot=200)
    assert s["summary"]["n_raters"] == 2 and s["ranking"][0]["pretest"] == p.id
    rw.effects(u, team["own"])


def test_profile_versions_and_validation(team) -> None:  # noqa: ANN001
    a, c = team["analyst"], team["own"]
    v1 = rw.save_profile(a, c, "Kursk light infantry", PROFILE)
    v2 = rw.save_profile(a, c, "Kursk  light infantry", {**PROFILE, "vulnerabilities": {"vulnerabilities": [
        {"text": "Heavy losses in drone attacks", "source": "press", "date": "2025-01", "grade": "C2"}]}})
    assert (v1.number, v2.number, v1.profile_id) == (1, 2, v2.profile_id)
    assert v1.data["who"]["unit_type"][0]["grade"] == "B2"
    assert _entries("profile.saved") == 2
    def origin(**kw: str) -> dict:
        return {"who": {"origin": [{"text": "x", "source": "y", "date": "2025-01", "grade": "A1", **kw}]}}

    for bad, needle in (({"who": {"unit": []}}, "unknown field"), ({"mood": {}}, "unknown section"),
                        (origin(grade="G7"), "A1-F6"), (origin(source=""), "source"), (origin(date="2025-13"), "date")):
        with pytest.raises(MeariError, match=needle):
            rw.save_profile(a, c, "Kursk light infantry", bad)
    assert ProfileVersion.objects.count() == 2 and _entries("profile.saved") == 2


def test_theme_copy_overrides_catalogue(team) -> None:  # noqa: ANN001
    rw.save_theme(team["analyst"], team["own"], "survival", {"title": {"en": "Survival (ours)", "ko": "살아남기"},
                                                             "lines": ["one line"]})
    ts = {t["key"]: t for t in rw.themes_of(team["writer"], team["own"])}
    assert ts["survival"]["edited"] and ts["survival"]["title"]["en"] == "Survival (ours)"
    assert not ts["geneva"]["edited"] and ts["geneva"]["examples"]["leaflet"]
    other = {t["key"]: t for t in rw.themes_of(team["writer2"], team["other"])}
    assert not other["survival"]["edited"]


def test_stale_pretest(team) -> None:  # noqa: ANN001
    v1 = _setup(team)
    p = rw.create_pretest(team["analyst"], v1)
    rw.add_ratings(team["analyst"], p, [{"rater": "R01", "dimension": "comprehension", "score": "5"}])
    assert not rw.is_stale(p)
    v2 = save_version(team["writer"], v1.message, CLEAN.replace("천천히", "조용히"))
    assert rw.is_stale(p)
    with pytest.raises(Denied, match="stale"):
        rw.add_ratings(team["analyst"], p, [{"rater": "R02", "dimension": "comprehension", "score": "4"}])
    with pytest.raises(Denied, match="not the latest"):
        rw.create_pretest(team["analyst"], v1)
    with pytest.raises(Denied, match="stale"):
        rw.import_ratings_csv(team["analyst"], p, "rater,dimension,score\nR02,comprehension,4\n")
    p2 = rw.create_pretest(team["analyst"], v2)
    s = rw.pretest_summary(team["approver"], p2, n_boot=100)
    assert s["stale"] is False and {r["stale"] for r in s["ranking"]} == {True}  # only v1 has ratings
    assert rw.pretest_summary(team["approver"], p, n_boot=100)["stale"] is True
    assert Rating.objects.count() == 1


GOOD = "rater,dimension,score,comment\nR01,comprehension,4,잘 읽힌다\nR01,credibility,3,\nR02,comprehension,5,\n"


@pytest.mark.parametrize("text,needle", [
    (GOOD + "R02,credibility,6,\n", "row 5: score '6' is not a whole number 1-5"),
    (GOOD + "R02,credibilty,3,\n", "row 5: unknown dimension 'credibilty'"),
    (GOOD + "R01,comprehension,2,\n", "row 5: rater R01 rated comprehension already on row 2"),
    (GOOD + "R09,credibility,3,\n", "row 5: rater 'R09' is not on the campaign's panel"),
    (GOOD + "R02,credibility,3.5,\n", "row 5: score '3.5'"),
    (GOOD + "R02,credibility\n", "row 5: expected rater,dimension,score"),
    (GOOD + "R02,credibility,3,a,b\n", "row 5: 5 columns"),
    ("who,what,score\nR01,comprehension,4\n", "row 1: header must start rater,dimension,score"),
    ("", "empty file"),
    ("rater,dimension,score\nR01,comprehension,,\n", "no scores"),
])
def test_malformed_import_names_row_and_imports_nothing(team, text: str, needle: str) -> None:  # noqa: ANN001
    v = _setup(team)
    p = rw.create_pretest(team["analyst"], v)
    before = LedgerEntry.objects.count()
    with pytest.raises(MeariError) as e:
        rw.import_ratings_csv(team["analyst"], p, text.encode())
    assert needle in str(e.value)
    assert Rating.objects.count() == 0 and LedgerEntry.objects.count() == before


def test_import_whole_file_and_not_utf8(team) -> None:  # noqa: ANN001
    v = _setup(team)
    p = rw.create_pretest(team["analyst"], v)
    with pytest.raises(MeariError, match="not UTF-8"):
        rw.import_ratings_csv(team["analyst"], p, "rater,dimension,score\nR01,comprehension,4,좋다\n".encode("cp949"))
    out = rw.import_ratings_csv(team["analyst"], p, ("\ufeff" + GOOD).encode())
    assert len(out) == 3 and Rating.objects.get(rater__code="R01", dimension="comprehension").comment == "잘 읽힌다"
    e = LedgerEntry.objects.filter(action="ratings.added").get()
    assert '"source":"csv"' in e.payload and ledger.verify_chain()[0].ok
    with pytest.raises(MeariError, match="row 2: rater R01 has already rated comprehension"):
        rw.import_ratings_csv(team["analyst"], p, GOOD.encode())
    form = rw.blank_form(team["writer"], p)
    assert form.splitlines()[1] == "rater,dimension,score,comment" and "R02,motivation,," in form


def test_cli_import_and_form(team, tmp_path) -> None:  # noqa: ANN001
    v = _setup(team)
    p = rw.create_pretest(team["analyst"], v)
    f = tmp_path / "form.csv"
    r = run_cli("pretest", "form", "--pretest", str(p.id), "-o", str(f), *store_args())
    assert r.returncode == 0, r.stderr
    rows = f.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 + 2 * 7
    bad = f.read_text(encoding="utf-8").replace("R01,comprehension,,", "R01,comprehension,4,") \
        .replace("R02,acceptance,,", "R02,acceptance,nine,")
    f.write_text(bad, encoding="utf-8")
    r = run_cli("pretest", "import", str(f), "--pretest", str(p.id), *store_args())
    assert r.returncode == 2 and "row 15: score 'nine'" in r.stderr and "Traceback" not in r.stderr
    assert Rating.objects.count() == 0
    f.write_text(bad.replace("nine", "2"), encoding="utf-8")
    r = run_cli("pretest", "import", str(f), "--pretest", str(p.id), *store_args())
    assert r.returncode == 0, r.stderr
    assert "imported 2 ratings" in r.stdout and Rating.objects.count() == 2
    r = run_cli("pretest", "import", str(f), "--pretest", "99999", *store_args())
    assert r.returncode == 2 and "no pretest 99999" in r.stderr
    r = run_cli("pretest", "import", str(f), "--pretest", str(p.id), "--as", "writer", *store_args())
    assert r.returncode == 2 and "only an analyst" in r.stderr


def test_outcomes_effects_and_export(team) -> None:  # noqa: ANN001
    import pyarrow.parquet as pq

    from meari.campaign import workflow as w
    from meari.campaign.models import Dissemination, Product

    v = _setup(team)
    # a product and a dissemination without building files (the store's builders are tested elsewhere)
    prod = Product.objects.create(version=v, kind="appeal-leaflet", path="x.pdf", sha256="0" * 64, signature="s",
                                  size=1, media_type="application/pdf", built_by=team["operator"])
    d = Dissemination.objects.create(product=prod, quantity=2000, channel="drone", lat=51.6, lon=35.1,
                                     time=datetime(2025, 2, 1, tzinfo=UTC), by=team["operator"])
    o = rw.record_outcome(team["analyst"], team["own"], kind="surrender", time=datetime(2025, 2, 3, tzinfo=UTC),
                          lat=51.62, lon=35.15, dissemination=d, said="전단을 보고 나왔다", moved="yes")
    assert o.product_id == prod.id
    for bad, needle in (({"kind": "defection"}, "kind"), ({"lat": 91.0, "lon": 1.0}, "range"),
                        ({"lat": 1.0}, "both"), ({"moved": "maybe"}, "moved")):
        args = {"kind": "hotline", "time": datetime(2025, 2, 4, tzinfo=UTC), **bad}
        with pytest.raises(MeariError, match=needle):
            rw.record_outcome(team["analyst"], team["own"], **args)
    with pytest.raises(MeariError, match="time zone"):
        rw.record_outcome(team["analyst"], team["own"], kind="hotline", time=datetime(2025, 2, 4))
    e = rw.effects(team["writer"], team["own"])
    assert e["rates"][0].k == 1 and e["rates"][0].n == 2000 and "nothing to compare" in e["statement"]
    csv_bytes = rw.export_outcomes(team["writer"], team["own"], "csv")
    assert "전단을 보고 나왔다" in csv_bytes.decode() and csv_bytes.decode().count("\n") == 2
    t = pq.read_table(io.BytesIO(rw.export_outcomes(team["writer"], team["own"], "parquet")))
    assert t.num_rows == 1 and t.column("said")[0].as_py() == "전단을 보고 나왔다"
    assert t.column("dissemination")[0].as_py() == d.id
    assert _entries("outcome.recorded") == 1 and w.ledger.verify_chain()[0].ok
    with pytest.raises(MeariError):
        rw.export_outcomes(team["writer"], team["own"], "xlsx")


def test_rater_validation(team) -> None:  # noqa: ANN001
    _setup(team)
    with pytest.raises(MeariError, match="exists"):
        rw.add_rater(team["analyst"], team["own"], "R01")
    with pytest.raises(MeariError, match="commas"):
        rw.add_rater(team["analyst"], team["own"], "a,b")
    rw.add_rater(team["analyst2"], team["other"], "R01")  # codes are per campaign
    assert Rater.objects.filter(code="R01").count() == 2
