//! The Tera instance: the theme's templates compiled once per build.

use crate::content::RawTheme;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tera::{Context, Kwargs, State, Tera};

/// Compiles every template of `theme`; a syntax error names the template file.
pub(super) fn compile(theme: &RawTheme) -> Result<Tera, Box<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.register_function("range", counted_range);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .map_err(|e| {
        Box::new(
            locate(
                Diagnostic::error(
                    Code::Template,
                    format!("themes/{}/templates", theme.name),
                    error_chain(&e),
                ),
                theme,
                &e,
            )
            .with_help("fix the template, or delete the site's copy to use the built-in one"),
        )
    })?;
    check_includes(theme)?;
    check_components(theme)?;
    Ok(tera)
}

/// Deepest chain of nested includes: each level costs the renderer's stack a frame of
/// its interpreter (about 70 KB in a debug build), and no theme needs more.
const MAX_INCLUDE_DEPTH: usize = 16;
/// Most template renders one render of a template may expand to through its includes
/// alone (loops aside): three includes of three includes … 30 deep is 3^30.
const MAX_INCLUDE_EXPANSION: u64 = 100_000;

/// An `{% include "name" %}` of a template: the included name and its line.
struct Include<'a> {
    name: &'a str,
    line: usize,
}

/// The includes written in `source`. A plain scan, not Tera's parser: an include in a
/// comment counts too, which only makes the limits below stricter.
fn includes(source: &str) -> Vec<Include<'_>> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(i) = rest.find("{%") {
        let tag = rest[i + 2..].trim_start_matches('-').trim_start();
        rest = &rest[i + 2..];
        let Some(after) = tag.strip_prefix("include") else {
            continue;
        };
        let after = after.trim_start();
        let Some(quote) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(end) = after[1..].find(quote) {
            let at = source.len() - after.len();
            out.push(Include {
                name: &after[1..1 + end],
                line: source[..at].matches('\n').count() + 1,
            });
        }
    }
    out
}

/// How deep a template's includes nest and how many renders they expand to.
#[derive(Clone, Copy)]
struct Reach {
    depth: usize,
    expansion: u64,
}

/// Refuses a theme whose includes nest deeper than [`MAX_INCLUDE_DEPTH`] (which would
/// overflow the renderer's stack and abort the process) or expand one render to more than
/// [`MAX_INCLUDE_EXPANSION`] (which would run for hours even writing nothing). Tera
/// itself refuses include cycles, so the graph here is acyclic; an edge back into
/// the chain (a cycle in a comment) is ignored.
fn check_includes(theme: &RawTheme) -> Result<(), Box<Diagnostic>> {
    let graph: HashMap<&str, (&str, Vec<Include>)> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.as_str(), (s.as_str(), includes(s))))
        .collect();
    let mut memo: HashMap<&str, Reach> = HashMap::new();
    let mut names: Vec<&str> = graph.keys().copied().collect();
    names.sort_unstable();
    for name in names {
        let mut chain = Vec::new();
        if let Err(e) = reach(name, &graph, &mut memo, &mut chain) {
            return Err(Box::new(e.into_diagnostic(theme, &graph)));
        }
    }
    Ok(())
}

/// Where the limits were passed: the chain of templates from the outermost one, and
/// the line of its first include.
struct TooDeep {
    chain: Vec<String>,
    expansion: Option<u64>,
}

impl TooDeep {
    fn into_diagnostic(
        self,
        theme: &RawTheme,
        graph: &HashMap<&str, (&str, Vec<Include>)>,
    ) -> Diagnostic {
        let first = &self.chain[0];
        let (source, incs) = &graph[first.as_str()];
        let line = self
            .chain
            .get(1)
            .and_then(|next| incs.iter().find(|i| i.name == next))
            .map_or(1, |i| i.line);
        let chain = match self.chain.len() {
            0..=5 => self.chain.join(" → "),
            n => format!(
                "{} → {} → … ({} more) → {}",
                self.chain[0],
                self.chain[1],
                n - 3,
                self.chain[n - 1]
            ),
        };
        let message = match self.expansion {
            None => format!("includes nest more than {MAX_INCLUDE_DEPTH} deep: {chain}"),
            Some(n) => format!(
                "one render of `{first}` expands to {n} included templates, more than \
                 {MAX_INCLUDE_EXPANSION}: {chain}"
            ),
        };
        Diagnostic::error(
            Code::Template,
            format!("themes/{}/templates/{first}", theme.name),
            message,
        )
        .at_line(source, line, 1)
        .with_help(
            "include a partial from fewer places, or loop over data instead of repeating includes",
        )
    }
}

