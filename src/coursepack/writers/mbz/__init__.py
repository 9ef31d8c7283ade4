"""Moodle course backups (.mbz): one per unit and one for the whole course."""

from .writer import scorm12, start_date, write

__all__ = ["scorm12", "start_date", "write"]
