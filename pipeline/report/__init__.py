"""Pass-rate reports over a run's verdicts: metrics, run-to-run diffs, HTML, selection."""
