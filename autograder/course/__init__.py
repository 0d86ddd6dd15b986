"""Course operations around grading: rows for odd input, roster, late policy, manual scores."""
