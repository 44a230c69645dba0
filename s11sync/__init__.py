"""s11sync: Intervals.icu → compact, schema-validated JSON for AI coaches."""

__version__ = "0.1.0"
