#!/usr/bin/env python3
"""Where a function's instructions come from, by source file, per row.

  scripts/callgrind_by_file.py CALLGRIND-OUT FUNCTION-PATTERN ROWS

CALLGRIND-OUT is `valgrind --tool=callgrind` output of a build with -g (the
Release flags plus -g give the same code). For every function whose name
contains FUNCTION-PATTERN: its own instructions summed by the source file
they come from (inlined code keeps its file, so a loop that inlines its
kernels and writer splits into them), plus each call's inclusive cost;
divided by ROWS. docs/BENCHMARKS.md uses it on the row loop
("Lines(hapmat::RowLoopInput").
"""
import re
import sys

path, pattern, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Callgrind compresses names: "(7) name" the first time, "(7)" after.
tables = {"file": {}, "function": {}}


def expand(table, text):
    m = re.match(r"\((\d+)\)(?: (.*))?", text)
    if not m:
        return text
    if m.group(2) is not None:
        tables[table][m.group(1)] = m.group(2)
    return tables[table].get(m.group(1), "?")


file = inlined = callee = None
in_function = call_cost_next = False
last_line = 0
by_part = {}
for text in open(path):
    text = text.rstrip("\n")
    if not text:
        continue
    if not (text[0].isdigit() or text[0] in "+-*"):
        key, _, value = text.partition("=")
        if key == "fl":
            file, inlined = expand("file", value), None
        elif key in ("fi", "fe"):
            inlined = expand("file", value)
        elif key == "fn":
            inlined = None
            in_function = pattern in expand("function", value)
        elif key == "cfn":
            callee = expand("function", value)
        elif key in ("cfl", "cfi"):
            expand("file", value)
        elif key == "calls":
            call_cost_next = True  # the next cost line is the call's
        continue
    # A cost line: a line number (absolute, +/- relative, or * the same),
    # then the instructions.
    fields = text.split()
    position = fields[0]
    if position != "*":
        last_line = last_line + int(position) if position[0] in "+-" else int(position)
    cost = int(fields[1]) if len(fields) > 1 else 0
    if in_function:
        if call_cost_next:
            part = "call: " + (callee or "?")[:80]
        else:
            part = (inlined or file or "?").split("/")[-1]
        by_part[part] = by_part.get(part, 0) + cost
    call_cost_next = False

for part, cost in sorted(by_part.items(), key=lambda item: -item[1]):
    if cost / rows >= 0.5:
        print(f"{cost / rows:8.1f}  {part}")
print(f"{sum(by_part.values()) / rows:8.1f}  total")
