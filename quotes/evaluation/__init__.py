"""Accuracy: score extracted quotes against annotated news (metrics, behind `quotes eval`)."""
