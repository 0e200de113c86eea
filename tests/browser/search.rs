//! The search page of a site with many releases (the fifty fixture): results show dates
//! as pages do, mark the words that matched, and reach past the first fifty hits.

use super::*;

/// A word found in far more than fifty entries of the fifty fixture.
const QUERY: &str = "versorgung";

#[test]
pub(crate) fn search_results_mark_matches_show_local_dates_and_reach_every_hit() {
    let Some(driver_path) = require("chromedriver", chromedriver(), BROWSER_PACKAGES) else {
        return;
    };
    let tmp = tempfile::Builder::new()
        .prefix("partnerpress-search-")
        .tempdir()
        .expect("temp dir");
    let dir = tmp.path().join("public");
    let report = partnerpress::Session::once(partnerpress::BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fifty"),
        output: Some(dir.clone()),
        ..Default::default()
    })
    .run(partnerpress::Mode::Build)
    .unwrap_or_else(|e| panic!("cannot build the fifty fixture: {e:#}"));
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let server = StaticServer::start(&dir);
    let url = format!("{}suche/?q={QUERY}", server.url);
    let found = in_browser(&driver_path, Vec::new(), false, async move |client, _| {
        within(STEP, "open the search page", client.goto(&url))
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        let first = wait_for_results(&client, 1).await;
        let clicked = within(STEP, "show more", client.execute(SHOW_MORE, vec![]))
            .await
            .unwrap_or_else(|e| panic!("cannot click: {e}"));
        assert_eq!(clicked, true, "no visible 'show more' button: {first}");
        let second = wait_for_results(&client, 51).await;
        let short = within(
            STEP,
            "a one-letter query",
            client.execute(ONE_LETTER, vec![]),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot type: {e}"));
        (first, second, short)
    });
    drop(server);
    let (first, second, short) = found;
    assert_eq!(
        short["status"], "Bitte mindestens zwei Buchstaben eingeben.",
        "a one-letter query says what it needs: {short}"
    );
    assert_eq!(short["count"], 0, "{short}");
    assert_eq!(first["count"], 50, "the first page of hits: {first}");
    let marks = first["marks"].as_array().expect("marks");
    assert!(!marks.is_empty(), "no <mark> in the results: {first}");
    for mark in marks {
        let text = mark.as_str().unwrap_or_default().to_lowercase();
        assert!(
            text.starts_with("versorg"),
            "marked a word that did not match: {text}"
        );
    }
    let dates = first["dates"].as_array().expect("dates");
    assert!(!dates.is_empty(), "no dated hit: {first}");
    for date in dates {
        let date = date.as_str().unwrap_or_default();
        assert!(
            !date.chars().any(|c| c == '-') && date.chars().any(char::is_alphabetic),
            "a date not written as pages write it: {date}"
        );
    }
    let status = first["status"].as_str().unwrap_or_default().to_owned();
    let count = second["count"].as_u64().unwrap_or_default();
    assert!(count > 50 && count <= 100, "after 'show more': {second}");
    assert!(status.contains(&first["count"].to_string()), "{status}");
    assert_eq!(
        second["focused"], true,
        "focus on the first new hit: {second}"
    );
}

/// Waits until the results list holds at least `min` hits; returns what it shows.
async fn wait_for_results(client: &Client, min: u64) -> Value {
    let start = Instant::now();
    loop {
        let state = within(STEP, "read the results", client.execute(RESULTS, vec![]))
            .await
            .unwrap_or_else(|e| panic!("cannot read the results: {e}"));
        if state["count"].as_u64().unwrap_or_default() >= min {
            return state;
        }
        assert!(
            start.elapsed() < STEP,
            "no {min} results after {STEP:?}: {state}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const RESULTS: &str = "const items = document.querySelectorAll('.search-results > li');
    const first = document.querySelector('.search-results > li:nth-child(51) a');
    return {
      count: items.length,
      marks: [...document.querySelectorAll('.search-results mark')].map(m => m.textContent),
      dates: [...document.querySelectorAll('.search-results time')].map(t => t.textContent),
      status: document.querySelector('.search-status').textContent,
      focused: !!first && document.activeElement === first,
    };";

const ONE_LETTER: &str = "const input = document.querySelector('input[name=q]');
    input.value = 'v';
    input.dispatchEvent(new Event('input'));
    return {
      status: document.querySelector('.search-status').textContent,
      count: document.querySelectorAll('.search-results > li').length,
    };";

const SHOW_MORE: &str = "const p = document.querySelector('.search-more');
    if (!p || p.hidden) return false;
    p.querySelector('button').click();
    return true;";
