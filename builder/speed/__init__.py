"""What makes the build fast without changing a byte: worker processes and the cache."""
