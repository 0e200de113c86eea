//! The partnership network as HTML with an inline SVG, made at build time (pure, no I/O).
//!
//! Institutions are nodes, partnerships are edges. A partnership of n partners is
//! drawn as all n(n−1)/2 pairs: every partner of a partnership works with every other,
//! so a three-partner partnership reads as three arcs. Two partnerships between the
//! same pair bend apart, so neither hides the other.
//!
//! The layout is an arc diagram, not a ring: one row per institution, the circles in a
//! column, the names to their right and the partnerships as arcs to their left. So no
//! edge ever crosses a name, names never collide (one per row), and the SVG keeps its
//! own size in CSS pixels (`width`/`height` from the layout, never scaled): its names
//! are 13 px on a phone and on a desktop, and it fits a 390 px phone. Rows follow the
//! partnerships (sorted by id) in which institutions first appear, so partners sit
//! near each other and arcs stay short; a partner page's institution comes first.
//! Institutions without a partnership are not drawn (a node among the others reads as
//! connected) but named apart below. Above [`MAX_DRAWN`] institutions rows of arcs
//! stop informing, and a table of the partnerships and their partners replaces the
//! drawing (`table.rs`).
//!
//! Styling is by CSS classes (`net-kind-*`, `net-status-*`, `net-node`, `net-focus`)
//! with presentation attributes (`currentColor`, dashes) as fallback, so the theme's
//! colour variables apply in light and dark mode. Planned partnerships are dashed,
//! ended ones dotted, as the HTML legend below the drawing shows. The SVG is
//! `role="group"` named by its `<title>` and described by its `<desc>`: not
//! `role="img"`, whose children are presentational, so the node links inside would be
//! focusable yet hidden from assistive technology (axe: nested-interactive). Each node
//! link is named by its `<title>` (the full name); the page's lists of partners and
//! partnerships are the text equivalent.

mod table;

use crate::model::{PartnershipKind, PartnershipStatus};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// An institution in the drawing.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// Short label (short name, else name).
    pub label: String,
    /// Full name, for the tooltip.
    pub name: String,
    /// Path of the partner page.
    pub url: String,
}

/// One partnership between the institutions `members` (indices into the nodes).
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub title: String,
    /// The partnership's page, linked from the table.
    pub url: String,
    /// For the `net-kind-*` class.
    pub kind: PartnershipKind,
    /// The kind's name in the page's language, for the legend.
    pub kind_label: String,
    /// For the `net-status-*` class and the dashes.
    pub status: PartnershipStatus,
    /// The status's name in the page's language, for the legend.
    pub status_label: String,
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Network {
    pub nodes: Vec<Node>,
    pub groups: Vec<Group>,
    /// The node drawn first and filled (the partner of a partner page).
    pub focus: Option<usize>,
}

/// The texts around the drawing, and the prefix that keeps ids unique per page.
pub(super) struct Labels<'a> {
    pub id_prefix: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// The accessible name of the legend.
    pub legend: &'a str,
    /// Introduces the institutions without a partnership ("Without a partnership").
    pub apart: &'a str,
    /// The table's column headers.
    pub partnership: &'a str,
    pub partners: &'a str,
}

/// Institutions drawn at most; above, the table.
pub(super) const MAX_DRAWN: usize = 12;
/// Row height, node radius and font size, in CSS pixels.
const ROW: f64 = 30.0;
const RADIUS: f64 = 7.0;
const FOCUS_RADIUS: f64 = 9.0;
pub(super) const FONT: f64 = 13.0;
/// Width of a character of the label font, as a share of the font size (generous, so
/// that the SVG is wide enough for its longest name).
const CHAR_WIDTH: f64 = 0.62;
const LABEL_CHARS: usize = 26;
/// Space above the first and below the last row.
const MARGIN: f64 = 16.0;
/// Gap between a circle and its name.
const LABEL_GAP: f64 = 8.0;
/// How far the arcs reach left at most, and how far apart parallel arcs bend.
const ARC_MAX: f64 = 150.0;
const ARC_STEP: f64 = 10.0;

/// Escapes text for XML content and attribute values.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A number for an attribute: one decimal, no `-0`.
pub(super) fn f(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r}")
    }
}

/// The rows: the focus first, then institutions by first mention in a partnership.
/// Institutions in no partnership are left out.
fn row_order(net: &Network) -> Vec<usize> {
    let mut placed = vec![false; net.nodes.len()];
    let mut order = Vec::new();
    if let Some(f) = net.focus.filter(|&f| f < placed.len()) {
        placed[f] = true;
        order.push(f);
    }
    for g in &net.groups {
        for &m in &g.members {
            if m < placed.len() && !placed[m] {
                placed[m] = true;
                order.push(m);
            }
        }
    }
    order
}

/// One drawn edge: endpoints and the partnership it belongs to.
struct Edge {
    a: usize,
    b: usize,
    group: usize,
}

