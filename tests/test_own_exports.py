"""A user's own config and exports: the config stands on its own, value maps do what people
expect, optional exports are optional, and the last record is the last one even when blank."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import ROOT
from test_ingest import raw_clients, run
from test_link import D, staged

from cob_analysis import config as cob_config
from cob_analysis.errors import InputError
from cob_analysis.ingest import insz
from cob_analysis.link.linkage import link


def minimal_user_config(folder, **overrides):
    """A config that names only what a user must: three exports and the intake window."""
    for name in ("clients.csv", "art60.csv", "vdab.csv"):
        (folder / name).write_text("x\n", encoding="utf-8")
    config = {
        "exports": {
            "clients": {"path": "clients.csv", "columns": {"client_id": "INSZ"}},
            "art60": {"path": "art60.csv", "columns": {"client_id": "INSZ"}},
            "vdab": {"path": "vdab.csv", "columns": {"client_id": "INSZ"}},
        },
        "intake_window": {"from": "2021-01-01", "to": "2022-06-30"},
    }
    config.update(overrides)
    return config


def test_a_user_config_inherits_nothing_of_the_demo(tmp_path):
    config, sources = cob_config.for_workflow(
        minimal_user_config(tmp_path), ["my.yaml"], tmp_path, ROOT
    )
    assert sources == ["my.yaml"]
    assert set(config["exports"]) == {
        "clients",
        "art60",
        "vdab",
    }  # no TWE, no trajectory changes of the demo
    assert (
        config["reference_figures"] is None
        and config["pseudonymisation"]["allow_demo_key"] is False
    )
    assert config["values"] == {} and "date_format" not in config["exports"]["vdab"]
    assert config["twe_result_window"] is None and config["reference_date"] is None
    assert config["recode"] == str(ROOT / "config" / "recode" / "vdab_status.csv")


def test_without_a_config_the_demo_is_read_with_cli_overrides(tmp_path):
    config, sources = cob_config.for_workflow({"language": "en"}, [], ROOT, ROOT)
    demo = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert sources == ["config/config.yaml"] and config["language"] == "en"
    assert (
        set(config["exports"]) == set(demo["exports"])
        and config["pseudonymisation"]["allow_demo_key"]
    )


def test_without_any_config_in_an_empty_folder_the_message_says_what_to_do(tmp_path):
    with pytest.raises(cob_config.ConfigError, match="--configfile"):
        cob_config.for_workflow({}, [], tmp_path, ROOT)


def test_intake_window_has_no_default(tmp_path):
    config = minimal_user_config(tmp_path)
    del config["intake_window"]
    with pytest.raises(cob_config.ConfigError, match="intake_window"):
        cob_config.for_workflow(config, ["my.yaml"], tmp_path, ROOT)


@pytest.mark.parametrize(
    "output", [{"processed": ".", "reports": "reports"}, {"processed": "out", "reports": "raw"}]
)
def test_an_output_folder_holding_an_input_is_refused(tmp_path, output):
    (tmp_path / "raw").mkdir()
    config = minimal_user_config(tmp_path / "raw", output=output)
    for export in config["exports"].values():
        export["path"] = "raw/" + export["path"]
    with pytest.raises(cob_config.ConfigError, match="outputs may never overwrite raw data"):
        cob_config.for_workflow(config, ["my.yaml"], tmp_path, ROOT)


def test_a_missing_input_is_named_with_its_key(tmp_path):
    config = minimal_user_config(tmp_path)
    config["exports"]["art60"]["path"] = "nowhere.xlsx"
    with pytest.raises(cob_config.ConfigError, match=r"exports\.art60\.path: nowhere\.xlsx"):
        cob_config.for_workflow(config, ["my.yaml"], tmp_path, ROOT)


def test_no_twe_export_may_be_said_with_null(tmp_path):
    config, _ = cob_config.for_workflow(minimal_user_config(tmp_path), ["my.yaml"], tmp_path, ROOT)
    user = minimal_user_config(tmp_path)
    user["exports"]["twe"] = None
    config, _ = cob_config.for_workflow(user, ["my.yaml"], tmp_path, ROOT)
    assert "twe" not in config["exports"]


# value maps -------------------------------------------------------------------------------


def test_canonical_values_map_to_themselves_beside_listed_ones(demo_config, key):
    config = copy.deepcopy(demo_config)
    config["values"]["nt2_level"] = {"Alfa": "0", "onbekend": None}
    frame = raw_clients(4, **{"NT2 niveau intake": ["Alfa", "1.1", "onbekend", "<1.1"]})
    staged_frame, _ = run(frame, config, key)
    assert staged_frame["nt2_level"].tolist() == ["0", "1.1", None, "<1.1"]


def test_an_unmapped_value_lists_the_canonical_values(demo_config, key):
    frame = raw_clients(2, Geslacht=["X", "M"])
    with pytest.raises(InputError) as error:
        run(frame, demo_config, key)
    assert (
        "'X' (1)" in str(error.value)
        and "Man, Vrouw" in str(error.value)
        and "null for missing" in str(error.value)
    )


# register numbers through a spreadsheet, dates, free text ------------------------------


def test_register_numbers_that_lost_leading_zeros_are_padded(demo_config, key):
    born_2000 = insz.make("2000-01-01", 123)  # 0001011230x: 9 digits as a number
    unknown_birth = insz.make(None, 45)  # 00000004 5xx: 6 digits as a number
    frame = raw_clients(2, INSZ=[str(int(born_2000)), str(int(unknown_birth))])
    staged_frame, accounting = run(frame, demo_config, key)
    assert accounting["rows_kept"] == 2


def test_native_dates_are_dates_whatever_the_text_format(demo_config, key):
    import datetime as dt

    frame = raw_clients(3)
    frame["Datum intake"] = pd.Series(
        [dt.datetime(2017, 3, 15), "16/03/2017", dt.datetime(2017, 3, 17)], dtype=object
    )
    staged_frame, _ = run(frame, demo_config, key)
    assert [str(d) for d in staged_frame["intake_date"]] == [
        "2017-03-15",
        "2017-03-16",
        "2017-03-17",
    ]


def test_a_register_number_in_free_text_stops_without_showing_it(demo_config, key):
    number = insz.make("1985-07-30", 33)
    frame = raw_clients(3, Nationaliteit=["Syrië", f"zie {insz.format_dotted(number)}", "Syrië"])
    with pytest.raises(InputError) as error:
        run(frame, demo_config, key)
    text = str(error.value)
    assert (
        "Nationaliteit" in text
        and "3" in text
        and number not in text
        and insz.format_dotted(number) not in text
    )


def test_a_register_number_in_free_text_is_masked_and_counted_by_policy(demo_config, key):
    config = copy.deepcopy(demo_config)
    config["policies"]["ids_in_free_text"] = "mask"
    number = insz.make("1985-07-30", 33)
    frame = raw_clients(2, Nationaliteit=[f"Syrië {number}", "Syrië"])
    staged_frame, accounting = run(frame, config, key)
    assert staged_frame["nationality"].tolist() == ["Syrië [INSZ]", "Syrië"]
    assert accounting["notes"] == {"national register numbers masked in Nationaliteit": 1}


def test_ordinary_numbers_in_free_text_are_left_alone():
    assert insz.find_in_text("Zorgbedrijf 2017-2018, tel 03 123 45 67, BE0123456789") == []


# link: the last record, optional TWE, empty window, ages -------------------------------


def test_the_last_twe_still_running_is_the_last_one(config_copy):
    clients, art60, twe, vdab, acc = staged()
    twe = pd.DataFrame(
        {
            "client_key": ["a", "a"],
            "source_row": [2, 3],
            "start_date": [D("2018-01-01"), D("2019-01-01")],
            "end_date": [D("2018-12-31"), None],
            "result": ["NEC", None],
        }
    )
    acc["twe"]["rows_read"] = 2
    linked = link(clients, art60, twe, vdab, acc, config_copy).clients.set_index("client_key")
    assert pd.isna(linked.loc["a", "twe_last_end"]) and pd.isna(linked.loc["a", "twe_last_result"])


def test_the_last_art60_without_employer_has_no_employer(config_copy):
    clients, art60, twe, vdab, acc = staged()
    art60.loc[art60["source_row"] == 3, "employer"] = None  # a's last contract (2019-01-01)
    linked = link(clients, art60, twe, vdab, acc, config_copy).clients.set_index("client_key")
    assert pd.isna(linked.loc["a", "art60_last_employer"])


def test_link_without_a_twe_export(config_copy):
    clients, art60, _, vdab, acc = staged()
    del acc["twe"]
    linked = link(clients, art60, None, vdab, acc, config_copy)
    assert "twe" not in set(linked.accounting["export"]) and linked.twe.num_rows == 0
    assert linked.clients["twe_last_result"].isna().all()


def test_an_empty_intake_window_says_so(config_copy):
    config_copy["intake_window"] = {"from": "2030-01-01", "to": "2030-12-31"}
    with pytest.raises(InputError, match="no intake in the intake window 2030-01-01 to 2030-12-31"):
        link(*staged(), config_copy)


def test_clients_younger_than_18_are_in_no_age_group_and_counted(config_copy):
    clients, art60, twe, vdab, acc = staged()
    clients["age_at_intake"] = pd.array([16, 22, 22, None, 40], dtype="Int64")
    linked = link(clients, art60, twe, vdab, acc, config_copy)
    frame = linked.clients.set_index("client_key")
    assert pd.isna(frame.loc["a", "age_group"]) and frame.loc["b", "age_group"] == "18-24j"
    notes = linked.notes.set_index("note")["n"]
    assert notes["clients younger than 18 at intake (in no age group)"] == 1


@pytest.fixture
def config_copy(demo_config):
    return copy.deepcopy(demo_config)


def test_headers_listed_in_an_error_are_masked(demo_config):
    """A file without a header row has its first row as column names: never shown as they are."""
    import pyarrow as pa

    from cob_analysis.ingest.exports import select_columns

    number = insz.make("1985-07-30", 33)
    schema = pa.schema([(number, pa.string()), ("30/07/1985", pa.string()), ("Syrië", pa.string())])
    with pytest.raises(InputError) as error:
        select_columns(
            schema, "clients", demo_config["exports"]["clients"]["columns"], "intakes.csv"
        )
    text = str(error.value)
    assert "missing required column" in text and "Syrië" in text
    assert number not in text and "30/07/1985" not in text


def test_a_rule_config_file_is_named_by_its_content(tmp_path):
    import json

    first = cob_config.write_rule_config({"language": "nl", "cohort": "half-year"}, tmp_path)
    again = cob_config.write_rule_config({"cohort": "half-year", "language": "nl"}, tmp_path)
    other = cob_config.write_rule_config({"language": "en", "cohort": "half-year"}, tmp_path)
    assert first == again != other and len(list(tmp_path.iterdir())) == 2
    assert json.loads(Path(first).read_text(encoding="utf-8")) == {
        "language": "nl",
        "cohort": "half-year",
    }
