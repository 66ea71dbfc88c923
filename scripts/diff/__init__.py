"""The breaking-change gate: `plivo-connector diff` (see command.py)."""
