"""otp service."""
