//! YAML syntax slips recognised from the source text around the parser's position.
//!
//! libyaml names the grammar rule it could not apply ("mapping values are not allowed in
//! this context") and often stops lines after the mistake (an unclosed `"` is noticed
//! where the next `"` closes it). A writer needs the slip in plain words, where it is.

/// What the writer most likely did, and where (a byte offset into the YAML text).
#[derive(Debug)]
pub(crate) struct Slip {
    pub(crate) at: usize,
    pub(crate) message: String,
    pub(crate) help: String,
}

/// The slip behind a syntax error libyaml reported at byte `at` of `yaml`, if one of
/// the common ones explains it.
pub(crate) fn explain(yaml: &str, at: usize, parser_message: &str) -> Option<Slip> {
    let lines = Lines::new(yaml);
    let error_line = lines.index_of(at);
    tab(&lines, error_line, at)
        .or_else(|| unclosed(yaml, &lines, error_line, at, parser_message))
        .or_else(|| reserved_start(&lines, error_line))
        .or_else(|| colon_in_text(&lines, error_line, parser_message))
        .or_else(|| bare_line(&lines, error_line, parser_message))
}

/// The YAML's lines with their byte offsets (without line ends).
struct Lines<'a> {
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Lines<'a> {
    fn new(yaml: &'a str) -> Self {
        let mut start = 0;
        let lines = yaml
            .split_inclusive('\n')
            .map(|raw| {
                let line = (start, raw.trim_end_matches(['\n', '\r']));
                start += raw.len();
                line
            })
            .collect();
        Self { lines }
    }

    fn index_of(&self, at: usize) -> usize {
        self.lines
            .iter()
            .rposition(|&(start, _)| start <= at)
            .unwrap_or(0)
    }

    fn get(&self, i: usize) -> Option<(usize, &'a str)> {
        self.lines.get(i).copied()
    }
}

/// A tab in the indentation of the error line or the line before (libyaml reports
/// it as a character that "cannot start any token"), or a tab right at the error.
fn tab(lines: &Lines<'_>, error_line: usize, at: usize) -> Option<Slip> {
    let leading_tab = |i: usize| {
        let (start, line) = lines.get(i)?;
        let indent = &line[..line.len() - line.trim_start().len()];
        indent.find('\t').map(|t| start + t)
    };
    let at_tab = lines
        .get(error_line)
        .filter(|(start, line)| line.as_bytes().get(at - start) == Some(&b'\t'))
        .map(|_| at);
    let found = leading_tab(error_line)
        .or(at_tab)
        .or_else(|| leading_tab(error_line.checked_sub(1)?))?;
    Some(Slip {
        at: found,
        message: "YAML does not allow tabs for indentation: use spaces".into(),
        help: "replace the tab (shown as `→`) with spaces, two for each level".into(),
    })
}

/// Where a quoted text or a `[`/`{` list is open at the error, from a small scan of the
/// text before it (comments and block texts skipped).
fn unclosed(
    yaml: &str,
    lines: &Lines<'_>,
    error_line: usize,
    at: usize,
    parser_message: &str,
) -> Option<Slip> {
    let scan = FlowScan::up_to(yaml, lines, at);
    let error_line_start = lines.get(error_line)?.0;
    let quote = scan.open_quote.or(scan
        .multiline_quote
        .filter(|&(_, end)| end >= error_line_start)
        .map(|(q, _)| q));
    if let Some(q) = quote {
        let mark = &yaml[q..=q];
        return Some(Slip {
            at: q,
            message: format!("the quoted text opened with `{mark}` here is not closed"),
            help: format!("end the text with `{mark}` on the same line"),
        });
    }
    let flow = parser_message.contains("flow sequence")
        || parser_message.contains("flow mapping")
        || parser_message.contains("expected ',' or");
    let &open = scan.open_brackets.last().filter(|_| flow)?;
    let (what, close) = if yaml.as_bytes()[open] == b'[' {
        ("list", ']')
    } else {
        ("mapping", '}')
    };
    Some(Slip {
        at: open,
        message: format!(
            "the {what} opened with `{}` here is not closed",
            &yaml[open..=open]
        ),
        help: format!("close it with `{close}` after its last item"),
    })
}

