#!/usr/bin/env python3
"""Edit-to-served latency of preview servers (issue 17): partnerpress `serve` against
`hugo server` and `zola serve --fast` on the same synthetic corpus.

usage: bench/serve_latency.py [--rounds 5] [--edit append|title] [--watch] TOOL=BINARY:CORPUS [...]
  TOOL     partnerpress, hugo or zola
  BINARY   the tool's executable
  CORPUS   its corpus folder (../shared/bench/gen_corpus.py --tool TOOL; bench/compare.sh
           leaves them in $BENCH_ROOT/N/TOOL)

Method: start the server and wait until the release page answers; then, each round,
append a paragraph with a fresh marker word to the release's Markdown file (`--edit
title`: put the marker at the end of its front matter's `title:` instead, an edit that
changes the release's card on lists, feeds and search) and poll the page every 10 ms
until the marker is served; the latency is the time from the write to
the first response that has it. The same release in every corpus (the median by its
number). The file's text is restored at the end. Reports the median, the minimum and
the maximum latency and the server's peak RSS (VmHWM) after the rounds.
Each server gets its own process group, stopped with killpg at the end.

`--watch`: the same edits against the tools' watch builds, `partnerpress build --watch`
and `hugo --watch`, which write the site into the corpus's `public/` folder (Zola has
none: `zola serve` only): the latency is the time until the page's file on disk has
the marker, read every 10 ms, after a first build that wrote the page anew (and 10 s
more for the build to finish).
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

POLL = 0.010
START_TIMEOUT = 600
ROUND_TIMEOUT = 120


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(tool, binary, root, port, watch=False):
    if watch and tool == "partnerpress":
        return [binary, "build", "--watch", "--root", root]
    if watch and tool == "hugo":
        return [binary, "--source", root, "--watch", "--logLevel", "error"]
    if watch:
        raise SystemExit(f"{tool} has no watch build (partnerpress or hugo)")
    if tool == "partnerpress":
        return [binary, "serve", "--root", root, "--port", str(port)]
    if tool == "hugo":
        return [binary, "server", "--source", root, "--port", str(port),
                "--bind", "127.0.0.1", "--logLevel", "error"]
    if tool == "zola":
        return [binary, "--root", root, "serve", "--fast", "--port", str(port),
                "--interface", "127.0.0.1"]
    raise SystemExit(f"unknown tool {tool} (partnerpress, hugo or zola)")


def release_file(root):
    """The release with the median number (`…-000123.md`), the same in every corpus."""
    news = os.path.join(root, "content", "news")
    files = [f for f in os.listdir(news) if re.search(r"-\d{6}\.md$", f)]
    files.sort(key=lambda f: f[-9:-3])
    if not files:
        raise SystemExit(f"no release files in {news}")
    return os.path.join(news, files[len(files) // 2])


def candidate_paths(tool, path):
    stem = os.path.basename(path)[:-3]
    if tool == "partnerpress":
        stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
    return [f"/news/{stem}/", f"/nachrichten/{stem}/"]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def peak_rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def edited(text, marker, edit):
    """`text` with `marker` appended as a paragraph, or added to the end of the title."""
    if edit == "append":
        return text + f"\n\n{marker}\n"
    line = re.search(r"^title: *(.*)$", text, re.M)
    if line is None:
        raise SystemExit("no `title:` line in the release's front matter")
    value = line.group(1)
    quote = value[:1] if value[:1] in "\"'" and value.endswith(value[:1]) else ""
    inner = value[1:-1] if quote else value
    new = f"{quote}{inner} {marker}{quote}"
    return text[:line.start(1)] + new + text[line.end(1):]


def read_page(file, since):
    """The page written to disk at or after `since`, for a watch build."""
    try:
        if os.stat(file).st_mtime < since:
            return None
        with open(file, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def measure(tool, binary, root, rounds, edit, watch=False):
    path = release_file(root)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    port = free_port()
    started = time.time() - 1
    if watch:
        global fetch
        fetch = lambda url: read_page(url, started)  # noqa: E731
    server = subprocess.Popen(command(tool, binary, root, port, watch),
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    latencies = []
    try:
        deadline = time.monotonic() + START_TIMEOUT
        url = None
        while url is None:
            if server.poll() is not None:
                raise SystemExit(f"{tool} exited with {server.returncode}")
            if time.monotonic() > deadline:
                raise SystemExit(f"{tool}: no page after {START_TIMEOUT} s")
            for p in candidate_paths(tool, path):
                at = (os.path.join(root, "public", p.strip("/"), "index.html") if watch
                      else f"http://127.0.0.1:{port}{p}")
                if fetch(at) is not None:
                    url = at
                    break
            time.sleep(0.2)
        # Let the server settle after its first build; a watch build may write the page
        # seconds before it finishes and starts watching (Hugo does).
        time.sleep(10 if watch else 2)
        for i in range(rounds):
            marker = f"latenzmarke{os.getpid()}x{i}"
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited(text, marker, edit))
            start = time.monotonic()
            while True:
                page = fetch(url)
                elapsed = time.monotonic() - start
                if page is not None and marker in page:
                    break
                if elapsed > ROUND_TIMEOUT:
                    raise SystemExit(f"{tool}: {marker} not served after {ROUND_TIMEOUT} s")
                time.sleep(POLL)
            latencies.append(elapsed * 1000)
            print(f"  {tool} round {i + 1}: {elapsed * 1000:.0f} ms", file=sys.stderr)
            time.sleep(1.5)
        rss = peak_rss_mib(server.pid)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        server.wait(timeout=30)
    return latencies, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--edit", choices=["append", "title"], default="append")
    parser.add_argument("--watch", action="store_true",
                        help="measure the watch builds writing public/, not the servers")
    parser.add_argument("tools", nargs="+", metavar="TOOL=BINARY:CORPUS")
    args = parser.parse_args()
    print("| tool | median ms | min ms | max ms | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    for spec in args.tools:
        tool, _, rest = spec.partition("=")
        binary, _, root = rest.partition(":")
        latencies, rss = measure(tool, binary, root, args.rounds, args.edit, args.watch)
        print(f"| {tool} | {statistics.median(latencies):.0f} | {min(latencies):.0f} "
              f"| {max(latencies):.0f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
