"""Stage 1, raw -> staged: read any export format, map columns and values, validate, pseudonymise."""
