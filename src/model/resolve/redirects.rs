//! `redirect_from:`: the old addresses of a content page, each a path of the site (no
//! scheme or host, no `..`), kept as a route; whether a page or another redirect
//! already has it is checked where the routes are known (`render/redirects.rs`).

use super::*;

impl Resolver<'_> {
    /// The valid old addresses among `paths`; each other one is an error at its place.
    pub(super) fn redirect_from(&mut self, src: &SourceFile, paths: &[String]) -> Vec<Alias> {
        let mut aliases = Vec::new();
        for path in paths {
            let at = src.locate("redirect_from", path);
            match alias_route(path) {
                Ok(route) => aliases.push(Alias { route, at }),
                Err((msg, help)) => self.error(src, Code::InvalidRedirect, at, msg, Some(help)),
            }
        }
        aliases
    }
}

/// `/news/old/` → `news/old/`: a path under the site's address, relative to it; one
/// without a file extension is a folder (`news/old` → `news/old/`). Only pages can
/// redirect, so a file must end in `.html`.
fn alias_route(path: &str) -> Result<String, (String, String)> {
    let example = "write the old path under the site's address, e.g. `/news/old-title/`";
    let refuse = |why: &str| {
        Err((
            format!("`{path}` cannot be redirected from: {why}"),
            example.to_owned(),
        ))
    };
    let scheme = path
        .split_once(':')
        .is_some_and(|(head, _)| !head.contains('/'));
    if scheme || path.starts_with("//") {
        return refuse("it is a web address, not a path of this site");
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
    {
        return refuse("a path has no spaces, `?`, `#` or `\\`");
    }
    let route = path.trim_start_matches('/');
    if route.is_empty() {
        return refuse("it is the home page");
    }
    let parts: Vec<&str> = route.trim_end_matches('/').split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return refuse("a path has no empty, `.` or `..` parts");
    }
    let last = parts.last().copied().unwrap_or_default();
    if route.ends_with('/') {
        Ok(route.to_owned())
    } else if !last.contains('.') {
        Ok(format!("{route}/"))
    } else if last.ends_with(".html") || last.ends_with(".htm") {
        Ok(route.to_owned())
    } else {
        refuse("only a page (a path ending in `/` or `.html`) can redirect")
    }
}

#[cfg(test)]
mod tests {
    use super::alias_route;

    #[test]
    fn old_addresses_become_routes_and_other_values_are_refused() {
        assert_eq!(alias_route("/news/alt/").unwrap(), "news/alt/");
        assert_eq!(alias_route("news/alt").unwrap(), "news/alt/");
        assert_eq!(alias_route("/presse/alt.html").unwrap(), "presse/alt.html");
        for bad in [
            "https://example.org/x/",
            "//example.org/x/",
            "mailto:a@b.de",
            "/",
            "/news/../x/",
            "/a//b/",
            "/x/datei.pdf",
            "/x y/",
            "/x/?a=1",
        ] {
            assert!(alias_route(bad).is_err(), "{bad}");
        }
    }
}