fn reach<'a>(
    name: &'a str,
    graph: &HashMap<&'a str, (&'a str, Vec<Include<'a>>)>,
    memo: &mut HashMap<&'a str, Reach>,
    chain: &mut Vec<&'a str>,
) -> Result<Reach, TooDeep> {
    if let Some(r) = memo.get(name) {
        return Ok(*r);
    }
    let Some((_, incs)) = graph.get(name) else {
        return Ok(Reach {
            depth: 0,
            expansion: 1,
        });
    };
    chain.push(name);
    let mut r = Reach {
        depth: 0,
        expansion: 1,
    };
    for inc in incs {
        if chain.contains(&inc.name) {
            continue;
        }
        let sub = reach(inc.name, graph, memo, chain)?;
        r.depth = r.depth.max(sub.depth + 1);
        r.expansion = r.expansion.saturating_add(sub.expansion);
        let too_deep = r.depth > MAX_INCLUDE_DEPTH;
        if too_deep || r.expansion > MAX_INCLUDE_EXPANSION {
            let mut names: Vec<String> = chain.iter().map(|s| (*s).to_owned()).collect();
            names.push(inc.name.to_owned());
            return Err(TooDeep {
                chain: names,
                expansion: (!too_deep).then_some(r.expansion),
            });
        }
    }
    chain.pop();
    memo.insert(name, r);
    Ok(r)
}

/// Tera nests components at most this deep (its `MAX_COMPONENT_RECURSION_DEPTH`).
const TERA_COMPONENT_DEPTH: usize = 20;
/// Most renders one call of a component may expand to through the calls written in
/// it: a component over a binary tree (two calls of itself) stays below, one that calls
/// itself three times (3^20 renders) does not.
const MAX_COMPONENT_EXPANSION: u64 = 1 << 22;

/// A `{% component name(…) %}` of a template: its name, body and line.
struct Component<'a> {
    template: &'a str,
    name: &'a str,
    body: &'a str,
    line: usize,
}

/// The component definitions written in `source` (a plain scan, as for includes).
fn components<'a>(template: &'a str, source: &'a str) -> Vec<Component<'a>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = source[from..].find("{%").map(|i| from + i) {
        from = i + 2;
        let tag = source[from..].trim_start_matches('-').trim_start();
        let Some(rest) = tag.strip_prefix("component") else {
            continue;
        };
        let Some(open) = rest.find('(') else {
            continue;
        };
        let name = rest[..open].trim();
        let Some(end) = source[from..].find("%}").map(|e| from + e + 2) else {
            break;
        };
        let close = source[end..]
            .match_indices("endcomponent")
            .next()
            .map_or(source.len(), |(e, _)| end + e);
        out.push(Component {
            template,
            name,
            body: &source[end..close],
            line: source[..i].matches('\n').count() + 1,
        });
        from = close.max(from);
    }
    out
}

/// How often `body` calls the component `name`: `<name/>`, `<name …/>` or `<name>`.
fn calls(body: &str, name: &str) -> u64 {
    body.match_indices('<')
        .filter(|(i, _)| {
            body[i + 1..].strip_prefix(name).is_some_and(|rest| {
                rest.starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>')
            })
        })
        .count() as u64
}

/// Refuses a component whose calls of itself (directly or through other components)
/// multiply beyond [`MAX_COMPONENT_EXPANSION`] renders within Tera's nesting limit:
/// such a theme runs for hours or fills memory, writing or not.
fn check_components(theme: &RawTheme) -> Result<(), Box<Diagnostic>> {
    let defs: Vec<Component> = theme
        .templates
        .iter()
        .flat_map(|(n, s)| components(n, s))
        .collect();
    let edges: Vec<Vec<(usize, u64)>> = defs
        .iter()
        .map(|c| {
            (0..defs.len())
                .map(|j| (j, calls(c.body, defs[j].name)))
                .filter(|&(_, n)| n > 0)
                .collect()
        })
        .collect();
    let mut expansion = vec![1u64; defs.len()];
    for _ in 0..TERA_COMPONENT_DEPTH {
        expansion = edges
            .iter()
            .map(|calls| {
                calls.iter().fold(1u64, |sum, &(j, n)| {
                    sum.saturating_add(n.saturating_mul(expansion[j]))
                })
            })
            .collect();
    }
    let Some((c, n)) = defs
        .iter()
        .zip(&expansion)
        .find(|&(_, &n)| n > MAX_COMPONENT_EXPANSION)
    else {
        return Ok(());
    };
    let source = &theme.templates[c.template];
    Err(Box::new(
        Diagnostic::error(
            Code::Template,
            format!("themes/{}/templates/{}", theme.name, c.template),
            format!(
                "one call of component `{}` can expand to {} renders of components, more than \
                 {MAX_COMPONENT_EXPANSION}: it calls itself more than once, {TERA_COMPONENT_DEPTH} \
                 levels deep",
                c.name,
                match *n {
                    u64::MAX => "billions of".to_owned(),
                    n => n.to_string(),
                }
            ),
        )
        .at_line(source, c.line, 1)
        .with_help("let a component call itself once (for each item of a list), not several times"),
    ))
}

