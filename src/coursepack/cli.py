"""The `coursepack` command line: thin click commands over the library."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .diagnostics import Diagnostic, has_errors, one_line, render, summary
from .output import BuildError, real_path
from .writers import WRITERS

if TYPE_CHECKING:
    from .model import Catalogue
    from .source import Result

FORMATS = click.Choice(["text", "json", "github"])


def _source_root(path: Path) -> tuple[Path, Path | None]:
    """The source folder holding `path`, and the file to report on when `path` is a file."""
    if path.is_file():
        for parent in real_path(path).parents:
            if (parent / "course.yaml").is_file():
                return Path(os.path.relpath(parent)), path
    return path, None


def _filtered(result: Result, only: Path | None) -> list[Diagnostic]:
    if only is None:
        return result.diagnostics
    target = os.path.normpath(os.path.relpath(only))
    return [d for d in result.diagnostics if os.path.normpath(d.file) == target]


def _report(diagnostics: list[Diagnostic], fmt: str, tail: str, accepted: int = 0) -> None:
    text = render(diagnostics, fmt)
    if text:
        click.echo(text)
    if fmt == "text":
        click.echo(f"{tail}: {summary(diagnostics, accepted)}", err=bool(diagnostics))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursepack")
def main() -> None:
    """Compile course content kept as YAML into files Moodle imports."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="source")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="Diagnostics as text lines, a JSON list, or GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(path: Path, fmt: str, strict: bool) -> None:
    """Check the source in PATH (default: source/) and report every problem."""
    from .build import check
    from .source import read_source

    root, only = _source_root(path)
    result = read_source(root)
    if result.ok and result.catalogue is not None:
        result.add(check(result.catalogue))
    shown = _filtered(result, only)
    counts = _counts(result) if result.catalogue else one_line(str(root))
    _report(shown, fmt, counts, result.hidden)
    failed = has_errors(result.diagnostics) or (strict and bool(result.diagnostics))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="source")
@click.option("-o", "--output", type=click.Path(path_type=Path), default="build",
              show_default=True, help="Folder to write; replaced whole, only when all succeeds.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--dry-run", is_flag=True, help="Validate and list what would be written.")
@click.option("--only", "only", multiple=True, type=click.Choice(sorted(WRITERS)),
              help="Write only these formats (repeatable); default: all.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to build with; default: one per core.")
@click.option("--no-cache", is_flag=True, help="Build everything; do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=Path(".coursepack-cache"),
              show_default=True, help="Where task outputs are kept between builds.")
def build(path: Path, output: Path, fmt: str, dry_run: bool, only: tuple[str, ...],
          jobs: int | None, no_cache: bool, cache_dir: Path) -> None:
    """Compile the source in PATH into OUTPUT (default: build/)."""
    from .build import check, plan
    from .source import read_source

    root, _ = _source_root(path)
    _preflight(root, output)
    result = read_source(root)
    formats = list(only) or None
    if result.ok and result.catalogue is not None:
        result.add(check(result.catalogue, formats))
    if has_errors(result.diagnostics) or result.catalogue is None:
        _report(result.diagnostics, fmt, one_line(str(root)), result.hidden)
        click.echo(f"build failed; {output}/ was left as it was", err=True)
        sys.exit(1)
    if dry_run:
        for name in plan(result.catalogue, formats):
            click.echo(f"would write {output / name}")
    else:
        _write(result.catalogue, formats, output, jobs, None if no_cache else cache_dir)
    _report(result.diagnostics, fmt, _counts(result), result.hidden)


def _write(catalogue: Catalogue, formats: list[str] | None, output: Path, jobs: int | None,
           cache_dir: Path | None) -> None:
    from .build import build
    from .cache import Cache
    from .tasks import default_jobs

    sizes: dict[str, int] = {}
    try:
        counts = build(catalogue, formats, output, jobs=jobs or default_jobs(),
                       cache=Cache(cache_dir), report=lambda n, d: sizes.__setitem__(n, len(d)))
    except BuildError as exc:
        _fail(exc)
    if counts.unchanged:
        click.echo(f"{output}/ is up to date: it holds these {len(sizes)} files already")
    else:
        for name in sorted(sizes):
            click.echo(f"wrote {output / name} ({sizes[name]:,} bytes)")
    click.echo(f"{counts.built + counts.cached} tasks: {counts.built} built, "
               f"{counts.cached} from the cache")


def _preflight(root: Path, output: Path | None) -> None:
    from .build import preflight

    try:
        preflight(root, output)
    except BuildError as exc:
        _fail(exc)


def _fail(exc: BuildError) -> NoReturn:
    click.echo(f"coursepack: error: {one_line(str(exc))} [{exc.code}]", err=True)
    sys.exit(2 if exc.usage else 1)


def _counts(result: Result) -> str:
    cat = result.catalogue
    if cat is None:
        return "source"
    questions = sum(len(u.questions) for u in cat.units)
    pages = sum(len(u.lesson.pages) for u in cat.units if u.lesson)
    return (f"{len(cat.units)} units, {questions} questions, {pages} lesson pages, "
            f"{len(cat.terms)} glossary terms")
