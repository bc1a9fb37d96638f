"""The dispatch table (调度表): its figures as of a cut-off (figures), stored and recomputed in the
background (stored), and the files like the paper form (exports)."""
