# expect: full
# base: tests/corpus/alternatives/logistic_regression/lr_loops.py (the submission is that file, then this one)
"""A file name that a spreadsheet would run as a formula: its id must not start one."""
