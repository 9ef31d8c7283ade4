"""The `coursepack` command line: thin click commands over the library."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .diagnostics import Diagnostic, Severity, has_errors, one_line, render, summary
from .output import BuildError, real_path
from .writers import WRITERS

if TYPE_CHECKING:
    from .cache import Cache
    from .runs import Checked, RunKey

FORMATS = click.Choice(["text", "json", "github"])
CHECK_FORMATS = click.Choice(["text", "json", "github", "junit", "sarif"])
QUESTION_TYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay",
                  "ordering", "gapselect", "ddwtos", "cloze", "description")


def _source_root(path: Path) -> tuple[Path, Path | None]:
    """The source folder holding `path`, and the file to report on when `path` is a file."""
    if path.is_file():
        for parent in real_path(path).parents:
            if (parent / "course.yaml").is_file():
                return Path(os.path.relpath(parent)), path
    return path, None


def _filtered(diagnostics: list[Diagnostic], only: Path | None) -> list[Diagnostic]:
    if only is None:
        return diagnostics
    target = os.path.normpath(os.path.relpath(only))
    return [d for d in diagnostics if os.path.normpath(d.file) == target]


def _report(diagnostics: list[Diagnostic], fmt: str, tail: str, accepted: int = 0,
            *, quiet: bool = False, files: Callable[[], list[str]] = list) -> None:
    """Print the diagnostics, then (as text, unless `quiet`) the summary line; JUnit's test
    cases are the `files` checked."""
    if fmt in ("junit", "sarif"):
        from .cireports import junit, sarif

        click.echo(junit(diagnostics, files()) if fmt == "junit" else sarif(diagnostics))
        return
    text = render(diagnostics, fmt)
    if text:
        click.echo(text)
    if fmt == "text" and not quiet:
        click.echo(f"{tail}: {summary(diagnostics, accepted)}", err=bool(diagnostics))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursepack")
def main() -> None:
    """Compile course content kept as YAML into files Moodle imports."""


def _jobs_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help="Processes to use; default: one per core.")(command)


def _cache_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--cache-dir", type=click.Path(path_type=Path),
                           default=Path(".coursepack-cache"), show_default=True,
                           help="Where results are kept between runs.")(command)
    return click.option("--no-cache", is_flag=True,
                        help="Do all the work; do not read or write the cache.")(command)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="source")
@click.option("--format", "fmt", type=CHECK_FORMATS, default="text", show_default=True,
              help="Diagnostics as text lines, a JSON list, GitHub Actions annotations, JUnit "
              "XML (a test case per file) or SARIF 2.1.0 (code scanning).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary line.")
@_jobs_option
@_cache_options
def validate(path: Path, fmt: str, strict: bool, quiet: bool, jobs: int | None, no_cache: bool,
             cache_dir: Path) -> None:
    """Check the source in PATH (default: source/) and report every problem."""
    from .cache import Cache
    from .runs import remember, replay, run_key
    from .source import source_files

    root, only = _source_root(path)
    cache = Cache(None if no_cache else cache_dir)
    key = run_key(root, cache, "validate") if cache.folder else None
    checked = replay(cache, key, root) if key else None
    if checked is None:
        checked = _checked(root, None, cache, jobs, key)
        if key:
            remember(cache, key, checked, root, "validate")
    shown = _filtered(checked.diagnostics, only)
    _report(shown, fmt, checked.counts or one_line(str(root)), checked.hidden, quiet=quiet,
            files=lambda: [os.path.relpath(only)] if only else source_files(root))
    failed = has_errors(checked.diagnostics) or (strict and bool(checked.diagnostics))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="source")
@click.option("-o", "--output", type=click.Path(path_type=Path), default="build",
              show_default=True, help="Folder to write; replaced whole, only when all succeeds.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--dry-run", is_flag=True, help="Validate and list what would be written.")
@click.option("--only", "only", multiple=True, type=click.Choice(sorted(WRITERS)),
              help="Write only these formats (repeatable); default: all.")
@click.option("-v", "--verbose", is_flag=True, help="List every file written.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only.")
@_jobs_option
@_cache_options
def build(path: Path, output: Path, fmt: str, dry_run: bool, only: tuple[str, ...],
          verbose: bool, quiet: bool, jobs: int | None, no_cache: bool, cache_dir: Path) -> None:
    """Compile the source in PATH into OUTPUT (default: build/)."""
    from .build import plan
    from .cache import Cache
    from .output import MARKER
    from .runs import output_holds, remember_build, replay, run_key

    root, _ = _source_root(path)
    _preflight(root, output)
    formats = list(only) or None
    cache = Cache(None if no_cache else cache_dir)
    context = ("build", real_path(output).as_posix(), *sorted(only))
    key = run_key(root, cache, *context) if cache.folder and not dry_run else None
    done = replay(cache, key, root) if key else None
    if done is not None and output_holds(output, done.files):
        if not quiet:
            click.echo(f"{output}/ is up to date: the source has not changed since it was built")
        _report(done.diagnostics, fmt, done.counts or "", done.hidden, quiet=quiet)
        return
    checked = _checked(root, formats, cache, jobs, key)
    if has_errors(checked.diagnostics) or checked.catalogue is None:
        _report(checked.diagnostics, fmt, one_line(str(root)), checked.hidden)
        click.echo(f"build failed; {output}/ was left as it was", err=True)
        sys.exit(1)
    if dry_run:
        for name in plan(checked.catalogue, formats):
            click.echo(f"would write {output / name}")
    else:
        sizes = _write(checked, formats, output, jobs, cache, verbose=verbose, quiet=quiet)
        if key:
            remember_build(cache, key, checked, output, [*sizes, MARKER], root, *context)
    _report(checked.diagnostics, fmt, checked.counts or "", checked.hidden, quiet=quiet)


def _checked(root: Path, formats: list[str] | None, cache: Cache, jobs: int | None,
             key: RunKey | None) -> Checked:
    """Check the source (see runs.check_source), taking each file the run's key saw by the
    content it saw; the model lives as long as this process, so it is hidden from the
    collector before collection resumes."""
    from .runs import check_source
    from .tasks import default_jobs
    from .yamlload import paused_gc

    with paused_gc():
        checked = check_source(root, formats, cache, jobs or default_jobs(),
                               seen=key.seen if key else None)
        gc.freeze()
    return checked


def _write(checked: Checked, formats: list[str] | None, output: Path, jobs: int | None,
           cache: Cache, *, verbose: bool, quiet: bool) -> dict[str, int]:
    """Build and print what was written (a table per format; each file with `verbose`; nothing
    with `quiet`); the size of each file."""
    from .build import build
    from .progress import Progress
    from .report import table
    from .tasks import default_jobs

    assert checked.catalogue is not None
    sizes: dict[str, int] = {}
    bar = Progress(sys.stdout)

    def report(name: str, size: int) -> None:
        sizes[name] = size
        bar.file(name, size)

    try:
        counts = build(checked.catalogue, formats, output, jobs=jobs or default_jobs(),
                       cache=cache, report=report, done=bar.task)
    except BuildError as exc:
        _fail(exc)
    finally:
        bar.close()
    if quiet:
        return sizes
    if counts.unchanged:
        click.echo(f"{output}/ is up to date: it holds these {len(sizes)} files already")
    elif verbose:
        for name in sorted(sizes):
            click.echo(f"wrote {output / name} ({sizes[name]:,} bytes)")
    else:
        click.echo(f"wrote {output}/:")
        click.echo(table(sizes, checked.diagnostics))
    click.echo(f"{counts.built + counts.cached} tasks: {counts.built} built, "
               f"{counts.cached} from the cache")
    return sizes


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--unit", "unit", default=None, help="The unit to put questions in (made when "
              "the source has none of this id); glossary files need none.")
@click.option("--into", "into", type=click.Path(path_type=Path), default="source",
              show_default=True, help="The source folder.")
@click.option("--format", "fmt", type=click.Choice(["xml", "gift", "glossary"]), default=None,
              help="The files' format; default: told from their content.")
def import_(files: tuple[Path, ...], unit: str | None, into: Path, fmt: str | None) -> None:
    """Bring Moodle XML and GIFT question files into a unit of the source, and Moodle glossary
    exports into its glossary, as YAML."""
    from .importers.place import ID
    from .importers.run import import_files

    if unit is not None and not ID.match(unit):
        raise click.BadParameter("lower-case letters, digits, '.', '_' and '-'",
                                 param_hint="--unit")
    outcome = import_files(list(files), unit, into, fmt)
    for path in outcome.written:
        click.echo(f"wrote {os.path.relpath(path)}")
    what = [f"{outcome.questions} questions into unit {unit}" if outcome.questions else "",
            f"{outcome.terms} glossary terms" if outcome.terms else ""]
    _report(outcome.diagnostics, "text", "imported " + " and ".join(w for w in what if w)
            if outcome.written else "nothing imported")
    sys.exit(1 if has_errors(outcome.diagnostics) else 0)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".")
def init(folder: Path) -> None:
    """Start a content repository in FOLDER (default: here; it must be empty): an example
    unit, CI for GitHub and GitLab, a pre-commit hook, VS Code settings and the schemas."""
    from .starter import init as start

    _wrote(lambda: start(folder))
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"started a content repository: {where}coursepack validate")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path),
              default=Path(".coursepack") / "schemas", show_default=True,
              help="The folder to write them in.")
def schemas(output: Path) -> None:
    """Write the JSON Schemas of the source files, for editors (refresh them after upgrading)."""
    from .starter import write_schemas

    _wrote(lambda: write_schemas(output))


def _wrote(write: Callable[[], list[Path]]) -> None:
    """Run a command that writes files, and list them (or fail with its one-line reason)."""
    try:
        written = write()
    except BuildError as exc:
        _fail(exc)
    for path in written:
        click.echo(f"wrote {os.path.relpath(path)}")


@main.group()
def new() -> None:
    """Add a unit or a question to fill in; `validate` reports its placeholders until then."""


@new.command("unit")
@click.argument("unit_id", metavar="ID")
@click.option("--into", "into", type=click.Path(path_type=Path), default="source",
              show_default=True, help="The source folder.")
def new_unit(unit_id: str, into: Path) -> None:
    """A unit ID: units/ID/unit.yaml, and ID added to course.yaml."""
    from .importers.place import ID
    from .starter.skeletons import new_unit as make

    if not ID.match(unit_id):
        raise click.BadParameter("lower-case letters, digits, '.', '_' and '-'",
                                 param_hint="ID")
    _wrote(lambda: make(into, unit_id))


@new.command("question")
@click.argument("qtype", metavar="TYPE", type=click.Choice(QUESTION_TYPES))
@click.option("--unit", "unit", required=True, help="The unit to add it to.")
@click.option("--into", "into", type=click.Path(path_type=Path), default="source",
              show_default=True, help="The source folder.")
def new_question(qtype: str, unit: str, into: Path) -> None:
    """A question of TYPE at the end of the unit's questions.yaml."""
    from .starter.skeletons import new_question as make

    try:
        path, ident = make(into, unit, qtype)
    except BuildError as exc:
        _fail(exc)
    click.echo(f"wrote {os.path.relpath(path)}: question {ident}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="source")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. The preview is for you: keep the loopback "
              "address unless others on your network should see it.")
