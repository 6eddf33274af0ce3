"""Benchmarks and the gh-store 0.11 harness: ghstore and the store it replaces, measured
against the same local GitHub."""
