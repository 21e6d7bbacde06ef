"""The HTTP server: a real uvicorn server on a free loopback port, driven by a real HTTP client."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")

from chatbot import Bot, Conversation, Thresholds  # noqa: E402
from chatbot.server import MAX_BODY_BYTES, create_app, rest_messages  # noqa: E402

WEBHOOK = "/webhooks/rest/webhook"


class Server:
    """A uvicorn server for one app, on a free loopback port, in a background thread."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))  # the OS picks a free port; uvicorn serves on this very socket
        self.host, self.port = self.sock.getsockname()
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send one request with urllib; return (status, headers, body), also for error statuses."""
        req = urllib.request.Request(f"http://{self.host}:{self.port}{path}", data=body, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def post(self, path: str, obj: Any) -> tuple[int, Any]:
        """POST a JSON value; return (status, decoded JSON reply)."""
        status, _, body = self.request("POST", path, json.dumps(obj).encode(), {"Content-Type": "application/json"})
        return status, json.loads(body)

    def post_raw(self, path: str, body: bytes) -> tuple[int, Any]:
        """POST raw bytes as JSON; return (status, decoded JSON reply)."""
        status, _, reply = self.request("POST", path, body, {"Content-Type": "application/json"})
        return status, json.loads(reply)


@pytest.fixture(scope="module")
def server(bot: Bot) -> Iterator[Server]:
    """The bundled content behind a real server."""
    with Server(create_app(bot)) as running:
        yield running


def write_content(root: Path) -> Path:
    """Three distinct topics; alpha suggests beta and gamma as follow-ups."""
    topics = {
        "alpha": ("tell me about alpha particles", "[beta, gamma]"),
        "beta": ("tell me about beta decay", "[]"),
        "gamma": ("tell me about gamma rays", "[]"),
    }
    for name in ("intents", "responses"):
        (root / name).mkdir(parents=True)
    for topic, (pattern, related) in topics.items():
        (root / "intents" / f"{topic}.yaml").write_text(
            f"id: {topic}\ntitle: What is {topic}?\npatterns:\n  - {pattern}\n")
        (root / "responses" / f"{topic}.yaml").write_text(
            f"id: {topic}\ntext: |\n  First paragraph about {topic}.\n\n  Second paragraph about {topic}.\n"
            f"sources: [A]\nreviewed: 2026-11-21\nrelated: {related}\n")
    return root


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Bot]]:
    """A tiny knowledge base whose follow-up suggestions are known."""
    bot = Bot.load(write_content(tmp_path_factory.mktemp("content")))
    with Server(create_app(bot)) as running:
        yield running, bot


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages]


# --- GET endpoints ------------------------------------------------------------------------------


def test_health(server: Server) -> None:
    status, headers, body = server.request("GET", "/health")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert headers["content-type"] == "application/json"


def test_rest_channel_health_as_rasa(server: Server) -> None:
    """Rasa front ends probe GET /webhooks/rest/ for the channel's status."""
    status, _, body = server.request("GET", "/webhooks/rest/")
    assert (status, json.loads(body)) == (200, {"status": "ok"})


