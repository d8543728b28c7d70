"""Figures written byte-stable, as PNG and SVG (apart from the analyses, so that writing a
figure does not import the survival models)."""

from __future__ import annotations

from pathlib import Path

from cob_analysis.storage import atomic_path

__all__ = ["save_figure"]

_SVG_SALT = "cob-analysis"
_DPI = 150


def save_figure(fig, base: Path) -> list[Path]:
    """Write `<base>.png` and `<base>.svg` byte-stable: fixed SVG hash salt, no date, no
    software tag."""
    import matplotlib

    base = Path(base)
    base.parent.mkdir(parents=True, exist_ok=True)
    paths = [base.parent / f"{base.name}.svg", base.parent / f"{base.name}.png"]
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT, "svg.fonttype": "path"}):
        with atomic_path(paths[0]) as partial:
            fig.savefig(
                partial, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
            )
        with atomic_path(paths[1]) as partial:
            fig.savefig(
                partial, format="png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None}
            )
    return paths
