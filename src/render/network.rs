//! The partnership network as an inline SVG, made at build time (pure, no I/O).
//!
//! Institutions are nodes, partnerships are edges. A partnership of n partners is
//! drawn as all n(n−1)/2 pairs: every partner of a partnership works with every other,
//! so a three-partner partnership reads as a triangle. Two partnerships between the
//! same pair are drawn as curves bent apart, so neither hides the other.
//!
//! Layout is deterministic (no randomness): nodes sit on one circle in the order in
//! which partnerships (already sorted by id) first mention them, so partners of one
//! partnership are neighbours and few edges cross; institutions without a partnership
//! follow in input order. With a `focus` (a partner page) that node sits in the middle.
//! The circle, node radius and font grow or shrink with the number of nodes so that no
//! two circles overlap from 1 to hundreds of nodes; above 12 nodes labels run
//! radially, so their length never collides with a neighbour.
//!
//! Styling is by CSS classes (`net-kind-*`, `net-status-*`, `net-node`, `net-focus`)
//! with presentation attributes (`currentColor`, dashes) as fallback, so the theme's
//! colour variables apply in light and dark mode. Planned partnerships are dashed,
//! ended ones dotted. The SVG is `role="group"` named by its `<title>` and described
//! by its `<desc>`: not `role="img"`, whose children are presentational, so the node
//! links inside would be focusable yet hidden from assistive technology (axe:
//! nested-interactive). Each node link is named by its `<title>` (the full name); the
//! page's lists of partners and partnerships are the text equivalent.

use crate::model::{PartnershipKind, PartnershipStatus};
use std::collections::HashMap;
use std::f64::consts::PI;
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
    /// For the `net-kind-*` class.
    pub kind: PartnershipKind,
    /// For the `net-status-*` class and the dashes.
    pub status: PartnershipStatus,
    /// Tooltip suffix, e.g. "Cooperation, planned".
    pub note: String,
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Network {
    pub nodes: Vec<Node>,
    pub groups: Vec<Group>,
    /// The node drawn in the middle (the partner of a partner page).
    pub focus: Option<usize>,
}

/// Accessible name and description, and the prefix that keeps ids unique per page.
pub(super) struct Labels<'a> {
    pub id_prefix: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

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

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

const LABEL_CHARS: usize = 22;
const EDGE_LABEL_CHARS: usize = 28;

/// The order of the nodes on the circle: by first mention in a partnership.
fn ring_order(net: &Network) -> Vec<usize> {
    let mut placed = vec![false; net.nodes.len()];
    if let Some(f) = net.focus {
        placed[f] = true;
    }
    let mut order = Vec::new();
    for g in &net.groups {
        for &m in &g.members {
            if m < placed.len() && !placed[m] {
                placed[m] = true;
                order.push(m);
            }
        }
    }
    order.extend((0..net.nodes.len()).filter(|&i| !placed[i]));
    order
}

struct Geometry {
    pos: Vec<(f64, f64)>,
    /// Angle of each node on the circle (for its label), `None` in the middle.
    angle: Vec<Option<f64>>,
    node_r: f64,
    font: f64,
    radial: bool,
    half_w: f64,
    half_h: f64,
}

fn layout(net: &Network) -> Geometry {
    let order = ring_order(net);
    let m = order.len();
    let (node_r, font): (f64, f64) = match m {
        0..=12 => (10.0, 14.0),
        13..=50 => (7.0, 11.0),
        _ => (5.0, 9.0),
    };
    let radial = m > 12;
    // Arc length per node: the circles plus a gap, and room for a radial label's height.
    let step = (2.0 * node_r + 8.0).max(if radial { font * 1.4 } else { 0.0 });
    let min_r = if net.focus.is_some() { 120.0 } else { 100.0 };
    let ring_r = if m <= 1 && net.focus.is_none() {
        0.0
    } else {
        (m as f64 * step / (2.0 * PI)).max(min_r)
    };
    let mut pos = vec![(0.0, 0.0); net.nodes.len()];
    let mut angle = vec![None; net.nodes.len()];
    for (k, &i) in order.iter().enumerate() {
        // Start at the top, go clockwise.
        let a = -PI / 2.0 + 2.0 * PI * k as f64 / m as f64;
        pos[i] = (ring_r * a.cos(), ring_r * a.sin());
        if ring_r > 0.0 {
            angle[i] = Some(a);
        }
    }
    let longest = net
        .nodes
        .iter()
        .map(|n| truncate(&n.label, LABEL_CHARS).chars().count())
        .max()
        .unwrap_or(0) as f64;
    let label_w = longest * font * 0.62;
    let pad = node_r + 6.0 + label_w + 6.0;
    let half_w = ring_r + pad;
    let half_h = if radial {
        half_w
    } else {
        ring_r + node_r + 8.0 + font * 1.5
    };
    Geometry {
        pos,
        angle,
        node_r,
        font,
        radial,
        half_w,
        half_h,
    }
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

fn f(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r}")
    }
}

