"""newsstance: build the newsstance dataset from corpus/ and annotations/."""

DATASET_VERSION = "1.0.0"  # the dataset's version: the one place it is set (see CHANGELOG.md)
DATASET_NAME = "newsstance"
