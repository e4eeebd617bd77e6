"""newsclean: clean scraped news articles into analyst-ready Parquet datasets."""

__version__ = "0.1.0"
