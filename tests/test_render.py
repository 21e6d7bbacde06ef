"""Rendering replies for reading: title, wrapping, quiet sources, numbered options, the urgent banner."""

from __future__ import annotations

import dataclasses

from chatbot import Bot, Option, Reply
from chatbot.render import READ_WIDTH, URGENT_BANNER, render, render_plain, to_plain


def test_answer_has_title_text_sources_and_related(bot: Bot) -> None:
    reply = bot.answer("botox")
    frags = render(reply, 80)
    assert frags[0] == ("class:title", bot.kb.intent("botox").title)
    meta = "".join(text for style, text in frags if style == "class:meta")
    assert meta.startswith("Sources: ") and f"Reviewed {reply.reviewed}." in meta.replace("\n", " ")
    numbers = [text for style, text in frags if style == "class:number"]
    assert numbers == [f"{n}. " for n in range(1, len(reply.suggestions) + 1)]
    options = [text for style, text in frags if style == "class:option"]
    assert options == [o.title for o in reply.suggestions]
    assert "Related: 1. " in to_plain(frags)


def test_every_line_fits_the_width(bot: Bot) -> None:
    for width in (40, 80):
        for intent in bot.kb.intents:
            text = render_plain(bot.answer(intent.id), width)
            too_long = [line for line in text.splitlines() if len(line) > width and " " in line.strip()]
            assert not too_long, (intent.id, width, too_long)


def test_wide_terminals_wrap_at_the_reading_width(bot: Bot) -> None:
    lines = render_plain(bot.answer("mvd_risks"), 300).splitlines()
    assert max(map(len, lines)) <= READ_WIDTH
    assert max(map(len, lines)) > 80  # it does use the extra room


def test_plain_rendering_has_no_escape_codes(bot: Bot) -> None:
    for intent in bot.kb.intents:
        assert "\x1b" not in render_plain(bot.answer(intent.id), 80)
    assert "\x1b" not in render_plain(dataclasses.replace(bot.answer("botox"), kind="emergency"))


def test_emergency_stands_out_without_colour(bot: Bot) -> None:
    emergency = Reply("my face droops", "emergency", None, 1.0, "Call your local emergency number now.")
    plain = render_plain(emergency, 80).splitlines()
    assert plain[0] == URGENT_BANNER.center(80, "!")
    assert "URGENT" in plain[0] and plain[1] == "Call your local emergency number now."
    styles = {style for style, _ in render(emergency, 80, colour=True)}
    assert {"class:urgent.banner", "class:urgent.text"} <= styles
    assert "URGENT" not in render_plain(bot.answer("botox"))
    assert render_plain(bot.answer("botox"), 80).count("!!!") == 0
    assert to_plain(render(bot.answer("botox"), 80, urgent=True)).startswith(URGENT_BANNER.center(80, "!"))


def test_clarify_options_are_numbered() -> None:
    options = (Option("a", "What is A, a rather long title that will need wrapping?", 0.7), Option("b", "B?", 0.69))
    text = "Did you mean:\n1. " + options[0].title + "\n2. B?\nType the number, or ask again in other words."
    frags = render(Reply("x", "clarify", None, 0.7, text, options), 40)
    assert [t for s, t in frags if s == "class:number"] == ["1. ", "2. "]
    assert to_plain(frags).splitlines()[0] == "Did you mean:"
    assert "class:title" not in {s for s, _ in frags}
