"""Numbers as words, both ways: ``250000`` ↔ ``"two hundred fifty thousand"``."""

from __future__ import annotations

import re

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_ORDINAL_IRREGULAR = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}  # fmt: skip


def _under_thousand(n: int) -> str:
    parts: list[str] = []
    if n >= 100:
        parts.append(f"{ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        tens, ones = divmod(n, 10)
        parts.append(TENS[tens] + (f"-{ONES[ones]}" if ones else ""))
    elif n:
        parts.append(ONES[n])
    return " ".join(parts)


def int_to_words(n: int) -> str:
    """``62`` → ``"sixty-two"``; ``250000`` → ``"two hundred fifty thousand"``."""
    if n < 0:
        return "minus " + int_to_words(-n)
    if n == 0:
        return "zero"
    parts: list[str] = []
    for value, name in SCALES:
        if n >= value:
            parts.append(f"{_under_thousand(n // value)} {name}")
            n %= value
    if n:
        parts.append(_under_thousand(n))
    return " ".join(parts)


def ordinal_words(n: int) -> str:
    """``2`` → ``"second"``, ``21`` → ``"twenty-first"``, ``30`` → ``"thirtieth"``."""
    words = int_to_words(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + last


def digits_to_words(digits: str) -> str:
    """``"98103"`` → ``"nine eight one zero three"``."""
    return " ".join(ONES[int(d)] for d in digits if d.isdigit())


def decimal_to_words(text: str) -> str:
    """``"1.5"`` → ``"one point five"``."""
    whole, _, frac = text.partition(".")
    out = int_to_words(int(whole.replace(",", "") or "0"))
    if frac:
        out += " point " + digits_to_words(frac)
    return out


# ---- words → numbers (for understanding callers) ----------------------------------------

_WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(ONES)}
_WORD_VALUES |= {w: i * 10 for i, w in enumerate(TENS) if w != "_"}
_WORD_VALUES |= {"oh": 0, "o": 0, "a": 1, "an": 1}
_MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "grand": 1_000, "million": 1_000_000,
                "k": 1_000, "m": 1_000_000, "mil": 1_000_000, "billion": 1_000_000_000}  # fmt: skip
_DIGIT_WORDS = {w: str(i) for i, w in enumerate(ONES[:10])} | {"oh": "0", "o": "0"}
#: scales that are also letters: only after a number ("700k", "1.2 m"), never "a m"; but
#: "a mil" ("half a mil") is a million
_LETTER_SCALES = ("k", "m")
#: words before a lone "one" that make it a pronoun: "the one", "that one", "no one"
_ONE_PRONOUN = re.compile(r"\b(?:the|that|this|which|no|any|each|every|other|last|first|"
                          r"second|next|same|little|big|only|one)\s+$")  # fmt: skip
_NUMBER_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+")


def is_number_word(token: str) -> bool:
    return token in _WORD_VALUES or token in _MULTIPLIERS or token in ("and", "half", "point")


def words_to_number(text: str) -> float | None:
    """Parse one spoken or written number: ``"seven hundred thousand"``, ``"700k"``,
    ``"1.2 million"``, ``"half a million"``, ``"sixty two"``. ``None`` if there is none."""
    tokens = _NUMBER_TOKEN.findall(text.lower().replace("-", " ").replace("$", " "))
    tokens = [t for t in tokens if t not in ("and", "dollars", "dollar", "bucks")]
    if not tokens:
        return None
    if len(tokens) >= 3 and all(t in _DIGIT_WORDS for t in tokens):
        return float("".join(_DIGIT_WORDS[t] for t in tokens))  # "nine eight one zero three"
    if tokens[0] == "half" and len(tokens) >= 2 and tokens[-1] in _MULTIPLIERS:
        return 0.5 * _MULTIPLIERS[tokens[-1]]
    total = 0.0
    current = 0.0
    seen = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok[0].isdigit():
            current += float(tok.replace(",", ""))
            seen = True
        elif tok == "point" and i + 1 < len(tokens) and tokens[i + 1] in _WORD_VALUES:
            frac = ""
            while i + 1 < len(tokens) and tokens[i + 1] in _WORD_VALUES:
                frac += str(_WORD_VALUES[tokens[i + 1]] % 10)
                i += 1
            current += float("0." + frac)
        elif tok in _WORD_VALUES:
            if tok in ("a", "an") and not (i + 1 < len(tokens) and tokens[i + 1] in _MULTIPLIERS):
                i += 1
                continue
            value = _WORD_VALUES[tok]
            prev = tokens[i - 1] if i else ""
            if value >= 10 and 1 <= _WORD_VALUES.get(prev, 0) <= 19 and 1 <= current <= 19:
                current = current * 100 + value  # "three fifty" is 350, "nineteen fifty" 1950
            else:
                current += value
            seen = True
        elif tok in _MULTIPLIERS:
            mult = _MULTIPLIERS[tok]
            if tok == "hundred":
                current = (current or 1) * mult
            else:
                total += (current or 1) * mult
                current = 0
            seen = True
        elif tok == "half" and seen:
            if _last_scale(tokens[:i]) > 1:
                total += 0.5 * _last_scale(tokens[:i])  # "a million and a half"
            else:
                current += 0.5  # "two and a half (million)"
        else:
            break
        i += 1
    return total + current if seen else None


