//! The inline SVGs of the home, partners and partner pages: the partnership network
//! (`render/network.rs`) and the location map (`render/map.rs`), with their labels.

use super::links::Links;
use crate::render::{map, network};
use std::collections::HashMap;

/// The partnership network (`network_svg`: the drawing or its table, legend and the
/// institutions without a partnership): the whole site's on the home page (`focus`
/// `None`); on a partner page the partner, its direct partners and every partnership
/// among them. Empty when there is no partnership to draw.
pub(crate) fn network_svg(links: Links, focus: Option<usize>) -> String {
    let s = links.site;
    let code = links.lang.code.as_str();
    // Site index → node index.
    let members: Vec<usize> = match focus {
        None => (0..s.institutions.len()).collect(),
        Some(i) => std::iter::once(i)
            .chain(s.institutions[i].partners.iter().map(|p| p.0))
            .collect(),
    };
    let node_of: HashMap<usize, usize> = members.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    // A partnership drawn has a member among its partners, so on a partner page
    // only the members' partnerships are candidates (not every partnership of the
    // site for every partner page).
    let candidates: Vec<usize> = match focus {
        None => (0..s.partnerships.len()).collect(),
        Some(_) => {
            let mut ids: Vec<usize> = members
                .iter()
                .flat_map(|&i| s.institutions[i].partnerships.iter().map(|p| p.0))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
    };
    let groups: Vec<network::Group> = candidates
        .into_iter()
        .map(|p| &s.partnerships[p])
        .filter_map(|p| {
            let inside: Vec<usize> = p
                .partners
                .iter()
                .filter_map(|x| node_of.get(&x.0).copied())
                .collect();
            (inside.len() >= 2).then(|| network::Group {
                title: p.title.get(code).clone(),
                url: links.routes.path(&links.routes.partnership(code, &p.id)),
                kind: p.kind,
                kind_label: links.lang.t(&format!("partnership_kind.{}", p.kind)),
                status: p.status,
                status_label: links.lang.t(&format!("status.{}", p.status)),
                members: inside,
            })
        })
        .collect();
    if groups.is_empty() {
        return String::new();
    }
    let nodes = members
        .iter()
        .map(|&i| {
            let inst = &s.institutions[i];
            let name = inst.name.get(code).clone();
            network::Node {
                label: inst.short_name.get(code).clone().unwrap_or(name.clone()),
                name,
                url: links.routes.path(&links.routes.partner(code, &inst.id)),
            }
        })
        .collect::<Vec<_>>();
    let (id_prefix, title) = match focus {
        None => ("net-home", links.lang.t("network.title")),
        Some(i) => (
            "net-partner",
            links.lang.t_with(
                "network.title_partner",
                "name",
                s.institutions[i].name.get(code),
            ),
        ),
    };
    // Those without a partnership are named apart, not drawn.
    let drawn = (0..nodes.len())
        .filter(|n| groups.iter().any(|g| g.members.contains(n)))
        .count();
    let desc = links
        .lang
        .t("network.desc")
        .replace("{institutions}", &links.lang.number(drawn as f64))
        .replace("{partnerships}", &links.lang.number(groups.len() as f64));
    let net = network::Network {
        nodes,
        groups,
        focus: focus.map(|_| 0),
    };
    let t = |key: &str| links.lang.t(key);
    network::render(
        &net,
        &network::Labels {
            id_prefix,
            title: &title,
            desc: &desc,
            legend: &t("network.legend"),
            apart: &t("network.apart"),
            partnership: &t("network.partnership"),
            partners: &t("network.partners"),
        },
    )
}

/// The location map (`map_svg`: the SVG and the places' names): every institution's
/// locations on the partners page (`only` `None`), by place, each name linking to the
/// institution there (several: named in its tooltip and text); one institution's on
/// its page. Empty when fewer than two places have coordinates.
pub(crate) fn map_svg(links: Links, only: Option<usize>) -> String {
    let s = links.site;
    let code = links.lang.code.as_str();
    let mut points = Vec::new();
    let shown = only.map_or(0..s.institutions.len(), |o| o..o + 1);
    for i in shown {
        let inst = &s.institutions[i];
        let name = inst.name.get(code);
        for loc in &inst.locations {
            let (Some(lat), Some(lon)) = (loc.lat, loc.lon) else {
                continue;
            };
            points.push(map::Point {
                lat,
                lon,
                place: loc.name.clone(),
                institution: name.clone(),
                url: only
                    .is_none()
                    .then(|| links.routes.path(&links.routes.partner(code, &inst.id))),
            });
        }
    }
    let (id_prefix, title) = match only {
        None => ("map-partners", links.lang.t("map.title")),
        Some(i) => (
            "map-partner",
            links.lang.t_with(
                "map.title_partner",
                "name",
                s.institutions[i].name.get(code),
            ),
        ),
    };
    let places = map::places(&points).len();
    let desc = links
        .lang
        .t("map.desc")
        .replace("{places}", &links.lang.number(places as f64));
    map::render(
        &points,
        &map::Labels {
            id_prefix,
            title: &title,
            desc: &desc,
            name_institutions: only.is_none(),
        },
    )
}
