"""Benchmark the workbench's live conversion-and-review endpoint on the real ``meari serve``.

Starts ``meari serve`` (gunicorn, gthread workers, SQLite in a temp data dir) on a free loopback port,
logs in 16 clients (one session each) and has them POST the editor's form to ``/c/<slug>/live`` (the
HTMX endpoint the editor calls while one types: conversion + review + duration, HTML fragment) as fast
as they can, closed loop, for a bounded number of requests or time. Every request carries a 600-character
South Korean draft for a North Korean audience; each client starts from its own shuffle of real appeal
sentences and changes one syllable per request, as typing does, so no two requests send the same text
(a whole-message cache never hits; what is reused is per line, as while one types). With ``--think-ms``
each client waits that long between requests (a typist behind the editor's 350 ms debounce); the default
0 is the worst case: every client sends its next keystroke as soon as the answer arrives.

Not measured: the leaflet preview. The editor fetches it in a separate request when typing pauses (1.5 s),
rendered once per content; the live request measured here neither renders nor stores it.

Prints figures as key=value; the LAST line is ``live_p50_ms=… live_p95_ms=… live_rps=…``.
The target is p95 < 150 ms on a 2-core machine; the machine may be shared, so the load average at
start and end is printed too.

Run: .venv/bin/python benchmarks/serve.py [--clients 16] [--requests 40] [--seconds 120] [--think-ms 0] [--api]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.",
    "여러분의 생명은 여러분의 것입니다.",
    "이국 땅에서 헛되이 죽을 이유가 없습니다.",
    "무기를 내려놓고 흰 천을 들고 천천히 걸어 나오십시오.",
    "포로가 되면 제네바 협약에 따라 음식과 치료를 받게 됩니다.",
    "누구도 여러분을 해치지 않을 것입니다.",
    "살아서 가족을 다시 만날 수 있습니다.",
    "지금 결정하십시오.",
    "국제적십자위원회가 포로수용소를 정기적으로 방문합니다.",
    "두 손을 들고 나오면 사격을 멈춥니다.",
    "고향의 부모님은 아들이 살아 돌아오기를 기다립니다.",
    "포로는 이름, 계급, 생년월일, 군번만 말하면 됩니다.",
    "부상자는 먼저 치료를 받습니다.",
    "드론이 머리 위에 있으면 움직이지 말고 두 손을 드십시오.",
    "여러분의 지휘관은 항복하면 죽인다고 말하지만 그것은 사실이 아닙니다.",
]
SPONSOR = "우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트"
SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조초"


def draft(rng: random.Random, n: int = 600) -> str:
    """A 600-character draft: shuffled sentences, a line break every two or three sentences."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < n + 40:
        parts.append(rng.choice(SENTENCES))
    text = ""
    for i, s in enumerate(parts):
        text += s + ("\n" if i % 3 == 2 else " ")
    return text[:n].rstrip() + "다."[: max(0, n - len(text[:n].rstrip()))]