def _last_scale(tokens: list[str]) -> float:
    for tok in reversed(tokens):
        if tok in _MULTIPLIERS and tok != "hundred":
            return _MULTIPLIERS[tok]
    return 1


_SPAN_TOKEN = re.compile(r"\$?\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+")


def find_numbers(text: str) -> list[tuple[float, int, int]]:
    """Every number in ``text`` as ``(value, start, end)``, spoken or written:
    ``"about 650 grand, I owe 120"`` → ``[(650000, 6, 15), (120, 23, 26)]``."""
    lowered = text.lower().replace("-", " ")
    found: list[tuple[float, int, int]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        while run and run[-1].group() in ("and", "a", "an", "point"):
            run.pop()
        if run:
            value = words_to_number(" ".join(m.group() for m in run))
            if value is not None:
                found.append((value, run[0].start(), run[-1].end()))
        run.clear()

    for match in _SPAN_TOKEN.finditer(lowered):
        tok = match.group().lstrip("$")
        gap = lowered[run[-1].end() : match.start()] if run else ""
        numeric = tok[0].isdigit() or is_number_word(tok)
        if tok in ("a", "an", "and", "half", "point") and not run and tok != "half":
            numeric = tok in ("a", "an")
        if tok in _MULTIPLIERS and not run and tok not in ("thousand", "million", "hundred"):
            numeric = False  # a bare "k" or "m" is a letter, not a number
        if tok in _LETTER_SCALES and run and run[-1].group() in ("a", "an", "and", "point"):
            numeric = False  # "a m" is a letter, not "a million"
        if run and (
            not numeric
            or _tens_unit_then_tens(run, tok)
            or gap.strip(" $")
            or ("," in gap and tok[0].isdigit())
            or not (
                _joins(run[-1].group().lstrip("$"), tok)
                or (tok == "and" and re.match(r" an? half\b", lowered[match.end() :]))
            )
        ):
            close()
        if numeric:
            if not run and tok in ("and", "point"):
                continue
            run.append(match)
    close()
    return [
        f for f in found
        if not _only_article(lowered[f[1] : f[2]]) and not _pronoun_one(lowered, f[1], f[2])
    ]  # fmt: skip


def _tens_unit_then_tens(run: list[re.Match[str]], tok: str) -> bool:
    """ "sixty one sixty two": a whole tens-and-unit, then another tens: two numbers."""
    if len(run) < 2 or not 20 <= _WORD_VALUES.get(tok, 0) <= 90:
        return False
    tens, unit = _WORD_VALUES.get(run[-2].group(), 0), _WORD_VALUES.get(run[-1].group(), 0)
    return 20 <= tens <= 90 and tens % 10 == 0 and 1 <= unit <= 9
    # ("one sixty", "three fifty", "nineteen fifty" still join)


def _joins(prev: str, tok: str) -> bool:
    """Whether ``tok`` goes on the number ``prev`` belongs to: "two hundred and fifty" does;
    "70 and 65", "70 65" and "sixty seventy" are two numbers."""
    if tok == "and":
        return prev in _MULTIPLIERS
    if prev[0].isdigit() or tok[0].isdigit():
        return not (prev[0].isdigit() and tok[0].isdigit()) and (
            tok in _MULTIPLIERS or tok in ("point", "half") or prev in ("and", "point")
        )
    before, value = _WORD_VALUES.get(prev, 0), _WORD_VALUES.get(tok, 0)
    if prev in _MULTIPLIERS or value < 10:
        return True
    return before < 10 or (before < 20 and value >= 20)  # "three fifty", "nineteen fifty"


def _only_article(span: str) -> bool:
    return span.strip() in ("a", "an", "a half", "half")


def _pronoun_one(text: str, start: int, end: int) -> bool:
    """A lone "one" that counts things, not money: "one thing", "the one", "one of them"."""
    if text[start:end].strip() != "one":
        return False
    after = re.match(r"\s*([a-z]+)", text[end:])
    return bool(after) or bool(_ONE_PRONOUN.search(text[:start]))
