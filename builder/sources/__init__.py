"""The inputs: corpus/ and annotations/ read into typed records."""
