"""Login rate limiting: failures counted per (user name, client address) and per address.

Counts live in Django's cache (a file cache in the data dir, shared by every worker process). After
``MAX_PER_USER_IP`` failures for one name from one address within ``WINDOW_S`` seconds, or
``MAX_PER_IP`` failures for any names from one address, logins from there are refused until the
window has passed, whether the password is right or not, so that guessing learns nothing. A
successful login clears the per-name count. Each failure is also written to the audit ledger by the
view (through the store's function), which is the record; this counter is only the brake.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

WINDOW_S = 15 * 60
MAX_PER_USER_IP = 5
MAX_PER_IP = 30


def _key(kind: str, *parts: str) -> str:
    h = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"meari:login:{kind}:{h}"


def _recent(key: str, now: float) -> list[float]:
    return [t for t in (cache.get(key) or []) if now - t < WINDOW_S]


def blocked_for(username: str, ip: str, now: float | None = None) -> int:
    """Seconds until a login for ``username`` from ``ip`` may be tried again (0: allowed now)."""
    now = time.time() if now is None else now
    waits = []
    for key, limit in ((_key("user", username.casefold(), ip), MAX_PER_USER_IP), (_key("ip", ip), MAX_PER_IP)):
        times = _recent(key, now)
        if len(times) >= limit:
            waits.append(int(times[-limit] + WINDOW_S - now) + 1)
    return max(waits, default=0)


def record_failure(username: str, ip: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    for key in (_key("user", username.casefold(), ip), _key("ip", ip)):
        times = _recent(key, now)
        times.append(now)
        cache.set(key, times[-MAX_PER_IP:], WINDOW_S)


def clear(username: str, ip: str) -> None:
    cache.delete(_key("user", username.casefold(), ip))
