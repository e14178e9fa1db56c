"""The four qualification gates: age 62+, owns the home, primary residence, enough equity."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.calls import DisqualificationReason

MIN_AGE = 62
#: Share of the home's value that must be free of mortgage debt.
DEFAULT_MIN_EQUITY_RATIO = 0.5

GATES = ("age", "homeowner", "primary_residence", "equity")


@dataclass(frozen=True)
class Answers:
    age: int | None = None
    is_homeowner: bool | None = None
    primary_residence: bool | None = None
    property_value: int | None = None
    mortgage_balance: int | None = None
    #: the other owner's age (a spouse or partner who lives there): the gate is on the younger
    co_borrower_age: int | None = None

    @property
    def youngest(self) -> int | None:
        """The younger borrower's age (the age gate), as far as it is known."""
        known = [v for v in (self.age, self.co_borrower_age) if v is not None]
        return min(known) if known else None

    def merged_over(self, stored: Answers) -> Answers:
        """These answers, falling back to ``stored`` for what the caller did not say."""

        return Answers(
            age=self.age if self.age is not None else stored.age,
            co_borrower_age=self.co_borrower_age
            if self.co_borrower_age is not None
            else stored.co_borrower_age,
            is_homeowner=_first(self.is_homeowner, stored.is_homeowner),
            primary_residence=_first(self.primary_residence, stored.primary_residence),
            property_value=self.property_value
            if self.property_value is not None
            else stored.property_value,
            mortgage_balance=self.mortgage_balance
            if self.mortgage_balance is not None
            else stored.mortgage_balance,
        )


def _first(new: bool | None, old: bool | None) -> bool | None:
    return new if new is not None else old


@dataclass(frozen=True)
class Assessment:
    gates: dict[str, bool | None]
    qualified: bool | None
    reason: DisqualificationReason | None
    missing: list[str]


def equity_gate(value: int | None, balance: int | None, min_ratio: float) -> bool | None:
    if balance == 0:
        return True  # paid off: all of it is equity, whatever it is worth
    if value is None or balance is None:
        return None
    if value <= 0:
        return False
    return (value - balance) / value >= min_ratio


def assess(a: Answers, min_equity_ratio: float = DEFAULT_MIN_EQUITY_RATIO) -> Assessment:
    gates: dict[str, bool | None] = {
        "age": None if a.youngest is None else a.youngest >= MIN_AGE,
        "homeowner": a.is_homeowner,
        "primary_residence": a.primary_residence,
        "equity": equity_gate(a.property_value, a.mortgage_balance, min_equity_ratio),
    }
    reasons = {
        "age": DisqualificationReason.AGE_BELOW_62,
        "homeowner": DisqualificationReason.NOT_HOMEOWNER,
        "primary_residence": DisqualificationReason.NOT_PRIMARY_RESIDENCE,
        "equity": DisqualificationReason.INSUFFICIENT_EQUITY,
    }
    reason = next((reasons[g] for g in GATES if gates[g] is False), None)
    missing: list[str] = []
    if gates["age"] is None:
        missing.append("age")
    if gates["homeowner"] is None:
        missing.append("is_homeowner")
    if gates["primary_residence"] is None:
        missing.append("primary_residence")
    if gates["equity"] is None:
        missing += [f for f in ("property_value", "mortgage_balance") if getattr(a, f) is None]
    if reason is not None:
        qualified: bool | None = False
    elif all(gates[g] is True for g in GATES):
        qualified = True
    else:
        qualified = None
    return Assessment(gates=gates, qualified=qualified, reason=reason, missing=missing)
