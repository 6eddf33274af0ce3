"""gh-store 0.11's import paths (`gh_store.core.exceptions`), kept for its users."""
