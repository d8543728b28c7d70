import pandas as pd
import pytest

from cob_analysis.ingest import insz


def test_make_is_valid_before_and_after_2000():
    old = insz.make("1985-07-14", 123)
    new = insz.make("2001-02-03", 124)
    assert insz.is_valid(old) and insz.is_valid(new)
    # the 2000+ rule: check digits computed on '2' + first nine
    assert int(new[9:]) == 97 - int("2" + new[:9]) % 97
    assert int(old[9:]) == 97 - int(old[:9]) % 97


def test_known_example():
    # 85.07.30-033.28 is the textbook example of a valid INSZ (born 1985)
    assert insz.is_valid("85073003328")
    assert not insz.is_valid("85073003329")


def test_unknown_birth_date_and_bis_numbers_are_valid():
    assert insz.make(None, 45)[2:6] == "0000"
    assert insz.is_valid(insz.make(None, 45))
    bis = insz.make("1990-03-04", 17, bis=True)
    assert bis[2:4] == "43" and insz.is_valid(bis)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("85.07.30-033.28", "85073003328"),
        (" 85073003328 ", "85073003328"),
        ("5073003328.0", "05073003328"),  # lost its leading zero in Excel
        ("", None),
        (None, None),
    ],
)
def test_normalise(raw, expected):
    assert insz.normalise(raw) == expected


def test_validity_mask_matches_scalar():
    values = pd.Series(
        ["85073003328", "85073003329", None, "abc", insz.make("2003-12-31", 998 - 1)]
    )
    expected = [insz.is_valid(v) for v in values]
    assert insz.validity_mask(values).tolist() == expected


def test_make_refuses_bad_serial():
    with pytest.raises(ValueError):
        insz.make("1990-01-01", 0)
