"""The version of ghstore (one place: the package face, the CLI and comment envelopes read it)."""

__version__ = "0.1.0"