@_cache_options
def preview(path: Path, port: int, host: str, no_cache: bool, cache_dir: Path) -> None:
    """Show the source in PATH as Moodle will: each unit's book, lesson, quizzes, glossary and
    SCORM package, checked again and reloaded whenever a file is saved."""
    from .cache import Cache
    from .preview import Preview, Snapshot

    root, _ = _source_root(path)
    try:
        server = Preview(root, Cache(None if no_cache else cache_dir), host, port)
    except BuildError as exc:
        _fail(exc)

    def checked(snap: Snapshot) -> None:
        shown = [d for d in snap.diagnostics if d.severity is Severity.ERROR] or snap.diagnostics
        _report(shown[:50], "text", f"checked in {snap.took:.2f} s")

    try:
        server.start(checked)
        click.echo(f"serving {server.url} (Ctrl+C to stop)")
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.stop()


def _preflight(root: Path, output: Path | None) -> None:
    from .build import preflight

    try:
        preflight(root, output)
    except BuildError as exc:
        _fail(exc)


def _fail(exc: BuildError) -> NoReturn:
    click.echo(f"coursepack: error: {one_line(str(exc))} [{exc.code}]", err=True)
    sys.exit(2 if exc.usage else 1)


@main.command("inspect")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A summary and diagnostics per file, or a JSON list.")
def inspect_(files: tuple[Path, ...], fmt: str) -> None:
    """What each FILE holds (.xml .txt .zip .mbz, made by anything), and what Moodle would
    refuse in it; writes nothing."""
    from .inspect import as_json, failed, inspect_files, text

    reports = inspect_files(list(files))
    click.echo(text(reports) if fmt == "text" else as_json(reports))
    sys.exit(1 if failed(reports) else 0)