def test_chat_page_is_accessible_and_uses_the_webhook(server: Server) -> None:
    status, headers, page = server.request("GET", "/")
    html = page.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in html
    assert '<label for="question">' in html and 'id="question"' in html  # a labelled input
    assert 'aria-live="polite"' in html
    assert "not a doctor" in html
    assert "script-src 'self'" in headers["content-security-policy"]
    status, headers, script = server.request("GET", "/chat.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert WEBHOOK.encode() in script
    assert b"innerHTML" not in script  # bot text is inserted as text, never parsed as HTML


def test_unknown_path_and_wrong_method_get_json_errors(server: Server) -> None:
    status, _, body = server.request("GET", "/nowhere")
    assert status == 404 and json.loads(body)["code"] == 404
    status, headers, body = server.request("GET", WEBHOOK)
    assert status == 405 and json.loads(body)["code"] == 405
    assert "POST" in headers["allow"]


# --- the REST channel -----------------------------------------------------------------------------


def test_webhook_answers_like_rasa_rest_channel(server: Server, bot: Bot) -> None:
    question = "what is hemifacial spasm"
    expected = bot.reply(question)
    assert expected.kind == "answer"
    status, messages = server.post(WEBHOOK, {"sender": "alice", "message": question})
    assert status == 200 and isinstance(messages, list) and messages
    for message in messages:
        assert message["recipient_id"] == "alice"
        assert isinstance(message["text"], str) and message["text"]
        assert set(message) <= {"recipient_id", "text", "buttons"}
    assert messages[0]["text"] == expected.title
    # Rasa sends each paragraph of a text as its own message; together they are the whole answer.
    paragraphs = [p.strip() for p in expected.text.split("\n\n") if p.strip()]
    assert texts(messages)[1:1 + len(paragraphs)] == paragraphs
    assert any(all(s in m["text"] for s in expected.sources) for m in messages)


def test_webhook_ignores_extra_fields_as_rasa_does(server: Server) -> None:
    """Rasa front ends also send e.g. ``metadata``; it is not an error."""
    status, messages = server.post(WEBHOOK, {"sender": "meta", "message": "what is botox", "metadata": {"a": 1}})
    assert status == 200 and messages[0]["recipient_id"] == "meta"


def test_suggestion_buttons_round_trip(small: tuple[Server, Bot]) -> None:
    """Sending a button's payload back as the message picks that follow-up topic."""
    server, bot = small
    status, messages = server.post(WEBHOOK, {"sender": "s1", "message": "tell me about alpha particles"})
    assert status == 200
    assert texts(messages)[:3] == ["What is alpha?", "First paragraph about alpha.", "Second paragraph about alpha."]
    buttons = messages[-1]["buttons"]
    assert [b["title"] for b in buttons] == [bot.kb.intent(i).title for i in ("beta", "gamma")]
    status, picked = server.post(WEBHOOK, {"sender": "s1", "message": buttons[1]["payload"]})
    assert status == 200 and picked[0]["text"] == "What is gamma?"
    assert picked[1]["text"] == "First paragraph about gamma."


def test_clarify_buttons_round_trip(tmp_path: Path) -> None:
    """A "did you mean" comes as one message with buttons; sending a payload answers that option."""
    content = write_content(tmp_path / "content")
    # min_margin 1: every runner-up counts as close, so a question matching several topics is a clarify.
    bot = Bot.load(content, thresholds=Thresholds(min_confidence=0.0, min_margin=1.0))
    question = "tell me about"
    expected = bot.reply(question)
    assert expected.kind == "clarify" and len(expected.options) >= 2
    with Server(create_app(bot)) as server:
        status, messages = server.post(WEBHOOK, {"sender": "c1", "message": question})
        assert status == 200 and len(messages) == 1
        (message,) = messages
        assert message["text"] == expected.text and message["recipient_id"] == "c1"
        assert [b["title"] for b in message["buttons"]] == [o.title for o in expected.options]
        status, picked = server.post(WEBHOOK, {"sender": "c1", "message": message["buttons"][1]["payload"]})
        assert picked[0]["text"] == expected.options[1].title
        assert picked[1]["text"] == f"First paragraph about {expected.options[1].intent}."
        # Another sender has no pending options: the same payload is just a (meaningless) new question.
        status, other = server.post(WEBHOOK, {"sender": "c2", "message": message["buttons"][1]["payload"]})
        assert texts(other) != texts(picked)


def test_webhook_fallback_and_empty_message(server: Server, bot: Bot) -> None:
    for message in ("what is the capital of peru", "   "):
        expected = bot.reply(message)
        assert expected.kind == "fallback"
        status, messages = server.post(WEBHOOK, {"sender": "f", "message": message})
        assert status == 200
        assert "\n\n".join(texts(messages)) == expected.text.strip()
        assert all("buttons" not in m for m in messages)


# --- the NLU parse endpoint ---------------------------------------------------------------------


def test_parse_answer_like_rasa(server: Server, bot: Bot) -> None:
    text = "what is hemifacial spasm"
    reply = bot.reply(text)
    status, result = server.post("/model/parse", {"text": text})
    assert status == 200
    assert set(result) == {"text", "intent", "intent_ranking", "entities"}
    assert result["text"] == text and result["entities"] == []
    assert result["intent"] == {"name": reply.intent, "confidence": round(reply.confidence, 4)}
    ranking = result["intent_ranking"]
    assert ranking[0] == result["intent"]
    assert len({r["name"] for r in ranking}) == len(ranking) <= 10
    assert all(0 <= r["confidence"] <= 1 for r in ranking)
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)


