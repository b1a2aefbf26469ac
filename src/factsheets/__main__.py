"""Run the command-line interface as `python -m factsheets`."""

from .cli import main

main()
