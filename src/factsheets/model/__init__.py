"""Load: a sheet's YAML -> a validated, immutable `Sheet`, with each value's line and column."""
