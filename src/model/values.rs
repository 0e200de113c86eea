//! Checks of free values from front matter that reach links, feeds and open data:
//! URLs, e-mail addresses, phone numbers, `base_url`. Pure functions; `resolve`
//! turns a refusal into a located diagnostic.
//!
//! Templates escape every value, so a value cannot break out of an attribute; what
//! escaping cannot stop is a value that is dangerous as a whole (`javascript:…` in an
//! `href`). Anything with whitespace or control characters is refused before parsing,
//! because browsers and `url` silently drop tabs and newlines (`java\tscript:`).

use url::Url;

/// Why a value was refused, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub message: String,
    pub help: String,
}

impl Refusal {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Schemes a link in a theme may use; every other scheme can run script or reach a
/// local file.
const LINK_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

fn has_space_or_control(value: &str) -> bool {
    value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The scheme of `value` as a browser reads it (`JavaScript:x` → `javascript`), if it
/// has one: letters, digits, `+ - .` before the first `:` that comes before any `/?#`.
fn scheme(value: &str) -> Option<String> {
    let end = value.find([':', '/', '?', '#'])?;
    let candidate = &value[..end];
    let valid = value[end..].starts_with(':')
        && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| candidate.to_ascii_lowercase())
}

/// An absolute `http(s)` address with a host (an institution's website, where a
/// release or figure appeared).
pub(crate) fn web_address(value: &str) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        return Err(Refusal::new("the address is empty", WEB_HELP));
    }
    http_url(value).map(|_| ())
}

const WEB_HELP: &str = "write the full address, e.g. `https://www.example.org/`";

/// `value` parsed as an absolute `http(s)` URL with a host written after `//`, no
/// user name or password, and no space or control character: what both a web address
/// and `base_url` must be.
fn http_url(value: &str) -> Result<Url, Refusal> {
    if has_space_or_control(value) {
        return Err(Refusal::new(
            format!("`{}` contains a space or control character", shown(value)),
            "percent-encode spaces as `%20`; remove line breaks",
        ));
    }
    match scheme(value).as_deref() {
        Some("http" | "https") => {}
        Some(other) => {
            return Err(Refusal::new(
                format!(
                    "`{}` is not a web address (scheme `{other}:`)",
                    shown(value)
                ),
                format!("only `http://` and `https://` addresses are allowed; {WEB_HELP}"),
            ));
        }
        None => {
            return Err(Refusal::new(
                format!("`{}` is not an absolute web address", shown(value)),
                WEB_HELP,
            ));
        }
    }
    let url = Url::parse(value).map_err(|e| {
        Refusal::new(
            format!("`{}` is not a valid address: {e}", shown(value)),
            WEB_HELP,
        )
    })?;
    let host_written = value
        .split_once(':')
        .and_then(|(_, rest)| rest.strip_prefix("//"))
        .is_some_and(|rest| !rest.starts_with(['/', '\\']));
    if !host_written || url.host_str().is_none_or(str::is_empty) {
        return Err(Refusal::new(
            format!("`{}` has no host name", shown(value)),
            WEB_HELP,
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::new(
            format!("`{}` contains a user name or password", shown(value)),
            "remove the part before `@` in the host",
        ));
    }
    Ok(url)
}

/// A link a theme may put into an `href`: `http(s)`, `mailto:`, `tel:`, a path on the
/// site (`/impressum/`, `kontakt/`) or a content link (`@/pages/x.md`).
pub(crate) fn link(value: &str) -> Result<(), Refusal> {
    if has_space_or_control(value) {
        return Err(Refusal::new(
            format!("`{}` contains a space or control character", shown(value)),
            "percent-encode spaces as `%20`; remove line breaks",
        ));
    }
    match scheme(value).as_deref() {
        Some("http" | "https") => web_address(value),
        Some(s) if LINK_SCHEMES.contains(&s) => Ok(()),
        Some(other) => Err(Refusal::new(
            format!("the link `{}` uses the scheme `{other}:`", shown(value)),
            "links may be `https://…`, `http://…`, `mailto:…`, `tel:…` or a path on the site",
        )),
        None if value.starts_with("//") || value.starts_with("\\\\") => Err(Refusal::new(
            format!(
                "`{}` leads to another host without saying how",
                shown(value)
            ),
            "write the full address with `https://`",
        )),
        None => Ok(()),
    }
}

/// A value under `extra` that is not declared a link but would run script if a theme
/// linked it (`javascript:`, `vbscript:`, `data:`, `file:`), read as a browser reads an
/// `href`: leading and trailing spaces and controls trimmed, tabs and line breaks
/// dropped. Prose that starts with such a word ("Data: Statistisches Landesamt",
/// "JavaScript: eine Einführung") stays text: a space after the colon and nothing
/// that looks like code.
pub(crate) fn script_like(value: &str) -> Option<Refusal> {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r') && !c.is_control())
        .collect();
    let s = scheme(&cleaned)?;
    if !matches!(s.as_str(), "javascript" | "vbscript" | "data" | "file") {
        return None;
    }
    let rest = &cleaned[s.len() + 1..];
    let prose = rest.starts_with(char::is_whitespace)
        && !rest.contains(['(', ')', '=', ';', '\'', '"', '`', '<', '>', '{', '}']);
    (!prose).then(|| {
        Refusal::new(
            format!(
                "`{}` is a `{s}:` address, which a link could run",
                shown(value)
            ),
            "use an `https://` address, or write the text without the scheme",
        )
    })
}

/// Keys under `extra` whose values themes put into `href`/`src`.
pub(crate) fn is_link_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["url", "href", "link", "website", "src", "homepage"]
        .iter()
        .any(|k| key == *k || key.ends_with(&format!("_{k}")) || key.ends_with(&format!("-{k}")))
}

