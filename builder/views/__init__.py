"""Built articles -> the rows and Features of each published config."""
