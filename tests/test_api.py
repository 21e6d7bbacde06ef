"""The public API: one import path, sorted __all__, no UI imports for embedders."""

from __future__ import annotations

import subprocess
import sys

import pytest

import chatbot


def test_all_is_sorted_and_importable() -> None:
    assert chatbot.__all__ == sorted(chatbot.__all__)
    for name in chatbot.__all__:
        assert hasattr(chatbot, name), name


def test_public_items_have_docstrings() -> None:
    for name in chatbot.__all__:
        obj = getattr(chatbot, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


def test_bot_is_shareable_between_threads(bot: chatbot.Bot) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["what is botox", "mvd risks", "is it dangerous", "hello", "what about the weather"] * 20
    alone = [bot.reply(q) for q in questions]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(bot.reply, questions))
    assert together == alone


def test_red_flags_are_the_same_from_many_threads(bot: chatbot.Bot) -> None:
    """The safety stage shares the bot too: emergencies and non-emergencies, interleaved, from 16 threads."""
    from concurrent.futures import ThreadPoolExecutor

    questions = [
        "slured speach", "no weakness, just the twitch", "face droping sudenly", "can botox make my eyelid droop?",
        "I have HFS for years but today my arm went weak", "my face has twitched for years", "what is botox",
        "rash and fever on tegretol", "\x1b[31m\ud800", "",
    ] * 30
    alone = [bot.reply(q) for q in questions]
    assert sum(r.kind == "emergency" for r in alone) == 4 * 30
    with ThreadPoolExecutor(max_workers=16) as pool:
        together = list(pool.map(bot.reply, questions))
    assert together == alone


def test_loaded_content_is_immutable(bot: chatbot.Bot) -> None:
    import dataclasses
    from types import MappingProxyType

    kb = bot.kb
    assert isinstance(kb.intents, tuple) and all(isinstance(i.patterns, tuple) for i in kb.intents)
    assert isinstance(kb.responses, MappingProxyType)
    assert kb.redflags is not None and isinstance(kb.redflags.groups, MappingProxyType)
    assert isinstance(kb.redflags.rules, tuple) and all(isinstance(g, tuple) for g in kb.redflags.groups.values())
    for value in (kb, kb.intents[0], next(iter(kb.responses.values())), kb.redflags, kb.redflags.rules[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.id = "changed"  # type: ignore[union-attr]
    with pytest.raises(TypeError):
        kb.redflags.groups["new"] = ()  # type: ignore[index]


# The documented public API (docs/embedding.md): these names must stay importable from `chatbot`.
DOCUMENTED = {
    "Bot", "ContentError", "Conversation", "ConversationState", "HfsChatError", "Option", "Problem",
    "Reply", "SessionStore", "Thresholds",
}


def test_documented_names_are_public() -> None:
    assert set(chatbot.__all__) >= DOCUMENTED


def test_package_is_typed() -> None:
    from importlib import resources

    assert resources.files("chatbot").joinpath("py.typed").is_file()


def test_public_docstrings_start_with_one_summary_line() -> None:
    """Each public item and each public method: a one-line summary, then a blank line or nothing."""
    import inspect

    items = [(name, getattr(chatbot, name)) for name in chatbot.__all__ if callable(getattr(chatbot, name))]
    for name, obj in list(items):
        if inspect.isclass(obj):
            items += [(f"{name}.{attr}", member) for attr, member in vars(obj).items()
                      if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, classmethod))]
    for name, obj in items:
        doc = inspect.getdoc(obj)
        assert doc, f"{name} has no docstring"
        lines = doc.splitlines()
        assert lines[0].strip(), f"{name}: the docstring starts with an empty line"
        assert len(lines) == 1 or not lines[1].strip(), f"{name}: the summary is longer than one line"


@pytest.mark.parametrize("path", [
    "Bot", "Bot.load", "Bot.reply", "Conversation", "SessionStore", "Reply", "Thresholds",
    "HfsChatError", "ContentError",
])
def test_main_entry_points_have_examples(path: str) -> None:
    """The entry points an embedder starts from show a runnable example (run by tests/test_docs.py)."""
    obj: object = chatbot
    for part in path.split("."):
        obj = getattr(obj, part)
    doc = obj.__doc__ or ""
    assert "Examples\n" in doc and ">>> " in doc, path


def test_import_does_not_import_the_server_stack() -> None:
    code = (
        "import sys, chatbot\n"
        "chatbot.Conversation(chatbot.Bot.load()).ask('what is botox')\n"
        "print(sorted(m for m in ('starlette', 'uvicorn', 'prompt_toolkit') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
