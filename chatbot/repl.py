"""The interactive chat on a terminal: the only module that imports prompt_toolkit."""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory

from .bot import Bot
from .render import render_plain

__all__ = ["run_repl"]

WELCOME = (
    "hfs-chat: answers about hemifacial spasm. Automated information, not a doctor.\n"
    "Ask a question in your own words. Type /quit or press Ctrl-D to leave."
)
GOODBYE = "Take care. For advice about your own situation, please talk to a neurologist."


def run_repl(bot: Bot) -> int:
    """Chat until the user leaves; return the exit status."""
    session: PromptSession[str] = PromptSession(history=InMemoryHistory())
    print(WELCOME)
    while True:
        try:
            text = session.prompt("you> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if text.strip() in ("/quit", "/exit"):
            break
        if text.strip():
            print(render_plain(bot.reply(text)))
    print(GOODBYE)
    return 0