/// The network as one `<svg>` element, or an empty string when there is nothing to draw.
pub(super) fn render(net: &Network, labels: &Labels) -> String {
    if net.nodes.is_empty() {
        return String::new();
    }
    let mut g = layout(net);
    let show_edge_labels = net.nodes.len() <= 12 && net.groups.len() <= 6;
    if show_edge_labels {
        // Edge labels sit inside the circle but may reach past it by half their width.
        let ring = g.pos.iter().map(|p| p.0.abs()).fold(0.0, f64::max);
        let half_label = EDGE_LABEL_CHARS as f64 * g.font * 0.85 * 0.62 / 2.0;
        g.half_w = g.half_w.max(ring + half_label + 6.0);
    }
    let mut s = String::new();
    write_open(&mut s, &g, labels);
    let edge_labels = write_edges(&mut s, net, &g);
    if show_edge_labels {
        write_edge_labels(&mut s, net, &g, &edge_labels);
    }
    write_nodes(&mut s, net, &g);
    s.push_str("</svg>");
    s
}

/// The `<svg>` start tag with its viewBox, title and description.
fn write_open(s: &mut String, g: &Geometry, labels: &Labels) {
    let p = escape(labels.id_prefix);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network-svg\" role=\"group\" \
         aria-labelledby=\"{p}-title\" aria-describedby=\"{p}-desc\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\">\
         <title id=\"{p}-title\">{}</title><desc id=\"{p}-desc\">{}</desc>",
        f(-g.half_w),
        f(-g.half_h),
        f(2.0 * g.half_w),
        f(2.0 * g.half_h),
        f(2.0 * g.half_w),
        f(2.0 * g.half_h),
        escape(labels.title),
        escape(labels.desc),
    );
}

/// The edges, under the nodes; parallel edges between one pair bend apart. Returns
/// where each partnership's label goes (on its first edge).
fn write_edges(s: &mut String, net: &Network, g: &Geometry) -> Vec<Option<(f64, f64)>> {
    let all = edges(net);
    let mut per_pair: HashMap<(usize, usize), usize> = HashMap::new();
    for e in &all {
        *per_pair.entry((e.a.min(e.b), e.a.max(e.b))).or_default() += 1;
    }
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut edge_labels: Vec<Option<(f64, f64)>> = vec![None; net.groups.len()];
    s.push_str("<g class=\"net-edges\">");
    for e in &all {
        let key = (e.a.min(e.b), e.a.max(e.b));
        let count = per_pair[&key];
        let idx = seen.entry(key).or_default();
        let offset = (*idx as f64 - (count as f64 - 1.0) / 2.0) * 14.0;
        *idx += 1;
        let (x1, y1) = g.pos[key.0];
        let (x2, y2) = g.pos[key.1];
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        // Control point: 2 × offset away from the midpoint, so the curve's own middle
        // is `offset` away.
        let (cx, cy) = (mx - dy / len * offset * 2.0, my + dx / len * offset * 2.0);
        write_edge(s, &net.groups[e.group], [x1, y1, cx, cy, x2, y2]);
        if edge_labels[e.group].is_none() {
            edge_labels[e.group] = Some((
                0.25 * x1 + 0.5 * cx + 0.25 * x2,
                0.25 * y1 + 0.5 * cy + 0.25 * y2,
            ));
        }
    }
    s.push_str("</g>");
    edge_labels
}

/// One edge of partnership `grp` as a quadratic curve `[x1, y1, cx, cy, x2, y2]`.
fn write_edge(s: &mut String, grp: &Group, [x1, y1, cx, cy, x2, y2]: [f64; 6]) {
    let dash = match grp.status {
        PartnershipStatus::Planned => " stroke-dasharray=\"6 4\"",
        PartnershipStatus::Ended => " stroke-dasharray=\"1 4\" stroke-linecap=\"round\"",
        PartnershipStatus::Active => "",
    };
    let _ = write!(
        s,
        "<path class=\"net-edge net-kind-{} net-status-{}\" d=\"M{} {} Q{} {} {} {}\" \
         fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"{dash}>\
         <title>{} ({})</title></path>",
        grp.kind,
        grp.status,
        f(x1),
        f(y1),
        f(cx),
        f(cy),
        f(x2),
        f(y2),
        escape(&grp.title),
        escape(&grp.note),
    );
}

