# expect: full
# base: tests/corpus/alternatives/logistic_regression/lr_loops.py (the submission is that file, then this one)
"""Free-text answers a spreadsheet would run, and one holding a lone surrogate."""


ANSWER_q_cost = "\udcff half a character"
ANSWER_q_boundary = '=HYPERLINK("http://example.invalid", "x")'
ANSWER_q_learning_rate = "-1+2"
