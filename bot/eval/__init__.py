"""Evaluation commands: a stable JSONL contract that quality benchmarks rely on."""
