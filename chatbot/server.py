"""The HTTP server: Rasa-compatible REST channel and NLU parse endpoints on Starlette (optional extra)."""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Sequence
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .bot import Bot
from .conversation import SessionStore
from .reply import Option, Reply

__all__ = ["MAX_BODY_BYTES", "MAX_SENDER_CHARS", "create_app", "is_loopback", "parse_result", "rest_messages", "serve"]

MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 256
FALLBACK_INTENT = "nlu_fallback"  # what Rasa's FallbackClassifier predicts when it is not sure
RANKING_LIMIT = 10  # Rasa's default intent_ranking length

# Never log request bodies: what patients type is health data. Only counts and error types are logged.
logger = logging.getLogger("chatbot.server")

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


class BadRequest(Exception):
    """A request the server refuses, with the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    reason = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge"}
    body = {"status": "failure", "code": status, "reason": reason.get(status, "ServerError"), "message": message}
    return JSONResponse(body, status_code=status, headers={**_SECURITY_HEADERS, **(headers or {})})


def _json(content: Any) -> JSONResponse:
    return JSONResponse(content, headers=_SECURITY_HEADERS)


async def _read_json(request: Request, max_bytes: int) -> dict[str, Any]:
    """Read a JSON object body of at most ``max_bytes``; raise BadRequest (400 or 413) otherwise."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest(400, "the Content-Length header is not a number")
        if int(declared) > max_bytes:
            raise BadRequest(413, f"the request body is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:  # a chunked body, or one longer than it declared
            raise BadRequest(413, f"the request body is larger than {max_bytes} bytes")
    try:
        text = bytes(body).decode("utf-8-sig")  # JSON on the wire is UTF-8 (RFC 8259); tolerate a BOM
    except UnicodeDecodeError:
        raise BadRequest(400, "the request body is not UTF-8") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nesting too deep for the decoder
        raise BadRequest(400, "the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "the request body must be a JSON object")
    return data


def _string_field(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        raise BadRequest(400, f"the request needs a string field {name!r}")
    if not isinstance(value, str):
        raise BadRequest(400, f"the field {name!r} must be a string, not {type(value).__name__}")
    return value


def _paragraphs(text: str) -> list[str]:
    # Rasa's REST channel sends each paragraph of a plain text response as its own message.
    return [part.strip() for part in text.strip().split("\n\n") if part.strip()]


def _buttons(options: Sequence[Option]) -> list[dict[str, str]]:
    # The payload is the option's number: sent back as the next message, the conversation picks it.
    return [{"title": o.title, "payload": str(n)} for n, o in enumerate(options, 1)]


def rest_messages(sender: str, reply: Reply) -> list[dict[str, Any]]:
    """Return a reply as the message list of Rasa's REST channel.

    Examples
    --------
    >>> from chatbot import Reply
    >>> rest_messages("u1", Reply("hi", "fallback", None, 0.0, "Sorry.\\n\\nTry other words."))
    [{'recipient_id': 'u1', 'text': 'Sorry.'}, {'recipient_id': 'u1', 'text': 'Try other words.'}]
    """
    if reply.kind == "clarify":
        # One message with buttons; its text still lists the numbered options for front ends without buttons.
        return [{"recipient_id": sender, "text": reply.text, "buttons": _buttons(reply.options)}]
    messages: list[dict[str, Any]] = []
    if reply.kind == "answer" and reply.title:
        messages.append({"recipient_id": sender, "text": reply.title})
    messages += [{"recipient_id": sender, "text": part} for part in _paragraphs(reply.text)]
    if reply.sources:
        meta = "Sources: " + "; ".join(reply.sources) + "."
        if reply.reviewed:
            meta += f" Reviewed {reply.reviewed}."
        messages.append({"recipient_id": sender, "text": meta})
    if reply.suggestions:
        messages.append({"recipient_id": sender, "text": "Related questions:", "buttons": _buttons(reply.suggestions)})
    return messages


def parse_result(text: str, reply: Reply, ranking: Sequence[Option], fallback_confidence: float) -> dict[str, Any]:
    """Return a reply as the result of Rasa's NLU parse endpoint.

    When the bot would not answer (``fallback``, or ``clarify`` between close topics), the intent is
    ``nlu_fallback`` with ``fallback_confidence``, as Rasa's FallbackClassifier predicts it, and the
    ranking behind it follows.

    Examples
    --------
    >>> from chatbot import Option, Reply
    >>> reply = Reply("what is botox", "answer", "botox", 1.0, "...")
    >>> parse_result("what is botox", reply, [Option("botox", "About Botox?", 1.0)], 0.55)["intent"]
    {'name': 'botox', 'confidence': 1.0}
    """
    ranked = [{"name": o.intent, "confidence": round(o.confidence, 4)} for o in ranking]
    if reply.kind in ("answer", "emergency") and reply.intent is not None:
        top = {"name": reply.intent, "confidence": round(reply.confidence, 4)}
    else:
        top = {"name": FALLBACK_INTENT, "confidence": round(fallback_confidence, 4)}
    ranked = [top] + [r for r in ranked if r["name"] != top["name"]]
    return {"text": text, "intent": top, "intent_ranking": ranked[:RANKING_LIMIT], "entities": []}


def _page() -> str:
    return resources.files("chatbot").joinpath("web/index.html").read_text(encoding="utf-8")


def _script() -> str:
    return resources.files("chatbot").joinpath("web/chat.js").read_text(encoding="utf-8")


def create_app(
    bot: Bot,
    *,
    max_sessions: int = 1000,
    max_idle_seconds: float = 3600,
    max_body_bytes: int = MAX_BODY_BYTES,
    cors_origins: Sequence[str] = (),
) -> Starlette:
    """Build the ASGI app: the REST channel webhook, the NLU parse endpoint, a health check and a chat page.

    Examples
    --------
    >>> from chatbot import Bot
    >>> app = create_app(Bot.load())
    >>> sorted(route.path for route in app.routes)
    ['/', '/chat.js', '/health', '/model/parse', '/webhooks/rest/', '/webhooks/rest/webhook']
    """
    sessions = SessionStore(bot, max_sessions=max_sessions, max_idle_seconds=max_idle_seconds)
    page, script = _page(), _script()

    async def webhook(request: Request) -> Response:
        data = await _read_json(request, max_body_bytes)
        sender = _string_field(data, "sender")
        message = _string_field(data, "message")
        if not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise BadRequest(400, f"the field 'sender' must have 1 to {MAX_SENDER_CHARS} characters")
        reply = await run_in_threadpool(sessions.ask, sender, message)
        return _json(rest_messages(sender, reply))

    async def parse(request: Request) -> Response:
        data = await _read_json(request, max_body_bytes)
        text = _string_field(data, "text")
        reply, ranking = await run_in_threadpool(lambda: (bot.reply(text), bot.ranking(text, limit=RANKING_LIMIT)))
        return _json(parse_result(text, reply, ranking, bot.thresholds.min_confidence))

    async def health(request: Request) -> Response:
        return _json({"status": "ok"})

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8",
                        headers={**_SECURITY_HEADERS, "Content-Security-Policy": _PAGE_CSP})

    async def chat_js(request: Request) -> Response:
        return Response(script, media_type="text/javascript; charset=utf-8", headers=_SECURITY_HEADERS)

    def guarded(endpoint: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                response: Response = await endpoint(request)
                return response
            except BadRequest as exc:
                return _error(exc.status, exc.message)
            except Exception as exc:
                # Log the kind of failure only: the exception text could quote what the user typed.
                logger.error("internal error while handling %s: %s", request.url.path, type(exc).__name__)
                return _error(500, "internal error; the request was not processed")
        return run

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        message = {404: "no such endpoint", 405: "method not allowed"}.get(status, "request failed")
        return _error(status, message, headers)

    routes = [
        Route("/webhooks/rest/webhook", guarded(webhook), methods=["POST"]),
        Route("/webhooks/rest/", guarded(health), methods=["GET"]),  # Rasa's channel health check
        Route("/model/parse", guarded(parse), methods=["POST"]),
        Route("/health", guarded(health), methods=["GET"]),
        Route("/", guarded(index), methods=["GET"]),
        Route("/chat.js", guarded(chat_js), methods=["GET"]),
    ]
    middleware = []
    if cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        ))
    return Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error})


def is_loopback(host: str) -> bool:
    """Return True if ``host`` names this machine only (127.0.0.0/8, ::1 or localhost).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(bot: Bot, *, host: str = "127.0.0.1", port: int = 5005, cors_origins: Sequence[str] = ()) -> None:
    """Run the server until interrupted; the access log is off so no request is recorded."""
    import uvicorn

    app = create_app(bot, cors_origins=cors_origins)
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="info", server_header=False)
    uvicorn.Server(config).run()
