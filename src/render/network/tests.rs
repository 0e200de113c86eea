use super::*;

fn net(n: usize) -> Network {
    let nodes = (0..n)
        .map(|i| Node {
            label: format!("Inst {i}"),
            name: format!("Institution number {i}"),
            url: format!("/partners/i{i}/"),
        })
        .collect();
    // A chain of pairs, a triangle, one planned and one ended partnership.
    let mut groups: Vec<Group> = (0..n.saturating_sub(1))
        .map(|i| group(&format!("P{i}"), vec![i, i + 1], i))
        .collect();
    if n >= 3 {
        groups.push(Group {
            kind: PartnershipKind::Network,
            ..group("Three", vec![0, 1, 2], 0)
        });
    }
    Network {
        nodes,
        groups,
        focus: None,
    }
}

fn group(title: &str, members: Vec<usize>, i: usize) -> Group {
    let status = [
        PartnershipStatus::Active,
        PartnershipStatus::Planned,
        PartnershipStatus::Ended,
    ][i % 3];
    Group {
        title: title.into(),
        url: format!("/partnerships/{title}/"),
        kind: PartnershipKind::Cooperation,
        kind_label: "Cooperation".into(),
        status,
        status_label: status.to_string(),
        members,
    }
}

fn labels() -> Labels<'static> {
    Labels {
        id_prefix: "net-home",
        title: "Network",
        desc: "Institutions and partnerships",
        legend: "Legend",
        apart: "Without a partnership",
        partnership: "Partnership",
        partners: "Partners",
    }
}

fn parse(html: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

fn wrapped(net: &Network) -> String {
    format!("<root>{}</root>", render(net, &labels()))
}

fn count(doc: &roxmltree::Document, tag: &str) -> usize {
    doc.descendants().filter(|d| d.has_tag_name(tag)).count()
}

#[test]
fn same_input_same_html() {
    assert_eq!(render(&net(10), &labels()), render(&net(10), &labels()));
}

#[test]
fn up_to_twelve_institutions_are_drawn_above_a_table() {
    for n in [2, 3, 12] {
        let html = wrapped(&net(n));
        let doc = parse(&html);
        let svg = doc
            .descendants()
            .find(|d| d.has_tag_name("svg") && d.attribute("class") == Some("network-svg"))
            .expect("the drawing");
        assert_eq!(svg.attribute("role"), Some("group"));
        assert_eq!(svg.attribute("aria-labelledby"), Some("net-home-title"));
        assert_eq!(svg.attribute("aria-describedby"), Some("net-home-desc"));
        // Drawn at its own size: width and height equal the view box's.
        let vb = svg.attribute("viewBox").unwrap();
        let (w, h) = (
            svg.attribute("width").unwrap(),
            svg.attribute("height").unwrap(),
        );
        assert_eq!(vb, format!("0 0 {w} {h}"));
        assert!(
            w.parse::<f64>().unwrap() <= 340.0,
            "{w} px is too wide for a phone"
        );
        assert_eq!(count(&doc, "table"), 0);
        assert_eq!(svg.descendants().filter(|d| d.has_tag_name("a")).count(), n);
    }
    let html = wrapped(&net(13));
    let doc = parse(&html);
    assert_eq!(
        count(&doc, "svg"),
        13,
        "no drawing, one key per partnership row"
    );
    assert_eq!(count(&doc, "table"), 1);
    assert_eq!(count(&doc, "tr"), 1 + 13);
    assert_eq!(render(&Network::default(), &labels()), "");
}

#[test]
fn no_edge_labels_and_a_legend_of_what_is_drawn() {
    let html = wrapped(&net(5));
    let doc = parse(&html);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|d| d.has_tag_name("text"))
        .filter_map(|d| d.text())
        .collect();
    assert_eq!(texts, ["Inst 0", "Inst 1", "Inst 2", "Inst 3", "Inst 4"]);
    let legend: Vec<String> = doc
        .descendants()
        .find(|d| d.attribute("class") == Some("net-legend"))
        .unwrap()
        .children()
        .map(|li| {
            li.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    assert_eq!(legend, ["Cooperation", "Cooperation", "planned", "ended"]);
}

#[test]
fn institutions_without_a_partnership_are_named_apart() {
    let mut network = net(3);
    network.nodes.push(Node {
        label: "Land".into(),
        name: "Land Sachsen-Anhalt".into(),
        url: "/partners/land/".into(),
    });
    let html = wrapped(&network);
    let doc = parse(&html);
    assert_eq!(count(&doc, "circle"), 3);
    let apart = doc
        .descendants()
        .find(|d| d.attribute("class") == Some("net-apart"))
        .unwrap();
    let link = apart.children().find(|c| c.has_tag_name("a")).unwrap();
    assert_eq!(link.attribute("href"), Some("/partners/land/"));
    assert_eq!(link.text(), Some("Land Sachsen-Anhalt"));
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
        ..labels()
    };
    let html = format!("<root>{}</root>", render(&network, &l));
    let doc = parse(&html);
    assert!(!html.contains("<script>"));
    assert!(html.contains("A&amp;B &lt;x&gt; &quot;q&quot; &#39;y&#39;"));
    let title = doc.descendants().find(|d| d.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some("T & <T>"));
    let a = doc.descendants().find(|d| d.has_tag_name("a")).unwrap();
    assert_eq!(a.attribute("href"), Some("/p/?a=1&b=\"2\""));
}

#[test]
fn ids_are_prefixed_and_unique() {
    let html = wrapped(&net(12));
    let doc = parse(&html);
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|d| d.attribute("id"))
        .collect();
    assert_eq!(ids, ["net-home-title", "net-home-desc"]);
}

