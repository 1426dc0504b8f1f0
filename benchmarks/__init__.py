"""Scripts a user runs beside the builder: the speed benchmark, its synthetic corpus, the model baselines."""
