//! The network and the map read at every width: on the project's site, the spec-site
//! and the fifty fixture, at 390 and 1280 px, every name of the network and of the map
//! is 12–14 CSS pixels high (its computed size times the scale its SVG is drawn at),
//! no two names' boxes overlap, and no name covers a dot.

use super::*;

/// The sites checked: the project's own and two fixtures.
const SITES: &[&str] = &[".", "tests/fixtures/spec-site", "tests/fixtures/fifty"];

/// What is wrong with the graphics of the open page (an empty list when nothing), and
/// how many names were measured.
const MEASURE: &str = "const problems = [];
    let names = 0;
    const NAMES = '.net-node text, .map-label';
    const box = el => el.getBoundingClientRect();
    const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
    const say = el => JSON.stringify(el.textContent.trim().slice(0, 40));
    for (const chart of document.querySelectorAll('.net-chart, .map-chart')) {
      const labels = [...chart.querySelectorAll(NAMES)].filter(el => box(el).width > 0);
      const dots = [...chart.querySelectorAll('circle')].map(box);
      names += labels.length;
      for (const el of labels) {
        const svg = el.ownerSVGElement;
        const ctm = svg ? el.getScreenCTM() : null;
        const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
        const px = parseFloat(getComputedStyle(el).fontSize) * scale;
        if (px < 12 || px > 14) problems.push(say(el) + ' is ' + px.toFixed(1) + ' px');
      }
      for (let i = 0; i < labels.length; i++) {
        const a = box(labels[i]);
        for (let j = i + 1; j < labels.length; j++) {
          if (hit(a, box(labels[j]))) problems.push(say(labels[i]) + ' overlaps ' + say(labels[j]));
        }
        if (dots.some(d => hit(a, d))) problems.push(say(labels[i]) + ' covers a dot');
      }
    }
    return { problems, names };";

#[test]
pub(crate) fn graph_and_map_names_are_12_to_14_px_and_never_overlap() {
    let Some(driver_path) = require("chromedriver", chromedriver(), BROWSER_PACKAGES) else {
        return;
    };
    let built: Vec<(tempfile::TempDir, PathBuf, Vec<String>)> =
        SITES.iter().map(|root| build_site(root)).collect();
    let mut problems = Vec::new();
    let mut report = Vec::new();
    for (site, (_tmp, dir, pages)) in SITES.iter().zip(&built) {
        assert!(!pages.is_empty(), "{site}: no page with a network or a map");
        let server = StaticServer::start(dir);
        let urls: Vec<String> = pages.iter().map(|p| format!("{}{p}", server.url)).collect();
        let (found, names) = in_browser(&driver_path, Vec::new(), false, async move |client, _| {
            let mut found = Vec::new();
            let mut names = 0;
            for &width in WIDTHS {
                set_viewport_width(&client, width).await;
                for url in &urls {
                    within(STEP, "open a page", client.goto(url))
                        .await
                        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
                    let out = within(
                        STEP,
                        "measure the graphics",
                        client.execute(MEASURE, vec![]),
                    )
                    .await
                    .unwrap_or_else(|e| panic!("cannot measure {url}: {e}"));
                    names += out["names"].as_u64().unwrap_or_default();
                    for p in out["problems"].as_array().into_iter().flatten() {
                        found.push(format!("{width} px: {url}: {}", p.as_str().unwrap_or("?")));
                    }
                }
            }
            (found, names)
        });
        drop(server);
        assert!(names > 0, "{site}: no name measured");
        report.push(format!("{site}: {} pages, {names} names", pages.len()));
        problems.extend(found);
    }
    assert!(
        problems.is_empty(),
        "graphics that do not read:\n  {}",
        problems.join("\n  ")
    );
    eprintln!("graph and map names: {}", report.join("; "));
}

/// Builds the site at `root` (relative to the crate) at the server's root, and lists
/// the addresses of its pages with a network or a map.
fn build_site(root: &str) -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let tmp = tempfile::Builder::new()
        .prefix("partnerpress-graphics-")
        .tempdir()
        .expect("temp dir");
    let dir = tmp.path().join("public");
    let report = partnerpress::Session::once(partnerpress::BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join(root),
        output: Some(dir.clone()),
        base_url: Some("https://example.org/".into()),
        now: Some("2026-11-30T12:00:00+01:00".parse().expect("a timestamp")),
        // The spec-site links a few files under its own base path on purpose.
        no_link_check: true,
        ..Default::default()
    })
    .run(partnerpress::Mode::Build)
    .unwrap_or_else(|e| panic!("cannot build {root}: {e:#}"));
    assert!(
        !report.has_errors(),
        "{root} does not build: {:#?}",
        report.diagnostics
    );
    let pages = files_under(&dir)
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("html"))
        .filter(|p| {
            let html = std::fs::read_to_string(p).unwrap_or_default();
            html.contains("class=\"net-chart\"") || html.contains("class=\"map-chart\"")
        })
        .map(|p| {
            let file = p
                .strip_prefix(&dir)
                .expect("under the output")
                .to_string_lossy();
            file.replace('\\', "/")
                .trim_end_matches("index.html")
                .to_owned()
        })
        .collect();
    (tmp, dir, pages)
}
