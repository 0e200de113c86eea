#!/usr/bin/env python3
"""Where the bytes of a generated site go (issue 17 item 4): per kind of file, the count,
the bytes and the share of the whole, for any generator's output folder.

usage: bench/weight.py OUTPUT [OUTPUT ...]
  e.g. bench/weight.py /dev/shm/ppb/10000/partnerpress/public /dev/shm/ppb/10000/hugo/public

A file's kind is its first folder and its extension (`news/*.html`, `partners/*.xml`,
`(root)/*.json`); HTML pages are also summed as a whole. A file hard-linked several
times inside the output counts once (as `du` counts it). Prints one Markdown table
per output, biggest kinds first, and a line with the totals.
"""

import collections
import os
import sys


def weigh(root):
    kinds = collections.defaultdict(lambda: [0, 0])
    seen = set()
    total = files = 0
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            if (stat.st_dev, stat.st_ino) in seen:
                continue
            seen.add((stat.st_dev, stat.st_ino))
            rel = os.path.relpath(path, root).split(os.sep)
            top = rel[0] if len(rel) > 1 else "(root)"
            ext = os.path.splitext(name)[1] or "(none)"
            kind = kinds[f"{top}/*{ext}"]
            kind[0] += 1
            kind[1] += stat.st_size
            if ext == ".html":
                kinds["(all)/*.html"][0] += 1
                kinds["(all)/*.html"][1] += stat.st_size
            total += stat.st_size
            files += 1
    return kinds, total, files


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for root in sys.argv[1:]:
        kinds, total, files = weigh(root)
        print(f"\n### {root}\n")
        print("| kind | files | MB | share | KB per file |")
        print("|---|---:|---:|---:|---:|")
        for kind, (count, size) in sorted(kinds.items(), key=lambda k: -k[1][1])[:20]:
            print(f"| `{kind}` | {count} | {size / 1e6:.1f} | {100 * size / max(total, 1):.1f} % "
                  f"| {size / count / 1e3:.1f} |")
        print(f"\ntotal: {files} files, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
