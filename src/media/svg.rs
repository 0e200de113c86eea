//! SVG logos and graphics: published as they are, so only when they can run nothing and
//! load nothing. A file with a script, an event handler, a `javascript:` or non-image
//! `data:` link, a `<foreignObject>`, an external reference (a link, `@import` or
//! `url(…)` to another file) or a DOCTYPE (entities) is refused, naming what was found
//! and on which line. Its size comes from `width`/`height`, else the `viewBox`.

use super::{MAX_SIDE, MediaFormat, MediaInfo, MediaProblem};
use roxmltree::{Document, Node, ParsingOptions};

/// How far into the file the `<svg` start tag is looked for when sniffing.
const SNIFF_LEN: usize = 4096;

/// Whether the bytes look like an SVG document (text starting with markup that opens
/// an `<svg` element early on); [`inspect`] decides.
pub(super) fn looks_like_svg(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(SNIFF_LEN)];
    head.first() == Some(&b'<') && head.windows(4).any(|window| window == b"<svg")
}

/// The SVG's size, once it is known to be safe to publish.
pub(super) fn inspect(bytes: &[u8]) -> Result<MediaInfo, MediaProblem> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        MediaProblem::new(
            format!(
                "this SVG is not UTF-8 text (byte {})",
                error.valid_up_to() + 1
            ),
            "save the file as UTF-8",
        )
    })?;
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(parse_problem)?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" {
        return Err(MediaProblem::new(
            format!(
                "this file's root element is <{}>, not <svg>",
                root.tag_name().name()
            ),
            "media files must be JPEG, PNG, WebP, GIF or SVG",
        ));
    }
    for node in document.root().descendants() {
        check_node(&document, node)?;
    }
    let (width, height) = size(root)?;
    Ok(MediaInfo {
        format: MediaFormat::Svg,
        width,
        height,
    })
}

fn parse_problem(error: roxmltree::Error) -> MediaProblem {
    if matches!(error, roxmltree::Error::DtdDetected) {
        return MediaProblem::new(
            "this SVG has a DOCTYPE, which can define entities that expand or load files",
            "remove the <!DOCTYPE …> declaration; SVG does not need one",
        );
    }
    MediaProblem::new(
        format!("this SVG is not well-formed XML: {error}"),
        "export the graphic again, or check the file in an XML editor",
    )
}

/// Elements that run code or embed other documents.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "foreignObject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

fn check_node(document: &Document<'_>, node: Node<'_, '_>) -> Result<(), MediaProblem> {
    let line = document.text_pos_at(node.range().start).row;
    if node.is_pi() {
        let stylesheet = node
            .pi()
            .is_some_and(|pi| pi.target.eq_ignore_ascii_case("xml-stylesheet"));
        if stylesheet {
            return Err(unsafe_svg(
                format!("an <?xml-stylesheet?> instruction on line {line}"),
                "it loads a style sheet from another file",
            ));
        }
        return Ok(());
    }
    if node.is_text() {
        let is_style = node
            .parent_element()
            .is_some_and(|parent| parent.tag_name().name() == "style");
        if is_style {
            check_css(node.text().unwrap_or_default(), "a <style> element", line)?;
        }
        return Ok(());
    }
    if !node.is_element() {
        return Ok(());
    }
    let name = node.tag_name().name();
    if FORBIDDEN_ELEMENTS
        .iter()
        .any(|forbidden| forbidden.eq_ignore_ascii_case(name))
    {
        return Err(unsafe_svg(
            format!("a <{name}> element on line {line}"),
            "it can run code or embed another document",
        ));
    }
    let animates_link = matches!(name, "set" | "animate")
        && node
            .attribute("attributeName")
            .is_some_and(|target| target.ends_with("href"));
    if animates_link {
        return Err(unsafe_svg(
            format!("a <{name}> element that changes a link on line {line}"),
            "it can turn a link into a script or an external reference",
        ));
    }
    for attribute in node.attributes() {
        check_attribute(name, attribute.name(), attribute.value(), line)?;
    }
    Ok(())
}

