"""Master notebooks: read their Otter Assign markup, keep them in sync, generate what students get.

- `master`: parse a master notebook (questions, solution markers, checks) and rewrite its code.
- `sync`: write the solution cells of the masters from `solutions/<id>.py`.
- `suite_info`: read a suite statically (points, public tests and what they need).
- `runtime`: the in-notebook `check("fn")`, shipped inside `nnkit_check.py`.
- `checkfile`: build `nnkit_check.py` for an assignment.
- `generate`: student notebook, solution notebook, `nnkit_check.py`, data and grading bundle.
- `answers`: export free-text answers for manual grading.
"""