/// The state of quotes and flow brackets at a position, scanned from the start.
#[derive(Default)]
struct FlowScan {
    /// A quote open at the position.
    open_quote: Option<usize>,
    /// The last quoted text that spanned lines: its opening quote and its end.
    multiline_quote: Option<(usize, usize)>,
    open_brackets: Vec<usize>,
}

impl FlowScan {
    fn up_to(yaml: &str, lines: &Lines<'_>, at: usize) -> Self {
        let mut scan = Self::default();
        let mut block_parent: Option<usize> = None;
        for &(start, line) in &lines.lines {
            if start > at {
                break;
            }
            let indent = line.len() - line.trim_start().len();
            if let Some(parent) = block_parent {
                if line.trim().is_empty() || indent > parent {
                    continue;
                }
                block_parent = None;
            }
            let end = scan.line(yaml, start, line, at);
            if scan.open_quote.is_none() && scan.open_brackets.is_empty() && opens_block(end) {
                block_parent = Some(indent);
            }
        }
        scan
    }

    /// Scans one line (up to `at`); returns the line's code without its comment.
    fn line<'a>(&mut self, yaml: &str, start: usize, line: &'a str, at: usize) -> &'a str {
        let mut prev_token: Option<char> = None;
        let mut prev: Option<char> = None;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if start + i >= at {
                break;
            }
            if let Some(q) = self.open_quote {
                let mark = yaml.as_bytes()[q] as char;
                let escaped = (c == '\\' && mark == '"')
                    || (c == '\'' && mark == '\'' && chars.peek().map(|p| p.1) == Some('\''));
                if escaped {
                    chars.next();
                } else if c == mark {
                    self.open_quote = None;
                    if q < start {
                        self.multiline_quote = Some((q, start + i));
                    }
                }
                prev_token = Some(c);
                continue;
            }
            let after_space = prev.is_none_or(char::is_whitespace);
            match c {
                '#' if after_space => return &line[..i],
                '"' | '\''
                    if (after_space || matches!(prev, Some('[' | '{' | ',')))
                        && matches!(prev_token, None | Some(':' | '-' | '[' | '{' | ',' | '?')) =>
                {
                    self.open_quote = Some(start + i);
                }
                '[' | '{' => self.open_brackets.push(start + i),
                ']' | '}' => {
                    self.open_brackets.pop();
                }
                _ => {}
            }
            if !c.is_whitespace() {
                prev_token = Some(c);
            }
            prev = Some(c);
        }
        line
    }
}

