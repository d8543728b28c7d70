"""Stage 3, linked -> analyses: art. 60 timing, Kaplan-Meier curves, Cox and logit models."""
