import copy

import pandas as pd
import pytest
from conftest import ids

from cob_analysis.errors import InputError
from cob_analysis.ingest import exports as ingest
from cob_analysis.ingest import insz
from cob_analysis.ingest.pseudonymise import pseudonym


def raw_clients(n=3, **overrides):
    frame = pd.DataFrame(
        {
            "_row": range(2, n + 2),
            "INSZ": [insz.format_dotted(i) for i in ids(n)],
            "Datum intake": ["15/03/2017"] * n,
            "Traject": ["Lineair traject"] * n,
            "Geslacht": ["M"] * n,
            "Geboortedatum": ["01/02/1990"] * n,
            "Nationaliteit": ["Syrië"] * n,
            "Gezinssituatie": ["Alleenstaande"] * n,
            "NT2 niveau intake": ["0"] * n,
            "Scholing land van herkomst": ["Laaggeschoold"] * n,
            "Geboorteland": ["Syrië"] * n,
            "Continent": ["Azië"] * n,
        }
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def run(frame, config, key, export="clients"):
    staged, accounting = ingest.ingest_export(
        frame, export, config["exports"][export], config, key, file="x.csv"
    )
    return staged.to_pandas(), accounting


def test_clients_canonical_and_private(demo_config, key):
    staged, accounting = run(raw_clients(), demo_config, key)
    assert accounting["rows_read"] == 3 and accounting["rows_kept"] == 3
    assert staged["trajectory"].tolist() == ["Lineair"] * 3
    assert staged["age_at_intake"].tolist() == [27] * 3
    assert "birth_date" not in staged.columns and "client_id" not in staged.columns
    assert staged["client_key"].dtype == "int64" and staged["client_key"].nunique() == 3
    expected = [pseudonym(insz.normalise(v), key) for v in raw_clients()["INSZ"]]
    assert staged["client_key"].tolist() == expected


def test_same_person_same_key_whatever_the_punctuation(demo_config, key):
    frame = raw_clients(2)
    frame.loc[1, "INSZ"] = insz.normalise(frame.loc[0, "INSZ"])
    staged, _ = run(frame, demo_config, key)
    assert staged["client_key"].nunique() == 1


def test_unknown_value_names_file_column_values_and_rows(demo_config, key):
    frame = raw_clients(4, Traject=["Lineair traject", "Onbekend traject", "Onbekend traject", "X"])
    with pytest.raises(InputError) as info:
        run(frame, demo_config, key)
    message = str(info.value)
    assert "x.csv" in message and "'Traject'" in message
    assert "'Onbekend traject' (2)" in message and "'X' (1)" in message
    assert "first rows: 3, 4, 5" in message
    assert "values.trajectory" in message


def test_unknown_value_policy_missing_counts_it(demo_config, key):
    config = copy.deepcopy(demo_config)
    config["policies"]["unmapped_values"] = "missing"
    staged, accounting = run(
        raw_clients(2, Gezinssituatie=["Alleenstaande", "Iets anders"]), config, key
    )
    assert staged["household"].isna().sum() == 1
    assert accounting["notes"] == {"unknown household values treated as missing": 1}


def test_missing_column(demo_config, key):
    with pytest.raises(InputError, match="missing required column 'Traject' \\(trajectory\\)"):
        run(raw_clients().drop(columns=["Traject"]), demo_config, key)


def test_bad_checksum_refused_without_echoing_the_number(demo_config, key):
    frame = raw_clients(3)
    bad = insz.normalise(frame.loc[1, "INSZ"])
    frame.loc[1, "INSZ"] = bad[:9] + f"{(int(bad[9:]) + 1) % 100:02d}"
    with pytest.raises(InputError) as info:
        run(frame, demo_config, key)
    assert "invalid national register number" in str(info.value)
    assert bad[:9] not in str(info.value) and "99999999999" in str(info.value)


def test_bad_checksum_dropped_and_counted_under_policy(demo_config, key):
    config = copy.deepcopy(demo_config)
    config["policies"]["invalid_id"] = "drop"
    frame = raw_clients(3)
    frame.loc[2, "INSZ"] = "12345678901"
    staged, accounting = run(frame, config, key)
    assert len(staged) == 2
    assert accounting["rejected"] == {"invalid national register number": 1}


def test_bad_date(demo_config, key):
    frame = raw_clients(3, **{"Datum intake": ["15/03/2017", "31/02/2017", "gisteren"]})
    with pytest.raises(InputError, match="unparseable, missing or implausible date in 2 rows"):
        run(frame, demo_config, key)


def test_birth_date_values_are_never_echoed(demo_config, key):
    frame = raw_clients(2, Geboortedatum=["01/02/1990", "32/13/1990"])
    with pytest.raises(InputError) as info:
        run(frame, demo_config, key)
    assert "32/13/1990" not in str(info.value)


@pytest.mark.parametrize(
    "values,fmt",
    [
        (["2017-03-15", "15/03/2017", "15-03-2017", "42809"], None),
        (["15/03/2017"], "%d/%m/%Y"),
    ],
)
def test_parse_dates_formats(values, fmt):
    parsed, failed = ingest.parse_dates(pd.Series(values), fmt)
    assert not failed.any()
    assert (parsed == pd.Timestamp("2017-03-15")).all()


def test_parse_dates_native_and_blank():
    series = pd.Series([pd.Timestamp("2020-03-31 12:00"), None, ""], dtype=object)
    parsed, failed = ingest.parse_dates(series)
    assert parsed.iloc[0] == pd.Timestamp("2020-03-31") and parsed.iloc[1:].isna().all()
    assert not failed.any()


def art60_frame(start, end):
    person = ids(1)[0]
    return pd.DataFrame(
        {
            "_row": [2],
            "Rijksregisternummer": [person],
            "Begindatum": [start],
            "Einddatum": [end],
            "Werkgever": ["ZNA"],
        }
    )


def test_art60_end_before_start(demo_config, key):
    with pytest.raises(InputError, match="end date before start date"):
        run(
            art60_frame(pd.Timestamp("2019-05-01"), pd.Timestamp("2019-01-01")),
            demo_config,
            key,
            "art60",
        )


def test_art60_running_contract_has_no_end(demo_config, key):
    staged, _ = run(art60_frame(pd.Timestamp("2019-05-01"), None), demo_config, key, "art60")
    assert staged["end_date"].isna().all() and staged["employer"].tolist() == ["ZNA"]


def test_vdab_codes_are_whole_numbers(demo_config, key):
    person = ids(2)
    frame = pd.DataFrame(
        {
            "_row": [2, 3],
            "INSZ": person,
            "Referentiedatum": ["31/03/2020"] * 2,
            "Categorie werkzoekende": ["05", "7x"],
            "Omschrijving categorie": ["a", "b"],
        }
    )
    with pytest.raises(InputError, match="status code is not a whole number"):
        run(frame, demo_config, key, "vdab")
    frame.loc[1, "Categorie werkzoekende"] = "78,0"  # a decimal comma from a Belgian spreadsheet
    staged, _ = run(frame, demo_config, key, "vdab")
    assert staged["status_code"].tolist() == [5, 78]


def test_opaque_ids_are_not_checked(demo_config, key):
    config = copy.deepcopy(demo_config)
    config["id_kind"] = "opaque"
    staged, _ = run(raw_clients(2, INSZ=["abc", "def"]), config, key)
    assert staged["client_key"].nunique() == 2


def test_twe_end_before_start_refused_or_dropped(demo_config, key):
    person = ids(2)
    frame = pd.DataFrame(
        {
            "_row": [2, 3],
            "INSZ": person,
            "Start TWE": ["01/05/2019", "01/05/2019"],
            "Einde TWE": ["01/01/2019", ""],
            "Resultaat TWE": ["Werk NEC", ""],
        }
    )
    with pytest.raises(InputError, match="end date before start date in 1 row"):
        run(frame, demo_config, key, "twe")
    config = copy.deepcopy(demo_config)
    config["policies"]["end_before_start"] = "drop"
    staged, accounting = run(frame, config, key, "twe")
    assert len(staged) == 1 and accounting["rejected"] == {"ends before it starts": 1}
    assert staged["result"].isna().all()


def test_two_numbers_with_one_pseudonym_stop_the_run():
    import pyarrow as pa

    # one row per distinct raw value: two spellings of one number, then another number, then an invalid one
    per_value = pa.table(
        {
            "_norm": ["85073003328", "85073003328", "90010112345", None],
            "client_key": pa.array([7, 7, 7, None], pa.int64()),
        }
    )
    with pytest.raises(InputError, match="share one 64-bit pseudonym") as info:
        ingest._check_pseudonyms(per_value, "x.csv", "INSZ")
    assert "x.csv" in str(info.value) and "INSZ" in str(info.value)
    ingest._check_pseudonyms(
        per_value.slice(0, 2), "x.csv", "INSZ"
    )  # one number, spelled twice: fine