/// `d` moved to the template (and line) `e` names, when it names one.
pub(crate) fn locate(mut d: Diagnostic, theme: &RawTheme, e: &tera::Error) -> Diagnostic {
    let (name, span) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            (r.filename(), Some(r.span()))
        }
        tera::ErrorKind::CircularInclude { tpl, .. }
        | tera::ErrorKind::CircularExtend { tpl, .. } => (tpl.as_str(), None),
        _ => return d,
    };
    let Some(source) = theme.templates.get(name) else {
        return d;
    };
    d.path = theme.template_path(name);
    match span {
        Some(span) => d.at_line(source, span.start_line, span.start_col + 1),
        None => d,
    }
}

/// A Tera error with its causes, on one line each.
pub(super) fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    msg
}

/// Stack of each thread that renders pages. Tera's interpreter recurses once per
/// include, component and block level, about 70 KB a level in a debug build; with the
/// include limit above and Tera's own (components 20 deep, 40 nested tags) a hostile
/// theme could pass the 2 MB of rayon's threads and abort the process. Only the pages
/// of the reservation that are used become memory.
const RENDER_STACK: usize = 256 << 20;

/// Runs `f` (which renders the pages in parallel) on threads with [`RENDER_STACK`].
pub(crate) fn on_render_threads<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .stack_size(RENDER_STACK)
            .thread_name(|i| format!("render-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// What one page may cost: far above any real page (a sitemap of 50,000 addresses, the
/// protocol's limit, is about 20 MB), far below what exhausts memory or patience. Tera
/// itself refuses include cycles and components nested deeper than 20, but not a loop,
/// include or component that multiplies its output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageBudget {
    pub(crate) max_bytes: usize,
    pub(crate) max_time: Duration,
    /// Numbers handed out by `range()` on one page, all calls together.
    pub(crate) max_range_items: usize,
}

pub(crate) const PAGE_BUDGET: PageBudget = PageBudget {
    max_bytes: 64 << 20,
    max_time: Duration::from_secs(20),
    max_range_items: 1_000_000,
};

thread_local! {
    /// How many more numbers `range()` may hand out on the page this thread renders.
    static RANGE_LEFT: Cell<usize> = const { Cell::new(usize::MAX) };
    /// Whether `range()` refused a call for want of allowance on this page.
    static RANGE_REFUSED: Cell<bool> = const { Cell::new(false) };
}

/// Tera's `range(end, start=0, step_by=1)`, drawing its length from the page's
/// allowance: nested loops over `range()` that write nothing never reach the output
/// budget, and Tera limits each call (100,000) but not their number.
fn counted_range(kwargs: Kwargs, _: &State) -> tera::TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("`range` was called with `step_by` 0"));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "`range` was called with `start` greater than `end`",
        ));
    }
    let (span, step_abs) = match step > 0 {
        true => (end.saturating_sub(start), step.unsigned_abs()),
        false => (start.saturating_sub(end), step.unsigned_abs()),
    };
    let len = u128::try_from(span).unwrap_or(0).div_ceil(step_abs);
    let left = RANGE_LEFT.get();
    match usize::try_from(len)
        .ok()
        .filter(|&len| len <= left.min(MAX_RANGE_CALL))
    {
        Some(len) => {
            RANGE_LEFT.set(left - len);
            Ok((0..len as i128).map(|i| start + i * step).collect())
        }
        None if len > MAX_RANGE_CALL as u128 => Err(tera::Error::message(format!(
            "`range` would produce {len} numbers, more than {MAX_RANGE_CALL}"
        ))),
        None => {
            RANGE_REFUSED.set(true);
            Err(tera::Error::message(format!(
                "`range` was called for more than {} numbers on this page; stopped (nested loops?)",
                PAGE_BUDGET.max_range_items
            )))
        }
    }
}
/// The most one `range()` call hands out, as Tera's own.
const MAX_RANGE_CALL: usize = 100_000;

