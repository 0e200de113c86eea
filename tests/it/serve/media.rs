//! `serve` and media files: a replaced or newly used graphic is served after the save,
//! like any edit.

use super::*;

const GRAPHIC: &str = "content/media/grafiken/netzwerk.svg";
const ROUTE: &str = "media/grafiken/netzwerk.svg";

#[test]
fn a_replaced_graphic_is_served_after_the_save() {
    let fixture = Fixture::copy("media");
    let mut server = Server::start(&fixture);
    server.wait_for_page(ROUTE, "the first graphic", |r| {
        r.status == 200 && r.body.contains("#2a7")
    });
    let before = server.process.good_builds();
    let replaced = std::fs::read_to_string(fixture.root().join(GRAPHIC))
        .expect("read graphic")
        .replace("#2a7", "#c03");
    save_by_rename(&fixture, GRAPHIC, &replaced);
    server.wait_for_page(ROUTE, "the replaced graphic", |r| {
        r.status == 200 && r.body.contains("#c03")
    });
    server.process.wait_for_good_build(before);
}

#[test]
fn a_graphic_newly_used_by_a_release_is_served_after_the_save() {
    let fixture = Fixture::copy("media");
    let server = Server::start(&fixture);
    let route = "media/unbenutzt.svg";
    server.wait_for_page("", "the home page", |r| r.status == 200);
    assert_eq!(server.get(route).status, 404, "unused files are not served");
    fixture.edit(
        "content/news/2025-06-24-unterzeichnung.md",
        "image: grafiken/netzwerk.svg",
        "image: { src: unbenutzt.svg, alt: Ein schwarzes Quadrat }",
    );
    server.wait_for_page(route, "the newly used graphic", |r| r.status == 200);
}
