"""cob-analysis: reproducible cohort analysis of the COB Coevelt newcomer intake (Antwerp)."""

__version__ = "0.2.0"
