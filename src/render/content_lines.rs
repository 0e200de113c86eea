//! The content lines that iCalendar (RFC 5545, `timeline.ics`) and vCard (RFC 6350,
//! the contacts' `.vcf`) share: TEXT escaping, and lines folded at 75 octets ending
//! in CRLF.

/// TEXT escaping: `\`, `;`, `,` and line breaks.
pub(super) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines ending in CRLF, folded to at most 75 octets without splitting a
/// character; continuation lines start with one space.
#[derive(Default)]
pub(super) struct ContentLines(String);

impl ContentLines {
    pub(super) fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }

    pub(super) fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut lines = ContentLines::default();
        let long = format!("SUMMARY:{}", "ä".repeat(100));
        lines.line(&long);
        let text = lines.into_string();
        let parts: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(parts.last(), Some(&""));
        for l in &parts {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(parts[1..parts.len() - 1].iter().all(|l| l.starts_with(' ')));
        let unfolded = text.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        let mut short = ContentLines::default();
        short.line(&"x".repeat(75));
        assert_eq!(short.into_string(), format!("{}\r\n", "x".repeat(75)));
    }
}
