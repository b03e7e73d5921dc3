"""Benchmarks and evaluation measures for `dedup`."""