/// An e-mail address for a `mailto:` link: one `@`, no spaces, nothing that would
/// change what the link does (`?`, `:`, `/`, quotes, angle brackets).
pub(crate) fn email(value: &str) -> Result<(), Refusal> {
    let refuse = || {
        Refusal::new(
            format!("`{}` is not an e-mail address", shown(value)),
            "write it as `name@example.org`",
        )
    };
    if has_space_or_control(value) {
        return Err(refuse());
    }
    let (local, domain) = value.split_once('@').ok_or_else(refuse)?;
    let forbidden = |c: char| "@<>()[]\\,;:\"'/?#&=%`".contains(c);
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !local.contains(forbidden)
        && !domain.contains(forbidden);
    if ok { Ok(()) } else { Err(refuse()) }
}

/// A phone number as printed and dialled: digits with `+ - / ( ) .` and spaces.
pub(crate) fn phone(value: &str) -> Result<(), Refusal> {
    let allowed = |c: char| {
        c.is_ascii_digit() || matches!(c, '+' | '-' | '/' | '(' | ')' | '.' | ' ' | '\u{a0}')
    };
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if value.chars().all(allowed) && (3..=20).contains(&digits) {
        Ok(())
    } else {
        Err(Refusal::new(
            format!("`{}` is not a phone number", shown(value)),
            "write digits with spaces, `+`, `-`, `/` or brackets, e.g. `+49 391 67-15162`",
        ))
    }
}

/// The number for a `tel:` link: `+` and digits only (`+49 391 67-0` → `+49391670`).
pub(crate) fn dialable(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .filter(|&(i, c)| c.is_ascii_digit() || (c == '+' && i == 0))
        .map(|(_, c)| c)
        .collect()
}

