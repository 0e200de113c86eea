//! The Tera instance: the theme's templates compiled once per build.

use crate::content::RawTheme;
use crate::diagnostics::Diagnostic;
use tera::Tera;

/// Compiles every template of `theme`; a syntax error names the template file.
pub fn compile(theme: &RawTheme) -> Result<Tera, Box<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .map_err(|e| {
        Box::new(
            Diagnostic::error(
                "template",
                format!("themes/{}/templates", theme.name),
                error_chain(&e),
            )
            .with_help("fix the template, or delete the site's copy to use the built-in one"),
        )
    })?;
    Ok(tera)
}

/// A Tera error with its causes, on one line each.
pub fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    msg
}
