"""The practice server's routes (Starlette): the exercise pages, and the JSON endpoints behind them.

GET  /                         the derivations, each linking its first exercise
GET  /{name}/{number}          the steps before ``number`` and a box for its line (``?lang=zh``)
POST /api/check                {"name", "number", "latex", "session", "lang"} -> {"status", "html"}
POST /api/preview              {"latex"} -> {"html"}: the line as MathML, as it is typed

A check is superseded by the next one of the same session (the student typed on), and cancelled when
its client disconnects (the page aborts it when the student moves on); either kills its worker.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from derive.derivations import load, names
from derive.exceptions import DeriveError, MathMLError
from derive.practice.answers import notice
from derive.practice.judge import exercises
from derive.practice.lines import MAX_CHARACTERS
from derive.practice.pool import BusyError, Job, OverrunError, Pool
from derive.render.environment import environment
from derive.render.html import mathml
from derive.render.views import given

LANGS = ("en", "zh")
#: the largest request body read; a line is at most MAX_CHARACTERS characters, up to 4 bytes each
MAX_BODY = 4 * MAX_CHARACTERS + 1024
#: a session id is what the page makes: a few dozen letters, digits and dashes
MAX_SESSION = 64


class RequestError(DeriveError):
    """A request practice cannot read: the message says what is wrong with it."""


@dataclass(frozen=True)
class Settings:
    #: seconds of engine time per check
    bound: float = 5.0
    workers: int = 2
    #: derivations offered (default: all)
    only: tuple[str, ...] = ()


def create_app(settings: Settings) -> Starlette:
    pool = Pool(settings.workers, settings.bound)
    sessions: dict[str, asyncio.Task[Any]] = {}
    offered = settings.only or names()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            for task in sessions.values():
                task.cancel()
            await pool.close()

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang", "en")
        return lang if lang in LANGS else "en"

    def index(request: Request) -> Response:
        lang = lang_of(request)
        entries = [(load(name), exercises(load(name))[0]) for name in offered]
        template = environment(autoescape=True).get_template("practice/index.html.j2")
        return HTMLResponse(template.render(lang=lang, entries=entries))

    def page(request: Request) -> Response:
        lang = lang_of(request)
        name = request.path_params["name"]
        if name not in offered:
            return _not_found(lang, f"no derivation named {name!r} here (offered: {', '.join(offered)})")
        derivation = load(name)
        numbers = exercises(derivation)
        number = request.path_params.get("number", numbers[0])
        if number not in numbers:
            later = [n for n in numbers if n > number]
            if not later or number < 1:
                return _not_found(lang, f"{name} has no step {number}")
            return RedirectResponse(f"/{name}/{later[0]}?lang={lang}", status_code=303)
        k = numbers.index(number)
        template = environment(autoescape=True).get_template("practice/exercise.html.j2")
        html = template.render(
            lang=lang,
            derivation=derivation,
            steps=_given(name)[: number - 1],
            book=_given(name)[number - 1],
            previous=numbers[k - 1] if k > 0 else None,
            next=numbers[k + 1] if k + 1 < len(numbers) else None,
            max_characters=MAX_CHARACTERS,
        )
        return HTMLResponse(html)

    async def check(request: Request) -> Response:
        lang = "en"
        try:
            body = await _json(request)
            lang = _field(body, "lang", str, default="en")
            lang = lang if lang in LANGS else "en"
            job = Job(
                name=_field(body, "name", str),
                number=_field(body, "number", int),
                latex=_field(body, "latex", str),
                lang=lang,
            )
            session = _session(_field(body, "session", str))
        except RequestError as error:
            return _reply(notice("invalid", lang, str(error)), 400)
        if job.name not in offered:
            return _reply(notice("invalid", lang, f"no derivation named {job.name!r} here"), 400)
        if len(job.latex) > MAX_CHARACTERS:
            message = f"the line is {len(job.latex)} characters long; at most {MAX_CHARACTERS} are read"
            return _reply(notice("unreadable", lang, message), 200)
        task = asyncio.get_running_loop().create_task(pool.run(job))
        earlier = sessions.get(session)
        if earlier is not None:
            earlier.cancel()  # the student typed on: the older check is of no use
        sessions[session] = task
        gone = asyncio.get_running_loop().create_task(_disconnected(request))
        try:
            await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if sessions.get(session) is task:
                del sessions[session]
        if not task.done():
            task.cancel()  # the client left: stop its check
            return Response(status_code=499)
        if task.cancelled():
            return _reply(notice("cancelled", lang), 409)
        failure = task.exception()
        if isinstance(failure, BusyError):
            return _reply(notice("busy", lang), 503)
        if isinstance(failure, OverrunError):
            return _reply(notice("overrun", lang), 200)
        if failure is not None:
            raise failure
        return _reply(task.result(), 200)

    async def preview(request: Request) -> Response:
        try:
            latex = _field(await _json(request), "latex", str)
        except RequestError as error:
            return JSONResponse({"html": "", "error": str(error)}, status_code=400)
        if len(latex) > MAX_CHARACTERS:
            return JSONResponse({"html": "", "error": f"at most {MAX_CHARACTERS} characters"})
        try:
            html = await asyncio.to_thread(mathml, latex, True)
        except MathMLError as error:
            return JSONResponse({"html": "", "error": str(error)})
        return JSONResponse({"html": str(html), "error": ""})

    routes = [
        Route("/", index),
        Route("/{name}", page),
        Route("/{name}/{number:int}", page),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/preview", preview, methods=["POST"]),
    ]
    # only the loopback names: a page elsewhere cannot reach the server through a rebound DNS name
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "testserver"])]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app


@cache
def _given(name: str) -> tuple[Any, ...]:
    return given(load(name))


def _not_found(lang: str, message: str) -> Response:
    template = environment(autoescape=True).get_template("practice/index.html.j2")
    return HTMLResponse(template.render(lang=lang, entries=[], message=message), status_code=404)


def _reply(reply: Any, status: int) -> JSONResponse:
    return JSONResponse({"status": reply.status, "html": reply.html}, status_code=status)


async def _json(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to ``MAX_BODY`` bytes."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise RequestError(f"the request is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RequestError("the request is not JSON") from None
    if not isinstance(data, dict):
        raise RequestError("the request is not a JSON object")
    return data


def _field(body: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
    value = body.get(key, default)
    # bool is an int to Python, not to a student
    if value is None or not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RequestError(f"the field {key!r} must be a {kind.__name__}")
    return value


def _session(text: str) -> str:
    if not 0 < len(text) <= MAX_SESSION or not text.replace("-", "").isascii() or not text.replace("-", "").isalnum():
        raise RequestError(f"the session must be 1 to {MAX_SESSION} letters, digits and dashes")
    return text


async def _disconnected(request: Request) -> None:
    """Returns when the client goes away (the request's body has been read already)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