/// A site address that can prefix every link: absolute `http(s)` with a host, no user,
/// query or fragment, no empty or dot path segments. Returns it normalised (lowercase
/// scheme and host, percent-encoded path, one trailing `/`) and its path (`/a/b/`).
pub fn base_url(value: &str) -> Result<(String, String), String> {
    let example = "e.g. `https://example.org/partners/`";
    let url = http_url(value).map_err(|r| format!("{} ({example})", r.message))?;
    if url.query().is_some() || url.fragment().is_some() || value.contains(['?', '#']) {
        return Err(format!(
            "`{}` has a query or fragment (`?`, `#`), which would end up inside every link",
            shown(value)
        ));
    }
    let after_host = value
        .split_once("://")
        .map_or("", |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let segments: Vec<&str> = after_host.split('/').skip(1).collect();
    let inner = &segments[..segments.len().saturating_sub(1)];
    if inner
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
        || after_host.contains('\\')
    {
        return Err(format!(
            "`{}` has an empty, `.` or `..` path segment; `//` would make links lead to another host",
            shown(value)
        ));
    }
    let mut path = url.path().to_owned();
    if !path.ends_with('/') {
        path.push('/');
    }
    let origin = url.origin().ascii_serialization();
    Ok((format!("{origin}{path}"), path))
}

/// A value as it appears in a message: at most 80 characters, control characters shown
/// as escapes.
fn shown(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(80)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_must_be_absolute_http() {
        assert!(web_address("https://www.med.uni-magdeburg.de/").is_ok());
        assert!(web_address("HTTP://Example.org").is_ok());
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "www.example.org",
            "/relative",
            "//evil.example/",
            "https://",
            "https:///x",
            "https://user:pw@example.org/",
            "https://exa mple.org/",
            "",
        ] {
            assert!(web_address(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn links_allow_mail_phone_and_paths_only() {
        for good in [
            "https://example.org/a?b=c#d",
            "mailto:presse@example.org",
            "tel:+49391670",
            "/impressum/",
            "kontakt/",
            "@/pages/impressum.md",
            "#top",
            "b/c",
        ] {
            assert!(link(good).is_ok(), "{good:?} refused");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "\u{1}javascript:alert(1)",
            "file:///etc/passwd",
            "data:,x",
            "//evil.example/x",
            "ftp://example.org/",
        ] {
            assert!(link(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn script_like_text_is_found_in_any_spelling() {
        assert!(script_like("javascript:alert(1)").is_some());
        assert!(script_like("\tjava\nscript:alert(1)").is_some());
        assert!(script_like(" JaVaScRiPt:alert(1) ").is_some());
        assert!(script_like("\u{1}javascript:alert(1)").is_some());
        assert!(script_like("javascript: alert(document.cookie)").is_some());
        assert!(script_like("DATA:text/html,x").is_some());
        assert!(script_like("file:///etc/passwd").is_some());
        assert!(script_like("Hinweis: Text").is_none());
        assert!(script_like("Data: Statistisches Landesamt Sachsen-Anhalt").is_none());
        assert!(script_like("JavaScript: eine Einführung").is_none());
        assert!(script_like("https://example.org").is_none());
    }

    #[test]
    fn link_keys() {
        assert!(is_link_key("url"));
        assert!(is_link_key("video_url"));
        assert!(is_link_key("Homepage"));
        assert!(!is_link_key("curling"));
        assert!(!is_link_key("note"));
    }

    #[test]
    fn emails_and_phones() {
        assert!(email("presse@med.ovgu.de").is_ok());
        for bad in [
            "presse",
            "a@b",
            "javascript:x@y.de",
            "a@b.de?subject=x",
            "a b@c.de",
            "@c.de",
        ] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
        assert!(phone("+49 391 67-15162").is_ok());
        assert!(phone("(0391) 67 0").is_ok());
        assert!(phone("javascript:alert(1)").is_err());
        assert!(phone("12").is_err());
        assert_eq!(dialable("+49 (391) 67-15162"), "+493916715162");
    }

    #[test]
    fn base_urls_are_normalised_or_refused() {
        assert_eq!(
            base_url("https://example.org").unwrap(),
            ("https://example.org/".into(), "/".into())
        );
        assert_eq!(
            base_url("HTTPS://Example.ORG/sub/path").unwrap(),
            ("https://example.org/sub/path/".into(), "/sub/path/".into())
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080/a/").unwrap(),
            ("http://127.0.0.1:8080/a/".into(), "/a/".into())
        );
        assert_eq!(base_url("https://example.org/a\"b/").unwrap().1, "/a%22b/");
        for bad in [
            "https://example.org//evil.example/",
            "https://example.org/a//b/",
            "https://example.org/?x=1",
            "https://example.org/#top",
            "https://example.org/\nDisallow: /",
            "https://example.org/a b/",
            "https://example.org/../",
            "https://user@example.org/",
            "ftp://example.org/",
            "example.org",
            "https:///x",
            "https://",
            "javascript:alert(1)//",
        ] {
            assert!(base_url(bad).is_err(), "{bad:?} accepted");
        }
    }
}
