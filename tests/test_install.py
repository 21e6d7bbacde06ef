"""A real, non-editable install in a fresh virtual environment answers from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from chatbot import load_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_non_editable_install_answers_outside_the_checkout(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    pip = subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    ask = subprocess.run(
        [str(bindir / "hfs-chat"), "ask", "--json", "what is hemifacial spasm?"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    )
    assert json.loads(ask.stdout)["intent"] == "hfs_definition"
    module = subprocess.run(
        [str(bindir / "python"), "-m", "chatbot", "validate", "--strict"],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert module.returncode == 0, module.stdout + module.stderr
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import chatbot; print(chatbot.bundled_content())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    ).stdout.strip()
    assert "site-packages" in where and sys.prefix not in where
    # Every content file ships: the installed copy reads the same knowledge base as the checkout.
    shipped = subprocess.run(
        [str(bindir / "python"), "-c",
         "import chatbot; kb = chatbot.load_content(); "
         "print(len(kb.intents), len(kb.lexicon), len(kb.offtopic), kb.redflags is not None, len(kb.aspects))"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    ).stdout.split()
    kb = load_content()
    assert shipped == [str(len(kb.intents)), str(len(kb.lexicon)), str(len(kb.offtopic)), "True", str(len(kb.aspects))]
