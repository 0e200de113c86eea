//! The network above `MAX_DRAWN` institutions: a table with one row per partnership,
//! its kind and status (with the line the drawing would use) and its partners. Rows
//! and columns carry headers, so a screen reader reads each partner with its
//! partnership, and it reads in any width (the cells wrap).

use super::{Labels, Network, escape, key};
use std::fmt::Write;

pub(super) fn write_table(s: &mut String, net: &Network, labels: &Labels) {
    let _ = write!(
        s,
        "<div class=\"net-table-wrap\"><table class=\"net-table\"><caption class=\"visually-hidden\">{}</caption>\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(labels.title),
        escape(labels.partnership),
        escape(labels.partners),
    );
    for g in &net.groups {
        let _ = write!(
            s,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a>\
             <span class=\"net-note\">{}{}, {}</span></th><td><ul class=\"net-members\">",
            escape(&g.url),
            escape(&g.title),
            key(Some(g.kind), g.status),
            escape(&g.kind_label),
            escape(&g.status_label),
        );
        for &m in &g.members {
            if let Some(n) = net.nodes.get(m) {
                let _ = write!(
                    s,
                    "<li><a href=\"{}\">{}</a></li>",
                    escape(&n.url),
                    escape(&n.name)
                );
            }
        }
        s.push_str("</ul></td></tr>");
    }
    s.push_str("</tbody></table></div>");
}