fn edges(net: &Network) -> Vec<Edge> {
    let n = net.nodes.len();
    let mut out = Vec::new();
    for (gi, g) in net.groups.iter().enumerate() {
        let members: Vec<usize> = g.members.iter().copied().filter(|&m| m < n).collect();
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if a != b {
                    out.push(Edge { a, b, group: gi });
                }
            }
        }
    }
    out
}

/// Where everything goes: each node's row (`None`: not drawn), each edge's bend, the
/// column of circles and the SVG's size.
pub(super) struct Layout {
    pub row: Vec<Option<usize>>,
    /// Per edge (in `edges` order): how far left its arc reaches from the column.
    bends: Vec<f64>,
    /// x of the circles.
    pub column: f64,
    pub width: f64,
    pub height: f64,
}

impl Layout {
    pub(super) fn y(&self, row: usize) -> f64 {
        MARGIN + ROW / 2.0 + row as f64 * ROW
    }
}

/// An estimate of a name's width in CSS pixels at [`FONT`].
pub(super) fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * FONT * CHAR_WIDTH
}

pub(super) fn layout(net: &Network) -> Layout {
    let order = row_order(net);
    let mut row = vec![None; net.nodes.len()];
    for (r, &i) in order.iter().enumerate() {
        row[i] = Some(r);
    }
    let all = edges(net);
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let bends: Vec<f64> = all
        .iter()
        .map(|e| {
            let (ra, rb) = (row[e.a].unwrap_or(0), row[e.b].unwrap_or(0));
            let key = (ra.min(rb), ra.max(rb));
            let k = seen.entry(key).or_default();
            let bend =
                (12.0 + (key.1 - key.0) as f64 * ROW * 0.4).min(ARC_MAX) + *k as f64 * ARC_STEP;
            *k += 1;
            bend
        })
        .collect();
    let reach = bends.iter().copied().fold(0.0, f64::max);
    let column = reach + FOCUS_RADIUS + 4.0;
    let longest = order
        .iter()
        .map(|&i| label_width(&truncate(&net.nodes[i].label, LABEL_CHARS)))
        .fold(0.0, f64::max);
    Layout {
        row,
        bends,
        column,
        width: (column + FOCUS_RADIUS + LABEL_GAP + longest + 8.0).ceil(),
        height: (2.0 * MARGIN + order.len() as f64 * ROW).ceil(),
    }
}

/// The network as HTML (the drawing or, above [`MAX_DRAWN`] institutions, the table;
/// the legend; the institutions without a partnership), or an empty string when no
/// partnership joins two of them.
pub(super) fn render(net: &Network, labels: &Labels) -> String {
    let drawn = row_order(net);
    if net.groups.is_empty() || drawn.len() < 2 {
        return String::new();
    }
    let mut s = String::new();
    if drawn.len() > MAX_DRAWN {
        table::write_table(&mut s, net, labels);
    } else {
        let g = layout(net);
        s.push_str("<div class=\"net-chart\">");
        write_open(&mut s, &g, labels);
        write_edges(&mut s, net, &g);
        write_nodes(&mut s, net, &g);
        s.push_str("</svg></div>");
        write_legend(&mut s, net, labels);
    }
    write_apart(&mut s, net, &shown(net, &drawn), labels);
    s
}

/// Per node: whether it is drawn (or in the table).
fn shown(net: &Network, drawn: &[usize]) -> Vec<bool> {
    let mut shown = vec![false; net.nodes.len()];
    for &i in drawn {
        shown[i] = true;
    }
    shown
}

/// The `<svg>` start tag with its size, title and description.
fn write_open(s: &mut String, g: &Layout, labels: &Labels) {
    let p = escape(labels.id_prefix);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network-svg\" role=\"group\" \
         aria-labelledby=\"{p}-title\" aria-describedby=\"{p}-desc\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\"><title id=\"{p}-title\">{}</title><desc id=\"{p}-desc\">{}</desc>",
        escape(labels.title),
        escape(labels.desc),
        w = f(g.width),
        h = f(g.height),
    );
}

/// The arcs, under the nodes: each leaves its two circles to the left and bends back.
fn write_edges(s: &mut String, net: &Network, g: &Layout) {
    s.push_str("<g class=\"net-edges\">");
    for (e, bend) in edges(net).iter().zip(&g.bends) {
        let (Some(ra), Some(rb)) = (g.row[e.a], g.row[e.b]) else {
            continue;
        };
        let (y1, y2) = (g.y(ra.min(rb)), g.y(ra.max(rb)));
        // A cubic curve with both control points `bend / 0.75` to the left reaches
        // `bend` at its middle.
        let cx = g.column - bend / 0.75;
        let grp = &net.groups[e.group];
        let dash = match grp.status {
            PartnershipStatus::Planned => " stroke-dasharray=\"6 4\"",
            PartnershipStatus::Ended => " stroke-dasharray=\"1 4\" stroke-linecap=\"round\"",
            PartnershipStatus::Active => "",
        };
        let _ = write!(
            s,
            "<path class=\"net-edge net-kind-{} net-status-{}\" d=\"M{x} {} C{} {} {} {} {x} {}\" \
             fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"{dash}>\
             <title>{} ({}, {})</title></path>",
            grp.kind,
            grp.status,
            f(y1),
            f(cx),
            f(y1),
            f(cx),
            f(y2),
            f(y2),
            escape(&grp.title),
            escape(&grp.kind_label),
            escape(&grp.status_label),
            x = f(g.column),
        );
    }
    s.push_str("</g>");
}

