"""coursepack: compile vocational course content kept as YAML into Moodle-ready files."""

__version__ = "0.1.0"
