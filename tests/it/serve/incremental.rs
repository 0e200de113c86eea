//! The incremental `Session` against clean renders of the same state.

use super::*;

// ---------------------------------------------------------------------------------------
// Incremental rebuilds in the library

/// What one render gave: every file, or the rendered errors when there is no site.
#[derive(PartialEq)]
enum Rendered {
    Site(BTreeMap<String, Vec<u8>>),
    Failed(Vec<String>),
}

fn rendered(report: BuildReport) -> Rendered {
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render())
        .collect();
    match report.site {
        Some(site) if errors.is_empty() => {
            let mut files = BTreeMap::new();
            let on_disk = (site.on_disk.into_iter())
                .map(|(path, file)| (path, std::fs::read(file).expect("a cached file")));
            let in_memory = (site.files.into_iter()).map(|f| (f.path, f.contents.to_vec()));
            for (path, bytes) in in_memory.chain(on_disk) {
                assert!(
                    files.insert(path.clone(), bytes).is_none(),
                    "`{path}` rendered twice"
                );
            }
            Rendered::Site(files)
        }
        _ => Rendered::Failed(errors),
    }
}

/// Why two renders differ, in a few lines.
fn explain(incremental: &Rendered, clean: &Rendered) -> String {
    match (incremental, clean) {
        (Rendered::Site(a), Rendered::Site(b)) => {
            let mut lines = Vec::new();
            for (path, bytes) in a {
                match b.get(path) {
                    None => lines.push(format!("only incremental: {path}")),
                    Some(other) if other != bytes => {
                        let (a, b) = (
                            String::from_utf8_lossy(bytes),
                            String::from_utf8_lossy(other),
                        );
                        let at = a
                            .bytes()
                            .zip(b.bytes())
                            .position(|(x, y)| x != y)
                            .unwrap_or(a.len().min(b.len()));
                        lines.push(format!(
                            "differs: {path}\n  incremental: …{}…\n  clean:       …{}…",
                            around(&a, at),
                            around(&b, at)
                        ));
                    }
                    Some(_) => {}
                }
            }
            lines.extend(
                b.keys()
                    .filter(|p| !a.contains_key(*p))
                    .map(|p| format!("only clean: {p}")),
            );
            lines.truncate(12);
            lines.join("\n")
        }
        (Rendered::Failed(a), Rendered::Failed(b)) => {
            format!(
                "incremental errors:\n{}\nclean errors:\n{}",
                a.join("\n"),
                b.join("\n")
            )
        }
        (Rendered::Site(_), Rendered::Failed(e)) => {
            format!("incremental built a site, clean failed:\n{}", e.join("\n"))
        }
        (Rendered::Failed(e), Rendered::Site(_)) => {
            format!("clean built a site, incremental failed:\n{}", e.join("\n"))
        }
    }
}

/// Up to 60 bytes either side of byte `at` of `text`, cut at character boundaries.
fn around(text: &str, at: usize) -> &str {
    let boundary = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    &text[boundary(at.saturating_sub(60))..boundary(at + 60)]
}

/// One step of the edit sequence.
type Edit = Box<dyn Fn(&Fixture)>;

