"""Moodle course backups (.mbz): one per unit and one for the whole course."""

from .course import start_date
from .units import scorm12
from .writer import course_files, course_from_parts, course_stream, unit_files, unit_part, write

__all__ = ["course_files", "course_from_parts", "course_stream", "scorm12", "start_date",
           "unit_files", "unit_part", "write"]
