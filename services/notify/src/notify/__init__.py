"""notify service."""
