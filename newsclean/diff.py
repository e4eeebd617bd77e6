"""Compare the paragraph labels of two versions of a run (two runs on the same inputs,
or one run before and after a stage rerun): which paragraphs changed label or reason."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa

COLUMNS = ("article_id", "position", "char_start", "char_end", "text", "label", "reason")


def compare_paragraphs(before: pa.Table, after: pa.Table, examples: int = 5) -> dict[str, Any]:
    """Match paragraphs on article id and character span (else article id and position)
    and count those whose label or reason changed, by `old label/reason -> new`.

    >>> t = lambda label: pa.table({"article_id": ["a"], "position": [0], "char_start": [0],
    ...     "char_end": [5], "text": ["Share"], "label": [label], "reason": ["r"]})
    >>> compare_paragraphs(t("body"), t("boilerplate"))["by_change"]
    {'body/r -> boilerplate/r': 1}
    """
    old_rows = before.select(list(COLUMNS)).to_pylist()
    new_rows = after.select(list(COLUMNS)).to_pylist()
    by_span = {(r["article_id"], r["char_start"], r["char_end"]): r for r in new_rows}
    by_position = {(r["article_id"], r["position"]): r for r in new_rows}
    changes: Counter[str] = Counter()
    shown: list[dict[str, Any]] = []
    matched = set()
    for old in old_rows:
        new = by_span.get((old["article_id"], old["char_start"], old["char_end"]))
        if new is None:
            new = by_position.get((old["article_id"], old["position"]))
        if new is None:
            continue
        matched.add(id(new))
        was, now = f"{old['label']}/{old['reason']}", f"{new['label']}/{new['reason']}"
        if was == now:
            continue
        changes[f"{was} -> {now}"] += 1
        if len(shown) < examples:
            text = new["text"].strip()
            shown.append({"article_id": old["article_id"], "position": old["position"],
                          "before": was, "after": now, "text": text[:117] + "..." if len(text) > 120 else text})
    return {
        "compared": len(matched),
        "changed": sum(changes.values()),
        "only_before": len(old_rows) - len(matched),
        "only_after": len(new_rows) - len(matched),
        "by_change": dict(changes.most_common()),
        "examples": shown,
    }


def format_changes(changes: dict[str, Any]) -> str:
    """The lines `newsclean diff` and `newsclean rerun` print."""
    lines = [
        f"{changes['changed']} of {changes['compared']} matched paragraphs changed label or reason"
        f" ({changes['only_before']} only before, {changes['only_after']} only after)"
    ]
    for change, n in changes["by_change"].items():
        lines.append(f"  {n:6d}  {change}")
    if changes["examples"]:
        lines.append("examples:")
        for ex in changes["examples"]:
            lines.append(f"  {ex['article_id']} #{ex['position']}: {ex['before']} -> {ex['after']}: {ex['text']!r}")
    return "\n".join(lines)
