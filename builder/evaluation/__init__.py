"""Scoring models against a built dataset: tasks, metrics, baselines."""
