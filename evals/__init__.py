"""Evals: gold set, metrics, benchmarks; drives the assistant from outside."""