/// The nodes: each a link to the partner page with a circle and its name.
fn write_nodes(s: &mut String, net: &Network, g: &Layout) {
    s.push_str("<g class=\"net-nodes\">");
    for (i, node) in net.nodes.iter().enumerate() {
        let Some(row) = g.row[i] else {
            continue;
        };
        let y = g.y(row);
        let focus = net.focus == Some(i);
        let (class, r) = if focus {
            ("net-node net-focus", FOCUS_RADIUS)
        } else {
            ("net-node", RADIUS)
        };
        let _ = write!(
            s,
            "<a class=\"{class}\" href=\"{}\"><title>{}</title>\
             <circle cx=\"{x}\" cy=\"{y}\" r=\"{}\" fill=\"#fff\" stroke=\"currentColor\" stroke-width=\"2\"/>\
             <text x=\"{}\" y=\"{y}\" dy=\"0.35em\" font-size=\"{}\" fill=\"currentColor\">{}</text></a>",
            escape(&node.url),
            escape(&node.name),
            f(r),
            f(g.column + FOCUS_RADIUS + LABEL_GAP),
            f(FONT),
            escape(&truncate(&node.label, LABEL_CHARS)),
            x = f(g.column),
            y = f(y),
        );
    }
    s.push_str("</g>");
}

/// A short line in a partnership's colour and dashes, for the legend and the table.
pub(super) fn key(kind: Option<PartnershipKind>, status: PartnershipStatus) -> String {
    let (class, dash) = match status {
        PartnershipStatus::Planned => ("planned", " stroke-dasharray=\"6 4\""),
        PartnershipStatus::Ended => (
            "ended",
            " stroke-dasharray=\"1 4\" stroke-linecap=\"round\"",
        ),
        PartnershipStatus::Active => ("active", ""),
    };
    let kind = kind.map_or(String::new(), |k| format!(" net-kind-{k}"));
    format!(
        "<svg class=\"net-key\" aria-hidden=\"true\" width=\"28\" height=\"10\" viewBox=\"0 0 28 10\">\
         <line class=\"net-edge{kind} net-status-{class}\" x1=\"1\" y1=\"5\" x2=\"27\" y2=\"5\" \
         stroke=\"currentColor\" stroke-width=\"2\"{dash}/></svg>"
    )
}

/// The legend: one entry per kind drawn (its colour), then planned and ended (dashes
/// and dots in the neutral colour) when drawn.
fn write_legend(s: &mut String, net: &Network, labels: &Labels) {
    let kinds: BTreeMap<PartnershipKind, &str> = net
        .groups
        .iter()
        .map(|g| (g.kind, g.kind_label.as_str()))
        .collect();
    let statuses: BTreeMap<PartnershipStatus, &str> = net
        .groups
        .iter()
        .filter(|g| g.status != PartnershipStatus::Active)
        .map(|g| (g.status, g.status_label.as_str()))
        .collect();
    let _ = write!(
        s,
        "<ul class=\"net-legend\" aria-label=\"{}\">",
        escape(labels.legend)
    );
    for (kind, label) in kinds {
        let _ = write!(
            s,
            "<li>{}{}</li>",
            key(Some(kind), PartnershipStatus::Active),
            escape(label)
        );
    }
    for (status, label) in statuses {
        let _ = write!(s, "<li>{}{}</li>", key(None, status), escape(label));
    }
    s.push_str("</ul>");
}

/// The institutions in no partnership shown, named apart with links.
fn write_apart(s: &mut String, net: &Network, shown: &[bool], labels: &Labels) {
    let apart: Vec<&Node> = net
        .nodes
        .iter()
        .zip(shown)
        .filter(|(_, shown)| !**shown)
        .map(|(n, _)| n)
        .collect();
    if apart.is_empty() {
        return;
    }
    let _ = write!(s, "<p class=\"net-apart\">{}: ", escape(labels.apart));
    for (k, n) in apart.iter().enumerate() {
        if k > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "<a href=\"{}\">{}</a>", escape(&n.url), escape(&n.name));
    }
    s.push_str("</p>");
}

#[cfg(test)]
mod tests;
