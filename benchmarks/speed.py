#!/usr/bin/env python3
"""Speed benchmark: reply latency, a 10,000-intent knowledge base, start-up, memory and batch throughput.

Every figure is printed beside its baseline (a plain rapidfuzz scan over all patterns, or a bare
interpreter) and its target (issue 9). Replies are timed on one core (the process is pinned to CPU 0
where the OS allows it); new-process figures (start-up, peak memory, load) run in subprocesses.

Usage: python benchmarks/speed.py [--quick] [--clinc PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process, utils

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # measure this checkout, not an installed copy
sys.path.insert(0, str(REPO / "benchmarks"))

from chatbot import Bot  # noqa: E402
from chatbot.evaluate import load_labelled  # noqa: E402

HELDOUT = REPO / "tests" / "data" / "heldout.yaml"
CLINC = REPO.parent / "shared" / "bench" / "clinc150" / "data_full.json"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
UI_MODULES = ("prompt_toolkit", "starlette", "uvicorn")


def pin_one_core() -> str:
    """Pin this process (and its children) to one CPU; say which."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def timings_us(fn: Callable[[str], Any], queries: Sequence[str], rounds: int) -> list[float]:
    """Time ``fn(q)`` for every query, ``rounds`` times over; microseconds per call."""
    for q in queries[:20]:  # warm caches and lazy paths
        fn(q)
    out: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for q in queries:
            t0 = clock()
            fn(q)
            out.append((clock() - t0) / 1000)
    return out


def p95(values: Sequence[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def plain_scan(patterns: list[str]) -> Callable[[str], Any]:
    """The baseline: the single nearest pattern by WRatio over every pattern."""
    def scan(query: str) -> Any:
        return process.extractOne(query, patterns, scorer=fuzz.WRatio, processor=utils.default_process)
    return scan


def all_patterns(bot: Bot) -> list[str]:
    return [p for intent in bot.kb.intents for p in intent.patterns]


def row(label: str, value: str, baseline: str, target: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"  {label:<38} {value:>14}  {baseline:>26}  {target:>12} {verdict}")


def header(title: str) -> None:
    print(f"\n{title}")
    print(f"  {'':<38} {'hfs-chat':>14}  {'baseline':>26}  {'target':>12}")


def run(code: str, *args: str, stdin: str | None = None) -> str:
    """Run Python code in a new process (this checkout on its path); return its stdout."""
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True,
                          env=ENV, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"speed: a subprocess failed:\n{done.stderr[-2000:]}")
    return done.stdout


# --- 1. Bot.reply on the bundled content ---------------------------------------------------------------

def bundled(rounds: int) -> None:
    bot = Bot.load()
    questions = [q for q, _ in load_labelled(HELDOUT).items()]
    patterns = all_patterns(bot)
    ours = timings_us(bot.reply, questions, rounds)
    base = timings_us(plain_scan(patterns), questions, rounds)
    header(f"Bot.reply, bundled content ({len(bot.kb.intents)} intents, {len(patterns)} patterns, "
           f"{len(questions)} held-out questions x {rounds})")
    med, bmed = statistics.median(ours), statistics.median(base)
    row("median (us)", f"{med:.0f}", f"{bmed:.0f} extractOne WRatio", "< 300", med < 300)
    row("p95 (us)", f"{p95(ours):.0f}", f"{p95(base):.0f} extractOne WRatio", "", None)
    row("speed-up vs plain scan (median)", f"{bmed / med:.1f}x", "1.0x", ">= 5x", bmed / med >= 5)


# --- 2. A generated 10,000-intent knowledge base --------------------------------------------------------

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "dri", "mon", "ster", "bel", "cor",
             "fin", "gal", "hex", "jun", "quo", "ril", "tan", "ul", "wex", "yor")
STARTS = ("how do i", "what is", "can i", "why does", "where can i find", "is it safe to", "tell me about",
          "when should i", "help with", "i want to know about", "what happens if i", "do you know")