#[test]
fn incremental_rebuilds_equal_clean_builds_after_every_edit() {
    let fixture = Fixture::copy(SPEC_SITE);
    let opts = fixture.options();
    let mut session = Session::new(opts.clone());
    let new_release = "content/news/2024-08-01-neue-meldung.md";
    let steps: Vec<(&str, Edit)> = vec![
        ("the first render", Box::new(|_| {})),
        (
            "a release text, below its first words",
            Box::new(|f| {
                f.edit(
                    RELEASE,
                    "in der Übergangspflege soll",
                    "in der Übergangspflege und der Nachsorge soll",
                )
            }),
        ),
        (
            "a release text's first words, in the search index",
            Box::new(|f| f.edit(RELEASE, "und das KSW blicken", "und das KSW schauen")),
        ),
        (
            "a translation's text",
            Box::new(|f| f.edit(TRANSLATION, "An analysis using", "An analysis with")),
        ),
        (
            "an original's text, shown in a language without a translation",
            Box::new(|f| f.edit(LINKED, "soll eine Auswertung", "soll eine erste Auswertung")),
        ),
        (
            "a removed heading that another release links to",
            Box::new(|f| f.edit(LINKED, "## Nächste Schritte", "Nächste Schritte:")),
        ),
        (
            "the heading back",
            Box::new(|f| f.edit(LINKED, "Nächste Schritte:", "## Nächste Schritte")),
        ),
        (
            "a text after the heading came back",
            Box::new(|f| f.edit(LINKED, "ob die Uniklinik", "ob das Uniklinikum")),
        ),
        (
            "an institution's profile text, in the search index",
            Box::new(|f| {
                f.edit(
                    "content/institutions/klinikum-suedhoehe.md",
                    "Das Klinikum Südhöhe Würzburg ist ein erfundenes",
                    "Das Klinikum Südhöhe Würzburg ist ein ausgedachtes",
                )
            }),
        ),
        (
            "its translation's text",
            Box::new(|f| {
                f.edit(
                    "content/institutions/klinikum-suedhoehe.en.md",
                    "is a fictional acute-care hospital",
                    "is an invented acute-care hospital",
                )
            }),
        ),
        (
            "a partnership's text",
            Box::new(|f| {
                f.edit(
                    "content/partnerships/drei-partner.md",
                    "Über den Stand berichtet",
                    "Über den Stand der Arbeit berichtet",
                )
            }),
        ),
        (
            "a free page's text and its translation's",
            Box::new(|f| {
                f.edit(
                    "content/pages/kontakt.md",
                    "es wird\nniemand",
                    "es wird\nkeiner",
                );
                f.edit(
                    "content/pages/kontakt.en.md",
                    "nobody\nwill",
                    "no one\nwill",
                );
            }),
        ),
        (
            "a release's partners, on its partners' pages and feeds",
            Box::new(|f| {
                f.edit(
                    RELEASE,
                    "partners: [gesundheitsamt-tannenfeld, klinikum-suedhoehe]",
                    "partners: [gesundheitsamt-tannenfeld, klinikum-suedhoehe, uniklinik-saalestadt]",
                )
            }),
        ),
        (
            "a text with a broken link",
            Box::new(|f| {
                f.edit(
                    LINKED,
                    "ob das Uniklinikum",
                    "ob das [Uniklinikum](@/news/fehlt.md)",
                )
            }),
        ),
        (
            "the link mended",
            Box::new(|f| f.edit(LINKED, "[Uniklinikum](@/news/fehlt.md)", "Uniklinikum")),
        ),
        (
            "a release title",
            Box::new(|f| f.write(RELEASE, &retitled(f, RELEASE, "Inkrementell neuer Titel"))),
        ),
        (
            "a blank release title, an error",
            Box::new(|f| f.write(RELEASE, &retitled(f, RELEASE, "\"  \""))),
        ),
        (
            "the title back",
            Box::new(|f| f.write(RELEASE, &retitled(f, RELEASE, "Inkrementell neuer Titel"))),
        ),
        (
            "a release summary, on its card and in feeds, search and open data",
            Box::new(|f| {
                f.edit(
                    RELEASE,
                    "summary: Eine Meldung ohne Partnerschaft, nur mit zwei beteiligten Einrichtungen.",
                    "summary: \"Eine Meldung: ohne Partnerschaft, mit zwei Einrichtungen.\" # neu",
                )
            }),
        ),
        (
            "the newest release's title and text at once, in the site's feed",
            Box::new(|f| {
                f.edit(
                    NEWEST,
                    "title: Übergangspflege mit",
                    "title: Übergangspflege dank",
                );
                f.edit(NEWEST, "\n---\n", "\n---\n\nEin neuer erster Satz.\n");
            }),
        ),
        (
            "the title of a release that a fact cites, on fact sheets",
            Box::new(|f| f.write(LINKED, &retitled(f, LINKED, "Register am Schalttag"))),
        ),
        (
            "an institution's name, on many pages",
            Box::new(|f| {
                f.edit(
                    "content/institutions/uniklinik-saalestadt.md",
                    "name: Universitätsklinikum Saalestadt",
                    "name: Universitätsklinikum Neu-Saalestadt",
                )
            }),
        ),
        (
            "a new release",
            Box::new(move |f| {
                f.write(
                    new_release,
                    "---\ntitle: Eine ganz neue Meldung\ndate: 2024-08-01\n\
                     partners: [uniklinik-saalestadt, klinikum-suedhoehe]\n\
                     summary: Neu hinzugefügt.\ntopics: [Übergangspflege]\n---\n\n\
                     Das Universitätsklinikum Saalestadt meldet etwas Neues.\n",
                )
            }),
        ),
        (
            "a deleted release",
            Box::new(|f| {
                std::fs::remove_file(f.root().join("content/news/2024-06-10-ohne-autolink.md"))
                    .expect("delete a release")
            }),
        ),
        (
            "the site title",
            Box::new(|f| {
                f.edit(
                    "content/site.yaml",
                    "title: Testnetz Klinikpartnerschaften",
                    "title: Testnetz der Klinikpartnerschaften",
                )
            }),
        ),
        (
            "the URL segments",
            Box::new(|f| {
                f.edit(
                    "content/site.yaml",
                    "title: Testnetz der Klinikpartnerschaften",
                    "title: Testnetz der Klinikpartnerschaften\n\
                     segments: { de: { news: meldungen }, en: { partners: members } }",
                )
            }),
        ),
        (
            "former segments and an old address of a release",
            Box::new(|f| {
                f.edit(
                    "content/site.yaml",
                    "segments: { de:",
                    "former_segments: { de: { news: nachrichten } }\nsegments: { de:",
                );
                f.edit(
                    RELEASE,
                    "\ntitle:",
                    "\nredirect_from: [/archiv/meldung/]\ntitle:",
                );
            }),
        ),
        (
            "a release's topics, on topic pages and their feeds",
            Box::new(|f| {
                f.edit(
                    RELEASE,
                    "topics: [Übergangspflege]",
                    "topics: [Übergangspflege, Gefäßchirurgie]",
                )
            }),
        ),
        (
            "a release's date, reordering lists, feeds and the timeline",
            Box::new(|f| f.edit(RELEASE, GOOD_DATE, "date: 2024-06-30")),
        ),
        (
            "the date back",
            Box::new(|f| f.edit(RELEASE, "date: 2024-06-30", GOOD_DATE)),
        ),
        (
            "a partnership's event, on its page and the timeline",
            Box::new(|f| {
                f.edit(
                    "content/partnerships/drei-partner.md",
                    "Viertes Partnertreffen in Würzburg",
                    "Viertes Partnertreffen in Erlbach",
                )
            }),
        ),
        (
            "an interface string in the site's theme, on every page",
            Box::new(|f| {
                let built_in = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n/de.yaml");
                let text = std::fs::read_to_string(built_in).expect("the built-in strings");
                let text = text.replacen("\"nav.media\": Medien", "\"nav.media\": Bilder", 1);
                assert!(text.contains("Bilder"), "the built-in strings changed");
                f.write("themes/default/i18n/de.yaml", &text)
            }),
        ),
        (
            "a template of the site's theme",
            Box::new(|f| {
                let built_in = concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/themes/default/templates/partials/press_kit.html"
                );
                let text = std::fs::read_to_string(built_in).expect("the built-in partial");
                f.write(
                    "themes/default/templates/partials/press_kit.html",
                    &format!("<!-- eigene Vorlage -->\n{text}"),
                )
            }),
        ),
        (
            "the site's theme removed, back to the built-in one",
            Box::new(|f| {
                std::fs::remove_dir_all(f.root().join("themes")).expect("remove the theme")
            }),
        ),
        (
            "a broken release",
            Box::new(|f| f.edit(RELEASE, GOOD_DATE, BAD_DATE)),
        ),
        (
            "the fixed release",
            Box::new(|f| f.edit(RELEASE, BAD_DATE, GOOD_DATE)),
        ),
        (
            "the new release, deleted again",
            Box::new(move |f| {
                std::fs::remove_file(f.root().join(new_release)).expect("delete the new release")
            }),
        ),
    ];
    let failing = [
        "a blank release title, an error",
        "a broken release",
        "a removed heading that another release links to",
        "a text with a broken link",
    ];
    let patched = each_equal_to_clean(&fixture, &mut session, steps, &failing);
    // The edits of texts alone were patched (so the comparisons above tested the
    // patch), and nothing else was.
    assert_eq!(
        patched,
        [
            "a release text, below its first words",
            "a release text's first words, in the search index",
            "a translation's text",
            "an original's text, shown in a language without a translation",
            "a text after the heading came back",
            "an institution's profile text, in the search index",
            "its translation's text",
            "a partnership's text",
            "a free page's text and its translation's",
            "a release title",
            "a release summary, on its card and in feeds, search and open data",
            "the newest release's title and text at once, in the site's feed",
            "the title of a release that a fact cites, on fact sheets",
        ]
    );
}

