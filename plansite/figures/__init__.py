"""Figures derived from the plan and its progress: statuses, assessments, verdicts, changes, delays, and which periods a figure rests on. Pure functions; the Plan is never changed."""
