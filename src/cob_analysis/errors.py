"""Named errors for bad input. Each message names the file, the column, the offending values
with their counts, how many rows and the first row numbers, and what to do about it."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

MAX_VALUES_SHOWN = 10
MAX_ROWS_SHOWN = 5


class InputError(ValueError):
    """Bad input in a raw export."""

    def __init__(
        self,
        file: str,
        column: str | None,
        problem: str,
        values: pd.Series | None = None,
        rows: Iterable[int] | None = None,
        hint: str | None = None,
        n_rows: int | None = None,
        value_counts: dict[str, int] | None = None,
    ):
        self.file = str(file)
        self.column = column
        self.problem = problem
        self.rows = [int(r) for r in rows] if rows is not None else []
        self._n_rows = n_rows
        self.value_counts: dict[str, int] = dict(value_counts or {})
        if values is not None:
            counts = pd.Series(values).astype("string").fillna("<leeg>").value_counts(sort=False)
            counts = counts.sort_values(ascending=False, kind="stable")
            self.value_counts = {str(k): int(v) for k, v in counts.items()}
        self.hint = hint
        super().__init__(self._message())

    @property
    def n_rows(self) -> int:
        """Rows with the problem (the message lists only the first few)."""
        return self._n_rows if self._n_rows is not None else len(self.rows)

    def _message(self) -> str:
        where = f"{self.file}" + (f", column '{self.column}'" if self.column else "")
        parts = [f"{where}: {self.problem}"]
        if self.n_rows:
            parts[0] += f" in {self.n_rows} row{'s' if self.n_rows != 1 else ''}"
        if self.value_counts:
            shown = list(self.value_counts.items())[:MAX_VALUES_SHOWN]
            text = ", ".join(f"'{k}' ({v})" for k, v in shown)
            more = len(self.value_counts) - len(shown)
            parts.append(f"values: {text}" + (f" and {more} more" if more > 0 else ""))
        if self.rows:
            first = ", ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            parts.append(f"first rows: {first} (spreadsheet numbering, header = row 1)")
        if self.hint:
            parts.append(self.hint)
        return "; ".join(parts) + "."


class PseudonymisationKeyError(RuntimeError):
    """No usable pseudonymisation key."""
