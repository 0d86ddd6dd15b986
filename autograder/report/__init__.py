"""HTML reports: a feedback page per student and a class report for the instructor."""

from autograder.report.classreport import write_class_report
from autograder.report.feedback import write_feedback

__all__ = ["write_class_report", "write_feedback"]
