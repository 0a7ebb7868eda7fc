"""certification service."""
