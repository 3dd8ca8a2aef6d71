"""Security of the HTTP layer: headers, cookie flags, login rate limiting (and its ledger entries),
upload limits and validation, static files that cannot reach the file system, DEBUG off, healthz."""

from __future__ import annotations

import json

from django.test import Client

from meari.campaign import workflow
from meari.campaign.models import LedgerEntry

from .conftest import CLEAN, THREAT, Api, csrf_of, make_user, page_client


def test_healthz(store) -> None:  # noqa: ANN001
    r = Client().get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_security_headers_and_cookie_flags(team) -> None:  # noqa: ANN001
    c = Client()
    r = c.get("/login/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
    assert r["Referrer-Policy"] == "same-origin"
    assert "no-store" in r["Cache-Control"]
    csrf = r.cookies["meari_csrf"]
    assert csrf["httponly"] and csrf["samesite"] == "Strict" and not csrf["secure"]
    # over https the cookies are marked Secure and HSTS is sent
    u = make_user("pw_user", "writer", team["own"], password="correct horse battery")
    s = Client(enforce_csrf_checks=True)
    token = csrf_of(s, "/login/")
    r = s.post("/login/", {"username": "pw_user", "password": "correct horse battery", "csrfmiddlewaretoken": token},
               secure=True, headers={"Referer": "https://testserver/login/"})
    assert r.status_code == 302
    sess = r.cookies["meari_session"]
    assert sess["httponly"] and sess["samesite"] == "Lax" and sess["secure"]
    assert "max-age" in r["Strict-Transport-Security"]
    assert u.is_authenticated
    # no inline script or style in the pages (the CSP would block them)
    html = page_client(u).get("/c/kursk/").content.decode()
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    assert 'name="htmx-config"' in Client().get("/login/").content.decode()


def test_debug_is_off_and_errors_do_not_leak(store) -> None:  # noqa: ANN001
    from django.conf import settings

    assert settings.DEBUG is False
    r = Client().get("/no/such/page")
    assert r.status_code == 404 and "Traceback" not in r.content.decode() and "urlpatterns" not in r.content.decode()


def test_password_hasher_is_argon2(team) -> None:  # noqa: ANN001
    u = make_user("hashed", "writer", team["own"], password="a long enough password")
    assert u.password.startswith("argon2")


def test_login_rate_limit_and_ledger(team) -> None:  # noqa: ANN001
    make_user("victim", "writer", team["own"], password="the right password 1")
    c = Client(enforce_csrf_checks=True)
    token = csrf_of(c, "/login/")
    before = LedgerEntry.objects.filter(action="login.failed").count()
    for _ in range(5):
        r = c.post("/login/", {"username": "victim", "password": "wrong", "csrfmiddlewaretoken": token})
        assert r.status_code == 401
    # locked now: even the right password is refused, and says for how long
    r = c.post("/login/", {"username": "victim", "password": "the right password 1", "csrfmiddlewaretoken": token},
               headers={"Accept-Language": "en"})
    assert r.status_code == 429 and "Try again in 15 minutes" in r.content.decode()
    r = c.post("/login/", {"username": "victim", "password": "x", "csrfmiddlewaretoken": token})  # Korean default
    assert r.status_code == 429 and "15분 뒤에 다시 시도하십시오" in r.content.decode()
    assert "_auth_user_id" not in c.session
    failures = LedgerEntry.objects.filter(action="login.failed").order_by("index")
    assert failures.count() - before == 7
    last = json.loads(failures.last().payload)
    assert last["username"] == "victim" and last["address"] == "127.0.0.1"
    # another address is not locked out by this one's failures
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.7")
    token = csrf_of(other, "/login/")
    r = other.post("/login/", {"username": "victim", "password": "the right password 1", "csrfmiddlewaretoken": token})
    assert r.status_code == 302


def test_api_login_is_rate_limited_too(team) -> None:  # noqa: ANN001
    make_user("apiuser", "writer", team["own"], password="the right password 2")
    api = Api(None)
    assert api.post("/api/login", {"username": "apiuser", "password": "x"}, csrf=False).status_code == 403
    for _ in range(5):
        assert api.post("/api/login", {"username": "apiuser", "password": "x"}).status_code == 401
    r = api.post("/api/login", {"username": "apiuser", "password": "the right password 2"})
    assert r.status_code == 429
    other = Api(None)
    other.c.defaults["REMOTE_ADDR"] = "10.1.1.1"
    other.token = other.c.get("/api/csrf").json()["csrf_token"]
    r = other.post("/api/login", {"username": "apiuser", "password": "the right password 2"})
    assert r.status_code == 200 and r.json()["username"] == "apiuser"


def test_message_upload_limits_and_errors(team) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = page_client(team["writer"])
    token = csrf_of(c, "/c/kursk/")

    def upload(data: bytes, name: str = "m.yaml"):  # noqa: ANN202
        return c.post("/c/kursk/", {"action": "import", "csrfmiddlewaretoken": token,
                                    "file": SimpleUploadedFile(name, data, "application/x-yaml")})

    r = upload(b"x" * (300 * 1024))
    assert r.status_code == 400 and "at most 262,144" in r.content.decode()
    r = upload("text: |\n  무기를\n bad: [".encode())
    assert r.status_code == 400 and "bad YAML" in r.content.decode() and "line" in r.content.decode()
    r = upload(b"text: \xff\xfe")
    assert r.status_code == 400 and "invalid UTF-8" in r.content.decode()
    r = upload("channel: leaflet\ntext: 무기를 내려놓으십시오.\n".encode())  # no sponsor
    assert r.status_code == 400 and "sponsor" in r.content.decode()
    r = upload("sponsor: x\ntext: 무기를 내려놓으십시오.\nleaflet:\n  template: ../../etc/passwd\n".encode())
    assert r.status_code == 400 and "template" in r.content.decode()
    assert not team["own"].messages.exists()
    r = upload(CLEAN.encode())
    assert r.status_code == 302 and team["own"].messages.count() == 1


def test_request_body_limit(team) -> None:  # noqa: ANN001
    from django.conf import settings

    c = page_client(team["writer"])
    r = c.generic("POST", "/c/kursk/", b"", CONTENT_LENGTH=str(settings.MEARI_MAX_BODY_BYTES + 1),
                  content_type="application/octet-stream")
    assert r.status_code == 413
    big = "무" * 200_000
    r = Api(team["writer"]).post("/api/campaigns/kursk/messages", {"yaml": f"sponsor: x\ntext: {big}\n"})
    assert r.status_code == 400 and "bytes" in r.json()["detail"]


def test_geojson_target_upload_is_validated(team) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.campaign.permission_table import approved as _approved

    v = _approved(team)
    c = page_client(team["operator"])
    token = csrf_of(c, "/c/kursk/products")
    point = json.dumps({"type": "Point", "coordinates": [35.2, 51.6]}).encode()
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "drift", "csrfmiddlewaretoken": token,
                                     "target": SimpleUploadedFile("t.geojson", point, "application/geo+json")})
    assert r.status_code == 403 or r.status_code == 200
    assert "Polygon" in r.content.decode()
    assert not v.products.exists()
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "drift", "csrfmiddlewaretoken": token,
                                     "target": SimpleUploadedFile("t.geojson", b"{not json", "application/geo+json")})
    assert "not valid JSON" in r.content.decode()


