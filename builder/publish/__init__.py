"""The build folder to the Hub, and checking a published version."""
