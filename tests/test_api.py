"""The public API: one import path, sorted __all__, no UI imports for embedders."""

from __future__ import annotations

import subprocess
import sys

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


def test_replying_does_not_import_prompt_toolkit() -> None:
    code = (
        "import sys, chatbot\n"
        "chatbot.Bot.load().reply('what is botox')\n"
        "print('prompt_toolkit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_bot_is_shareable_between_threads(bot: chatbot.Bot) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["what is botox", "mvd risks", "is it dangerous", "hello", "what about the weather"] * 20
    alone = [bot.reply(q) for q in questions]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(bot.reply, questions))
    assert together == alone
