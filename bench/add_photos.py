#!/usr/bin/env python3
"""Adds press photos to a corpus of ../shared/bench/gen_corpus.py, for bench/compare.sh PHOTOS=N.

usage: add_photos.py --site DIR --tool {partnerpress,hugo,zola} --photos DIR --count N

Every (releases / N)-th release (by the number that ends its file name, the same in every
tool's corpus) gets one photo as its lead image: photo k of the N goes to release
(k - 1) * step, so all tools use the same files for the same releases. Each tool does the
same work per photo: WebP and JPEG at 480, 800, 1200, 1600 and 2400 px wide (never wider
than the original), a 1200 x 630 JPEG share crop (og:image), and the original published.
Qualities as partnerpress's (src/media/encode.rs): WebP 80, JPEG 82, share image 85;
resampling Lanczos where the tool lets you choose (Hugo; Zola's is fixed).

The corpus is edited in place (gen_corpus.py is read-only): photos copied in, front
matter lines added, and for Hugo and Zola the release template replaced.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

ALT = "Szene vor dem Klinikgebäude, Personen im Vordergrund (Benchmark-Foto {k:03d})"
CREDIT = "Foto: Benchmark-Fotograf"

HUGO_PAGE = """{{ define "head" }}{{ with .Params.image }}{{ with resources.Get . }}{{ with .Fill "1200x630 jpg q85 Lanczos Center" }}<meta property="og:image" content="{{ .Permalink }}">
{{ end }}{{ end }}{{ end }}{{ end }}
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>
<p class="partners">Partner: {{ range $i, $t := .GetTerms "partners" }}{{ if $i }}, {{ end }}<a href="{{ $t.Permalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>
{{ with .Params.image }}{{ with resources.Get . }}{{ $img := . }}{{ $widths := slice }}{{ range slice 480 800 1200 1600 2400 }}{{ if lt . $img.Width }}{{ $widths = $widths | append . }}{{ end }}{{ end }}
<figure><picture>
<source type="image/webp" srcset="{{ range $i, $w := $widths }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx webp q80 Lanczos" $w)).RelPermalink }} {{ $w }}w{{ end }}">
<img src="{{ ($img.Resize "800x jpg q82 Lanczos").RelPermalink }}" srcset="{{ range $i, $w := $widths }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx jpg q82 Lanczos" $w)).RelPermalink }} {{ $w }}w{{ end }}" sizes="(min-width: 50rem) 50rem, 100vw" width="{{ $img.Width }}" height="{{ $img.Height }}" alt="{{ $.Params.image_alt }}">
</picture>
<figcaption>{{ $.Params.image_credit }} <a href="{{ $img.RelPermalink }}" download>Original</a></figcaption></figure>
{{ end }}{{ end }}
{{ .Content }}
</article>
{{ end }}
"""

ZOLA_RELEASE = """{% extends "base.html" %}
{% block title %}{{ page.title }} – {{ config.title }}{% endblock title %}
{% block head %}{% if page.extra.image %}{% set share = resize_image(path=page.extra.image, width=1200, height=630, op="fill", format="jpg", quality=85) %}<meta property="og:image" content="{{ share.url | safe }}">
{% endif %}{% endblock head %}
{% block main %}<article>
<h1>{{ page.title }}</h1>
<p class="meta"><time datetime="{{ page.date }}">{{ page.date }}</time></p>
<p class="partners">Partner: {% for p in page.taxonomies.partners %}{% if not loop.first %}, {% endif %}{% set inst = get_page(path="institutions/" ~ p ~ ".md") %}<a href="{{ get_taxonomy_url(kind="partners", name=p) | safe }}">{{ inst.title }}</a>{% endfor %}</p>
{% if page.extra.image %}{% set src = page.extra.image %}{% set meta = get_image_metadata(path=src) %}
<figure><picture>
<source type="image/webp" srcset="{% for w in [480, 800, 1200, 1600, 2400] %}{% if w < meta.width %}{% set r = resize_image(path=src, width=w, op="fit_width", format="webp", quality=80) %}{% if not loop.first %}, {% endif %}{{ r.url | safe }} {{ w }}w{% endif %}{% endfor %}">
{% set fallback = resize_image(path=src, width=800, op="fit_width", format="jpg", quality=82) %}<img src="{{ fallback.url | safe }}" srcset="{% for w in [480, 800, 1200, 1600, 2400] %}{% if w < meta.width %}{% set r = resize_image(path=src, width=w, op="fit_width", format="jpg", quality=82) %}{% if not loop.first %}, {% endif %}{{ r.url | safe }} {{ w }}w{% endif %}{% endfor %}" sizes="(min-width: 50rem) 50rem, 100vw" width="{{ meta.width }}" height="{{ meta.height }}" alt="{{ page.extra.image_alt }}">
</picture>
<figcaption>{{ page.extra.image_credit }} <a href="{{ get_url(path=src) | safe }}" download>Original</a></figcaption></figure>
{% endif %}
{{ page.content | safe }}
</article>
{% endblock main %}
"""

NUMBER = re.compile(r"-(\d{6})$")


def releases(news: Path):
    """Release files by the number that ends their stem (shared by all tools' corpora)."""
    found = {}
    for path in news.glob("*.md"):
        match = NUMBER.search(path.stem)
        if match and "." not in path.stem:
            found[int(match.group(1))] = path
    return found


def add_front_matter(path: Path, lines, under=None):
    """Inserts `lines` after the opening `---` (or after the `under:` key) of `path`."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    if under is None:
        text = "---\n" + "".join(l + "\n" for l in lines) + text[4:]
    else:
        head, sep, rest = text.partition(f"\n{under}:\n")
        if sep:
            text = head + sep + "".join("  " + l + "\n" for l in lines) + rest
        else:
            end = text.index("\n---\n", 4) + 1
            text = text[:end] + f"{under}:\n" + "".join("  " + l + "\n" for l in lines) + text[end:]
    path.write_text(text, encoding="utf-8")


def replace_in(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", required=True, type=Path)
    parser.add_argument("--tool", required=True, choices=["partnerpress", "hugo", "zola"])
    parser.add_argument("--photos", required=True, type=Path, help="folder with p001.jpg …")
    parser.add_argument("--count", required=True, type=int)
    args = parser.parse_args()

    news = args.site / "content" / "news"
    by_number = releases(news)
    if not 0 < args.count <= len(by_number):
        sys.exit(f"add_photos.py: --count must be between 1 and {len(by_number)} releases")
    step = len(by_number) // args.count
    media = {
        "partnerpress": args.site / "content" / "media" / "photos",
        "hugo": args.site / "assets" / "photos",
        "zola": args.site / "static" / "photos",
    }[args.tool]
    media.mkdir(parents=True, exist_ok=True)
    numbers = sorted(by_number)
    for k in range(1, args.count + 1):
        name = f"p{k:03d}.jpg"
        source = args.photos / name
        if not source.is_file():
            sys.exit(f"add_photos.py: {source} missing")
        shutil.copyfile(source, media / name)
        release = by_number[numbers[(k - 1) * step]]
        src = f"photos/{name}"
        alt, credit = ALT.format(k=k), CREDIT
        if args.tool == "partnerpress":
            (media / f"p{k:03d}.yaml").write_text(f'alt: "{alt}"\ncredit: "{credit}"\n', encoding="utf-8")
            add_front_matter(release, [f"image: {src}"])
        elif args.tool == "hugo":
            add_front_matter(release, [f"image: {src}", f'image_alt: "{alt}"', f'image_credit: "{credit}"'])
        else:
            add_front_matter(release, [f"image: {src}", f'image_alt: "{alt}"', f'image_credit: "{credit}"'], under="extra")

    if args.tool == "hugo":
        (args.site / "layouts" / "page.html").write_text(HUGO_PAGE, encoding="utf-8")
        replace_in(args.site / "layouts" / "baseof.html", "</head>", '{{ block "head" . }}{{ end }}</head>')
    elif args.tool == "zola":
        (args.site / "templates" / "release.html").write_text(ZOLA_RELEASE, encoding="utf-8")
        replace_in(args.site / "templates" / "base.html", "</head>", "{% block head %}{% endblock head %}</head>")
    print(f"{args.tool}: {args.count} photos on every {step}th release -> {args.site}", file=sys.stderr)


if __name__ == "__main__":
    main()
