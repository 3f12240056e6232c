"""Plain functions that do one job each; they flush, never commit."""
