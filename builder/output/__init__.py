"""Rows and figures -> Parquet files, the manifest and the card."""
