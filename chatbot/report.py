"""Turn evaluations, calibration sweeps and decision reasons into readable text (no printing here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .calibrate import Point, Sweep
from .evaluate import TARGETS, Evaluation, meets
from .matcher import Candidate
from .reply import Reply
from .thresholds import Thresholds

__all__ = ["evaluation_text", "explain_dict", "explain_text", "settings_header", "sweep_text"]

_LABELS = {
    "top1_accuracy": "top answer right (top-1)",
    "right_or_offered": 'right, or offered in a "did you mean"',
    "first_option_accuracy": "first option right (no clarify step)",
    "wrong_confident": "wrong confident answer",
    "clarify": '"did you mean"',
    "fallback": "fallback",
    "oos_fallback": "fallback (out-of-scope recall)",
    "oos_confident": "confident answer",
    "oos_clarify": '"did you mean"',
}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _target(figure: str, value: float) -> str:
    if figure not in TARGETS:
        return ""
    op, target = TARGETS[figure]
    return f"{op} {100 * target:g}%  {'ok' if meets(figure, value) else 'MISSED'}"


def _thresholds(t: Any) -> str:
    return f"min_confidence {t['min_confidence']:.2f}, min_margin {t['min_margin']:.2f}"


def evaluation_text(ev: Evaluation, *, misses: int | None = None) -> str:
    """Render an evaluation: summary figures beside their targets, per-intent table, confusions, misses."""
    t, f = ev.tally, ev.figures
    lines = [f"Evaluation of {ev.name or 'the labelled set'}: {t.in_scope} in-scope and {t.out_of_scope} "
             f"out-of-scope questions"]
    if ev.thresholds:
        lines.append(f"thresholds: {_thresholds(ev.thresholds)}")
    lines += ["", f"{'In scope (' + str(t.in_scope) + ')':<42}{'value':>7}   target"]
    for key in ("top1_accuracy", "right_or_offered", "first_option_accuracy", "wrong_confident", "clarify",
                "fallback") if t.in_scope else ():
        lines.append(f"  {_LABELS[key]:<40}{_pct(f[key]):>7}   {_target(key, f[key])}".rstrip())
    lines.append(f"Out of scope ({t.out_of_scope})")
    for key in ("oos_fallback", "oos_confident", "oos_clarify") if t.out_of_scope else ():
        lines.append(f"  {_LABELS[key]:<40}{_pct(f[key]):>7}   {_target(key, f[key])}".rstrip())

    width = max([len("intent"), *(len(s.intent) for s in ev.intents)])
    lines += ["", "Per intent (confident answers only)",
              f"  {'intent':<{width}}  support  answered  right  precision  recall     F1"]
    for s in ev.intents:
        lines.append(f"  {s.intent:<{width}}  {s.support:>7}  {s.answered:>8}  {s.right:>5}  "
                     f"{s.precision:>9.2f}  {s.recall:>6.2f}  {s.f1:>5.2f}")

    lines += ["", "Confusions (label -> topic shown first)"]
    if not ev.confusions:
        lines.append("  none")
    for label, predicted, n in ev.confusions:
        lines.append(f"  {n:>4}  {label} -> {predicted}")

    shown = ev.misses if misses is None else ev.misses[:misses]
    lines += ["", f"Misses ({len(ev.misses)})" + (f", first {len(shown)}" if len(shown) < len(ev.misses) else "")]
    if not ev.misses:
        lines.append("  none")
    for m in shown:
        label = m.label or "(out of scope)"
        note = ", right topic offered" if m.offered else ""
        lines.append(f"  [{label}] {m.question}")
        lines.append(f"      -> {m.happened} (confidence {m.confidence:.2f}{note})")
    return "\n".join(lines) + "\n"


_COLUMNS = "  min_conf  margin    score   top-1  right/offered  first  wrong  fallback  oos_fb  oos_conf"


def _row(name: str, p: Point) -> str:
    f = p.tally.figures()
    return (f"{name:<8}{p.min_confidence:>6.2f}  {p.min_margin:>6.2f}  {p.score:>7.1f}  {_pct(f['top1_accuracy']):>6}  "
            f"{_pct(f['right_or_offered']):>13}  {_pct(f['first_option_accuracy']):>6}  "
            f"{_pct(f['wrong_confident']):>5}  {_pct(f['fallback']):>8}  {_pct(f['oos_fallback']):>6}  "
            f"{_pct(f['oos_confident']):>8}")


def _span(values: Sequence[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def sweep_text(sweep: Sweep, name: str, *, best: int = 10) -> str:
    """Render a calibration sweep: what was swept, the best points, the current and the chosen point."""
    t = sweep.current.tally
    confidences = sorted({p.min_confidence for p in sweep.points})
    margins = sorted({p.min_margin for p in sweep.points})
    lines = [
        f"Calibrating on {name}: {sweep.questions} questions ({t.in_scope} in scope, {t.out_of_scope} out of scope)"
        + (f"; {sweep.emergencies} emergency replies count as fixed" if sweep.emergencies else ""),
        f"sweep: min_confidence {_span(confidences)} x min_margin {_span(margins)}: {len(sweep.points)} pairs",
        f"objective: {sweep.objective}",
    ]
    if sweep.reproduced < sweep.questions:
        lines.append(f"note: at the current thresholds the sweep reproduces {sweep.reproduced} of "
                     f"{sweep.questions} bot replies; its figures may differ from 'hfs-chat eval'")
    lines += ["", f"{'rank':<8}" + _COLUMNS[2:]]
    for n, p in enumerate(sweep.best(best), 1):
        lines.append(_row(str(n), p))
    lines.append(_row("current", sweep.current))
    if sweep.chosen is None:
        lines.append("chosen: none (no thresholds meet the condition)")
    else:
        lines.append(_row("chosen", sweep.chosen))
        edges = []
        if sweep.chosen.min_confidence in (confidences[0], confidences[-1]):
            edges.append("min_confidence")
        if sweep.chosen.min_margin == margins[-1]:
            edges.append("min_margin")
        if edges:
            lines.append(f"note: the chosen {' and '.join(edges)} is at the edge of the grid")
    return "\n".join(lines) + "\n"


def settings_header(sweep: Sweep, chosen: Point, name: str) -> list[str]:
    """The comment lines written above the thresholds calibrate chose."""
    t = chosen.tally
    f = t.figures()
    return [
        f"Decision thresholds written by `hfs-chat calibrate` on {name}",
        f"({sweep.questions} questions: {t.in_scope} in scope, {t.out_of_scope} out of scope).",
        f"Objective: {sweep.objective}.",
        f"On that file: top-1 {_pct(f['top1_accuracy'])}, right or offered {_pct(f['right_or_offered'])}, "
        f"first option {_pct(f['first_option_accuracy'])}, wrong {_pct(f['wrong_confident'])};",
        f"out of scope: fallback {_pct(f['oos_fallback'])}, confident {_pct(f['oos_confident'])}.",
        "See chatbot/thresholds.py for what each threshold means; other keys of this file are kept.",
    ]


def explain_dict(reply: Reply, candidates: Sequence[Candidate], thresholds: Thresholds) -> dict[str, Any]:
    """The reason for a reply and the ranked candidates, as JSON-ready data."""
    return {
        "reason": reply.reason,
        "thresholds": thresholds.to_dict(),
        "candidates": [{"intent": c.intent, "score": round(c.score, 4), "pattern": c.pattern} for c in candidates],
    }


def explain_text(reply: Reply, candidates: Sequence[Candidate], thresholds: Thresholds) -> str:
    """The reason for a reply and the ranked candidates, as text to print after the answer."""
    lines = [f"Why {reply.kind}: {reply.reason or '(no reason given)'}",
             f"Candidates ({_thresholds(thresholds.to_dict())}):"]
    if not candidates:
        lines.append("  none")
    width = max([0, *(len(c.intent) for c in candidates)])
    for n, c in enumerate(candidates, 1):
        lines.append(f"  {n}. {c.intent:<{width}}  {c.score:.2f}  {c.pattern!r}")
    return "\n".join(lines) + "\n"
