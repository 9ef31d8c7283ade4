"""What a build wrote, per format: the short table `build` prints (files, bytes, warnings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .diagnostics import Diagnostic, Severity
from .writers import WRITERS, format_of


def table(sizes: Mapping[str, int], diagnostics: Sequence[Diagnostic]) -> str:
    """One row per format written (its files, their size, the warnings its checks gave), then
    the warnings about the source itself, and the totals."""
    rows: dict[str, list[int]] = {}
    for name, size in sizes.items():
        row = rows.setdefault(format_of(name) or "other", [0, 0, 0])
        row[0] += 1
        row[1] += size
    general = 0
    for d in diagnostics:
        if d.severity is Severity.WARNING:
            key = next((k for k, w in WRITERS.items() if d.code in w.codes), None)
            if key is None:
                general += 1
            else:
                rows.setdefault(key, [0, 0, 0])[2] += 1
    order = [k for k in (*WRITERS, "other") if k in rows]
    lines = [("format", "files", "size", "warnings")]
    lines += [(key, str(rows[key][0]), _size(rows[key][1]), str(rows[key][2] or ""))
              for key in order]
    lines.append(("total", str(len(sizes)), _size(sum(sizes.values())),
                  str(sum(r[2] for r in rows.values()) + general or "")))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = [f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}  {d:>{widths[3]}}".rstrip()
           for a, b, c, d in lines]
    if general:
        out.append(f"({general} warning{'s' * (general != 1)} about the source itself)")
    return "\n".join(out)


def _size(count: int) -> str:
    """A size as people read it: bytes, KiB or MiB."""
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"
