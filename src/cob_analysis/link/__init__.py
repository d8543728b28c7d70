"""Stage 2, staged -> linked: recode the VDAB status codes and link the exports, every row counted."""
