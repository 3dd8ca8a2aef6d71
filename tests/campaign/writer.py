"""A writer process for the reliability tests: saves versions of one message in a loop.

    python tests/campaign/writer.py --data DIR [--url URL] --message ID --user NAME --n N --tag TAG

Prints ``ack NUMBER`` (flushed) only after each version's transaction has committed, so the parent
knows exactly which writes were acknowledged. Errors go to stderr (the test looks for "locked").
"""

from __future__ import annotations

import argparse
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--url")
    ap.add_argument("--message", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--tag", required=True, help="digits only: the text goes into Korean-only leaflet boxes")
    a = ap.parse_args()
    from meari.campaign.setup import configure

    configure(a.data, a.url, migrate=False)
    from django.contrib.auth import get_user_model

    from meari.campaign import workflow
    from meari.campaign.models import Message

    user = get_user_model().objects.get(username=a.user)
    msg = Message.objects.get(pk=a.message)
    base = msg.latest().yaml
    print("ready", flush=True)
    for i in range(a.n):
        text = base.replace("천천히", f"천천히 ({a.tag}-{i})", 1)
        v = workflow.save_version(user, msg, text)
        print(f"ack {v.number} {a.tag}-{i}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
