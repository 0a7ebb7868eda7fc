"""ingest service."""
