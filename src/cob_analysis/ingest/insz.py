"""Belgian national register numbers (INSZ / rijksregisternummer): normalise and check.

An INSZ is 11 digits ``YYMMDDSSSCC``: birth date, a serial (odd for men, even for women) and
two mod-97 check digits. For people born in 2000 or later the check is computed on ``2``
followed by the first nine digits. An unknown birth date gives month and day ``00``; BIS numbers
add 20 or 40 to the month. The check digits are what we can verify; the date part is not
required to be a real date (BIS numbers and unknown dates are legal).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_PUNCTUATION = re.compile(r"[\s.\-/]")


def normalise(raw: str | None) -> str | None:
    """Strip dots, dashes, slashes and spaces; left-pad to 11 digits a number that lost its
    leading zeros in a spreadsheet. Returns None for blanks and the cleaned text otherwise
    (which may still be invalid)."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a float that went through Excel
        text = text[:-2]
    text = _PUNCTUATION.sub("", text)
    if text == "" or text.lower() in {"nan", "none"}:
        return None
    if text.isdigit() and len(text) < 11:
        text = text.zfill(11)
    return text


def check_digits(first_nine: str, born_2000_or_later: bool) -> int:
    """The two check digits for the first nine digits of an INSZ."""
    base = int(("2" + first_nine) if born_2000_or_later else first_nine)
    return 97 - base % 97


def is_valid(insz: str | None) -> bool:
    """True when ``insz`` (already normalised) is 11 digits with a valid mod-97 check for a
    birth before 2000 or from 2000 on."""
    if insz is None or len(insz) != 11 or not insz.isdigit():
        return False
    first_nine, check = insz[:9], int(insz[9:])
    return check in (check_digits(first_nine, False), check_digits(first_nine, True))


# 11 digits, in the plain or the dotted way of writing (YY.MM.DD-SSS.CC), not part of a longer number
_IN_TEXT = re.compile(r"(?<![\d.])\d{2}([. ]?)\d{2}\1\d{2}[-. ]?\d{3}[. ]?\d{2}(?![\d])")
ID_MASK = "[INSZ]"


def find_in_text(text: str | None) -> list[tuple[int, int]]:
    """Spans of valid national register numbers written inside a free text (an employer name)."""
    if not text:
        return []
    return [
        match.span()
        for match in _IN_TEXT.finditer(text)
        if is_valid(_PUNCTUATION.sub("", match.group()))
    ]


def mask_in_text(text: str) -> str:
    """`text` with every valid national register number in it replaced by ``[INSZ]``."""
    for start, end in reversed(find_in_text(text)):
        text = text[:start] + ID_MASK + text[end:]
    return text


def validity_mask(values: pd.Series) -> pd.Series:
    """Vectorised :func:`is_valid` over a Series of normalised strings (None allowed)."""
    text = values.astype("string")
    well_formed = text.str.fullmatch(r"\d{11}").fillna(False).astype(bool)
    out = pd.Series(False, index=values.index)
    if not well_formed.any():
        return out
    digits = text[well_formed]
    first_nine = digits.str.slice(0, 9).astype(np.int64)
    check = digits.str.slice(9, 11).astype(np.int64)
    before_2000 = 97 - first_nine % 97
    from_2000 = 97 - (first_nine + 2_000_000_000) % 97
    out[well_formed] = ((check == before_2000) | (check == from_2000)).to_numpy()
    return out


def make(
    birth_date: str | None, serial: int, *, bis: bool = False, gender_known: bool = True
) -> str:
    """Build a valid INSZ (used by the synthetic generator and tests).

    ``birth_date`` is ISO ``YYYY-MM-DD`` or None for an unknown birth date (month and day 00,
    year 00 too). ``serial`` is 1..997 (odd = man, even = woman)."""
    if not 1 <= serial <= 997:
        raise ValueError(f"INSZ serial must be 1..997, got {serial}")
    if birth_date is None:
        year, yy, mm, dd = 1900, 0, 0, 0
    else:
        year, mm, dd = (int(part) for part in birth_date.split("-"))
        yy = year % 100
    if bis:
        mm += 40 if gender_known else 20
    first_nine = f"{yy:02d}{mm:02d}{dd:02d}{serial:03d}"
    return first_nine + f"{check_digits(first_nine, year >= 2000):02d}"


def format_dotted(insz: str) -> str:
    """``YY.MM.DD-SSS.CC``, the way many exports print an INSZ."""
    return f"{insz[0:2]}.{insz[2:4]}.{insz[4:6]}-{insz[6:9]}.{insz[9:11]}"
