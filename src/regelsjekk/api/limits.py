"""Limits every request meets before any work is done: body size (413) and requests in flight per
client (429). Plain ASGI (no per-request task or body buffering of its own), so the limits cost
next to nothing on the fast path.

The client is the peer address as uvicorn gives it; behind a proxy uvicorn takes it from
X-Forwarded-For when the proxy's address is in --forwarded-allow-ips. The count is per worker
process: with N workers a client may have up to N × the limit in flight in all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from regelsjekk.api.problems import ApiProblem, problem_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def too_large(limit: int) -> ApiProblem:
    return ApiProblem(413, "for-stor", "For stor forespørsel",
                      f"Forespørselen er større enn grensen på {limit // 1024} KiB. Del opp "
                      "søknadene, eller send færre om gangen til /v1/sjekk/batch.")


class LimitsMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, per_client: int) -> None:
        self.app, self.max_body, self.per_client = app, max_body, per_client
        self.in_flight: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("ukjent", 0))[0]
        if self.in_flight.get(client, 0) >= self.per_client:
            response = problem_response(
                429, "for-mange-samtidige", "For mange samtidige forespørsler",
                f"Denne klienten har allerede {self.per_client} forespørsler under arbeid. Vent "
                "på svarene før du sender flere.", scope.get("path"), headers={"Retry-After": "1"})
            await response(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_body:
                    problem = too_large(self.max_body)
                    response = problem_response(413, problem.kind, problem.title,
                                                str(problem.detail), scope.get("path"))
                    await response(scope, receive, send)
                    return
        self.in_flight[client] = self.in_flight.get(client, 0) + 1
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:  # chunked, or a Content-Length that lied
                    raise too_large(self.max_body)
            return message

        try:
            await self.app(scope, limited_receive, send)
        finally:
            left = self.in_flight[client] - 1
            if left:
                self.in_flight[client] = left
            else:
                del self.in_flight[client]
