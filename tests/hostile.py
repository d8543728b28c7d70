"""A small, seeded set of exports to break on purpose, and the scan for what may never leak.

`Exports` writes the four exports of 200 clients as CSV into a folder; a hostile case changes one
thing and runs the pipeline's commands in this process (`run_pipeline`), or the whole workflow.
`leaks` looks for every planted register number (plain and dotted), birth date (in the ways an
export writes it) and name in console text and in every file under the given folders."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cob_analysis.ingest import insz

SEED = 20211231
NAMES = ("Jan Peeters", "Amina Yusuf")  # in a column that is never mapped: must never come out
TRAJECTORIES = ("VDAB", "SD/Activering", "Lineair", "Jongerenproject (ESF)")
HOUSEHOLDS = ("Aanvragers met gezin ten laste", "Alleenstaande", "Samenwoner", "Onbekend")
SCHOOLING = ("Geen", "Laag", "Midden", "Hoog")
NT2 = ("0", "<1.1", "1.1", "1.2", "2.1")
EMPLOYERS = ("ZORGBEDRIJF ANTWERPEN", "STAD ANTWERPEN", "DE KRINGWINKEL")
SNAPSHOTS = ("31/03/2022", "30/09/2022")


def column_map() -> dict[str, dict[str, str]]:
    return {
        "clients": {
            "client_id": "INSZ",
            "intake_date": "Datum intake",
            "trajectory": "Traject",
            "gender": "Geslacht",
            "birth_date": "Geboortedatum",
            "nationality": "Nationaliteit",
            "household": "Gezinssituatie",
            "nt2_level": "NT2",
            "schooling": "Scholing",
        },
        "art60": {
            "client_id": "INSZ",
            "start_date": "Begindatum",
            "end_date": "Einddatum",
            "employer": "Werkgever",
        },
        "twe": {
            "client_id": "INSZ",
            "start_date": "Start",
            "end_date": "Einde",
            "result": "Resultaat",
        },
        "vdab": {"client_id": "INSZ", "reference_date": "Referentiedatum", "status_code": "Code"},
    }


@dataclass
class Exports:
    """The exports as frames of text; `write` puts them in a folder as `;` CSV files."""

    clients: pd.DataFrame
    art60: pd.DataFrame
    twe: pd.DataFrame
    vdab: pd.DataFrame
    names: dict[str, str] = field(
        default_factory=lambda: {
            "clients": "clients.csv",
            "art60": "art60.csv",
            "twe": "twe.csv",
            "vdab": "vdab.csv",
        }
    )

    @classmethod
    def make(cls, n: int = 200) -> Exports:
        rng = np.random.default_rng(SEED)
        births = [
            dt.date(1960, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 15000, n)
        ]
        numbers = [insz.make(b.isoformat(), 1 + i % 990) for i, b in enumerate(births)]
        intakes = [dt.date(2021, 1, 4) + dt.timedelta(days=int(d)) for d in rng.integers(0, 360, n)]
        clients = pd.DataFrame(
            {
                "INSZ": [insz.format_dotted(x) if i % 3 == 0 else x for i, x in enumerate(numbers)],
                "Naam": [NAMES[i % 2] for i in range(n)],
                "Datum intake": [d.strftime("%d/%m/%Y") for d in intakes],
                "Traject": rng.choice(TRAJECTORIES, n),
                "Geslacht": rng.choice(["M", "V"], n),
                "Geboortedatum": [b.strftime("%d/%m/%Y") for b in births],
                "Nationaliteit": rng.choice(["Syrië", "Eritrea", "Afghanistan"], n),
                "Gezinssituatie": rng.choice(HOUSEHOLDS, n),
                "NT2": rng.choice(NT2, n),
                "Scholing": rng.choice(SCHOOLING, n),
            }
        )
        with_art60 = [i for i in range(n) if rng.random() < 0.5]
        starts = [intakes[i] + dt.timedelta(days=int(rng.integers(0, 400))) for i in with_art60]
        art60 = pd.DataFrame(
            {
                "INSZ": [numbers[i] for i in with_art60],
                "Begindatum": [s.strftime("%d/%m/%Y") for s in starts],
                "Einddatum": [
                    (s + dt.timedelta(days=365)).strftime("%d/%m/%Y") if k % 4 else ""
                    for k, s in enumerate(starts)
                ],
                "Werkgever": [EMPLOYERS[k % 3] for k in range(len(with_art60))],
            }
        )
        with_twe = with_art60[: len(with_art60) // 3]
        twe = pd.DataFrame(
            {
                "INSZ": [numbers[i] for i in with_twe],
                "Start": [intakes[i].strftime("%d/%m/%Y") for i in with_twe],
                "Einde": [
                    (intakes[i] + dt.timedelta(days=200)).strftime("%d/%m/%Y") for i in with_twe
                ],
                "Resultaat": [("Geen werk", "NEC", "SEC")[k % 3] for k in range(len(with_twe))],
            }
        )
        vdab = pd.DataFrame(
            [
                {
                    "INSZ": numbers[i],
                    "Referentiedatum": day,
                    "Code": str(rng.choice([0, 5, 10, 78, 79, 93])),
                }
                for day in SNAPSHOTS
                for i in range(n)
            ]
        )
        return cls(clients, art60, twe, vdab)

    def write(self, folder: Path) -> dict[str, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name in ("clients", "art60", "twe", "vdab"):
            frame, path = getattr(self, name), folder / self.names[name]
            frame.to_csv(path, sep=";", index=False, encoding="utf-8")
            paths[name] = path
        return paths

    def secrets(self) -> list[str]:
        """Every text that may never come out: register numbers, birth dates, names."""
        numbers = [insz.normalise(x) for x in self.clients["INSZ"]]
        births = pd.to_datetime(
            self.clients["Geboortedatum"], format="%d/%m/%Y", errors="coerce"
        ).dropna()
        out = set(numbers) | {insz.format_dotted(x) for x in numbers} | set(NAMES)
        for day in births:
            out |= {
                day.strftime("%d/%m/%Y"),
                day.strftime("%Y-%m-%d"),
                day.strftime("%d-%m-%Y"),
                day.strftime("%d.%m.%Y"),
            }
        return sorted(out)


def config_for(paths: dict[str, Path], out: Path, **overrides) -> dict:
    config = {
        "exports": {
            name: {"path": str(path), "columns": column_map()[name]} for name, path in paths.items()
        },
        "values": {"gender": {"M": "Man", "V": "Vrouw"}},
        "intake_window": {"from": "2021-01-01", "to": "2021-12-31"},
        "output": {"processed": str(out / "processed"), "reports": str(out / "reports")},
        "employers_min_count": 1,
    }
    for key, value in overrides.items():
        config[key] = value
    return config


def run_pipeline(
    config: dict,
    out: Path,
    steps=("ingest", "recode", "link", "tables", "public", "quality", "workbook"),
) -> int:
    """The pipeline's commands in this process, as the rules call them; the first non-zero
    exit code, else 0. Console output is left to the caller's capture."""
    from cob_analysis import config as cob_config
    from cob_analysis.cli import main
    from cob_analysis.tables.report import TABLE_IDS

    resolved = cob_config.resolve(json.loads(json.dumps(config)))
    processed, reports = Path(resolved["output"]["processed"]), Path(resolved["output"]["reports"])
    recode = str(Path(__file__).resolve().parents[1] / "config" / "recode" / "vdab_status.csv")
    text = json.dumps(resolved, ensure_ascii=False)
    logs = out / "logs"
    exports = list(resolved["exports"])
    commands = {
        "ingest": [
            [
                "ingest",
                "--export",
                name,
                "--out",
                f"{processed}/staging/{name}.parquet",
                "--qa",
                f"{processed}/qa/{name}.json",
                "--log",
                f"{logs}/ingest-{name}.log",
            ]
            for name in exports
        ],
        "recode": [
            [
                "recode",
                "--vdab",
                f"{processed}/staging/vdab.parquet",
                "--qa",
                f"{processed}/qa/vdab.json",
                "--recode",
                recode,
                "--out",
                f"{processed}/status_codes.parquet",
                "--log",
                f"{logs}/recode.log",
            ]
        ],
        "link": [
            [
                "link",
                "--clients",
                f"{processed}/staging/clients.parquet",
                "--art60",
                f"{processed}/staging/art60.parquet",
                "--vdab",
                f"{processed}/staging/vdab.parquet",
                *(["--twe", f"{processed}/staging/twe.parquet"] if "twe" in exports else []),
                "--status-codes",
                f"{processed}/status_codes.parquet",
                "--qa-dir",
                f"{processed}/qa",
                "--out-clients",
                f"{processed}/clients.parquet",
                "--out-panel",
                f"{processed}/status_panel.parquet",
                "--out-art60",
                f"{processed}/art60_linked.parquet",
                "--out-twe",
                f"{processed}/twe_linked.parquet",
                "--out-changes",
                f"{processed}/trajectory_changes_linked.parquet",
                "--reports-qa",
                f"{reports}/qa",
                "--log",
                f"{logs}/link.log",
            ]
        ],
        "tables": [
            [
                "tables",
                "--clients",
                f"{processed}/clients.parquet",
                "--recode",
                recode,
                "--tables-dir",
                f"{reports}/tables",
                "--log",
                f"{logs}/tables.log",
            ]
        ],
        "public": [
            [
                "public",
                "--tables-dir",
                f"{reports}/tables",
                "--public-dir",
                f"{reports}/public",
                "--log",
                f"{logs}/public.log",
                *TABLE_IDS,
            ]
        ],
        "quality": [
            [
                "quality",
                "--clients",
                f"{processed}/clients.parquet",
                "--art60",
                f"{processed}/art60_linked.parquet",
                "--twe",
                f"{processed}/twe_linked.parquet",
                "--out",
                f"{reports}/qa/disagreements.csv",
                "--log",
                f"{logs}/quality.log",
            ]
        ],
        "workbook": [
            [
                "workbook",
                "--tables-dir",
                f"{reports}/tables",
                "--out",
                f"{reports}/tables.xlsx",
                "--log",
                f"{logs}/workbook.log",
            ]
        ],
    }
    for step in steps:
        for args in commands[step]:
            code = main([args[0], "--config-json", text, *args[1:]])
            if code:
                return code
    return 0


def leaks(secrets: list[str], *texts: str, folders: tuple[Path, ...] = ()) -> list[str]:
    """The secrets found in the texts or in any file under the folders: every file as bytes, and
    compressed ones opened (zip archives such as xlsx member by member, Parquet as its rows)."""
    import zipfile

    import pyarrow.parquet as pq

    blobs = [text.encode("utf-8") for text in texts]
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            data = path.read_bytes()
            blobs.append(data)
            if data[:2] == b"PK":
                with zipfile.ZipFile(path) as archive:
                    blobs += [archive.read(name) for name in archive.namelist()]
            elif data[:4] == b"PAR1":
                table = pq.read_table(path)
                blobs.append(table.to_pandas().to_csv(index=False).encode("utf-8"))
                blobs.append(" ".join(table.column_names).encode("utf-8"))
    found = []
    for secret in secrets:
        needle = secret.encode("utf-8")
        if any(needle in blob for blob in blobs):
            found.append(secret)
    return found
