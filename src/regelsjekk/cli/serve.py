"""`regelsjekk serve`: the HTTP API (/v1) in uvicorn worker processes.

Thin: the API lives in regelsjekk.api (a package beside this one, so it is named as uvicorn's
factory string and never imported here). This module binds the socket (port 0: a free port, said
on stderr), puts the limits and the knowledge base's place in the environment the workers read
(api.settings), and runs uvicorn's supervisor: N workers on the one socket, each opening the
knowledge base read-only once and warming it before it accepts a request. SIGHUP replaces the
workers one by one (the new one warm before the old one stops): how a new import is rolled out.
SIGINT/SIGTERM stop them gracefully.

Exit codes: 0 stopped on a signal, 3 usage errors or a worker that could not start.
"""

from __future__ import annotations

import argparse
import copy
import inspect
import os
import sys
from pathlib import Path

APP_FACTORY = "regelsjekk.api.app:create_app"
ENV_PREFIX = "REGELSJEKK_API_"  # as regelsjekk.api.settings reads them

EPILOG = """\
eksempler:
  regelsjekk serve                                 # http://127.0.0.1:8000/v1/docs
  regelsjekk serve --workers 4 --port 8080 --host 0.0.0.0
  regelsjekk --db /data/kunnskapsbase.sqlite serve --workers 2
  kill -HUP <pid>                                  # nye arbeidere etter en ny import

grensene gjelder per arbeidsprosess; se README («HTTP API») for drift bak nginx.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve", help="start HTTP-API-et (/v1) for saksbehandlingssystemer",
        description="Start HTTP-API-et: sjekk, batch, forslag, oppslag, presedens, skjemaer og "
                    "status under /v1, med OpenAPI-dokumentasjon på /v1/docs.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1",
                   help="adressen det lyttes på (standard 127.0.0.1; 0.0.0.0 for alle)")
    p.add_argument("--port", "-p", type=_port, default=8000,
                   help="porten (standard 8000; 0 velger en ledig port)")
    p.add_argument("--workers", "--arbeidere", "-w", type=_positive, default=1, metavar="N",
                   help="antall arbeidsprosesser (standard 1; gjerne én per kjerne)")
    p.add_argument("--maks-kropp", type=_positive, default=512, metavar="KIB",
                   help="største forespørsel i KiB (standard 512)")
    p.add_argument("--maks-batch", type=_positive, default=100, metavar="N",
                   help="flest søknader i ett kall til /v1/sjekk/batch (standard 100)")
    p.add_argument("--maks-samtidige", type=_positive, default=16, metavar="N",
                   help="flest forespørsler under arbeid per klient og arbeider (standard 16)")
    p.add_argument("--tidsgrense", type=_seconds, default=30.0, metavar="SEKUNDER",
                   help="lengste tid én forespørsel får (standard 30)")
    p.add_argument("--cors", action="append", default=[], metavar="OPPRINNELSE",
                   help="tillat nettlesere fra denne opprinnelsen (kan gjentas; standard: av)")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1", metavar="IP-ER",
                   help="proxyer som får oppgi klientens adresse i X-Forwarded-For "
                        "(standard 127.0.0.1)")
    p.add_argument("--uten-tilgangslogg", action="store_true",
                   help="ikke logg hver forespørsel")
    p.add_argument("--logg", choices=["debug", "info", "warning", "error"], default="info",
                   help="loggnivå (standard info)")
    p.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et portnummer") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError("porten må være mellom 0 og 65535")
    return n


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et heltall") from None
    if n < 1:
        raise argparse.ArgumentTypeError("må være minst 1")
    return n


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et tall") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("må være større enn 0")
    return n


def worker_env(args: argparse.Namespace) -> dict[str, str]:
    """The environment the workers read their settings from (regelsjekk.api.settings)."""
    env = {ENV_PREFIX + "MAX_BODY": str(args.maks_kropp * 1024),
           ENV_PREFIX + "MAX_BATCH": str(args.maks_batch),
           ENV_PREFIX + "PER_CLIENT": str(args.maks_samtidige),
           ENV_PREFIX + "TIMEOUT": str(args.tidsgrense),
           ENV_PREFIX + "CORS": ",".join(args.cors)}
    if getattr(args, "db", None):
        env["REGELSJEKK_DB"] = str(Path(args.db).resolve())
    if getattr(args, "regler", None):
        env["REGELSJEKK_RULES"] = str(Path(args.regler).resolve())
    return env


def _log_config(level: str) -> dict:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["regelsjekk"] = {"handlers": ["default"], "level": level.upper(),
                                       "propagate": False}
    return config


def run(args: argparse.Namespace) -> int:
    if getattr(args, "db", None) and not Path(args.db).is_file():
        print(f"regelsjekk serve: kunnskapsbasen {args.db} finnes ikke.\nTips: bygg den med "
              "«regelsjekk import --ny …», eller start uten --db for den innebygde.",
              file=sys.stderr)
        return 3
    try:
        import uvicorn
        from uvicorn.config import STARTUP_FAILURE
        from uvicorn.supervisors import Multiprocess
    except ImportError:  # pragma: no cover - a runtime dependency; only a broken install lacks it
        print("regelsjekk serve: uvicorn mangler. Installer med «pip install regelsjekk».",
              file=sys.stderr)
        return 3
    os.environ.update(worker_env(args))  # the workers (spawned) inherit it
    config = uvicorn.Config(
        APP_FACTORY, factory=True, host=args.host, port=args.port, workers=args.workers,
        lifespan="on", log_level=args.logg, log_config=_log_config(args.logg),
        access_log=not args.uten_tilgangslogg, proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        # a worker opens and warms the knowledge base before it says it is ready (seconds on a
        # full import); a rolling restart (SIGHUP) waits this long for each new worker
        timeout_worker_healthcheck=300, timeout_graceful_shutdown=30)
    sock = config.bind_socket()
    host, port = sock.getsockname()[:2]
    print(f"regelsjekk serve: lytter på http://{host}:{port} med {args.workers} "
          f"arbeider{'e' if args.workers != 1 else ''} (prosess {os.getpid()}); "
          f"dokumentasjon på http://{host}:{port}/v1/docs", file=sys.stderr, flush=True)
    if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn before 0.55
        supervisor = Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock])
    else:
        supervisor = Multiprocess(config, sockets=[sock])
    try:
        supervisor.run()
    except KeyboardInterrupt:  # pragma: no cover
        pass
    finally:
        sock.close()
    failed = any(getattr(p, "exitcode", None) == STARTUP_FAILURE for p in supervisor.processes)
    if failed:
        print("regelsjekk serve: en arbeider kunne ikke starte (se loggen over).", file=sys.stderr)
        return 3
    return 0