#[test]
fn patched_edits_of_photographed_releases_equal_clean_builds() {
    let fixture = Fixture::copy("media");
    let mut session = Session::new(fixture.options());
    const SIGNED: &str = "content/news/2025-06-24-unterzeichnung.md";
    const SIGNED_EN: &str = "content/news/2025-06-24-unterzeichnung.en.md";
    const END: &str = "ihren Rahmenvertrag unterzeichnet.";
    let steps: Vec<(&str, Edit)> = vec![
        ("the first render", Box::new(|_| {})),
        (
            "the text of a release with a photo and a press kit",
            Box::new(|f| {
                f.edit(
                    SIGNED,
                    END,
                    "ihren Rahmenvertrag unterzeichnet.\n\nEr gilt fünf Jahre.",
                )
            }),
        ),
        (
            "its translation's text",
            Box::new(|f| f.edit(SIGNED_EN, "\n---\n", "\n---\n\nA first line.\n")),
        ),
        (
            "a photo in its text",
            Box::new(|f| {
                f.edit(
                    SIGNED,
                    "Er gilt fünf Jahre.",
                    "Er gilt fünf Jahre.\n\n![Das Netz](@/media/grafiken/neubau.svg)",
                )
            }),
        ),
        (
            "its lead photo",
            Box::new(|f| {
                f.edit(
                    SIGNED,
                    "image: grafiken/netzwerk.svg",
                    "image: { src: unbenutzt.svg, alt: Ein schwarzes Quadrat }",
                )
            }),
        ),
        (
            "its title, on its share card",
            Box::new(|f| {
                f.edit(
                    SIGNED,
                    "title: Rahmenvertrag unterzeichnet",
                    "title: Vertrag unterzeichnet",
                )
            }),
        ),
        (
            "its summary, which its translation copies",
            Box::new(|f| {
                f.edit(
                    SIGNED,
                    "title: Vertrag unterzeichnet\n",
                    "title: Vertrag unterzeichnet\nsummary: Fünf Jahre gemeinsam.\n",
                )
            }),
        ),
        (
            "its translation's title",
            Box::new(|f| {
                f.edit(
                    SIGNED_EN,
                    "title: Framework agreement signed",
                    "title: Agreement signed",
                )
            }),
        ),
        (
            "its translation's own summary",
            Box::new(|f| {
                f.edit(
                    SIGNED_EN,
                    "title: Agreement signed\n",
                    "title: Agreement signed\nsummary: Five years together.\n",
                )
            }),
        ),
        (
            "its title and its translation's title at once",
            Box::new(|f| {
                f.edit(
                    SIGNED,
                    "title: Vertrag unterzeichnet",
                    "title: Vertrag geschlossen",
                );
                f.edit(
                    SIGNED_EN,
                    "title: Agreement signed",
                    "title: Agreement concluded",
                );
            }),
        ),
        (
            "its translation's title removed, which shows the original's",
            Box::new(|f| f.edit(SIGNED_EN, "title: Agreement concluded\n", "")),
        ),
        (
            "its text once more",
            Box::new(|f| f.edit(SIGNED, "Er gilt fünf Jahre.", "Er gilt sechs Jahre.")),
        ),
        (
            "the credit of the photo in its text, on figures, kits and the media library",
            Box::new(|f| {
                f.edit(
                    NEUBAU_SIDECAR,
                    "\n",
                    "\ncredit: \"Skizze: Bauamt Saalestadt\"\n",
                )
            }),
        ),
        (
            "a translation of that photo's texts",
            Box::new(|f| {
                f.write(
                    "content/media/grafiken/neubau.en.yaml",
                    "alt: The planned new building as a sketch\n",
                )
            }),
        ),
        (
            "that photo's file replaced, under a new hashed address",
            Box::new(|f| f.edit("content/media/grafiken/neubau.svg", "#a72", "#27a")),
        ),
    ];
    let patched = each_equal_to_clean(&fixture, &mut session, steps, &[]);
    assert_eq!(
        patched,
        [
            "the text of a release with a photo and a press kit",
            "its translation's text",
            "its title, on its share card",
            "its summary, which its translation copies",
            "its translation's title",
            "its translation's own summary",
            "its title and its translation's title at once",
            "its translation's title removed, which shows the original's",
            "its text once more",
        ]
    );
}

