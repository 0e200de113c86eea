//! Which requests the preview answers. A web page can point a host name it controls at
//! 127.0.0.1 (DNS rebinding) and then read the preview, drafts included, as its own
//! origin; what it cannot change is the `Host` header, which names its domain. So, like
//! Vite and webpack-dev-server, the server answers only host names that always mean
//! this machine, and refuses requests that a page of another site sends (`Origin`).

use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, Uri};
use std::net::{IpAddr, Ipv6Addr};

/// The hosts the preview answers for, given the address it listens on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HostPolicy {
    /// Listening on a non-loopback address: other machines reach it by IP address. An IP
    /// literal cannot be rebound, so any is allowed then (as Vite's `allowedHosts`).
    any_ip: bool,
}

/// Why a request is refused, for the 403 answer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    Host(String),
    Origin(String),
}

impl HostPolicy {
    pub(crate) fn new(bind: IpAddr) -> Self {
        Self {
            any_ip: !bind.to_canonical().is_loopback(),
        }
    }

    /// Checks every `Host` and `Origin` header and the request target's authority. A
    /// request without `Host` (HTTP/1.0) is answered: browsers always send one.
    pub(crate) fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), Refusal> {
        let hosts = headers
            .get_all(HOST)
            .iter()
            .map(|v| v.to_str().unwrap_or("\u{fffd}").to_owned())
            .chain(uri.authority().map(|a| a.as_str().to_owned()));
        for host in hosts {
            if !self.allows_host(&host) {
                return Err(Refusal::Host(host));
            }
        }
        for origin in headers.get_all(ORIGIN) {
            let origin = origin.to_str().unwrap_or("\u{fffd}");
            if !self.allows_origin(origin) {
                return Err(Refusal::Origin(origin.to_owned()));
            }
        }
        Ok(())
    }

    /// `authority` is `name[:port]`, `ip[:port]` or `[ipv6][:port]`.
    fn allows_host(&self, authority: &str) -> bool {
        match split_host(authority) {
            Some(Host::Name(name)) => is_localhost(name),
            Some(Host::Ip(ip)) => self.any_ip || ip.to_canonical().is_loopback(),
            None => false,
        }
    }

    /// An origin of a page this machine serves (any port: another local tool may link
    /// here); `null` (sandboxed frames, `file:` pages) is not.
    fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|authority| self.allows_host(authority))
    }
}

enum Host<'a> {
    Name(&'a str),
    Ip(IpAddr),
}

/// The host of an authority without its port; `None` for anything malformed (userinfo,
/// a path, a bad port, an unbracketed IPv6 address).
fn split_host(authority: &str) -> Option<Host<'_>> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (ip, after) = rest.split_once(']')?;
            let port = match after {
                "" => "",
                _ => after.strip_prefix(':')?,
            };
            (Host::Ip(IpAddr::V6(ip.parse::<Ipv6Addr>().ok()?)), port)
        }
        None => {
            let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
            let host = match host.parse::<IpAddr>() {
                Ok(ip) => Host::Ip(ip),
                Err(_) => Host::Name(host),
            };
            (host, port)
        }
    };
    let port_ok = port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok();
    (port.is_empty() || port_ok).then_some(host)
}

/// `localhost` and its subdomains (RFC 6761: always this machine), with or without the
/// root's trailing dot.
fn is_localhost(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let valid = !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    valid && (name == "localhost" || name.ends_with(".localhost"))
}

impl std::fmt::Display for Refusal {
    /// The 403 answer's text; the refused value is shown only as printable ASCII.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |value: &str| -> String {
            value
                .chars()
                .filter(|c| c.is_ascii_graphic())
                .take(100)
                .collect()
        };
        match self {
            Self::Host(host) => writeln!(
                f,
                "partnerpress serve answers only requests for this machine (localhost, \
                 127.0.0.1, [::1], or an IP address when --bind is not loopback), so that \
                 web pages cannot read the preview through DNS rebinding; this request \
                 was for `{}`. Open the address that `partnerpress serve` printed.",
                shown(host)
            ),
            Self::Origin(origin) => writeln!(
                f,
                "partnerpress serve does not answer requests that pages of other sites \
                 send (Origin `{}`), so that they cannot read the preview.",
                shown(origin)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> HostPolicy {
        HostPolicy::new(IpAddr::from([127, 0, 0, 1]))
    }

    #[test]
    fn loopback_names_and_addresses_are_answered_with_or_without_port() {
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost.:1111",
            "preview.localhost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
        ] {
            assert!(loopback().allows_host(host), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused_whatever_they_resolve_to() {
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "localhost.evil.example:1111",
            "evillocalhost",
            "192.168.1.5:1111",
            "0.0.0.0:1111",
            "[::]:1111",
            "localhost:http",
            "localhost:99999",
            "localhost:+1",
            "user@localhost",
            "localhost/x",
            "::1",
            "[::1]x",
            "",
            "a..localhost",
        ] {
            assert!(!loopback().allows_host(host), "{host}");
        }
    }

    #[test]
    fn a_non_loopback_bind_also_answers_ip_addresses_but_no_other_names() {
        for bind in [IpAddr::from([0, 0, 0, 0]), IpAddr::from([192, 168, 1, 5])] {
            let policy = HostPolicy::new(bind);
            assert!(policy.allows_host("192.168.1.5:1111"));
            assert!(policy.allows_host("[fe80::1]:1111"));
            assert!(policy.allows_host("localhost:1111"));
            assert!(!policy.allows_host("evil.example:1111"));
        }
    }

    #[test]
    fn only_local_origins_pass() {
        let policy = loopback();
        for origin in [
            "http://localhost:1111",
            "http://127.0.0.1:5173",
            "https://localhost",
            "http://[::1]:1111",
        ] {
            assert!(policy.allows_origin(origin), "{origin}");
        }
        for origin in [
            "null",
            "https://evil.example",
            "http://localhost.evil.example",
            "file://",
            "ftp://localhost",
        ] {
            assert!(!policy.allows_origin(origin), "{origin}");
        }
    }

    #[test]
    fn the_request_targets_authority_is_checked_too() {
        let uri: Uri = "http://evil.example/".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "localhost".parse().unwrap());
        assert_eq!(
            loopback().check(&headers, &uri),
            Err(Refusal::Host("evil.example".into()))
        );
        assert_eq!(
            loopback().check(&HeaderMap::new(), &"/".parse().unwrap()),
            Ok(())
        );
    }
}