COMMON = ("the", "my", "a", "for", "with", "after", "before", "and", "of", "to", "in", "on", "about")


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(root: Path, n_intents: int, per_intent: int = 10, seed: int = 9) -> list[tuple[str, str]]:
    """Write ``n_intents`` intents x ``per_intent`` patterns; return (query, intent) pairs to ask."""
    rng = random.Random(seed)
    vocab = vocabulary(rng, 20_000)
    (root / "intents").mkdir(parents=True)
    (root / "responses").mkdir()
    queries: list[tuple[str, str]] = []
    for n in range(n_intents):
        intent = f"topic_{n:05d}"
        topic = rng.sample(vocab, 4)  # the words this intent is about; others share the common ones
        patterns = []
        for _ in range(per_intent):
            words = rng.sample(topic, rng.randint(1, 3)) + rng.sample(COMMON, rng.randint(0, 2))
            words += rng.sample(vocab, rng.randint(0, 1))
            rng.shuffle(words)
            patterns.append(f"{rng.choice(STARTS)} {' '.join(words)}")
        body = {"id": intent, "title": f"{topic[0]} {topic[1]}", "patterns": patterns}
        (root / "intents" / f"{intent}.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
        response = {"id": intent, "text": f"Answer about {topic[0]}.", "sources": ["generated"],
                    "reviewed": dt.date(2026, 1, 1)}
        (root / "responses" / f"{intent}.yaml").write_text(yaml.safe_dump(response, sort_keys=False),
                                                           encoding="utf-8")
        if n % max(1, n_intents // 200) == 0:  # a reworded pattern of the intent, with a typo
            words = rng.choice(patterns).split()
            i = rng.randrange(len(words))
            if len(words[i]) > 4:
                words[i] = words[i][:2] + words[i][3:]
            queries.append((" ".join(words[::-1] if rng.random() < 0.3 else words), intent))
    return queries


LOAD_CODE = """
import sys, time, resource
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
t0 = time.perf_counter()
import chatbot
t1 = time.perf_counter()
before = rss()
bot = chatbot.Bot.load(sys.argv[1])
t2 = time.perf_counter()
bot.reply('how do i reset it')
print(t1 - t0, t2 - t1, before, rss())
"""


def generated(rounds: int, sizes: Sequence[int]) -> None:
    """Load knowledge bases of ``sizes`` intents in new processes; time replies on the largest."""
    header(f"Generated knowledge base ({sizes[-1]:,} intents x 10 patterns)")
    with tempfile.TemporaryDirectory(prefix="hfs-speed-") as tmp:
        growth = []
        for size in sizes:
            root = Path(tmp) / str(size)
            asked = generate(root, size)
            _, load, before, after = map(float, run(LOAD_CODE, str(root)).split())
            growth.append((size, load, after - before))
        queries = [q for q, _ in asked]
        _, cold, _ = growth[-1]
        row("cold load, new process (s)", f"{cold:.2f}", "", "< 10", cold < 10)
        bot = Bot.load(root)
        patterns = all_patterns(bot)
        ours = timings_us(bot.reply, queries, rounds)
        base = timings_us(plain_scan(patterns), queries[: max(20, len(queries) // 10)], 1)
        med, bmed = statistics.median(ours) / 1000, statistics.median(base) / 1000
        row("reply median (ms)", f"{med:.2f}", f"{bmed:.1f} extractOne WRatio", "< 10", med < 10)
        row("reply p95 (ms)", f"{p95(ours) / 1000:.2f}", f"{p95(base) / 1000:.1f} extractOne WRatio", "", None)
        row("speed-up vs plain scan (median)", f"{bmed / med:.0f}x", "1x", ">= 20x", bmed / med >= 20)
        right = sum(bot.reply(q).intent == i for q, i in asked)
        row("reworded-pattern queries answered right", f"{right}/{len(queries)}", "", "", None)
        print("  memory growth (RSS after load - before, new process):")
        for size, load, mb in growth:
            print(f"    {size:>6,} intents: {mb:7.1f} MB  ({mb * 1024 / size:5.1f} KB per intent), load {load:.2f} s")


# --- 3. Start-up, imports, peak memory ------------------------------------------------------------------

def startup(runs: int) -> None:
    header(f"New process (median of {runs} runs)")
    question = "what is hemifacial spasm"

    # An installed copy has its bytecode compiled at install time; a checkout run with
    # PYTHONDONTWRITEBYTECODE (set in some environments) would compile every module on every start.
    # Time what a user's process does: with bytecode, cached in a temporary folder by a first run.
    with tempfile.TemporaryDirectory(prefix="hfs-pyc-") as cache:
        env = {k: v for k, v in ENV.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": cache}

        def wall(argv: list[str]) -> float:
            subprocess.run(argv, capture_output=True, env=env, cwd=REPO, check=True)  # compiles the bytecode
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                subprocess.run(argv, capture_output=True, env=env, cwd=REPO, check=True)
                times.append(time.perf_counter() - t0)
            return statistics.median(times) * 1000

        ask = wall([sys.executable, "-m", "chatbot", "ask", question])
        bare = wall([sys.executable, "-c", "pass"])
    row("hfs-chat ask '...' wall time (ms)", f"{ask:.0f}", f"{bare:.0f} python -c pass", "< 300", ask < 300)
    imported = run("import sys, chatbot\nbot = chatbot.Bot.load(); bot.reply('hi')\n"
                   f"print(' '.join(m for m in {UI_MODULES!r} if m in sys.modules) or '-')").strip()
    row("UI modules after import + reply", imported, "", "none", imported == "-")
    # ru_maxrss survives exec (it would report this big parent's peak): read the new image's VmHWM instead.
    code = ("import re, resource\n{}\n"
            "try:\n    status = open('/proc/self/status').read()\n"
            "    print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) / 1024)\n"
            "except OSError:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    peak = float(run(code.format("import chatbot; chatbot.Bot.load().reply('what is botox')")))
    bare_peak = float(run(code.format("pass")))
    row("peak RSS, load + answer (MB)", f"{peak:.1f}", f"{bare_peak:.1f} python -c pass", "< 60", peak < 60)


# --- 4. batch throughput on CLINC150 --------------------------------------------------------------------

def batch(path: Path) -> None:
    header("batch throughput, CLINC150 test split (content from its train split)")
    if not path.is_file():
        print(f"  skipped: CLINC150 data not found at {path} (see benchmarks/clinc150.py)")
        return
    import clinc150  # the other benchmark's content builder, reused

    data = clinc150.load(path)
    queries = [text for text, _ in data["test"] + data["oos_test"]]
    with tempfile.TemporaryDirectory(prefix="hfs-speed-clinc-") as tmp:
        n = clinc150.build_content(Path(tmp), data["train"])
        stdin = "".join(json.dumps({"text": q}) + "\n" for q in queries)
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "chatbot", "batch", "--content", tmp], input=stdin,
                              capture_output=True, text=True, env=ENV, cwd=REPO, check=True)
        elapsed = time.perf_counter() - t0
        assert len(done.stdout.splitlines()) == len(queries)
        patterns = [t for t, _ in data["train"]]
        t1 = time.perf_counter()
        sample = queries[::10]
        scan = plain_scan(patterns)
        for q in sample:
            scan(q)
        base = len(sample) / (time.perf_counter() - t1)
    row(f"queries/s ({len(queries):,} queries, {n} intents)", f"{len(queries) / elapsed:,.0f}",
        f"{base:,.0f} extractOne WRatio", "", None)
    print("  (hfs-chat: whole process, load included, one JSON reply per line; baseline: the scan alone)")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"Python {platform.python_version()}, {cpu}, {os.cpu_count()} cores, {platform.system()}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and a 1,000-intent knowledge base")
    parser.add_argument("--clinc", type=Path, default=CLINC, help="CLINC150 data_full.json")
    args = parser.parse_args(argv)
    print(f"hfs-chat speed benchmark: {machine()}; replies {pin_one_core()}")
    bundled(rounds=3 if args.quick else 10)
    if args.quick:
        generated(rounds=1, sizes=(300, 1_000))
    else:
        generated(rounds=3, sizes=(1_000, 3_000, 10_000))
    startup(runs=3 if args.quick else 7)
    batch(args.clinc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
