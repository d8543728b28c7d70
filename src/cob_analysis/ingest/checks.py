"""The checks over the staged table: each flags rows; one scan counts them all, then the first
failing check whose policy is `error` stops the run with a named `InputError`."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from cob_analysis.errors import InputError

MAX_ROWS_LISTED = 5


@dataclass
class Check:
    condition: str  # SQL over the `stage` table
    column: str
    problem: str
    policy: str  # error | drop (censor counts as error here)
    reason: str
    value: str | None = None
    hint: str | None = None


class Stage:
    """Checks run in order over the `stage` table; a check sees only rows that no earlier
    dropping check took out. All counts come from one scan; rows are never updated: the
    rejection reason of a row is one CASE over the dropping checks."""

    def __init__(self, con: duckdb.DuckDBPyConnection, file: str, colname: dict[str, str]):
        self.con, self.file, self.colname = con, file, colname
        self.checks: list[Check] = []
        self.drops: list[Check] = []
        self.rejected: dict[str, int] = {}
        self.noted: dict[str, int] = {}

    def add(self, check: Check) -> None:
        self.checks.append(check)

    @staticmethod
    def _none_of(checks: list[Check]) -> str:
        return " AND ".join(f"NOT coalesce({c.condition}, false)" for c in checks) or "true"

    def _still_in(self) -> str:
        return self._none_of(self.drops)

    def run(self) -> None:
        """Count every check in one scan, then stop at the first failing 'error' check."""
        if not self.checks:
            return
        filters, earlier_drops = [], []
        for check in self.checks:
            filters.append(
                f"count(*) FILTER (WHERE ({self._none_of(earlier_drops)}) AND coalesce({check.condition}, false))"
            )
            if check.policy == "drop":
                earlier_drops.append(check)
        counts = self.con.sql(f"SELECT {', '.join(filters)} FROM stage").fetchall()[0]
        for check, n in zip(self.checks, counts, strict=True):
            if not n:
                continue
            if check.policy == "note":
                self.noted[check.reason] = int(n)
            elif check.policy == "drop":
                self.drops.append(check)
                self.rejected[check.reason] = self.rejected.get(check.reason, 0) + int(n)
            else:
                _, rows, value_counts = self.flagged(check.condition, check.value)
                raise InputError(
                    self.file,
                    self.colname.get(check.column, check.column),
                    check.problem,
                    rows=rows,
                    n_rows=int(n),
                    value_counts=value_counts,
                    hint=check.hint,
                )

    def flagged(
        self, condition: str, value: str | None = None
    ) -> tuple[int, list[int], dict[str, int]]:
        """Count, first rows and value counts of the rows still in that meet `condition`."""
        where = f"({self._still_in()}) AND coalesce({condition}, false)"
        n = self.con.sql(f"SELECT count(*) FROM stage WHERE {where}").fetchall()[0][0]
        if not n:
            return 0, [], {}
        rows = [
            r[0]
            for r in self.con.sql(
                f"SELECT _row FROM stage WHERE {where} ORDER BY _row LIMIT {MAX_ROWS_LISTED}"
            ).fetchall()
        ]
        counts = {}
        if value is not None:
            counts = {
                ("<leeg>" if v is None else str(v)): int(c)
                for v, c in self.con.sql(
                    f"SELECT {value} AS v, count(*) AS c FROM stage WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"
                ).fetchall()
            }
        return n, rows, counts
