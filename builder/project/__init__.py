"""A newsstance project on disk: its scaffolding (``newsstance init``) and where its root is."""