/// Each partnership's title on its first edge (hidden from assistive technology: the
/// edges' titles and the page's lists say the same).
fn write_edge_labels(s: &mut String, net: &Network, g: &Geometry, at: &[Option<(f64, f64)>]) {
    s.push_str("<g class=\"net-edge-labels\" aria-hidden=\"true\">");
    for (gi, at) in at.iter().enumerate() {
        if let Some((x, y)) = at {
            let _ = write!(
                s,
                "<text class=\"net-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
                 dominant-baseline=\"middle\" font-size=\"{}\" fill=\"currentColor\">{}</text>",
                f(*x),
                f(*y),
                f(g.font * 0.85),
                escape(&truncate(&net.groups[gi].title, EDGE_LABEL_CHARS)),
            );
        }
    }
    s.push_str("</g>");
}

/// The nodes: each a link to the partner page with a circle and a label.
fn write_nodes(s: &mut String, net: &Network, g: &Geometry) {
    s.push_str("<g class=\"net-nodes\">");
    for (i, node) in net.nodes.iter().enumerate() {
        let (x, y) = g.pos[i];
        let focus = net.focus == Some(i);
        let class = if focus {
            "net-node net-focus"
        } else {
            "net-node"
        };
        let label = escape(&truncate(&node.label, LABEL_CHARS));
        let r = if focus { g.node_r * 1.4 } else { g.node_r };
        let _ = write!(
            s,
            "<a class=\"{class}\" href=\"{}\"><title>{}</title>\
             <circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#fff\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            escape(&node.url),
            escape(&node.name),
            f(x),
            f(y),
            f(r),
        );
        let text = label_position((x, y), r + 5.0, g.angle[i], g.radial);
        let _ = write!(
            s,
            "<text {text} font-size=\"{}\" fill=\"currentColor\">{label}</text></a>",
            f(g.font)
        );
    }
    s.push_str("</g>");
}

