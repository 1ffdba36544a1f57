"""Run the command line as ``python -m diplograph`` (same as the ``diplograph`` script)."""

from diplograph.cli import main

main()
