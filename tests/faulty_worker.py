"""A `dask worker --preload` for the tests: the worker's trusted side fails on purpose.

Nothing a submission does can hang or crash the trusted side (its sandbox has deadlines and
limits), so the tests of the cluster's per-task deadline and of a grader fault on a worker make
this worker's grading hang on files named hang*, and recurse without end on files named fault*.
"""

import time

from autograder.batch import cluster

graded = getattr(cluster.grade_files, "graded", cluster.grade_files)  # Dask may load this twice


def grade_files(files, **options):
    names = [path.name for path, _ in files]
    if any(name.startswith("hang") for name in names):
        time.sleep(3600)
    if any(name.startswith("fault") for name in names):
        grade_files(files, **options)  # a RecursionError, which Dask cannot even pickle whole
    return graded(files, **options)


grade_files.graded = graded
cluster.grade_files = grade_files
