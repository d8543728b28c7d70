"""The canonical columns of each export (required, optional, dates, identifiers, categories) and the
raw spellings ingest accepts for dates and blanks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    categorical: dict[str, str] = field(default_factory=dict)  # column -> values key
    free_text: tuple[str, ...] = ()  # scanned for national register numbers typed into them


SPECS: dict[str, ExportSpec] = {
    "clients": ExportSpec(
        required=(
            "client_id",
            "intake_date",
            "trajectory",
            "gender",
            "birth_date",
            "nationality",
            "household",
            "nt2_level",
            "schooling",
        ),
        optional=("country_of_birth", "continent"),
        dates=("intake_date", "birth_date"),
        not_null=("client_id", "intake_date", "trajectory"),
        categorical={
            "trajectory": "trajectory",
            "gender": "gender",
            "household": "household",
            "nt2_level": "nt2_level",
            "schooling": "schooling",
            "continent": "continent",
        },
        free_text=("nationality", "country_of_birth", "continent"),
    ),
    "art60": ExportSpec(
        required=("client_id", "start_date", "end_date", "employer"),
        dates=("start_date", "end_date"),
        not_null=("client_id", "start_date"),
        free_text=("employer",),
    ),
    "twe": ExportSpec(
        required=("client_id", "start_date", "end_date", "result"),
        dates=("start_date", "end_date"),
        not_null=("client_id", "start_date"),
        categorical={"result": "twe_result"},
    ),
    "vdab": ExportSpec(
        required=("client_id", "reference_date", "status_code"),
        optional=("status_label",),
        dates=("reference_date",),
        not_null=("client_id", "reference_date", "status_code"),
    ),
    "trajectory_changes": ExportSpec(
        required=("client_id", "change_date", "trajectory"),
        dates=("change_date",),
        not_null=("client_id", "change_date", "trajectory"),
        categorical={"trajectory": "trajectory"},
    ),
}

UNUSED = (
    "status_label",
)  # accepted in the mapping, neither checked nor staged (the recoding table labels codes)
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
)
PLAUSIBLE_YEARS = (1900, 2100)
BLANKS = ("", "nan", "NaN", "NaT", "None", "<NA>", "null", "NULL")
