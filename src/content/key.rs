//! Which content file a thing comes from: the kind of its folder and its id. The loader,
//! the resolver, the render caches and `@/` links all name content this way, so the
//! folder names live in one place.

use std::fmt;

/// The four content folders and what their files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ContentKind {
    Institution,
    Partnership,
    Release,
    Page,
}

impl ContentKind {
    pub(crate) const ALL: [ContentKind; 4] = [
        ContentKind::Institution,
        ContentKind::Partnership,
        ContentKind::Release,
        ContentKind::Page,
    ];

    /// The folder under `content/` that holds this kind's files.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            ContentKind::Institution => "institutions",
            ContentKind::Partnership => "partnerships",
            ContentKind::Release => "news",
            ContentKind::Page => "pages",
        }
    }

    /// One item of this kind, as messages name it ("unknown release `x`").
    pub(crate) fn noun(self) -> &'static str {
        match self {
            ContentKind::Institution => "institution",
            ContentKind::Partnership => "partnership",
            ContentKind::Release => "release",
            ContentKind::Page => "page",
        }
    }

    /// The kind whose files live in `folder` (as written in an `@/folder/…` link).
    pub(crate) fn from_folder(folder: &str) -> Option<ContentKind> {
        Self::ALL.into_iter().find(|k| k.folder() == folder)
    }
}

/// One content file's identity (its translations share it): shown as `folder/id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ContentKey {
    pub kind: ContentKind,
    pub id: String,
}

impl ContentKey {
    pub(crate) fn new(kind: ContentKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }
}

impl fmt::Display for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.folder(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_their_folders_and_back() {
        for kind in ContentKind::ALL {
            assert_eq!(ContentKind::from_folder(kind.folder()), Some(kind));
        }
        assert_eq!(ContentKind::from_folder("news"), Some(ContentKind::Release));
        assert_eq!(ContentKind::from_folder("releases"), None);
        assert_eq!(ContentKind::from_folder(""), None);
    }

    #[test]
    fn a_key_shows_as_folder_and_id_and_compares_by_both() {
        let key = ContentKey::new(ContentKind::Release, "2024-07-23-harz");
        assert_eq!(key.to_string(), "news/2024-07-23-harz");
        assert_eq!(
            key,
            ContentKey::new(ContentKind::Release, "2024-07-23-harz")
        );
        assert_ne!(key, ContentKey::new(ContentKind::Page, "2024-07-23-harz"));
        assert_ne!(
            key,
            ContentKey::new(ContentKind::Release, "2024-07-24-harz")
        );
        let mut keys = [
            ContentKey::new(ContentKind::Page, "a"),
            ContentKey::new(ContentKind::Institution, "b"),
            ContentKey::new(ContentKind::Institution, "a"),
        ];
        keys.sort();
        assert_eq!(
            keys.map(|k| k.to_string()),
            ["institutions/a", "institutions/b", "pages/a"]
        );
    }
}
