"""Stage 5, formatting: rendered Python made black-stable (black by default, or ruff)."""