def test_parse_fallback_is_nlu_fallback_like_rasa(server: Server, bot: Bot) -> None:
    """Rasa's FallbackClassifier predicts ``nlu_fallback`` with the threshold as its confidence."""
    text = "what is the capital of peru"
    assert bot.reply(text).kind == "fallback"
    status, result = server.post("/model/parse", {"text": text})
    assert status == 200
    assert result["intent"] == {"name": "nlu_fallback", "confidence": bot.thresholds.min_confidence}
    assert result["intent_ranking"][0] == result["intent"]
    names = [r["name"] for r in result["intent_ranking"][1:]]
    assert names == [o.intent for o in bot.ranking(text)][: len(names)]


def test_parse_is_stateless(server: Server) -> None:
    first = server.post("/model/parse", {"text": "what is botox"})
    server.post("/model/parse", {"text": "1"})
    assert server.post("/model/parse", {"text": "what is botox"}) == first


# --- bad requests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "body", "message"), [
    (WEBHOOK, b"{not json", "the request body is not valid JSON"),
    (WEBHOOK, b"", "the request body is not valid JSON"),
    (WEBHOOK, b"\xff\xfe{}", "the request body is not UTF-8"),
    (WEBHOOK, b"[" * 60000, "the request body is not valid JSON"),
    (WEBHOOK, b'["sender", "message"]', "the request body must be a JSON object"),
    (WEBHOOK, b'{"message": "hi"}', "the request needs a string field 'sender'"),
    (WEBHOOK, b'{"sender": "a"}', "the request needs a string field 'message'"),
    (WEBHOOK, b'{"sender": 7, "message": "hi"}', "the field 'sender' must be a string, not int"),
    (WEBHOOK, b'{"sender": "a", "message": ["hi"]}', "the field 'message' must be a string, not list"),
    (WEBHOOK, b'{"sender": "", "message": "hi"}', "the field 'sender' must have 1 to 256 characters"),
    (WEBHOOK, json.dumps({"sender": "x" * 257, "message": "hi"}).encode(),
     "the field 'sender' must have 1 to 256 characters"),
    ("/model/parse", b"null", "the request body must be a JSON object"),
    ("/model/parse", b'{"message": "hi"}', "the request needs a string field 'text'"),
    ("/model/parse", b'{"text": 3.5}', "the field 'text' must be a string, not float"),
])
def test_bad_requests_get_400_with_a_json_error(server: Server, path: str, body: bytes, message: str) -> None:
    status, error = server.post_raw(path, body)
    assert status == 400
    assert error == {"status": "failure", "code": 400, "reason": "BadRequest", "message": message}


def test_body_over_the_limit_gets_413(server: Server) -> None:
    message = "a" * MAX_BODY_BYTES
    status, error = server.post(WEBHOOK, {"sender": "big", "message": message})
    assert status == 413 and error["code"] == 413
    assert error["message"] == f"the request body is larger than {MAX_BODY_BYTES} bytes"
    # Just under the limit is fine (the bot caps the work per question itself).
    status, _ = server.post(WEBHOOK, {"sender": "big", "message": "a" * (MAX_BODY_BYTES - 100)})
    assert status == 200


