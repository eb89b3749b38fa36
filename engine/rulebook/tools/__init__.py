"""Tools for programme staff over the rule files: lint, clause coverage, readable rule pages,
rule tests in YAML, and the list of programmes. Each returns data; the command line renders it."""
