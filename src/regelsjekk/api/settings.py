"""The API's limits and where its knowledge base is, from the environment (`regelsjekk serve` sets
it for its workers, so every worker process reads the same settings at start-up)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

ENV_PREFIX = "REGELSJEKK_API_"


@dataclass(frozen=True)
class Settings:
    db: str | None = None            # REGELSJEKK_DB; None: the default place (or built-in only)
    rules: str | None = None         # REGELSJEKK_RULES; None: rules/ of the installation
    max_body: int = 512 * 1024       # bytes in one request body (413 above)
    max_batch: int = 100             # requests in one POST /v1/sjekk/batch (422 above)
    per_client: int = 16             # requests in flight per client address and worker (429 above)
    timeout: float = 30.0            # seconds of work per request (503 after)
    # POST /v1/sjekk bodies up to this many bytes are checked on the event loop, without the
    # worker thread and its time limit (milliseconds of work; no thread hop); 0: always a thread
    inline_max_body: int = 4 * 1024
    cors_origins: tuple[str, ...] = field(default_factory=tuple)  # empty: CORS off
    warm: bool = True                # build every index at start-up, before the first request

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Settings from REGELSJEKK_DB, REGELSJEKK_RULES and REGELSJEKK_API_*; bad values raise
        ValueError with the variable's name (the worker then refuses to start)."""
        env = dict(os.environ if env is None else env)

        def number(name: str, default: float, kind: type = int, zero: bool = False) -> float:
            raw = env.get(ENV_PREFIX + name)
            if raw is None or raw == "":
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{name}={raw!r} er ikke et tall") from None
            if value < 0 or (value == 0 and not zero):
                raise ValueError(f"{ENV_PREFIX}{name} må være {'0 eller ' if zero else ''}"
                                 "større enn 0")
            return value

        origins = tuple(o.strip() for o in env.get(ENV_PREFIX + "CORS", "").split(",") if o.strip())
        return cls(db=env.get("REGELSJEKK_DB") or None, rules=env.get("REGELSJEKK_RULES") or None,
                   max_body=int(number("MAX_BODY", cls.max_body)),
                   max_batch=int(number("MAX_BATCH", cls.max_batch)),
                   per_client=int(number("PER_CLIENT", cls.per_client)),
                   timeout=float(number("TIMEOUT", cls.timeout, float)),
                   inline_max_body=int(number("INLINE_MAX_BODY", cls.inline_max_body, zero=True)),
                   cors_origins=origins,
                   warm=env.get(ENV_PREFIX + "WARM", "1") != "0")

    def to_env(self) -> dict[str, str]:
        """The environment that makes from_env() give these settings (for the workers)."""
        env = {ENV_PREFIX + "MAX_BODY": str(self.max_body),
               ENV_PREFIX + "MAX_BATCH": str(self.max_batch),
               ENV_PREFIX + "PER_CLIENT": str(self.per_client),
               ENV_PREFIX + "TIMEOUT": str(self.timeout),
               ENV_PREFIX + "INLINE_MAX_BODY": str(self.inline_max_body),
               ENV_PREFIX + "CORS": ",".join(self.cors_origins),
               ENV_PREFIX + "WARM": "1" if self.warm else "0"}
        if self.db:
            env["REGELSJEKK_DB"] = self.db
        if self.rules:
            env["REGELSJEKK_RULES"] = self.rules
        return env
