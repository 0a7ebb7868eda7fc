"""What every seva-suraksha service shares: settings base, HTTP health and metrics,
Kafka broker wiring with a dead-letter policy, MongoDB client, PII-safe logging."""