def test_static_files_only_from_the_index(store) -> None:  # noqa: ANN001
    c = Client()
    r = c.get("/static/web/htmx.min.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert b"htmx" in r.content[:200]
    for bad in ("/static/../settings.py", "/static/web/../../settings.py", "/static/%2e%2e/settings.py",
                "/static/web/nothing.js", "/static/settings.py"):
        assert c.get(bad).status_code == 404, bad
    etag = r["ETag"]
    assert c.get("/static/web/htmx.min.js", headers={"If-None-Match": etag}).status_code == 304


def test_openapi_document_lists_every_action(store) -> None:  # noqa: ANN001
    doc = Client().get("/api/openapi.json").json()
    paths = doc["paths"]
    for p in ("/api/campaigns/{slug}/messages", "/api/messages/{message_id}/versions",
              "/api/versions/{version_id}/signoffs", "/api/versions/{version_id}/resolutions",
              "/api/versions/{version_id}/approval", "/api/versions/{version_id}/products",
              "/api/products/{product_id}/disseminations", "/api/campaigns/{slug}/live"):
        assert p in paths, p
    assert Client().get("/api/docs").status_code == 404  # the docs page would load a CDN


def test_live_api_and_fragment(team) -> None:  # noqa: ANN001
    from .conftest import APPEAL

    r = Api(team["analyst"]).post("/api/campaigns/kursk/live", {"yaml": APPEAL})
    assert r.status_code == 200
    d = r.json()
    assert d["direction"] == "sk2nk" and d["edits"] and d["spoken_seconds"] > 10
    assert all({"rule_id", "why", "before", "after"} <= e.keys() for e in d["edits"])
    assert Api(team["analyst2"]).post("/api/campaigns/kursk/live", {"yaml": APPEAL}).status_code == 404
    c = page_client(team["writer"])
    token = csrf_of(c, "/c/kursk/new")
    form = {"text": "이유가 없습니다. 무기를 내려놓으십시오.", "channel": "leaflet", "language": "nk",
            "drafted_in": "sk", "sponsor": "우크라이나 국방정보총국"}
    r = c.post("/c/kursk/live", form, headers={"X-CSRFToken": token})
    html = r.content.decode()
    assert r.status_code == 200 and 'class="edit"' in html and "nk.initial-sound" in html and "리유" in html
    assert "/preview/" not in html  # the preview box fetches it on its own, when typing pauses
    r = c.post("/c/kursk/live/preview", form, headers={"X-CSRFToken": token})
    html = r.content.decode()
    assert r.status_code == 200 and 'data-testid="preview-front"' in html, html[:300]
    key = html.split("/preview/")[1].split("/")[0]
    png = c.get(f"/preview/{key}/front.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n", png.content[:300]
    # another user cannot fetch this user's preview
    assert page_client(team["writer_b"]).get(f"/preview/{key}/front.png").status_code == 404
    assert c.post("/c/kursk/live", form).status_code == 403  # CSRF
    assert c.post("/c/kursk/live/preview", form).status_code == 403
    c2 = page_client(team["writer2"])
    t2 = csrf_of(c2, "/c/other/new")
    assert c2.post("/c/kursk/live/preview", form, headers={"X-CSRFToken": t2}).status_code == 404
    assert c2.post("/c/kursk/live", form, headers={"X-CSRFToken": t2}).status_code == 404
    loud = {**form, "channel": "loudspeaker"}
    html = c.post("/c/kursk/live/preview", loud, headers={"X-CSRFToken": token}).content.decode()
    assert "/preview/" not in html and 'data-testid="no-preview"' in html


def test_live_panel_writes_nothing(team) -> None:  # noqa: ANN001
    """Typing costs no database write and no cache write: the live answer only computes."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = page_client(team["writer"])
    token = csrf_of(c, "/c/kursk/new")
    form = {"text": "이유가 없습니다. 무기를 내려놓으십시오.", "channel": "leaflet", "language": "nk",
            "drafted_in": "sk", "sponsor": "우크라이나 국방정보총국"}
    cache_dir = Path(settings.CACHES["default"]["LOCATION"])
    before = sorted(cache_dir.rglob("*")) if cache_dir.exists() else []
    with CaptureQueriesContext(connection) as q:
        r = c.post("/c/kursk/live", form, headers={"X-CSRFToken": token})
    assert r.status_code == 200 and 'data-testid="conversion"' in r.content.decode()
    writes = [x["sql"] for x in q.captured_queries
              if x["sql"].lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert not writes, writes
    assert (sorted(cache_dir.rglob("*")) if cache_dir.exists() else []) == before
    # the preview box does write (the message, for its image); this is what the test above would catch
    c.post("/c/kursk/live/preview", form, headers={"X-CSRFToken": token})
    assert sorted(cache_dir.rglob("*")) != before
    assert workflow.campaigns_for(team["writer"])


def test_version_pages_show_a_fetchable_preview(team) -> None:  # noqa: ANN001
    from meari.campaign import workflow as wf
    from tests.campaign.permission_table import approved as _approved

    draft = wf.create_message(team["writer"], team["own"], THREAT)
    v = _approved(team, THREAT)  # legal accepted the ihl. errors with a reason: drawn as the product, no stamp
    c = page_client(team["analyst"])
    keys = set()
    for url in (f"/v/{v.id}/", f"/v/{v.id}/signoff", f"/v/{v.id}/approve", f"/v/{draft.id}/"):
        html = c.get(url).content.decode()
        key = html.split("/preview/")[1].split("/")[0]
        r = c.get(f"/preview/{key}/front.png")
        assert r.status_code == 200 and r.content[:4] == b"\x89PNG", url
        keys.add((url.startswith(f"/v/{draft.id}/"), key, r.content))
    signed = {k[2] for k in keys if not k[0]}
    unsigned = {k[2] for k in keys if k[0]}
    assert len(signed) == 1 and len(unsigned) == 1 and signed != unsigned  # the draft's is stamped


def test_noise_recording_upload_is_validated(team, tmp_path) -> None:  # noqa: ANN001
    import io

    import numpy as np
    import soundfile as sf
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meari.web import uploads

    def wav(seconds: float, rate: int = 22050) -> bytes:
        buf = io.BytesIO()
        rng = np.random.default_rng(0)
        sf.write(buf, 0.1 * rng.standard_normal(int(seconds * rate)), rate, format="WAV", subtype="PCM_16")
        return buf.getvalue()

    def up(data: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile("noise.wav", data, "audio/wav")

    levels, source = uploads.noise_levels(up(wav(3)), 65.0)
    assert len(levels) == 7 and "65 dBA" in source
    from meari.plan.bands import a_weighted_level

    assert abs(float(a_weighted_level(np.array(levels))) - 65.0) < 0.05
    for data, dba, msg in ((b"RIFF....not audio", 65.0, "not an audio file"), (wav(3), None, "A-weighted level"),
                           (wav(0.5), 65.0, "at least 1 s"), (wav(16 * 60, 8000), 65.0, "at most 15 min")):
        try:
            uploads.noise_levels(up(data), dba)
        except Exception as e:  # noqa: BLE001
            assert msg in str(e), (msg, str(e))
        else:
            raise AssertionError(msg)
    big = SimpleUploadedFile("n.wav", b"0" * (uploads.MAX_AUDIO + 1), "audio/wav")
    try:
        uploads.audio(big, "voice recording")
    except Exception as e:  # noqa: BLE001
        assert "at most 26,214,400" in str(e)
    # through the products page: refused with the reason (or built, once the store reads recordings)
    from tests.campaign.permission_table import approved as _approved

    v = _approved(team, CLEAN.replace("channel: leaflet", "channel: loudspeaker"))
    c = page_client(team["operator"])
    token = csrf_of(c, "/c/kursk/products")
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "range", "csrfmiddlewaretoken": token,
                                     "noise_dba": "65", "noise_file": up(wav(3))})
    assert r.status_code == 200, r.content.decode()[:2000]
    rng_product = v.products.get(kind="range")
    assert "uploaded recording, calibrated to 65 dBA" in json.dumps(rng_product.meta, ensure_ascii=False) + \
        rng_product.signature
    # a missing dBA is refused on the page with the reason, nothing built
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "range", "csrfmiddlewaretoken": token,
                                     "noise_file": up(wav(3))})
    assert "A-weighted level" in r.content.decode() and v.products.filter(kind="range").count() == 1
    # a recorded voice: validated, kept by the store under its hash, used for the audio product
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "audio", "csrfmiddlewaretoken": token,
                                     "voice_file": SimpleUploadedFile("../../evil.wav", wav(4, 44100), "audio/wav")})
    assert r.status_code == 200, r.content.decode()[:2000]
    audio_product = v.products.get(kind="audio")
    assert audio_product.meta.get("voice", {}).get("source") == "recording", audio_product.meta
    from meari.campaign.models import Upload

    up_row = Upload.objects.get()
    assert up_row.ext == "wav" and ".." not in up_row.path
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "audio", "csrfmiddlewaretoken": token,
                                     "voice_file": SimpleUploadedFile("v.wav", b"not audio at all", "audio/wav")})
    assert "not an audio file" in r.content.decode()
