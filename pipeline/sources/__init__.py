"""Problem sources: files, HF datasets and built-in sets, all validated into `Problem`s."""
