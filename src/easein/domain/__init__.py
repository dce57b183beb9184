"""Pure rules and values: no I/O, no framework, no clock reads (time is passed in)."""
