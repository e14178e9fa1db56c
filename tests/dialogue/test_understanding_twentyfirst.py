"""What the twenty-first and twenty-second blind batches (heldout21: callers who answer out of
order and correct themselves; heldout22: an everyday mix) and the pending returning callers
showed, as classes — and, through whole calls, what Barbara does with them."""

# ruff: noqa: E501  (callers' lines are kept whole, one per case)
from __future__ import annotations

import pytest

from contracts.tools import Weekday
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect

E = Expect
W = Weekday


@pytest.mark.parametrize(
    ("said", "expect", "days"),
    [
        # a day on which something was done is no day to meet
        (
            "Hi, it's Walter Kaminski again, I called the other day about the reverse mortgage, I talked it over with my son Danny at Sunday dinner and he says go ahead and meet with the fella, so here I am.",
            E.NAME,
            [],
        ),
        ("we bowled on Monday so Tuesday is better", E.PREFERENCE, [W.TUE]),
        # a day said taken, then one said good, after a comma: two clauses, not a list
        ("I'm tied up Monday, Tuesday works", E.PREFERENCE, [W.TUE]),
        ("Monday I'm tied up, Tuesday works", E.PREFERENCE, [W.TUE]),
        ("I'm busy Monday, Tuesday and Wednesday, Thursday is good", E.PREFERENCE, [W.THU]),
        ("I'm free Monday, Tuesday or Wednesday", E.PREFERENCE, [W.MON, W.TUE, W.WED]),
        # "but" before a day turns to it; only "anything but" rules it out
        ("I'm tied up on Monday but Tuesday works", E.PREFERENCE, [W.TUE]),
        ("anything but Monday", E.PREFERENCE, [W.TUE, W.WED, W.THU, W.FRI]),
    ],
)
def test_days_done_or_taken_are_not_the_days_wanted(
    said: str, expect: Expect, days: list[Weekday]
) -> None:
    assert understand(said, expect).days == days
