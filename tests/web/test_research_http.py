"""Research pages and API through HTTP: analysts write, every member reads, other campaigns get 404; the
editor shows the profile sidebar, the approval page the pretest summary; plots are real PNGs; exports parse."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from tests.web.conftest import CLEAN, ROLES, Api, csrf_of, page_client

PROFILE = {"who": {"unit_type": [{"text": "폭풍군단 경보병", "source": "NIS", "date": "2024-12", "grade": "B2"}]}}


def _message(team):  # noqa: ANN001, ANN202
    from meari.campaign import workflow

    return workflow.create_message(team["writer"], team["own"], CLEAN, title="appeal")


def _png_ok(r) -> None:  # noqa: ANN001
    from PIL import Image

    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    im = Image.open(io.BytesIO(r.content))
    assert im.size[0] > 300 and im.size[1] > 100
    import numpy as np

    assert np.unique(np.asarray(im.convert("L"))).size > 5  # not a blank image


@pytest.mark.parametrize("role", ROLES)
def test_api_write_only_analyst(team, role: str) -> None:  # noqa: ANN001
    v = _message(team)
    api = Api(team[role])
    r = api.post("/api/campaigns/kursk/profiles", {"name": "p", "data": PROFILE})
    assert r.status_code == (201 if role == "analyst" else 403), r.content
    r = api.post("/api/campaigns/kursk/raters", {"code": f"R-{role}"})
    assert r.status_code == (201 if role == "analyst" else 403)
    r = api.post("/api/pretests", {"version": v.id})
    assert r.status_code == (201 if role == "analyst" else 403)
    r = api.post("/api/campaigns/kursk/outcomes", {"kind": "hotline", "time": "2025-02-01T10:00:00Z"})
    assert r.status_code == (201 if role == "analyst" else 403)
    for url in ("/api/campaigns/kursk/profiles", "/api/campaigns/kursk/themes", "/api/campaigns/kursk/raters",
                "/api/campaigns/kursk/pretests", "/api/campaigns/kursk/outcomes", "/api/campaigns/kursk/effects"):
        assert api.get(url).status_code == 200, url
    other = Api(team[role + "2"])
    for url in ("/api/campaigns/kursk/profiles", "/api/campaigns/kursk/effects"):
        assert other.get(url).status_code == 404
    assert other.post("/api/pretests", {"version": v.id}).status_code == 404


def test_api_pretest_flow_and_bad_csv(team) -> None:  # noqa: ANN001
    v = _message(team)
    a = Api(team["analyst"])
    for code in ("R1", "R2", "R3"):
        assert a.post("/api/campaigns/kursk/raters", {"code": code, "years_since_leaving": 4}).status_code == 201
    pid = a.post("/api/pretests", {"version": v.id}).json()["id"]
    r = a.post(f"/api/pretests/{pid}/import", {"csv": "rater,dimension,score\nR1,comprehension,4\nR2,relevance,x\n"})
    assert r.status_code == 400 and "row 3" in r.json()["detail"]
    rows = [{"rater": c, "dimension": d, "score": s} for c, s in (("R1", 4), ("R2", 5), ("R3", 4))
            for d in ("comprehension", "credibility", "authenticity")]
    assert a.post(f"/api/pretests/{pid}/ratings", rows).status_code == 201
    s = Api(team["approver"]).get(f"/api/pretests/{pid}").json()
    assert s["summary"]["n_raters"] == 3 and s["ranking"][0]["pretest"] == pid
    assert Api(team["writer2"]).get(f"/api/pretests/{pid}").status_code == 404


def test_pages_render_for_every_member_and_plots(team) -> None:  # noqa: ANN001
    from meari.campaign.research import workflow as rw

    v = _message(team)
    rw.save_profile(team["analyst"], team["own"], "Kursk light infantry", PROFILE)
    for code in ("R1", "R2"):
        rw.add_rater(team["analyst"], team["own"], code)
    p = rw.create_pretest(team["analyst"], v)
    rw.add_ratings(team["analyst"], p, [{"rater": c, "dimension": "credibility", "score": s} for c, s in
                                        (("R1", "4"), ("R2", "2"))])
    rw.record_outcome(team["analyst"], team["own"], kind="surrender", time=datetime(2025, 2, 1, tzinfo=UTC),
                      lat=51.6, lon=35.2, said="전단을 보았다")
    prof = rw.profiles_of(team["writer"], team["own"])[0]
    for role in ROLES:
        c = page_client(team[role])
        for url in ("/c/kursk/profiles", "/c/kursk/themes", "/c/kursk/pretests", f"/pretest/{p.id}/",
                    "/c/kursk/effects", f"/profile/{prof.id}/"):
            r = c.get(url)
            assert r.status_code == 200, (role, url)
        html = c.get(f"/m/{v.message_id}/edit").content.decode()
        assert 'data-testid="profile-sidebar"' in html and "폭풍군단 경보병" in html
        html = c.get(f"/v/{v.id}/approve").content.decode()
        assert 'data-testid="approval-pretests"' in html and 'data-testid="ranking"' in html
    c = page_client(team["writer"])
    for which in ("timeline", "map", "variants"):
        _png_ok(c.get(f"/c/kursk/effects/{which}.png"))
    _png_ok(c.get(f"/pretest/{p.id}/plot.png"))
    r = c.get("/c/kursk/effects/outcomes.csv")
    assert r.status_code == 200 and "전단을 보았다" in r.content.decode()
    import pyarrow.parquet as pq

    r = c.get("/c/kursk/effects/outcomes.parquet")
    assert pq.read_table(io.BytesIO(r.content)).num_rows == 1
    assert page_client(team["writer2"]).get("/c/kursk/effects").status_code == 404
    assert page_client(team["writer2"]).get(f"/pretest/{p.id}/").status_code == 404
    assert page_client(team["writer2"]).get("/c/kursk/effects/map.png").status_code == 404


def test_page_writes_are_analyst_only(team) -> None:  # noqa: ANN001
    _message(team)
    w = page_client(team["writer"])
    tok = csrf_of(w, "/c/kursk/pretests")
    r = w.post("/c/kursk/pretests", {"csrfmiddlewaretoken": tok, "action": "rater", "code": "R9"})
    assert r.status_code == 403
    a = page_client(team["analyst"])
    tok = csrf_of(a, "/c/kursk/pretests")
    r = a.post("/c/kursk/pretests", {"csrfmiddlewaretoken": tok, "action": "rater", "code": "R9"})
    assert r.status_code == 302
    r = a.post("/c/kursk/pretests", {"action": "rater", "code": "R10"})  # no CSRF token
    assert r.status_code == 403
