# expect: full
# base: tests/corpus/alternatives/logistic_regression/lr_loops.py (the submission is that file, then this one)
"""Its id is changed (a space); it must not take a_b, another student's id."""
