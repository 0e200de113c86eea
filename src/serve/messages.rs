//! The preview's own words (the page shown before a first good build, the overlay over
//! a failed rebuild, the note on a 404 page) in the site's default language. A table in
//! the binary rather than the theme's i18n files: the preview must speak when the site,
//! its theme included, does not build, and a theme should not have to translate a tool.

/// One language's strings.
#[derive(Debug)]
pub(crate) struct Messages {
    pub lang: &'static str,
    /// The failed build's page title and the overlay's accessible name.
    pub failed: &'static str,
    pub never_built: &'static str,
    pub reloads: &'static str,
    pub overlay: &'static str,
    /// Before the note on what the preview hides.
    pub preview: &'static str,
}

const EN: Messages = Messages {
    lang: "en",
    failed: "Build failed",
    never_built: "The site does not build yet",
    reloads: "This page reloads when the errors are fixed.",
    overlay: "Build failed — the last good version is shown underneath",
    preview: "Preview",
};

const DE: Messages = Messages {
    lang: "de",
    failed: "Build fehlgeschlagen",
    never_built: "Die Site lässt sich noch nicht bauen",
    reloads: "Diese Seite lädt neu, sobald die Fehler behoben sind.",
    overlay: "Build fehlgeschlagen – darunter die letzte gute Fassung",
    preview: "Vorschau",
};

/// The strings of `lang`, English for a language without them.
pub(crate) fn messages(lang: &str) -> &'static Messages {
    if lang == "de" { &DE } else { &EN }
}
