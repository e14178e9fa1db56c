"""Label the caller lines of the project's own caller scripts with the rules, for the learned
reader: ``python -m services.dialogue.language.meaning.harvest tests/conversations``.

Writes ``suite.toml`` beside ``acts.toml`` (same format). A line the rules read as exactly one
of the acts gets that act; a line with no intent and no question is a ``statement`` (this is
what teaches the reader what is *not* a request — names, ages, amounts, authority claims);
anything else is left out. What the rules heard about the home (owns it or not, lives there
or not) labels the line for the gates as well. The batches written to measure generalisation
(folders named ``heldout*``) are never read: they stay unseen.
"""

from __future__ import annotations

import sys
from pathlib import Path

from services.dialogue.language import understand
from services.dialogue.language.heard import Heard, Intent
from services.dialogue.language.meaning.acts import ACTS_FILE, Act, load_examples
from services.dialogue.language.meaning.weigh import INTENT_OF

SUITE_FILE = ACTS_FILE.with_name("suite.toml")
ACT_FOR = {intent: act for act, intent in INTENT_OF.items()}
#: intents outside the reader's acts: a line with one says nothing the reader should learn
OTHER = {Intent.HUMAN, Intent.ROBOT, Intent.PRIVACY, Intent.ANGRY, Intent.UNSURE,
         Intent.RESCHEDULE, Intent.CANCEL, Intent.KEEP, Intent.APPOINTMENT_QUERY}  # fmt: skip
QUIET = {Intent.THANKS}


def label(heard: Heard) -> Act | None:
    intents = heard.intents - QUIET
    if Intent.AUTHORITY in intents:
        return Act.STATEMENT  # an order or a claim of authority asks for none of the acts
    if intents & OTHER:
        return None
    acts = {ACT_FOR[i] for i in intents if i in ACT_FOR}
    if Intent.WHO_ARE_YOU in intents and heard.question:
        acts.add(Act.ABOUT_US)
    if heard.question and (heard.topic or heard.objection) and not acts:
        return Act.RM_QUESTION
    if len(acts) == 1:
        return acts.pop()
    if not intents and not heard.question:
        return Act.STATEMENT
    return None


def harvest(root: Path) -> dict[Act, list[str]]:
    known = {e.lower() for said in load_examples().values() for e in said}
    out: dict[Act, list[str]] = {}
    for path in sorted(root.rglob("*.txt")):
        if any(part.startswith("heldout") for part in path.relative_to(root).parts):
            continue
        for line in path.read_text().splitlines():
            text = line.strip()
            if not text or text.startswith(("#", "<")) or text.lower() in known:
                continue
            heard = understand(text)
            act = label(heard)
            for each in ([act] if act is not None else []) + gate_labels(heard):
                known.add(text.lower())
                out.setdefault(each, []).append(text)
    return out


def gate_labels(heard: Heard) -> list[Act]:
    """What the rules heard about the home in the line, with no question asked."""
    out = []
    if heard.homeowner is not None:
        out.append(Act.OWNS if heard.homeowner else Act.NOT_OWNER)
    if heard.primary_residence is not None:
        out.append(Act.LIVES_THERE if heard.primary_residence else Act.LIVES_ELSEWHERE)
    return out if not heard.question else []


def write(examples: dict[Act, list[str]], path: Path = SUITE_FILE) -> None:
    lines = [
        "# Caller lines of tests/conversations (not the heldout batches), labelled by the",
        "# rules: written by `python -m services.dialogue.language.meaning.harvest`.",
    ]
    for act in Act:
        if act not in examples:
            continue
        lines.append(f"[{act.value}]")
        lines.append("examples = [")
        lines += [f"  {_quoted(e)}," for e in examples[act]]
        lines.append("]")
    path.write_text("\n".join(lines) + "\n")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "tests/conversations")
    examples = harvest(root)
    write(examples)
    counts = ", ".join(f"{a.value} {len(e)}" for a, e in sorted(examples.items()))
    print(f"wrote {SUITE_FILE.name}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