fn check_attribute(element: &str, name: &str, value: &str, line: u32) -> Result<(), MediaProblem> {
    let place = || format!("the {name}=\"…\" attribute of <{element}> on line {line}");
    if name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on") {
        return Err(unsafe_svg(place(), "an event handler runs a script"));
    }
    if contains_ignore_case(value, "javascript:") {
        return Err(unsafe_svg(place(), "a javascript: link runs a script"));
    }
    if name == "href" {
        return check_reference(value.trim()).map_err(|why| unsafe_svg(place(), why));
    }
    if name == "style" {
        return check_css(value, &place(), line);
    }
    if contains_ignore_case(value, "url(") {
        return check_css(value, &place(), line);
    }
    Ok(())
}

/// A link inside the file (`#id`) or an embedded raster image is fine; anything else
/// loads or links something outside the file.
fn check_reference(target: &str) -> Result<(), &'static str> {
    if target.starts_with('#') {
        return Ok(());
    }
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("data:") {
        let image = [
            "data:image/png;base64,",
            "data:image/jpeg;base64,",
            "data:image/webp;base64,",
        ]
        .iter()
        .any(|prefix| lower.starts_with(prefix));
        return if image {
            Ok(())
        } else {
            Err("a data: link other than an embedded PNG, JPEG or WebP image can hold a script")
        };
    }
    Err("it refers to another file or address; embed the content or refer to an id (#…)")
}

/// Style sheet text: no `@import`, no `url(…)` but to `#id` or an embedded image.
fn check_css(css: &str, place: &str, line: u32) -> Result<(), MediaProblem> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") {
        return Err(unsafe_svg(
            format!("@import in {place} (line {line})"),
            "it loads a style sheet from another file",
        ));
    }
    if lower.contains("expression(") {
        return Err(unsafe_svg(
            format!("expression( in {place} (line {line})"),
            "old browsers run it as a script",
        ));
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find("url(") {
        rest = &rest[start + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].trim().trim_matches(['"', '\'']).trim();
        if let Err(why) = check_reference(target) {
            return Err(unsafe_svg(
                format!("url({target}) in {place} (line {line})"),
                why,
            ));
        }
        rest = &rest[end..];
    }
    Ok(())
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

fn unsafe_svg(found: String, why: &str) -> MediaProblem {
    MediaProblem::new(
        format!("this SVG is not published: it contains {found}"),
        format!(
            "{why}; remove it (most editors can export a plain SVG, e.g. Inkscape's \"Plain \
             SVG\" or SVGO)"
        ),
    )
}

/// Width and height in CSS pixels: from `width` and `height` (with units), each missing
/// or relative one from the `viewBox`'s proportions.
fn size(root: Node<'_, '_>) -> Result<(u32, u32), MediaProblem> {
    let view_box = root.attribute("viewBox").and_then(parse_view_box);
    let width = root.attribute("width").and_then(length);
    let height = root.attribute("height").and_then(length);
    let (width, height) = match (width, height, view_box) {
        (Some(width), Some(height), _) => (width, height),
        (Some(width), None, Some((box_width, box_height))) => {
            (width, width * box_height / box_width)
        }
        (None, Some(height), Some((box_width, box_height))) => {
            (height * box_width / box_height, height)
        }
        (None, None, Some(view_box)) => view_box,
        _ => {
            return Err(MediaProblem::new(
                "this SVG has no size: neither width and height nor a viewBox",
                "add a viewBox=\"0 0 WIDTH HEIGHT\" to the <svg> element",
            ));
        }
    };
    Ok((pixels(width), pixels(height)))
}

fn pixels(value: f64) -> u32 {
    // Finite and positive by construction; the cast saturates.
    (value.round() as u32).clamp(1, MAX_SIDE)
}

fn parse_view_box(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, width, height] if positive(width) && positive(height) => Some((width, height)),
        _ => None,
    }
}

/// An absolute length in CSS pixels; `None` for a percentage or anything unreadable.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(value.len());
    let number: f64 = value[..split].trim().parse().ok()?;
    let scale = match &value[split..] {
        "" | "px" => 1.0,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "em" => 16.0,
        _ => return None,
    };
    let pixels = number * scale;
    positive(pixels).then_some(pixels)
}

fn positive(value: f64) -> bool {
    value.is_finite() && value > 0.0
}
