"""``meari serve``: the campaign workbench on gunicorn (a production WSGI server, never Django's runserver).

    meari serve [--data DIR] [--host 127.0.0.1] [--port 8000] [--workers N] [--threads N]
                [--certfile PEM --keyfile PEM]

Before serving it checks the data directory, applies the migrations, and binds the port itself, so
a bad data dir, an unreachable database or a port in use is a ``meari: WHERE: PROBLEM`` line and
exit 2, not a gunicorn retry loop. The language tools are warmed up in the master process and the
workers are forked from it (``preload_app``), so the first live review is fast and the dictionaries
are shared. DEBUG is never on (meari.web.settings has no switch for it).

Why gthread workers: the live review is CPU-bound Python (one worker process per core does it), and
threads let a worker keep answering page loads while another request waits on the database or
on building a product file.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path

from meari.errors import MeariError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve",
        help="start the campaign workbench (browser UI and JSON API) on a real WSGI server",
        description="Start the workbench on gunicorn: migrations applied at start, DEBUG never on. "
        "Storage is SQLite in DIR unless MEARI_DATABASE_URL=postgresql://... is set.",
    )
    p.add_argument("--data", metavar="DIR", help="data directory (default: $MEARI_DATA_DIR, else ./meari-data)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: one per CPU core)")
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    p.add_argument("--certfile", type=Path, help="TLS certificate (PEM): serve https, cookies marked Secure")
    p.add_argument("--keyfile", type=Path, help="TLS private key (PEM), with --certfile")
    p.add_argument("--quiet", action="store_true", help="no access log")
    p.add_argument("--demo", type=Path, metavar="MESSAGE", help="seed the demo data set first (campaign "
                   "kursk-demo, one user per role with printed demo passwords, this message taken through the "
                   "chain); a store already seeded is left as it is")
    p.set_defaults(func=run)


def check_data_dir(path: Path) -> Path:
    """Create ``path`` if needed and prove it is a writable directory (MeariError otherwise)."""
    where = str(path)
    if path.exists() and not path.is_dir():
        raise MeariError("is not a directory", where)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise MeariError(f"cannot create the data directory: {e.strerror}", where) from None
    probe = path / ".meari-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise MeariError(f"data directory is not writable: {e.strerror}", where) from None
    return path.resolve()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, inheritable by gunicorn (``fd://``); MeariError when it cannot be had."""
    where = f"{host}:{port}"
    if not 0 <= port <= 65535:
        raise MeariError("port must be 0..65535", "--port")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise MeariError(f"cannot resolve the address: {e.strerror}", where) from None
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise MeariError("port already in use (is another meari serve running?)", where) from None
        if e.errno == errno.EACCES:
            raise MeariError("permission denied for this port (use one above 1023)", where) from None
        raise MeariError(f"cannot listen: {e.strerror}", where) from None
    sock.set_inheritable(True)
    return sock


def prepare(data: Path, host: str) -> Path:
    """Configure Django for ``data``, apply migrations, and check the deployment settings."""
    os.environ["MEARI_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "meari.web.settings"
    hosts = [h for h in os.environ.get("MEARI_ALLOWED_HOSTS", "").split(",") if h]
    if not hosts:
        hosts = ["127.0.0.1", "localhost", "[::1]"]
        if host in ("0.0.0.0", "::"):
            hosts = ["*"]  # listening on every interface of a unit server: its names are not known here
        elif host not in hosts:
            hosts.append(host if ":" not in host else f"[{host}]")
        os.environ["MEARI_ALLOWED_HOSTS"] = ",".join(hosts)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import DatabaseError, connections

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError as e:
        raise MeariError(f"cannot open or migrate the database: {str(e).splitlines()[0]}", "database") from None
    finally:
        connections.close_all()  # workers are forked from this process: each opens its own connection
    return data


def warm_up() -> None:
    """Load the analysers, lexicon, review data and leaflet fonts once, before the workers fork."""
    from meari.message import Message
    from meari.web.live import analyse

    analyse(Message(text="조선인민군 병사 여러분, 무기를 내려놓고 천천히 걸어 나오십시오.", drafted_in="sk",
                    sponsor="meari"))
    try:
        from meari.produce.leaflet.fonts import register_fonts

        register_fonts()
    except MeariError as e:  # previews will report it; the rest of the workbench works without fonts
        print(f"meari serve: warning: leaflet fonts: {e}", file=sys.stderr)


def _seed(message: Path) -> list[tuple[str, str, str]]:
    """The store's demo data set (meari.campaign.demo); the logins to print."""
    from django.db import connections

    from meari.campaign import demo

    if not message.is_file():
        raise MeariError("no such file", str(message))
    try:
        demo.seed(message)
    finally:
        connections.close_all()
    return [(name, role, demo.password(name)) for name, role in demo.USERS.items()]


def run(args: argparse.Namespace) -> int:
    if (args.certfile is None) != (args.keyfile is None):
        raise MeariError("give both --certfile and --keyfile for https", "meari serve")
    for f in (args.certfile, args.keyfile):
        if f is not None and not f.is_file():
            raise MeariError("no such file", str(f))
    if args.workers < 0 or args.threads < 1:
        raise MeariError("--workers must be 0 or more and --threads at least 1", "meari serve")
    data = check_data_dir(Path(args.data or os.environ.get("MEARI_DATA_DIR") or os.environ.get("MEARI_DATA")
                               or "meari-data"))
    sock = bind(args.host, args.port)  # before the slow steps, so a busy port fails fast
    prepare(data, args.host)
    logins = _seed(args.demo) if args.demo else []
    warm_up()
    from django.db import connections

    connections.close_all()
    host, port = sock.getsockname()[:2]
    scheme = "https" if args.certfile else "http"
    shown = f"[{host}]" if ":" in host else host
    print(f"meari workbench: {scheme}://{shown}:{port}/  (data: {data}"
          f"{', database: MEARI_DATABASE_URL' if os.environ.get('MEARI_DATABASE_URL') else ''})", flush=True)
    if logins:
        print("demo logins (campaign kursk-demo; demo passwords, not for a real deployment):")
        for name, role, password in logins:
            print(f"  {name:9s} {password}   ({role})")
        sys.stdout.flush()
    _gunicorn(sock, args)
    return 0


def _gunicorn(sock: socket.socket, args: argparse.Namespace) -> None:
    from gunicorn.app.base import BaseApplication

    from meari.web.wsgi import application

    workers = args.workers or max(1, os.cpu_count() or 1)
    options = {
        "bind": [f"fd://{sock.fileno()}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": args.threads,
        "preload_app": True,
        "timeout": 180,  # a product build (audio, imposed sheets) can take a while on a loaded laptop
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": None if args.quiet else "-",
        "errorlog": "-",
        "loglevel": "warning",
        "limit_request_line": 8190,
        "proc_name": "meari-serve",
    }
    if args.certfile:
        options.update(certfile=str(args.certfile), keyfile=str(args.keyfile))

    class App(BaseApplication):
        def load_config(self) -> None:
            for k, v in options.items():
                self.cfg.set(k, v)

        def load(self):  # noqa: ANN202
            return application

    App().run()
