//! Every fact sheet prints on one A4 page with its figures, dates and sources.

use super::*;

#[test]
pub(crate) fn every_fact_sheet_prints_on_one_a4_page_with_its_dates_and_sources() {
    let Some(PrintTools {
        chromium,
        pdfinfo,
        pdftotext,
    }) = print_tools()
    else {
        return;
    };
    let start = Instant::now();
    let site = OwnSite::build();
    let server = StaticServer::start(&site.dir);
    let sheets: Vec<&SitePage> = site
        .pages
        .iter()
        .filter(|p| p.kind.ends_with("_factsheet"))
        .collect();
    assert!(
        sheets.len() >= 4,
        "expected institution and partnership fact sheets in both languages, found {}",
        sheets.len()
    );
    let tmp = tempfile::Builder::new()
        .prefix("partnerpress-pdf-")
        .tempdir()
        .expect("temp dir for the PDFs");
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for sheet in sheets {
        let url = format!("{}{}", server.url, sheet.route);
        let pdf = tmp.path().join(format!(
            "{}.pdf",
            sheet.route.trim_matches('/').replace('/', "_")
        ));
        print_to_pdf(&chromium, &tmp.path().join("profile"), &url, &pdf);
        let info = output_of(Command::new(&pdfinfo).arg(&pdf));
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned();
        let size = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned();
        results.push(format!("{}: {pages} page(s), {size}", sheet.route));
        if pages != "1" {
            problems.push(format!("{}: {pages} pages instead of one", sheet.route));
        }
        if !size.contains("A4") {
            problems.push(format!("{}: page size {size}, not A4", sheet.route));
        }
        // What must be readable on paper, and what must not be printed; compared
        // without white space and hyphens, since long addresses wrap (and pdftotext
        // joins a line broken after a hyphen without it).
        let text: String = output_of(Command::new(&pdftotext).arg(&pdf).arg("-"))
            .split_whitespace()
            .collect::<String>()
            .replace('-', "");
        let expected = PrintExpectation::of(&site.dir.join(&sheet.file));
        for wanted in &expected.printed {
            let squeezed: String = wanted
                .split_whitespace()
                .collect::<String>()
                .replace('-', "");
            if !text.contains(&squeezed) {
                problems.push(format!("{}: `{wanted}` is not in the PDF", sheet.route));
            }
        }
        for unwanted in &expected.not_printed {
            let squeezed: String = unwanted
                .split_whitespace()
                .collect::<String>()
                .replace('-', "");
            if text.contains(&squeezed) {
                problems.push(format!("{}: `{unwanted}` is printed", sheet.route));
            }
        }
    }
    drop(server);
    eprintln!("fact sheets as PDF:\n  {}", results.join("\n  "));
    assert!(
        problems.is_empty(),
        "fact sheets on paper:\n  {}\nall sheets:\n  {}",
        problems.join("\n  "),
        results.join("\n  ")
    );
    eprintln!("print test took {} ms", start.elapsed().as_millis());
}

/// Chromium and poppler's `pdfinfo` and `pdftotext`, or `None` (the test skips) when one
/// is missing.
pub(crate) struct PrintTools {
    pub(crate) chromium: PathBuf,
    pub(crate) pdfinfo: PathBuf,
    pub(crate) pdftotext: PathBuf,
}

pub(crate) fn print_tools() -> Option<PrintTools> {
    Some(PrintTools {
        chromium: require("Chromium", chromium(), BROWSER_PACKAGES)?,
        pdfinfo: require("pdfinfo", on_path("pdfinfo"), BROWSER_PACKAGES)?,
        pdftotext: require("pdftotext", on_path("pdftotext"), BROWSER_PACKAGES)?,
    })
}

