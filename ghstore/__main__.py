"""`python -m ghstore`."""

from .cli.main import run

run()