/// The budget of every page of one build. Once a page overran it, the pages not yet
/// rendered are skipped: with a fan-out in `base.html`, every page would otherwise run
/// to its own limit, minutes over a large site, to report the same error.
#[derive(Debug, Default)]
pub(crate) struct BuildBudget {
    overrun: AtomicBool,
}

/// The code of the placeholder error of a skipped page, which the renderer drops.
pub(crate) const SKIPPED: Code = Code::TemplateSkipped;

/// Why rendering a page failed.
#[derive(Debug)]
pub(crate) enum RenderError {
    Tera(tera::Error),
    TooLarge(usize),
    TooSlow(Duration),
    /// Not rendered: another page overran the budget.
    Skipped,
}

impl RenderError {
    /// The message of the diagnostic for `page` rendered with `template`.
    fn message(&self, template: &str, page: &str) -> String {
        match self {
            Self::Tera(e) => error_chain(e),
            Self::TooLarge(max) => format!(
                "rendering `{page}` with `{template}` produced more than {} MB; stopped",
                max >> 20
            ),
            Self::TooSlow(max) => format!(
                "rendering `{page}` with `{template}` took more than {} s; stopped",
                max.as_secs()
            ),
            Self::Skipped => format!("`{page}` was not rendered"),
        }
    }

    /// The located diagnostic for `page` rendered with `template` of `theme`.
    pub(crate) fn diagnostic(&self, theme: &RawTheme, template: &str, page: &str) -> Diagnostic {
        let d = Diagnostic::error(
            Code::Template,
            theme.template_path(template),
            self.message(template, page),
        )
        .with_help(self.help());
        match self {
            Self::Tera(e) => locate(d, theme, e),
            Self::Skipped => Diagnostic { code: SKIPPED, ..d },
            Self::TooLarge(_) | Self::TooSlow(_) => d,
        }
    }

    fn help(&self) -> &'static str {
        match self {
            Self::Tera(_) => {
                "a template used a value the page does not have, or has a syntax error"
            }
            Self::TooLarge(_) | Self::TooSlow(_) | Self::Skipped => {
                "a loop, include or component of the theme multiplies its output: look for \
                 nested loops over long lists, or a component that calls itself more than once"
            }
        }
    }
}

/// Renders `template` with `ctx` into bytes, stopped once it exceeds `budget`.
pub(crate) fn render_page(
    tera: &Tera,
    template: &str,
    ctx: &Context,
    capacity: usize,
    (budget, build): (PageBudget, &BuildBudget),
) -> Result<Vec<u8>, RenderError> {
    if build.overrun.load(Ordering::Relaxed) {
        return Err(RenderError::Skipped);
    }
    let mut out = Budgeted {
        out: Vec::with_capacity(capacity),
        max_bytes: budget.max_bytes,
        deadline: Instant::now() + budget.max_time,
        writes: 0,
        exceeded: None,
    };
    RANGE_LEFT.set(budget.max_range_items);
    RANGE_REFUSED.set(false);
    let result = tera.render_to(template, ctx, &mut out);
    RANGE_LEFT.set(usize::MAX);
    if out.exceeded.is_some() || RANGE_REFUSED.replace(false) {
        build.overrun.store(true, Ordering::Relaxed);
    }
    match (out.exceeded, result) {
        (Some(Exceeded::Size), _) => Err(RenderError::TooLarge(budget.max_bytes)),
        (Some(Exceeded::Time), _) => Err(RenderError::TooSlow(budget.max_time)),
        (None, Err(e)) => Err(RenderError::Tera(e)),
        (None, Ok(())) => Ok(out.out),
    }
}

#[derive(Debug, Clone, Copy)]
enum Exceeded {
    Size,
    Time,
}

/// A page's bytes as Tera writes them, refusing to grow past `max_bytes` or to go on
/// after `deadline` (checked every few hundred writes: reading the clock costs more
/// than copying a short piece of text).
struct Budgeted {
    out: Vec<u8>,
    max_bytes: usize,
    deadline: Instant,
    writes: u32,
    exceeded: Option<Exceeded>,
}

