"""A demo workbench: a campaign, one user per role, the example appeal taken through the whole chain
(language and legal sign-off, approval, leaflet products, a drift plan, a dissemination) and a second
draft waiting for review. Used by ``make demo`` (``meari audit`` demo) and for seeding ``meari serve``.

    python -m meari.campaign.demo --data DIR [--message examples/appeal.yaml]

The demo passwords are printed and documented (docs/ledger.md): this is a demo data set, not a deployment.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from meari.errors import MeariError

CAMPAIGN = "kursk-demo"
#: user name -> role; every password is "meari-demo-" + the user name
USERS = {"admin": "admin", "writer": "writer", "linguist": "linguist", "legal": "legal", "approver": "approver",
         "operator": "operator", "analyst": "analyst"}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "appeal.yaml"
DRIFT = {"aim": "51.7200,35.2600", "height_m": 300, "wind": "0:3@250,100:5@255,300:8@265,1000:12@275",
         "leaflet": "6x3-20lb", "turbulence": 0.1, "n": 20000, "seed": 7}


def password(name: str) -> str:
    return f"meari-demo-{name}"


def seed(message_path: Path = EXAMPLE) -> dict:
    """Fill the configured store with the demo campaign (idempotent: a seeded store is left as it is)."""
    from django.contrib.auth import get_user_model

    from meari.campaign import workflow
    from meari.campaign.models import Campaign

    if Campaign.objects.filter(slug=CAMPAIGN).exists():
        return {"campaign": CAMPAIGN, "seeded": False}
    workflow.create_campaign(None, CAMPAIGN, "Kursk demo campaign")
    for name, role in USERS.items():
        workflow.add_user(None, name, password(name), role, CAMPAIGN)
    u = {n: get_user_model().objects.get(username=n) for n in USERS}
    c = Campaign.objects.get(slug=CAMPAIGN)
    aud = workflow.create_audience(u["writer"], c, "쿠르스크 전선의 북한군 병사", "KPA soldiers on the Kursk front")
    text = Path(message_path).read_text(encoding="utf-8")
    v = workflow.create_message(u["writer"], c, text, title="살아서 돌아가십시오 (appeal)", audience=aud)
    workflow.sign_off(u["linguist"], v, "language")
    for f in workflow.legal_findings(v):
        workflow.resolve_finding(u["legal"], v, f["key"], "accepted", "demo: reviewed and accepted in context")
    workflow.sign_off(u["legal"], v, "legal")
    workflow.approve(u["approver"], v)
    products = workflow.build_all_products(u["operator"], v, {"drift": DRIFT})
    leaflet = next(p for p in products if p.kind == "appeal-leaflet")
    plan = next(p for p in products if p.kind == "drift")
    workflow.record_dissemination(u["operator"], leaflet, quantity=5000, channel="drone (hover, 300 m)",
                                  time=datetime(2026, 12, 1, 4, 30, tzinfo=UTC), lat=51.69, lon=35.21,
                                  release={"height_m": 300, "platform": "hover"}, drift_plan=plan,
                                  notes="demo record")
    draft = text.replace("지금 결정하십시오.", "오늘 밤 결정하십시오.")
    workflow.create_message(u["writer"], c, draft, title="second draft (awaiting review)", audience=aud)
    return {"campaign": CAMPAIGN, "seeded": True, "products": [p.path for p in products]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m meari.campaign.demo")
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--database-url")
    ap.add_argument("--message", type=Path, default=EXAMPLE)
    a = ap.parse_args(argv)
    try:
        from meari.campaign.setup import configure

        configure(a.data, a.database_url)
        info = seed(a.message)
    except MeariError as e:
        print(f"meari: {e}", file=sys.stderr)
        return 2
    if info["seeded"]:
        print(f"seeded campaign {CAMPAIGN} in {a.data}; users: "
              + ", ".join(f"{n} ({r}, password {password(n)})" for n, r in USERS.items()))
    else:
        print(f"campaign {CAMPAIGN} already in {a.data}: left as it is")
    return 0


if __name__ == "__main__":
    sys.exit(main())
