"""Benchmarks for ZRM Intake (`make bench`). Not part of the product: nothing imports this."""
