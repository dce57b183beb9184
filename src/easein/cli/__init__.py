"""The `easein` command line (Typer). Thin: parse, call one service, present."""
