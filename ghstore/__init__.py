"""ghstore: JSON objects stored in GitHub issues, updated through comments."""

__version__ = "0.1.0"
