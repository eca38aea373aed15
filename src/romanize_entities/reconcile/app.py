"""HTTP wiring of the reconciliation service (Starlette, served by uvicorn).

Routes (W3C Entity Reconciliation API 0.2):

* ``GET /reconcile`` — the manifest (``?callback=`` wraps it as JSONP for old clients);
* ``GET|POST /reconcile`` with ``queries`` — a JSON batch of queries; with ``extend`` —
  data extension (OpenRefine sends both to the service URL itself);
* ``GET /preview?id=`` — the HTML card; ``GET /entity/{id}`` — the entity page;
* ``GET /suggest/entity?prefix=`` — entity auto-complete;
* ``GET|POST /extend`` (``extend``) and ``GET /extend/propose`` — data extension.

Everything is answered by one :class:`~romanize_entities.reconcile.service.ReconcileService`
built before the server starts (the table is loaded once). Handlers read at most
:data:`MAX_BODY` bytes and turn any malformed input into a 400 with a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from romanize_entities.reconcile.pages import entity_page, not_found_page, preview_card
from romanize_entities.reconcile.service import (
    MAX_LIMIT,
    QueryError,
    ReconcileService,
    parse_batch,
)

__all__ = ["MAX_BODY", "build_app"]

#: Largest request body read (bytes): 500 queries with properties fit many times over.
MAX_BODY = 1 << 20
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")
Handler = Callable[[Request], Awaitable[Response]]


class _TooLarge(Exception):
    pass


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


async def _params(request: Request) -> dict[str, str]:
    """Query-string and form fields (URL-encoded or multipart), body capped at MAX_BODY."""
    params = {k: v for k, v in request.query_params.items()}
    if request.method != "POST":
        return params
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _TooLarge
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        request._body = bytes(body)  # let Starlette's parser read what we already read
        form = await request.form()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    elif body:
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError("the request body is not UTF-8") from exc
        if ctype == "application/json":  # a bare JSON batch, for scripts
            params.setdefault("queries", text)
        else:
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params[key] = values[-1]
    return params


def _guarded(handler: Handler) -> Handler:
    """Map malformed input to 400, oversize bodies to 413; never show a traceback."""
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except QueryError as exc:
            return _error(str(exc))
        except _TooLarge:
            return _error(f"request body larger than {MAX_BODY} bytes", 413)
    return wrapped


def _json_field(params: dict[str, str], name: str) -> Any:
    try:
        return json.loads(params[name])
    except ValueError as exc:
        raise QueryError(f"{name!r} is not valid JSON: {exc}") from exc


def _int(params: dict[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise QueryError(f"{name!r} must be an integer, got {raw!r}") from exc


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def build_app(service: ReconcileService) -> Starlette:
    """The ASGI app answering every route above from *service*."""

    async def reconcile(request: Request) -> Response:
        params = await _params(request)
        if "queries" in params:
            batch = parse_batch(params["queries"])
            return JSONResponse(await run_in_threadpool(service.reconcile, batch))
        if "extend" in params:
            return JSONResponse(await run_in_threadpool(service.extend,
                                                        _json_field(params, "extend")))
        manifest = service.manifest(_base_url(request))
        callback = params.get("callback")
        if callback:
            if not _CALLBACK.match(callback):
                raise QueryError("'callback' must be a JavaScript identifier")
            return Response(f"{callback}({json.dumps(manifest)});",
                            media_type="application/javascript")
        return JSONResponse(manifest)

    async def extend(request: Request) -> Response:
        params = await _params(request)
        if "extend" not in params:
            raise QueryError("missing 'extend': a JSON object with 'ids' and 'properties'")
        return JSONResponse(await run_in_threadpool(service.extend,
                                                    _json_field(params, "extend")))

    async def propose(request: Request) -> Response:
        return JSONResponse(service.propose(request.query_params.get("type")))

    async def suggest(request: Request) -> Response:
        params = request.query_params
        prefix = params.get("prefix")
        if prefix is None:
            raise QueryError("missing 'prefix'")
        types = [t for t in params.getlist("type") if t]
        limit = min(_int(dict(params), "limit", 10), MAX_LIMIT)
        start = _int(dict(params), "cursor", _int(dict(params), "start", 0))
        result = await run_in_threadpool(service.suggest, prefix, types=types, limit=limit,
                                         start=max(0, start))
        return JSONResponse(result)

    async def preview(request: Request) -> Response:
        ident = request.query_params.get("id", "")
        entity = service.entity(ident)
        if entity is None:
            return HTMLResponse(not_found_page(ident), status_code=404)
        spellings = await run_in_threadpool(service.spellings, entity)
        return HTMLResponse(preview_card(entity, spellings))

    async def view(request: Request) -> Response:
        ident = str(request.path_params["ident"])
        entity = service.entity(ident)
        if entity is None:
            return HTMLResponse(not_found_page(ident), status_code=404)
        spellings = await run_in_threadpool(service.spellings, entity)
        return HTMLResponse(entity_page(entity, spellings))

    async def home(request: Request) -> Response:
        return PlainTextResponse(
            f"romanize-entities reconciliation service: add {_base_url(request)}/reconcile "
            "in OpenRefine (Reconcile > Start reconciling > Add standard service).\n")

    routes = [
        Route("/", _guarded(home)),
        Route("/reconcile", _guarded(reconcile), methods=["GET", "POST"]),
        Route("/extend", _guarded(extend), methods=["GET", "POST"]),
        Route("/extend/propose", _guarded(propose)),
        Route("/suggest/entity", _guarded(suggest)),
        Route("/preview", _guarded(preview)),
        Route("/entity/{ident:path}", _guarded(view)),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"],
                             allow_methods=["GET", "POST"], allow_headers=["*"])]
    return Starlette(routes=routes, middleware=middleware)
