"""Pretest and effects figures: the pretest summary (per-dimension bootstrap means, ordinal alpha with its
bootstrap, per-rater breakdown, ranking of the group) for 50 raters x 20 competing versions, and the effects
page (HTML) with 10,000 outcome records over 200 disseminations; also the three effects plots. Writes the
plots to out/bench-analysis/ so they can be looked at. Prints key=value; the LAST line holds the two targets.

    .venv/bin/python benchmarks/analysis.py [--raters 50] [--versions 20] [--outcomes 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MESSAGE = """sponsor: 우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트
channel: leaflet
text: |
  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.
  포로는 제네바협약에 따라 보호를 받습니다. {n}
leaflet:
  headline: 살아서 돌아가십시오
"""


def _ms(fn, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raters", type=int, default=50)
    ap.add_argument("--versions", type=int, default=20)
    ap.add_argument("--outcomes", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="meari-bench-analysis-"))
    os.environ["MEARI_DATA_DIR"] = os.environ["MEARI_DATA"] = str(data)
    os.environ.pop("MEARI_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "meari.web.settings"
    import django

    django.setup()
    from meari.campaign.setup import migrate_db

    migrate_db()
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.test import Client

    from meari.campaign import stats, workflow
    from meari.campaign.models import Campaign, Dissemination, Membership, Product
    from meari.campaign.products import build_drift
    from meari.campaign.research import workflow as rw
    from meari.campaign.research.models import Outcome, Rating
    from meari.message import parse_message

    rng = np.random.default_rng(1)
    User = get_user_model()
    c = Campaign.objects.create(slug="bench", name="bench")
    users = {}
    for role in ("writer", "analyst", "operator", "approver"):
        users[role] = User.objects.create_user(username=role)
        Membership.objects.create(user=users[role], campaign=c, role=role)
    t0 = time.perf_counter()
    versions = [workflow.create_message(users["writer"], c, MESSAGE.format(n=f"({i + 1})"), title=f"variant {i + 1}")
                for i in range(a.versions)]
    setup_versions = time.perf_counter() - t0
    raters = [rw.add_rater(users["analyst"], c, f"R{i:02d}", years_since_leaving=int(rng.integers(0, 20)))
              for i in range(a.raters)]
    pretests = []
    for k, v in enumerate(versions):
        p = rw.create_pretest(users["analyst"], v, group="bench")
        base = 2.0 + 2.5 * k / max(1, a.versions - 1)
        rows = []
        for r in raters:
            lean = rng.normal(0, 0.4)
            for d in stats.DIMENSIONS:
                s = int(np.clip(round(base + lean + rng.normal(0, 0.7)), 1, 5))
                rows.append({"rater": r.code, "dimension": d, "score": str(s)})
        rw.add_ratings(users["analyst"], p, rows)
        pretests.append(p)
    n_ratings = Rating.objects.count()
    # products, one real drift plan (its JSON file in the store), disseminations, outcomes (bulk: benchmark data)
    msg = parse_message(MESSAGE.format(n=""), "bench")
    built = build_drift(msg, {"release": "51.60,35.10", "n": 2000})
    (data / "products").mkdir(exist_ok=True)
    (data / "products" / "drift.json").write_bytes(built.data)
    import hashlib

    drift = Product.objects.create(version=versions[0], kind="drift", path="products/drift.json",
                                   sha256=hashlib.sha256(built.data).hexdigest(), signature=built.signature,
                                   size=len(built.data), media_type="application/json", built_by=users["operator"])
    prods = [Product.objects.create(version=v, kind="appeal-leaflet", path=f"products/x{v.id}.pdf",
                                    sha256=f"{v.id:064d}", signature="bench", size=1,
                                    media_type="application/pdf", built_by=users["operator"])
             for v in versions[:5]]
    start = datetime(2025, 1, 10, tzinfo=UTC)
    dis = []
    for i in range(200):
        p = prods[i % len(prods)]
        dis.append(Dissemination.objects.create(
            product=p, quantity=int(rng.integers(500, 5000)), channel="drone", time=start + timedelta(hours=6 * i),
            lat=51.60 + rng.normal(0, 0.05), lon=35.10 + rng.normal(0, 0.08),
            drift_plan=drift if i % 10 == 0 else None, by=users["operator"]))
    kinds = ["surrender", "hotline", "other-contact", "statement"]
    objs = []
    for _ in range(a.outcomes):
        d = dis[int(rng.integers(0, len(dis)))] if rng.random() < 0.8 else None
        t = (d.time if d else start) + timedelta(hours=float(rng.exponential(48)))
        objs.append(Outcome(campaign=c, kind=kinds[int(rng.integers(0, 4))], time=t,
                            lat=51.6 + rng.normal(0, 0.06), lon=35.12 + rng.normal(0, 0.09), dissemination=d,
                            product=d.product if d else None, said="", moved="unknown", by=users["analyst"]))
    Outcome.objects.bulk_create(objs, batch_size=2000)

    approver = users["approver"]
    p = pretests[-1]
    summary_ms = _ms(lambda: rw.pretest_summary(approver, p), a.runs)
    client = Client()
    client.force_login(approver)

    def get(url: str) -> bytes:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return r.content

    pretest_page_ms = _ms(lambda: get(f"/pretest/{p.id}/"), a.runs)
    approval_page_ms = _ms(lambda: get(f"/v/{p.version_id}/approve"), a.runs)
    effects_page_ms = _ms(lambda: get("/c/bench/effects"), a.runs)
    out = ROOT / "out" / "bench-analysis"
    out.mkdir(parents=True, exist_ok=True)
    figs = {}
    for which in ("timeline", "map", "variants"):
        figs[which] = _ms(lambda w=which: get(f"/c/bench/effects/{w}.png"), max(1, a.runs // 2))
        (out / f"{which}.png").write_bytes(get(f"/c/bench/effects/{which}.png"))
    figs["pretest"] = _ms(lambda: get(f"/pretest/{p.id}/plot.png"), 1)
    (out / "pretest.png").write_bytes(get(f"/pretest/{p.id}/plot.png"))
    e = rw.effects(approver, c)
    print(f"raters={a.raters} versions={a.versions} ratings={n_ratings} outcomes={Outcome.objects.count()} "
          f"disseminations={len(dis)} setup_versions_s={setup_versions:.1f}")
    print(f"variant_statement={e['statement']!r}")
    print(f"pretest_page_ms={pretest_page_ms:.0f} approval_page_ms={approval_page_ms:.0f} "
          + " ".join(f"{k}_png_ms={v:.0f}" for k, v in figs.items()) + f" plots={out}")
    print(f"pretest_summary_ms={summary_ms:.0f} effects_page_ms={effects_page_ms:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