/// Runs each step's edit, then `session` told the files it changed, and compares the
/// result with a clean render; only the steps in `failing` fail. Returns the steps
/// the session patched instead of rendering the whole site.
fn each_equal_to_clean(
    fixture: &Fixture,
    session: &mut Session,
    steps: Vec<(&'static str, Edit)>,
    failing: &[&str],
) -> Vec<&'static str> {
    let opts = fixture.options();
    let root = fixture.root().canonicalize().expect("site root");
    let mut patched = Vec::new();
    for (step, edit) in steps {
        let before = snapshot(&root);
        edit(fixture);
        // What a native watcher would report: every file the step changed.
        session.changed(changed_since(&root, &before));
        let report = session.run(Mode::Serve).expect("incremental render");
        if report.full_because.is_none() && !report.remade.is_empty() {
            patched.push(step);
        }
        let incremental = rendered(report);
        let clean = rendered(
            Session::once(opts.clone())
                .run(Mode::Serve)
                .expect("clean render"),
        );
        assert!(
            incremental == clean,
            "after {step}, the incremental render differs from a clean one:\n{}",
            explain(&incremental, &clean)
        );
        let expect_failure = failing.contains(&step);
        assert_eq!(
            matches!(clean, Rendered::Failed(_)),
            expect_failure,
            "after {step}: {}",
            match &clean {
                Rendered::Failed(e) => e.join("\n"),
                Rendered::Site(_) => "a site".to_owned(),
            }
        );
    }
    patched
}

