"""How far the annotators agree: items, pair counts, coefficients, the report.

Read in the order the data flows: items.py (one set's items), pairs.py (what two annotators' sets
add to the totals), votes.py (the places the annotators are not unanimous on), compare.py (one
article's sets compared once), coefficients.py (F1, kappa, alpha), corpus.py (the figures pooled
per article and over the corpus), report.py (the manifest's JSON, the table, the card section).
"""
