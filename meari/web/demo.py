"""Demo data for ``make serve``: one user per role in campaign ``demo`` and the example message.

Passwords are random each time (printed once), so a demo server left running on a unit laptop does not
carry a well-known password. Everything goes through the store's workflow functions, so the demo's
set-up is in the ledger like any other change.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from meari.errors import MeariError

CAMPAIGN = "demo"
USERS = [("admin", "admin"), ("writer", "writer"), ("linguist", "linguist"), ("legal", "legal"),
         ("approver", "approver"), ("operator", "operator"), ("analyst", "analyst")]


def seed(message_path: Path | None) -> list[tuple[str, str, str]]:
    """Create (or reset the passwords of) the demo users, the campaign and its first message."""
    from meari.campaign import workflow
    from meari.campaign.models import Campaign

    out = []
    c = workflow.create_campaign(None, CAMPAIGN, "데모 캠페인 · Demo campaign")
    for name, role in USERS:
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        workflow.add_user(None, name, password, role, CAMPAIGN)
        out.append((name, role, password))
    c = Campaign.objects.get(pk=c.pk)
    if message_path is not None and not c.messages.exists():
        try:
            text = Path(message_path).read_text(encoding="utf-8")
        except OSError as e:
            raise MeariError(f"cannot read: {e.strerror}", str(message_path)) from None
        from django.contrib.auth import get_user_model

        writer = get_user_model().objects.get(username="writer")
        aud = c.audiences.first() or workflow.create_audience(writer, c, "쿠르스크 전선의 북한군 병사",
                                                              "Korean People's Army soldiers at the Kursk front")
        workflow.create_message(writer, c, text, "투항 호소 (예시)", aud)
    return out