impl Write for Budgeted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.out.len() + buf.len() > self.max_bytes {
            return Err(self.stop(Exceeded::Size));
        }
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(256) && Instant::now() > self.deadline {
            return Err(self.stop(Exceeded::Time));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Budgeted {
    fn stop(&mut self, why: Exceeded) -> io::Error {
        self.exceeded = Some(why);
        io::Error::other("the page's budget is spent")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::new();
        tera.register_function("range", counted_range);
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        tera
    }

    const SMALL: PageBudget = PageBudget {
        max_bytes: 1 << 20,
        max_time: Duration::from_secs(60),
        max_range_items: 1_000_000,
    };

    #[test]
    fn a_page_within_its_budget_renders_unchanged() {
        let tera = tera(&[("p.html", "{% for i in range(end=3) %}<{{ i }}>{% endfor %}")]);
        let out = render(&tera, "p.html", SMALL).unwrap();
        assert_eq!(out, b"<0><1><2>");
    }

    #[test]
    fn nested_loops_are_stopped_at_the_size_budget() {
        let tera = tera(&[(
            "p.html",
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{{ a }}-{{ b }} {% endfor %}{% endfor %}",
        )]);
        let start = Instant::now();
        let e = render(&tera, "p.html", SMALL).unwrap_err();
        assert!(matches!(e, RenderError::TooLarge(_)), "{e:?}");
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(e.message("p.html", "x/index.html").contains("`p.html`"));
    }

    #[test]
    fn a_slow_page_is_stopped_at_the_deadline() {
        let tera = tera(&[(
            "p.html",
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}.{% endfor %}{% endfor %}",
        )]);
        let budget = PageBudget {
            max_bytes: usize::MAX,
            max_time: Duration::from_millis(50),
            max_range_items: usize::MAX,
        };
        let e = render(&tera, "p.html", budget).unwrap_err();
        assert!(matches!(e, RenderError::TooSlow(_)), "{e:?}");
    }

    #[test]
    fn nested_loops_without_output_are_stopped_by_the_range_allowance() {
        let tera = tera(&[(
            "p.html",
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
        )]);
        let e = render(&tera, "p.html", SMALL).unwrap_err();
        let message = e.message("p.html", "x/index.html");
        assert!(message.contains("nested loops"), "{message}");
        let ok = "{% for i in range(start=10, end=0, step_by=-3) %}{{ i }},{% endfor %}";
        let tera = super::tests::tera(&[("q.html", ok)]);
        let out = render(&tera, "q.html", SMALL).unwrap();
        assert_eq!(out, b"10,7,4,1,");
    }

    /// One page of `name` with an empty context, alone in its build.
    fn render(tera: &Tera, name: &str, budget: PageBudget) -> Result<Vec<u8>, RenderError> {
        render_page(
            tera,
            name,
            &Context::new(),
            16,
            (budget, &BuildBudget::default()),
        )
    }

    fn theme(templates: &[(&str, &str)]) -> RawTheme {
        RawTheme {
            name: "t".into(),
            templates: templates
                .iter()
                .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
                .collect(),
            ..RawTheme::default()
        }
    }

    #[test]
    fn components_calling_themselves_several_times_are_refused_at_their_line() {
        let fan = "a\n{% component fan(n) %}{% if n > 0 %}{{ <fan n={n-1}/> }}{{ <fan n={n-1}/> }}{{ <fan n={n-1}/> }}{% endif %}{% endcomponent fan %}";
        let d = check_components(&theme(&[("c.html", fan)])).unwrap_err();
        assert_eq!(
            (d.path.to_str(), d.line),
            (Some("themes/t/templates/c.html"), 2)
        );
        assert!(d.message.contains("`fan`"), "{}", d.message);
        let ping_pong = "{% component ping(n) %}{{ <pong n={n}/> }}{{ <pong n={n}/> }}{% endcomponent ping %}\
                         {% component pong(n) %}{% <ping n={n}> %}x{% </ping> %}{{ <ping n={n}/> }}{{ <ping\n n={n}/> }}{% endcomponent pong %}";
        assert!(check_components(&theme(&[("c.html", ping_pong)])).is_err());
        let tree = "{% component tree(node) %}{{ node.label }}{% if node.left %}{{ <tree node={node.left}/> }}{% endif %}{% if node.right %}{{ <tree node={node.right}/> }}{% endif %}{% endcomponent tree %}\
                    {% component list(items) %}{% for i in items %}{{ <tree node={i}/> }}{% endfor %}{% endcomponent list %}";
        assert!(check_components(&theme(&[("c.html", tree)])).is_ok());
    }
}