/// The position attributes of a node's label, `gap` outside its circle: below a node
/// in the middle (no angle), along the radius when labels run radially (upright on the
/// left half), else beside the circle, anchored away from the centre.
fn label_position((x, y): (f64, f64), gap: f64, angle: Option<f64>, radial: bool) -> String {
    match angle {
        None => format!(
            "x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"hanging\"",
            f(x),
            f(y + gap)
        ),
        Some(a) if radial => {
            let deg = a.to_degrees();
            let (tx, ty) = (x + gap * a.cos(), y + gap * a.sin());
            let (rot, anchor) = if a.cos() < -1e-9 {
                (deg + 180.0, "end")
            } else {
                (deg, "start")
            };
            format!(
                "x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\" \
                 transform=\"rotate({} {} {})\"",
                f(tx),
                f(ty),
                f(rot),
                f(tx),
                f(ty)
            )
        }
        Some(a) => {
            let (c, sn) = (a.cos(), a.sin());
            let anchor = if c > 0.3 {
                "start"
            } else if c < -0.3 {
                "end"
            } else {
                "middle"
            };
            let (tx, ty) = (x + gap * c, y + gap * sn);
            let baseline = if sn < -0.3 && anchor == "middle" {
                "auto"
            } else if sn > 0.3 && anchor == "middle" {
                "hanging"
            } else {
                "middle"
            };
            format!(
                "x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"{baseline}\"",
                f(tx),
                f(ty)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(n: usize) -> Network {
        let nodes = (0..n)
            .map(|i| Node {
                label: format!("Inst {i}"),
                name: format!("Institution number {i}"),
                url: format!("/partners/i{i}/"),
            })
            .collect();
        // A chain of pairs, a few triangles, one planned and one ended partnership.
        let mut groups: Vec<Group> = (0..n.saturating_sub(1))
            .map(|i| Group {
                title: format!("P{i}"),
                kind: PartnershipKind::Cooperation,
                status: [
                    PartnershipStatus::Active,
                    PartnershipStatus::Planned,
                    PartnershipStatus::Ended,
                ][i % 3],
                note: "Cooperation".into(),
                members: vec![i, i + 1],
            })
            .collect();
        if n >= 3 {
            groups.push(Group {
                title: "Three".into(),
                kind: PartnershipKind::Network,
                status: PartnershipStatus::Active,
                note: "Network".into(),
                members: vec![0, 1, 2],
            });
        }
        Network {
            nodes,
            groups,
            focus: None,
        }
    }

    fn labels() -> Labels<'static> {
        Labels {
            id_prefix: "net-home",
            title: "Network",
            desc: "Institutions and partnerships",
        }
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
    }

    #[test]
    fn same_input_same_svg() {
        let a = render(&net(20), &labels());
        let b = render(&net(20), &labels());
        assert_eq!(a, b);
    }

    #[test]
    fn sizes_from_3_to_200_are_well_formed() {
        for n in [1, 2, 3, 12, 13, 50, 200] {
            let svg = render(&net(n), &labels());
            let doc = parse(&svg);
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(root.attribute("role"), Some("group"));
            assert_eq!(root.attribute("aria-labelledby"), Some("net-home-title"));
            assert_eq!(root.attribute("aria-describedby"), Some("net-home-desc"));
            let links = root
                .descendants()
                .filter(|d| d.tag_name().name() == "a")
                .count();
            assert_eq!(links, n);
        }
        assert_eq!(render(&Network::default(), &labels()), "");
    }

    #[test]
    fn text_is_escaped() {
        let mut network = net(3);
        network.nodes[0].label = "A&B <x> \"q\" 'y'".into();
        network.nodes[0].url = "/p/?a=1&b=\"2\"".into();
        network.groups[0].title = "</title><script>".into();
        let l = Labels {
            id_prefix: "p",
            title: "T & <T>",
            desc: "D's \"d\"",
        };
        let svg = render(&network, &l);
        let doc = parse(&svg);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("A&amp;B &lt;x&gt; &quot;q&quot; &#39;y&#39;"));
        let title = doc
            .descendants()
            .find(|d| d.tag_name().name() == "title")
            .unwrap();
        assert_eq!(title.text(), Some("T & <T>"));
        let a = doc
            .descendants()
            .find(|d| d.tag_name().name() == "a")
            .unwrap();
        assert_eq!(a.attribute("href"), Some("/p/?a=1&b=\"2\""));
    }

    #[test]
    fn ids_are_prefixed_and_unique() {
        let svg = render(&net(50), &labels());
        let doc = parse(&svg);
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|d| d.attribute("id"))
            .collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len());
        assert!(ids.iter().all(|id| id.starts_with("net-home-")));
    }

    #[test]
    fn planned_edges_are_dashed_and_classed() {
        let svg = render(&net(5), &labels());
        let doc = parse(&svg);
        let paths: Vec<_> = doc
            .descendants()
            .filter(|d| d.tag_name().name() == "path")
            .collect();
        assert!(!paths.is_empty());
        for p in paths {
            let class = p.attribute("class").unwrap();
            assert!(class.contains("net-kind-"));
            let dashed = p.attribute("stroke-dasharray");
            if class.contains("net-status-planned") {
                assert_eq!(dashed, Some("6 4"));
            } else if class.contains("net-status-active") {
                assert_eq!(dashed, None);
            }
        }
    }

    #[test]
    fn a_three_partner_partnership_is_a_triangle() {
        let mut network = net(3);
        network.groups.truncate(0);
        network.groups.push(Group {
            title: "T".into(),
            kind: PartnershipKind::Network,
            status: PartnershipStatus::Active,
            note: String::new(),
            members: vec![0, 1, 2],
        });
        let svg = render(&network, &labels());
        assert_eq!(svg.matches("<path ").count(), 3);
    }

    fn circles(svg: &str) -> Vec<(f64, f64, f64)> {
        let doc = parse(svg);
        doc.descendants()
            .filter(|d| d.tag_name().name() == "circle")
            .map(|c| {
                let v = |k| c.attribute(k).unwrap().parse::<f64>().unwrap();
                (v("cx"), v("cy"), v("r"))
            })
            .collect()
    }

    #[test]
    fn circles_never_overlap() {
        for (n, focus) in [(50, None), (50, Some(7)), (200, None), (3, Some(0))] {
            let mut network = net(n);
            network.focus = focus;
            let cs = circles(&render(&network, &labels()));
            assert_eq!(cs.len(), n);
            for (i, a) in cs.iter().enumerate() {
                for b in &cs[i + 1..] {
                    let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                    assert!(d > a.2 + b.2, "overlap at n={n}: {a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn the_focus_is_in_the_middle() {
        let mut network = net(6);
        network.focus = Some(3);
        let svg = render(&network, &labels());
        let cs = circles(&svg);
        assert_eq!((cs[3].0, cs[3].1), (0.0, 0.0));
        assert!(svg.contains("net-node net-focus"));
    }
}