def typed(text: str, rng: random.Random) -> str:
    """One keystroke's change: a Hangul syllable replaced somewhere (length stays 600)."""
    idx = [i for i, ch in enumerate(text) if "\uac00" <= ch <= "\ud7a3"]
    i = rng.choice(idx)
    return text[:i] + rng.choice(SYLLABLES) + text[i + 1:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One logged-in browser session (cookie jar + CSRF token) over urllib, keep-alive not needed."""

    def __init__(self, base: str, user: str, password: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = json.loads(self.opener.open(base + "/api/csrf", timeout=30).read())["csrf_token"]
        body = json.dumps({"username": user, "password": password}).encode()
        req = urllib.request.Request(base + "/api/login", body, {"Content-Type": "application/json",
                                                                 "X-CSRFToken": self.token})
        r = json.loads(self.opener.open(req, timeout=60).read())
        self.token = r["csrf_token"]

    def live_form(self, slug: str, text: str) -> bytes:
        form = urllib.parse.urlencode({"text": text, "channel": "leaflet", "language": "nk", "drafted_in": "sk",
                                       "sponsor": SPONSOR, "headline": "살아서 돌아가십시오"}).encode()
        req = urllib.request.Request(f"{self.base}/c/{slug}/live", form,
                                     {"Content-Type": "application/x-www-form-urlencoded",
                                      "X-CSRFToken": self.token, "HX-Request": "true"})
        return self.opener.open(req, timeout=60).read()

    def live_api(self, slug: str, text: str) -> bytes:
        y = json.dumps({"sponsor": SPONSOR, "channel": "leaflet", "language": "nk", "drafted_in": "sk",
                        "text": text}, ensure_ascii=False)
        req = urllib.request.Request(f"{self.base}/api/campaigns/{slug}/live", json.dumps({"yaml": y}).encode(),
                                     {"Content-Type": "application/json", "X-CSRFToken": self.token})
        return self.opener.open(req, timeout=60).read()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=40, help="requests per client (default 40)")
    ap.add_argument("--seconds", type=float, default=120, help="stop after this long in any case")
    ap.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: meari serve's, one per core)")
    ap.add_argument("--think-ms", type=float, default=0, help="pause between a client's requests (default 0)")
    ap.add_argument("--threads", type=int, default=0, help="threads per worker (default: meari serve's)")
    ap.add_argument("--api", action="store_true", help="POST JSON to /api/campaigns/<slug>/live instead of the form")
    args = ap.parse_args()

    # reference on this machine right now (it may be shared): the same work in-process, no HTTP
    sys.path.insert(0, str(ROOT))
    from meari.message import Message
    from meari.web.live import _analyse_message

    rng = random.Random(99)
    text = draft(rng)
    _analyse_message(Message(text=text, sponsor=SPONSOR, drafted_in="sk"))
    ref = []
    for _ in range(15):
        text = typed(text, rng)
        t = time.perf_counter()
        msg = Message(text=text, sponsor=SPONSOR, drafted_in="sk", leaflet={"headline": "살아서 돌아가십시오"})
        _analyse_message(msg)
        ref.append((time.perf_counter() - t) * 1000)
    print(f"inprocess_analyse_p50_ms={pct(ref, 50):.1f} (conversion + review of one 600-character draft, no server)")

    data = Path(tempfile.mkdtemp(prefix="meari-bench-serve-"))
    env = {k: v for k, v in os.environ.items() if k not in ("MEARI_DATABASE_URL", "MEARI_DATA", "MEARI_DATA_DIR")}
    py = sys.executable
    password = "bench-password-123"
    r = subprocess.run([py, "-m", "meari", "users", "add", "bench", "--role", "writer", "--campaign", "bench",
                        "--data", str(data)], input=password + "\n", text=True, capture_output=True, env=env)
    if r.returncode:
        print(r.stderr, file=sys.stderr)
        return 2
    port = free_port()
    cmd = [py, "-m", "meari", "serve", "--data", str(data), "--port", str(port), "--quiet"]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    log = open(data / "serve.log", "w")  # noqa: SIM115
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - t0 > 180:
                print((data / "serve.log").read_text(), file=sys.stderr)
                return 2
            time.sleep(0.2)
        print(f"start_s={time.perf_counter() - t0:.1f}")
        print(f"loadavg_start={os.getloadavg()[0]:.2f} cpus={os.cpu_count()}")
        clients = [Client(base, "bench", password) for _ in range(args.clients)]
        # service time without queueing: one client, sequential (also warms both workers)
        one: list[float] = []
        rng0 = random.Random(7)
        text0 = draft(rng0)
        for k in range(20):
            text0 = typed(text0, rng0)
            t = time.perf_counter()
            clients[k % 2].live_api("bench", text0) if args.api else clients[k % 2].live_form("bench", text0)
            one.append((time.perf_counter() - t) * 1000)
        print(f"single_client_p50_ms={pct(one[5:], 50):.0f} (service time of one request, no queueing)")
        lat: list[float] = []
        errors: list[str] = []
        sizes: list[int] = []
        lock = threading.Lock()
        deadline = time.perf_counter() + args.seconds
        start = threading.Barrier(args.clients + 1)

        def run(i: int, c: Client) -> None:
            rng = random.Random(1000 + i)
            text = draft(rng)
            start.wait()
            for _ in range(args.requests):
                if time.perf_counter() > deadline:
                    break
                text = typed(text, rng)
                if args.think_ms:
                    time.sleep(args.think_ms / 1000)
                t = time.perf_counter()
                try:
                    body = c.live_api("bench", text) if args.api else c.live_form("bench", text)
                except Exception as e:  # noqa: BLE001 - count and report every failure
                    with lock:
                        errors.append(repr(e)[:200])
                    continue
                dt = (time.perf_counter() - t) * 1000
                ok = (b'"edits"' in body) if args.api else (b'data-testid="conversion"' in body)
                with lock:
                    if ok:
                        lat.append(dt)
                        sizes.append(len(body))
                    else:
                        errors.append(re.sub(rb"\s+", b" ", body[:200]).decode(errors="replace"))

        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
        for th in threads:
            th.start()
        start.wait()
        t_start = time.perf_counter()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t_start
        print(f"endpoint={'/api/campaigns/<slug>/live (JSON)' if args.api else '/c/<slug>/live (HTMX form)'} "
              f"clients={args.clients} message_chars=600 requests={len(lat)} errors={len(errors)} "
              f"think_ms={args.think_ms:g} elapsed_s={elapsed:.1f} "
              f"mean_response_bytes={sum(sizes) // max(1, len(sizes))}")
        for e in errors[:3]:
            print(f"error_example={e}")
        print(f"loadavg_end={os.getloadavg()[0]:.2f}")
        if not lat:
            return 1
        print(f"live_max_ms={max(lat):.0f} live_p99_ms={pct(lat, 99):.0f}")
        print(f"live_p50_ms={pct(lat, 50):.0f} live_p95_ms={pct(lat, 95):.0f} live_rps={len(lat) / elapsed:.1f}")
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


if __name__ == "__main__":
    sys.exit(main())