def test_chunked_body_over_the_limit_gets_413(server: Server) -> None:
    """Without a Content-Length the streamed size is counted."""
    chunks = [b'{"sender": "c", "message": "'] + [b"a" * 8192] * 9 + [b'"}']
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request("POST", WEBHOOK, body=iter(chunks), encode_chunked=True,
                     headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        response = conn.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["code"] == 413
    finally:
        conn.close()


def test_small_chunked_body_is_accepted(server: Server) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        chunks = [b'{"sender": "ch", ', b'"message": "what is botox"}']
        conn.request("POST", WEBHOOK, body=iter(chunks), encode_chunked=True,
                     headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())[0]["recipient_id"] == "ch"
    finally:
        conn.close()


def test_server_survives_bad_requests(server: Server) -> None:
    for body in (b"{", b"[]", b'{"sender": null, "message": null}', b"\x00" * 10):
        assert server.post_raw(WEBHOOK, body)[0] == 400
    assert server.request("GET", "/health")[0] == 200


def test_no_question_is_logged(small: tuple[Server, Bot], caplog: pytest.LogCaptureFixture) -> None:
    server, _ = small
    secret = "my private symptom zebra"
    with caplog.at_level("DEBUG"):
        server.post(WEBHOOK, {"sender": "log", "message": secret})
        server.post("/model/parse", {"text": secret})
        server.post_raw(WEBHOOK, b'{"sender": "log", "message": 5, "x": "' + secret.encode() + b'"}')
    assert secret not in caplog.text


# --- many clients ---------------------------------------------------------------------------------


def test_fifty_concurrent_clients_each_get_their_own_conversation(small: tuple[Server, Bot]) -> None:
    """Each sender's replies are those of its own Conversation, however the requests interleave."""
    server, bot = small
    scripts = [
        ["tell me about alpha particles", str(1 + n % 2), "tell me about beta decay", "what is zebra"][n % 3:]
        for n in range(50)
    ]
    expected = []
    for n, script in enumerate(scripts):
        conversation = Conversation(bot)
        expected.append([rest_messages(f"user-{n}", conversation.ask(q)) for q in script])
    barrier = threading.Barrier(50)
    results: list[list[list[dict[str, Any]]] | BaseException] = [[] for _ in scripts]

    def client(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            got = []
            for question in scripts[n]:
                status, messages = server.post(WEBHOOK, {"sender": f"user-{n}", "message": question})
                assert status == 200
                got.append(messages)
            results[n] = got
        except BaseException as exc:  # reported below, in the main thread
            results[n] = exc

    threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for n, got in enumerate(results):
        assert not isinstance(got, BaseException), got
        assert got == expected[n]


# --- the command ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_command_runs_a_quiet_loopback_server(tmp_path: Path) -> None:
    """``hfs-chat serve`` answers on loopback, and prints nothing of what was asked."""
    import signal
    import subprocess
    import sys

    content, port, secret = write_content(tmp_path / "content"), free_port(), "tell me about alpha particles"
    process = subprocess.Popen(
        [sys.executable, "-m", "chatbot", "serve", "--port", str(port), "--content", str(content)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        request = urllib.request.Request(f"{url}{WEBHOOK}", method="POST",
                                         data=json.dumps({"sender": "p", "message": secret}).encode())
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())[0]["text"] == "What is alpha?"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode in (0, 130)  # uvicorn re-raises Ctrl-C after a clean shutdown; the CLI maps it to 130
    assert f"127.0.0.1:{port}" in err  # uvicorn says where it listens
    assert secret not in out + err and "alpha particles" not in out + err
    assert WEBHOOK not in out + err  # no access log


def test_serve_refuses_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    from chatbot.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "70000"])
    assert exit_.value.code == 2
    assert "not a port number from 0 to 65535: '70000'" in capsys.readouterr().err