/// Whether a line ends with a block text indicator (`key: |`, `- >-`).
fn opens_block(code: &str) -> bool {
    let code = code.trim_end();
    let head = code.trim_end_matches(['-', '+', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    (head.ends_with(" |") || head.ends_with(" >") || head == "|" || head == ">")
        && (head.len() < 3 || head[..head.len() - 2].trim_end().ends_with([':', '-']))
}

/// The start of the plain value of a `key: value` or `- value` line, and its key.
fn value_of(line: &str) -> Option<(usize, Option<&str>)> {
    let code = line.trim_start();
    let indent = line.len() - code.len();
    if let Some(item) = code.strip_prefix("- ") {
        let skip = item.len() - item.trim_start().len();
        return Some((indent + 2 + skip, None));
    }
    let colon = code.find(": ")?;
    let key = &code[..colon];
    if key.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let rest = &code[colon + 2..];
    let skip = rest.len() - rest.trim_start().len();
    Some((indent + colon + 2 + skip, Some(key)))
}

/// An unquoted value starting with a character YAML reserves.
fn reserved_start(lines: &Lines<'_>, error_line: usize) -> Option<Slip> {
    let (start, line) = lines.get(error_line)?;
    let (value_at, key) = value_of(line)?;
    let value = &line[value_at..];
    let c = value.chars().next()?;
    let what = match c {
        '@' | '`' => "a character it reserves",
        '*' => "a reference to an anchor (`*name`)",
        '&' => "an anchor (`&name`)",
        '!' => "a type tag (`!tag`)",
        '%' => "a directive",
        '|' | '>' => "the start of a block of text on the following lines",
        _ => return None,
    };
    let shown = if c == '`' {
        "a backtick".to_owned()
    } else {
        format!("`{c}`")
    };
    Some(Slip {
        at: start + value_at,
        message: format!("YAML reads {shown} at the start of a value as {what}"),
        help: quote_help(key, value),
    })
}

/// `key: text: more`: an unquoted text containing `: `, which YAML reads as a key.
fn colon_in_text(lines: &Lines<'_>, error_line: usize, parser_message: &str) -> Option<Slip> {
    if !parser_message.contains("mapping values are not allowed") {
        return None;
    }
    let (start, line) = lines.get(error_line)?;
    let (value_at, key) = value_of(line)?;
    let value = &line[value_at..];
    if value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let colon = value
        .find(": ")
        .or_else(|| value.ends_with(':').then(|| value.len() - 1))?;
    Some(Slip {
        at: start + value_at + colon,
        message: "this text contains `: `, which YAML reads as the start of another field".into(),
        help: quote_help(key, value),
    })
}

/// "could not find expected ':'": a line that is neither `key: value` nor `- item`,
/// somewhere before the error (libyaml notices at the next key).
fn bare_line(lines: &Lines<'_>, error_line: usize, parser_message: &str) -> Option<Slip> {
    if !parser_message.contains("could not find expected ':'") {
        return None;
    }
    let is_code = |line: &str| {
        let t = line.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let bare = (0..=error_line).rev().find_map(|i| {
        let (start, line) = lines.get(i)?;
        let t = line.trim();
        let flow_item = t.starts_with(['{', '[']);
        let bare = is_code(line)
            && (flow_item || !t.contains(": ") && !t.ends_with(':'))
            && !t.starts_with("- ")
            && t != "-";
        bare.then_some((i, start, line))
    })?;
    let (i, start, line) = bare;
    let code = line.trim_start();
    let indent = line.len() - code.len();
    if let Some(colon) = code
        .find(':')
        .filter(|&c| !code[..c].contains(char::is_whitespace))
    {
        let (key, value) = (&code[..colon], &code[colon + 1..]);
        return Some(Slip {
            at: start + indent + colon,
            message: format!("`{key}:` needs a space after the colon"),
            help: format!("write `{key}: {value}`"),
        });
    }
    let previous = (0..i)
        .rev()
        .filter_map(|j| lines.get(j))
        .find(|(_, l)| is_code(l));
    if let Some(previous) = previous {
        let item = previous.1.trim_start();
        let previous_indent = previous.1.len() - item.len();
        if item.starts_with("- ") && previous_indent == indent {
            return Some(Slip {
                at: start + indent,
                message: "this line continues a list but does not start with `- `".into(),
                help: format!("write `- {code}`, like the item above"),
            });
        }
    }
    missing_colon(start + indent, code)
}

/// `date 2024-05-06`: a field name and its value without the colon between them.
fn missing_colon(at: usize, code: &str) -> Option<Slip> {
    let (key, value) = code.split_once(' ')?;
    let is_name = key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    let value = value.trim_start();
    (is_name && !value.is_empty()).then(|| Slip {
        at: at + key.len(),
        message: format!("`{key}` needs a colon after it"),
        help: format!("write `{key}: {value}`; if the line continues the text above, indent it"),
    })
}

/// "put the text in quotes", with the line as it would read quoted (shortened).
fn quote_help(key: Option<&str>, value: &str) -> String {
    let value = value.trim_end();
    let short: String = if value.chars().count() > 40 {
        value.chars().take(32).chain(['…']).collect()
    } else {
        value.to_owned()
    };
    let quoted = if !value.contains('"') {
        format!("\"{short}\"")
    } else if !value.contains('\'') {
        format!("'{short}'")
    } else {
        return "put the text in quotes (`\"` inside it written as `\\\"`)".into();
    };
    let line = match key {
        Some(key) => format!("{key}: {quoted}"),
        None => format!("- {quoted}"),
    };
    if line.contains('`') {
        format!("put the text in quotes: {line}")
    } else {
        format!("put the text in quotes: `{line}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(yaml: &str, at: &str, message: &str) -> Slip {
        let at = yaml.find(at).expect("position in the text");
        explain(yaml, at, message).expect("a slip")
    }

    #[test]
    fn a_tab_in_the_indentation_is_named() {
        let s = slip(
            "a: 1\n\tb: 2\n",
            "\t",
            "found character that cannot start any token",
        );
        assert_eq!(s.at, 5);
        assert!(s.message.contains("tabs"));
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let yaml = "a: \"eins\nb: zwei\nc: \"drei\" x\n";
        let s = slip(yaml, "x", "did not find expected key");
        assert_eq!(s.at, 3);
    }

    #[test]
    fn quotes_inside_words_and_comments_open_nothing() {
        let yaml = "a: Rock 'n' Roll # it's\nb: [x, y\nc: 1\n";
        let s = slip(
            yaml,
            "c:",
            "did not find expected ',' or ']', while parsing a flow sequence",
        );
        assert_eq!(s.at, yaml.find('[').unwrap());
    }

    #[test]
    fn reserved_first_characters_and_colons_need_quotes() {
        let s = slip(
            "city: @home\n",
            "@",
            "found character that cannot start any token",
        );
        assert!(s.help.contains("`city: \"@home\"`"), "{}", s.help);
        let s = slip(
            "s: eins: zwei\n",
            ": zwei",
            "mapping values are not allowed in this context",
        );
        assert_eq!(s.at, 7);
        assert!(s.help.contains("quotes"));
    }

    #[test]
    fn a_missing_space_and_a_missing_dash_are_named() {
        let s = slip("a:b\nc: 1\n", "c", "could not find expected ':'");
        assert_eq!((s.at, s.help.as_str()), (1, "write `a: b`"));
        let s = slip(
            "l:\n  - x\n  y\nc: 1\n",
            "c:",
            "could not find expected ':'",
        );
        assert_eq!(s.at, 11);
        assert!(s.help.contains("`- y`"));
    }

    #[test]
    fn a_missing_colon_is_named_at_its_line_with_or_without_a_comment() {
        for line in ["date 2024-05-06", "date 2024-05-06 # geändert"] {
            let yaml = format!("title: A\n{line}\npartners: [a]\n");
            let s = slip(&yaml, "partners", "could not find expected ':'");
            assert_eq!(s.at, yaml.find("date").unwrap() + 4, "{line}");
            assert_eq!(s.message, "`date` needs a colon after it");
            assert!(
                s.help.starts_with(&format!("write `date: {}`", &line[5..])),
                "{}",
                s.help
            );
        }
        // A capitalised word is a text's continuation, not a field.
        let yaml = "summary: Eine\nZusammenfassung hier\nc: 1\n";
        assert!(
            explain(
                yaml,
                yaml.find("c:").unwrap(),
                "could not find expected ':'"
            )
            .is_none()
        );
    }

    #[test]
    fn block_texts_are_not_scanned_for_quotes() {
        assert!(!opens_block("a: b"));
        assert!(opens_block("text: |-"));
        let yaml = "t: |\n  \"quoted\n  [x\nc: \"\nd: 1\n";
        let s = slip(yaml, "d:", "did not find expected key");
        assert_eq!(s.at, yaml.find("c: \"").unwrap() + 3);
    }
}
