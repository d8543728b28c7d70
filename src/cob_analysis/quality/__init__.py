"""Stage 4: disagreements between the sources, and the provenance manifest."""
