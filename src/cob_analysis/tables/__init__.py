"""Stage 3, linked -> tables: the report's cross-sectional tables and their public versions."""