/// The newest release, among the entries of the site's feed.
const NEWEST: &str = "content/news/2024-06-10-ohne-autolink.md";
/// A translated release that another release links into by `#anchor`.
const LINKED: &str = "content/news/2024-02-29-register-schaltjahr.md";
const TRANSLATION: &str = "content/news/2024-02-29-register-schaltjahr.en.md";
/// The texts of a photo that the media fixture's steps put into a release's text.
const NEUBAU_SIDECAR: &str = "content/media/grafiken/neubau.yaml";

/// Every file under `root` with its contents.
fn snapshot(root: &std::path::Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.insert(path, bytes);
            }
        }
    }
    files
}

/// The files added, removed or changed since `before`.
fn changed_since(
    root: &std::path::Path,
    before: &BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> Vec<std::path::PathBuf> {
    let after = snapshot(root);
    let mut changed: Vec<_> = (after.iter())
        .filter(|(p, b)| before.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    changed
}

#[test]
fn a_title_edit_renders_few_pages_again() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut session = Session::new(fixture.options());
    let mut render = || {
        let report = session.run(Mode::Serve).expect("render in memory");
        assert!(report.site.is_some(), "{:#?}", report.diagnostics);
        (report.pages_rendered, report.pages_reused)
    };
    let (rendered, reused) = render();
    let total = rendered + reused;
    assert_eq!(reused, 0, "the first render reused {reused} pages");
    assert!(total > 50, "{total} pages");

    fixture.write(RELEASE, &retitled(&fixture, RELEASE, "Nur der Titel"));
    let (rendered, reused) = render();
    assert_eq!(rendered + reused, total, "the page count changed");
    assert!(
        rendered >= 1 && rendered * 3 <= total,
        "a title edit rendered {rendered} of {total} pages again"
    );

    // Nothing changed: nothing rendered.
    let (rendered, _) = render();
    assert_eq!(rendered, 0, "an unchanged site rendered pages");
}

#[test]
fn a_late_report_of_a_patched_save_rebuilds_nothing() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut session = Session::new(fixture.options());
    session.run(Mode::Serve).expect("first render");
    let path = fixture.root().canonicalize().expect("root").join(RELEASE);
    fixture.edit(RELEASE, "Eine Meldung ohne", "Eine Nachricht ohne");
    session.changed(vec![path.clone()]);
    let report = session.run(Mode::Serve).expect("patched render");
    assert!(
        report.full_because.is_none() && !report.remade.is_empty(),
        "patched"
    );
    // The watcher may report the same save again: it was built.
    assert!(session.already_built(std::slice::from_ref(&path)));
    fixture.edit(RELEASE, "Eine Nachricht ohne", "Eine Meldung ohne");
    assert!(
        !session.already_built(&[path]),
        "a new save is not built yet"
    );
}

