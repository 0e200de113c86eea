//! The open page (WebDriver) and the site on disk that the live-reload test edits.

use super::*;

// ---- the page ----------------------------------------------------------------------

/// What the test reads from the open page, in one script call.
#[derive(Debug)]
pub(crate) struct PageState {
    /// The marker set by the test is still there: no reload since it was set.
    pub(crate) marked: bool,
    pub(crate) h1: Option<String>,
    /// The text of `#partnerpress-overlay`, if it exists.
    pub(crate) overlay: Option<String>,
}

pub(crate) struct Page {
    pub(crate) client: Client,
    pub(crate) log: Log,
}

impl Page {
    pub(crate) async fn state(&self) -> Result<PageState, String> {
        let script = format!(
            "const h1 = document.querySelector('h1');
             const overlay = document.getElementById('partnerpress-overlay');
             return {{
               ready: document.readyState,
               marked: window.{MARKER} === 1,
               h1: h1 ? h1.textContent.trim() : null,
               overlay: overlay ? overlay.textContent : null,
             }};"
        );
        let value = self.js(&script, vec![]).await?;
        if value["ready"] == "loading" {
            return Err("the page is loading".to_owned());
        }
        let text = |key: &str| value[key].as_str().map(str::to_owned);
        Ok(PageState {
            marked: value["marked"] == true,
            h1: text("h1"),
            overlay: text("overlay"),
        })
    }

    /// Polls the page until `done` holds; fails after [`STEP`] with the last state seen
    /// and the server's output. Script errors while the page reloads are retried.
    pub(crate) async fn wait_for(
        &self,
        what: &str,
        done: impl Fn(&PageState) -> bool,
    ) -> PageState {
        let deadline = Instant::now() + STEP;
        let mut last;
        loop {
            match self.state().await {
                Ok(state) if done(&state) => return state,
                Ok(state) => last = format!("{state:#?}"),
                Err(error) => last = format!("script error: {error}"),
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {} s waiting for {what}; last seen: {last}\n--- partnerpress serve output ---\n{}",
                    STEP.as_secs(),
                    self.log.text()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets the reload marker, then waits until the page's live-reload connection is
    /// surely subscribed: an edit made earlier could rebuild before the page listens,
    /// and the page would never hear of it. The page's own `EventSource` is private to
    /// `live.js`, so a second one is opened after it; once that one is open, the server
    /// has long answered the first, which it sent while the page loaded.
    pub(crate) async fn mark_and_wait_until_live(&self) {
        self.js(&format!("window.{MARKER} = 1;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot set the reload marker: {e}"));
        let probe = "const done = arguments[arguments.length - 1];
             if (!document.querySelector('script[src=\"/__partnerpress/live.js\"]')) {
               done('no live-reload script in the page');
               return;
             }
             const probe = new EventSource('/__partnerpress/events');
             probe.onopen = () => { probe.close(); done('open'); };
             probe.onerror = () => { probe.close(); done('the event stream failed'); };";
        let answer = within(STEP, "open the event stream", async {
            self.client.execute_async(probe, vec![]).await
        })
        .await
        .unwrap_or_else(|e| panic!("cannot probe the event stream: {e}"));
        assert_eq!(answer, json!("open"), "the live-reload event stream");
    }

    pub(crate) async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        match tokio::time::timeout(STEP, self.client.execute(script, args)).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "no answer from the browser in {} s",
                STEP.as_secs()
            )),
        }
    }
}

/// A Chromium session with [`CHROMIUM_ARGS`], a fresh profile and `extra` flags;
/// `network_log` turns on chromedriver's performance log of the pages' DevTools network
/// events (read with [`network_log`]).
pub(crate) async fn open_session(
    port: u16,
    profile: &Path,
    extra: &[String],
    network_log: bool,
) -> Client {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    let mut options = json!({ "args": args });
    if let Some(binary) = std::env::var_os("PARTNERPRESS_CHROMIUM") {
        options["binary"] = json!(binary.to_string_lossy());
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    if network_log {
        capabilities.insert("goog:loggingPrefs".into(), json!({ "performance": "ALL" }));
    }
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| {
            panic!("chromedriver could not start Chromium (is `chromium` installed?): {e}")
        })
}

/// `future`, or a panic naming `what` after `limit`.
pub(crate) async fn within<T>(limit: Duration, what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("could not {what} within {} s", limit.as_secs()))
}

// ---- the site on disk ----------------------------------------------------------------

/// Changes site files the way an editor saves: a whole new file renamed over the old one.
pub(crate) struct Editor {
    pub(crate) root: PathBuf,
    /// Outside the site root (so the watcher never sees it) but on the same file system.
    pub(crate) scratch: PathBuf,
}

impl Editor {
    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) {
        self.edit_all(rel, &[(from, to)]);
    }

    /// Replaces each `from` with its `to` in one save; panics if a `from` is missing.
    pub(crate) fn edit_all(&self, rel: &str, changes: &[(&str, &str)]) {
        let path = self.root.join(rel);
        let mut text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        for (from, to) in changes {
            assert!(text.contains(from), "`{rel}` does not contain `{from}`");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&self.scratch, text).expect("write the edited file");
        std::fs::rename(&self.scratch, &path).expect("rename the edited file into place");
    }
}
