#!/usr/bin/env python3
"""Red-flag triage: recall and false alarms on the held-out set, false alarms on CLINC150, and speed.

- held-out (tests/data/heldout.yaml): questions labelled emergency_red_flags that describe symptoms
  (not those asking *about* emergencies, which start with "when"/"what" or say "red flags") must fire;
  every other question (other topics and out of scope) must not.
- CLINC150 (../shared/bench/clinc150/data_full.json, all splits): 23,700 everyday assistant requests,
  none of them medical: every alarm there is a false alarm. Skipped when the file is absent.
- speed: detection time per question, for short questions and for the longest matched question
  (MAX_QUERY_CHARS of red-flag, negation and time words).

Usage: python benchmarks/safety.py [--clinc PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure this checkout, not an installed copy

from chatbot import Bot  # noqa: E402
from chatbot.safety import detect  # noqa: E402
from chatbot.text import MAX_QUERY_CHARS  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "heldout.yaml"
CLINC = ROOT.parent / "shared" / "bench" / "clinc150" / "data_full.json"
RED_FLAG_INTENT = "emergency_red_flags"


def _per_question_ms(bot: Bot, questions: list[str], rounds: int) -> float:
    assert bot.kb.redflags is not None
    start = time.perf_counter()
    for _ in range(rounds):
        for q in questions:
            detect(bot.kb.redflags, q)
    return 1000 * (time.perf_counter() - start) / (rounds * len(questions))


def main(argv: list[str] | None = None) -> int:
    """Print the figures; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinc", type=Path, default=CLINC, help="CLINC150 data_full.json")
    args = parser.parse_args(argv)
    bot = Bot.load()

    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    flagged = data["in_scope"][RED_FLAG_INTENT]
    described = [q for q in flagged if q.split()[0].lower() not in ("when", "what") and "red flags" not in q.lower()]
    others = [q for k, qs in data["in_scope"].items() if k != RED_FLAG_INTENT for q in qs] + data["out_of_scope"]
    missed = [q for q in described if bot.reply(q).kind != "emergency"]
    alarms = [q for q in others if bot.reply(q).kind == "emergency"]
    print(f"held-out: recall {len(described) - len(missed)}/{len(described)} red-flag descriptions"
          f" ({100 * (1 - len(missed) / len(described)):.1f}%); false alarms {len(alarms)}/{len(others)}"
          f" ({100 * len(alarms) / len(others):.2f}%)")
    for q in missed:
        print(f"  missed: {q}")
    for q in alarms:
        print(f"  false alarm: {q}")

    if args.clinc.exists():
        clinc = json.loads(args.clinc.read_text(encoding="utf-8"))
        questions = [q for split in clinc.values() for q, _ in split]
        assert bot.kb.redflags is not None
        fired = [(q, a) for q in questions if (a := detect(bot.kb.redflags, q)) is not None]
        print(f"CLINC150: false alarms {len(fired)}/{len(questions)} ({100 * len(fired) / len(questions):.3f}%)")
        for q, alarm in fired:
            print(f"  {q!r}: {alarm}")
    else:
        print(f"CLINC150: {args.clinc} not found, skipped", file=sys.stderr)

    rng = random.Random(0)
    vocabulary = "my face arm weak no not sudden today for years but slurred speech numb botox mvd rash".split()
    long_question = " ".join(rng.choice(vocabulary) for _ in range(MAX_QUERY_CHARS))[:MAX_QUERY_CHARS]
    short = _per_question_ms(bot, described + others[:200], rounds=3)
    longest = _per_question_ms(bot, [long_question], rounds=20)
    print(f"speed: {short:.2f} ms per held-out question; {longest:.1f} ms for a {MAX_QUERY_CHARS}-character question")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
