"""Timing of the SQRT parser and formatter on a generated 5,000-line policy."""

from __future__ import annotations

import time

from sequrity.sqrt import format, parse


def make_policy(lines: int) -> str:
    """Build a realistic policy of about `lines` lines."""
    block = [
        "/// Blocks leaking tagged data.",
        'tool r"send_{i}_.*" {{',
        "    priority {i};",
        '    hard deny when (body.tags overlaps {{"pii", "secret"}}) and (not to.value in {{str matching r".*@corp\\.com"}});',
        '    should allow when @args.producers superset of {{"verified"}} or x{i}.value in {{int 1..65535, "a", w"*.txt"}};',
        "    result {{",
        '        @tags |= {{"sent"}} | @args.tags & {{"kept"}};',
        '        when input.tags overlaps {{"x"}} {{ @tags -= {{"x"}}; }}',
        "    }}",
        "}}",
        'let s{i} = {{"a", "b"}} | union of tags from args; // comment',
        'tool "audit_{i}" [5] -> session @producers |= {{"audit"}} when not @session.tags is empty;',
    ]
    out: list[str] = []
    i = 0
    while len(out) < lines:
        out.extend(line.format(i=i) for line in block)
        i += 1
    return "\n".join(out) + "\n"


def best_of(runs: int, func: object, arg: str) -> float:
    """Return the fastest of several runs, in seconds."""
    assert callable(func)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func(arg)
        timings.append(time.perf_counter() - start)
    return min(timings)


if __name__ == "__main__":
    source = make_policy(5_000)
    result = parse(source)
    assert result.valid, result.error
    print(f"policy: {source.count(chr(10))} lines, {len(source):,} characters")
    print(f"parse  (best of 5): {best_of(5, parse, source) * 1000:8.1f} ms")
    print(f"format (best of 5): {best_of(5, format, source) * 1000:8.1f} ms")
