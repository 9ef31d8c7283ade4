"""Moodle course backups (.mbz): one per unit and one for the whole course."""

from .writer import course_files, scorm12, start_date, unit_files, write

__all__ = ["course_files", "scorm12", "start_date", "unit_files", "write"]