/// `chromium --headless --print-to-pdf` of `url`, in its own process group.
pub(crate) fn print_to_pdf(chromium: &Path, profile: &Path, url: &str, pdf: &Path) {
    let mut command = Command::new(chromium);
    command
        .args(CHROMIUM_ARGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut chromium = Group::spawn(command);
    match chromium.wait(Duration::from_secs(60)) {
        Some(status) if status.success() && pdf.is_file() => {}
        Some(status) => panic!("Chromium exited with {status} and no PDF for {url}"),
        None => panic!("Chromium did not print {url} within 60 s"),
    }
}

pub(crate) fn output_of(command: &mut Command) -> String {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", command.get_program()));
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a fact sheet's HTML says must (and must not) appear on its printed page.
pub(crate) struct PrintExpectation {
    /// Each figure's label, value and date; each source's title and address (the
    /// absolute address of an internal source, the `href` of an external one).
    pub(crate) printed: Vec<String>,
    /// The screen-only tools: the keyboard hint and the print button.
    pub(crate) not_printed: Vec<String>,
}

impl PrintExpectation {
    pub(crate) fn of(file: &Path) -> Self {
        let html = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let doc = scraper::Html::parse_document(&html);
        let select = |css: &str| scraper::Selector::parse(css).expect("selector");
        let text = |el: scraper::ElementRef| el.text().collect::<String>().trim().to_owned();
        let mut printed = Vec::new();
        let single = "table.facts:not(.facts-compare) tbody td.num, table.facts tbody time";
        for cell in doc.select(&select(single)) {
            printed.push(text(cell));
        }
        // A comparison cell: its value (the first text), its date (above) and source.
        for cell in doc.select(&select("table.facts-compare tbody td.num:not(.missing)")) {
            let value = cell.text().next().unwrap_or_default().trim().to_owned();
            printed.push(value);
        }
        for source in doc.select(&select(".sources li")) {
            let link = source
                .select(&select("a"))
                .next()
                .unwrap_or_else(|| panic!("{}: a source without a link", file.display()));
            printed.push(text(link));
            match source.select(&select(".print-url")).next() {
                Some(url) => printed.push(
                    text(url)
                        .trim_start_matches('(')
                        .trim_end_matches(')')
                        .to_owned(),
                ),
                None => printed.push(link.value().attr("href").unwrap_or_default().to_owned()),
            }
        }
        let not_printed = doc
            .select(&select(".print-hint, .print-button"))
            .map(text)
            .collect();
        Self {
            printed,
            not_printed,
        }
    }
}

/// A printed release keeps its details box (issuer, partnership, partners, topics) whole
/// on one page, and leaves out the list of other releases.
#[test]
pub(crate) fn releases_print_with_their_details_box_on_one_page() {
    let Some(PrintTools {
        chromium,
        pdfinfo,
        pdftotext,
    }) = print_tools()
    else {
        return;
    };
    let site = OwnSite::build();
    let server = StaticServer::start(&site.dir);
    let releases: Vec<&SitePage> = site.pages.iter().filter(|p| p.kind == "release").collect();
    assert!(
        releases.len() >= 2,
        "expected releases, found {}",
        releases.len()
    );
    let tmp = tempfile::Builder::new()
        .prefix("partnerpress-pdf-")
        .tempdir()
        .expect("temp dir for the PDFs");
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let mut problems = Vec::new();
    for release in releases {
        let html = std::fs::read_to_string(site.dir.join(&release.file)).expect("read a release");
        let doc = scraper::Html::parse_document(&html);
        let details = scraper::Selector::parse(".release .details").expect("selector");
        let Some(box_text) = doc
            .select(&details)
            .next()
            .map(|d| squeeze(&d.text().collect::<String>()))
        else {
            continue;
        };
        let related = scraper::Selector::parse(".related h2").expect("selector");
        let related = doc
            .select(&related)
            .next()
            .map(|h| squeeze(&h.text().collect::<String>()));
        let pdf = tmp.path().join(format!(
            "{}.pdf",
            release.route.trim_matches('/').replace('/', "_")
        ));
        print_to_pdf(
            &chromium,
            &tmp.path().join("profile"),
            &format!("{}{}", server.url, release.route),
            &pdf,
        );
        let info = output_of(Command::new(&pdfinfo).arg(&pdf));
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        let page_texts: Vec<String> = (1..=pages)
            .map(|n| {
                let n = n.to_string();
                squeeze(&output_of(
                    Command::new(&pdftotext)
                        .args(["-f", &n, "-l", &n])
                        .arg(&pdf)
                        .arg("-"),
                ))
            })
            .collect();
        if !page_texts.iter().any(|t| t.contains(&box_text)) {
            problems.push(format!(
                "{}: the details box is split across pages",
                release.route
            ));
        }
        if let Some(heading) = related.filter(|h| page_texts.iter().any(|t| t.contains(h.as_str())))
        {
            problems.push(format!("{}: `{heading}` is printed", release.route));
        }
    }
    drop(server);
    assert!(
        problems.is_empty(),
        "releases on paper:\n  {}",
        problems.join("\n  ")
    );
}