/// A deleted release cannot be patched; the full rebuild says why in words a user
/// recognises.
#[test]
fn a_deleted_release_is_named_as_the_reason_for_a_full_rebuild() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut session = Session::new(fixture.options());
    session.run(Mode::Serve).expect("first render");
    let path = fixture.root().canonicalize().expect("root").join(RELEASE);
    std::fs::remove_file(&path).expect("delete the release");
    session.changed(vec![path]);
    let report = session.run(Mode::Serve).expect("full render");
    assert_eq!(
        report.full_because.as_deref(),
        Some(format!("{RELEASE} was deleted or moved").as_str())
    );
}

/// A rebuild reuses an unchanged page with the links read from it before, and still
/// checks them against the site as it is now: a download removed under a page that
/// stays the same is a broken link.
#[test]
fn a_reused_page_s_links_are_checked_again() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.write("content/static/downloads/bilanz.pdf", "%PDF-1.4\n");
    fixture.edit(
        RELEASE,
        "\n---\n",
        "\n---\n\nDie [Bilanz als PDF](/sub/path/downloads/bilanz.pdf) liegt bei.\n",
    );
    let mut session = Session::new(fixture.options());
    let first = session.run(Mode::Serve).expect("render in memory");
    assert!(first.site.is_some(), "{:#?}", first.diagnostics);

    std::fs::remove_file(fixture.root().join("content/static/downloads/bilanz.pdf"))
        .expect("remove the download");
    let second = session.run(Mode::Serve).expect("render in memory");
    assert_eq!(second.pages_rendered, 0, "no page shows anything new");
    let broken: Vec<String> = (second.diagnostics.iter())
        .map(|d| format!("{}: {}", d.path.display(), d.message))
        .filter(|d| d.contains("bilanz.pdf"))
        .collect();
    assert_eq!(broken.len(), 1, "{:#?}", second.diagnostics);
    assert!(broken[0].contains(RELEASE), "{broken:?}");
}

/// `--timings` says why a rebuild made each page again: the release whose card it
/// shows differently, one it now shows or no longer shows, or its own release.
#[test]
fn a_rebuild_names_the_release_that_made_each_page_again() {
    let fixture = Fixture::copy(SPEC_SITE);
    let mut session = Session::new(fixture.options());
    let first = session.run(Mode::Serve).expect("render in memory");
    assert!(first.site.is_some(), "{:#?}", first.diagnostics);
    fixture.edit(
        RELEASE,
        "topics: [Übergangspflege]",
        "topics: [Übergangspflege, Gefäßchirurgie]",
    );
    let report = session.run(Mode::Serve).expect("render in memory");
    assert!(report.site.is_some(), "{:#?}", report.diagnostics);
    let why = |path: &str| {
        (report.remade.iter())
            .find_map(|line| line.strip_prefix(path)?.strip_prefix(": "))
            .unwrap_or_else(|| panic!("{path} not made again: {:#?}", report.remade))
            .to_owned()
    };
    assert_eq!(
        why("themen/gefaesschirurgie/index.html"),
        format!("it now shows {RELEASE}")
    );
    assert_eq!(
        why("themen/uebergangspflege/index.html"),
        format!("the card of {RELEASE} changed")
    );
    assert_eq!(
        why(&format!("{RELEASE_ROUTE}index.html")),
        format!("{RELEASE} or a name it shows changed")
    );
    fixture.edit(
        RELEASE,
        "topics: [Übergangspflege, Gefäßchirurgie]",
        "topics: [Übergangspflege]",
    );
    let report = session.run(Mode::Serve).expect("render in memory");
    let why = (report.remade.iter())
        .find_map(|line| line.strip_prefix("themen/gefaesschirurgie/index.html: "))
        .unwrap_or_else(|| panic!("{:#?}", report.remade));
    assert_eq!(why, format!("it no longer shows {RELEASE}"));
}
