"""Hand-made estimators, each checked against an independent reference in the tests."""
