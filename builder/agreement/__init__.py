"""How far the annotators agree: items, pair counts, coefficients, the report."""