#[test]
fn planned_edges_are_dashed_and_classed() {
    let html = wrapped(&net(5));
    let doc = parse(&html);
    let paths: Vec<_> = doc
        .descendants()
        .filter(|d| d.has_tag_name("path"))
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
fn a_three_partner_partnership_is_three_arcs() {
    let mut network = net(3);
    network.groups.truncate(0);
    network.groups.push(group("T", vec![0, 1, 2], 0));
    assert_eq!(render(&network, &labels()).matches("<path ").count(), 3);
}

/// A box `(x0, y0, x1, y1)`.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

#[test]
fn names_clear_each_other_the_circles_and_the_arcs() {
    for (n, focus) in [(12, None), (12, Some(7)), (3, Some(0))] {
        let mut network = net(n);
        network.focus = focus;
        let g = layout(&network);
        let mut names = Vec::new();
        let mut circles = Vec::new();
        for (i, node) in network.nodes.iter().enumerate() {
            let y = g.y(g.row[i].unwrap());
            let x = g.column + FOCUS_RADIUS + LABEL_GAP;
            let w = label_width(&node.label);
            names.push((x, y - FONT * 0.7, x + w, y + FONT * 0.7));
            circles.push((
                g.column - FOCUS_RADIUS,
                y - FOCUS_RADIUS,
                g.column + FOCUS_RADIUS,
                y + FOCUS_RADIUS,
            ));
            // Inside the SVG.
            assert!(x + w <= g.width && y + FONT <= g.height, "{n}: {i} outside");
        }
        for (i, a) in names.iter().enumerate() {
            for (j, b) in names.iter().enumerate().skip(i + 1) {
                assert!(!overlaps(*a, *b), "{n}: names {i} and {j}");
            }
            for c in &circles {
                assert!(!overlaps(*a, *c), "{n}: name {i} over a circle");
            }
            // Arcs stay left of the column.
            assert!(a.0 > g.column);
        }
        assert!(g.bends.iter().all(|&b| b > 0.0 && b < g.column));
    }
}

#[test]
fn the_focus_comes_first_and_is_marked() {
    let mut network = net(6);
    network.focus = Some(3);
    let g = layout(&network);
    assert_eq!(g.row[3], Some(0));
    assert!(render(&network, &labels()).contains("net-node net-focus"));
}
