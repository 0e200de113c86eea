//! What each output page is: its job (which page of which entity in which language)
//! and its kind's descriptor (template, navigation section, summary label, sitemap).

use crate::model::{InstitutionId, PartnershipId, ReleaseId, Site, TopicId};
use crate::render::routes::PageRoute;

/// Index of a language in the render's language list (the default language first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LangIdx(pub usize);

/// The navigation section a page belongs to; the navigation marks it as current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    None,
    Home,
    News,
    Partners,
    Partnerships,
    Topics,
    Timeline,
    Media,
    Search,
}

impl Section {
    /// Every section, in the order of `LangViews::site_by_section`.
    pub(crate) const ALL: [Section; 9] = [
        Section::None,
        Section::Home,
        Section::News,
        Section::Partners,
        Section::Partnerships,
        Section::Topics,
        Section::Timeline,
        Section::Media,
        Section::Search,
    ];

    /// Its key in the navigation's labels (`nav.<key>`) and in the page cache.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Section::None => "",
            Section::Home => "home",
            Section::News => "news",
            Section::Partners => "partners",
            Section::Partnerships => "partnerships",
            Section::Topics => "topics",
            Section::Timeline => "timeline",
            Section::Media => "media",
            Section::Search => "search",
        }
    }

    /// The section's index page, for the navigation (`None` has none).
    pub(crate) fn index(self) -> Option<PageRoute<'static>> {
        Some(match self {
            Section::None => return None,
            Section::Home => PageRoute::Home,
            Section::News => PageRoute::News(1),
            Section::Partners => PageRoute::Partners,
            Section::Partnerships => PageRoute::Partnerships,
            Section::Topics => PageRoute::Topics,
            Section::Timeline => PageRoute::Timeline,
            Section::Media => PageRoute::Media,
            Section::Search => PageRoute::Search,
        })
    }
}

/// One output page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Job {
    Home {
        lang: LangIdx,
    },
    News {
        lang: LangIdx,
        page: usize,
    },
    Release {
        lang: LangIdx,
        release: ReleaseId,
    },
    Partners {
        lang: LangIdx,
    },
    Partner {
        lang: LangIdx,
        institution: InstitutionId,
    },
    PartnerFactsheet {
        lang: LangIdx,
        institution: InstitutionId,
    },
    PartnerFeed {
        lang: LangIdx,
        institution: InstitutionId,
    },
    Partnerships {
        lang: LangIdx,
    },
    Partnership {
        lang: LangIdx,
        partnership: PartnershipId,
    },
    PartnershipFactsheet {
        lang: LangIdx,
        partnership: PartnershipId,
    },
    PartnershipFeed {
        lang: LangIdx,
        partnership: PartnershipId,
    },
    Topics {
        lang: LangIdx,
    },
    Topic {
        lang: LangIdx,
        topic: TopicId,
    },
    TopicFeed {
        lang: LangIdx,
        topic: TopicId,
    },
    /// The press contacts page.
    Press {
        lang: LangIdx,
    },
    Timeline {
        lang: LangIdx,
    },
    TimelineYear {
        lang: LangIdx,
        year: i16,
    },
    /// A free page (`content/pages/`), by index.
    Page {
        lang: LangIdx,
        page: usize,
    },
    Feed {
        lang: LangIdx,
    },
    Search {
        lang: LangIdx,
    },
    /// The media library.
    Media {
        lang: LangIdx,
    },
    /// One for the whole site, in the default language.
    NotFound,
}

/// What is the same for every page of one kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Descriptor {
    pub template: &'static str,
    pub section: Section,
    /// The label under which the build summary counts the page.
    pub summary: &'static str,
    /// Whether the page is listed in `sitemap.xml`.
    pub in_sitemap: bool,
}

const fn html(template: &'static str, section: Section, summary: &'static str) -> Descriptor {
    Descriptor {
        template,
        section,
        summary,
        in_sitemap: true,
    }
}

const FEED: Descriptor = Descriptor {
    template: "atom.xml",
    section: Section::None,
    summary: "feeds",
    in_sitemap: false,
};

impl Job {
    pub(crate) fn lang(self) -> LangIdx {
        match self {
            Job::Home { lang }
            | Job::News { lang, .. }
            | Job::Release { lang, .. }
            | Job::Partners { lang }
            | Job::Partner { lang, .. }
            | Job::PartnerFactsheet { lang, .. }
            | Job::PartnerFeed { lang, .. }
            | Job::Partnerships { lang }
            | Job::Partnership { lang, .. }
            | Job::PartnershipFactsheet { lang, .. }
            | Job::PartnershipFeed { lang, .. }
            | Job::Topics { lang }
            | Job::Topic { lang, .. }
            | Job::TopicFeed { lang, .. }
            | Job::Press { lang }
            | Job::Timeline { lang }
            | Job::TimelineYear { lang, .. }
            | Job::Page { lang, .. }
            | Job::Feed { lang }
            | Job::Search { lang }
            | Job::Media { lang } => lang,
            Job::NotFound => LangIdx(0),
        }
    }

    pub(crate) fn descriptor(self) -> Descriptor {
        use Section as S;
        match self {
            Job::Home { .. } => html("index.html", S::Home, "home pages"),
            Job::News { .. } => html("news_list.html", S::News, "news lists"),
            Job::Release { .. } => html("release.html", S::News, "releases"),
            Job::Partners { .. } => html("partners.html", S::Partners, "partner pages"),
            Job::Partner { .. } => html("partner.html", S::Partners, "partner pages"),
            Job::PartnerFactsheet { .. } => html("factsheet.html", S::Partners, "fact sheets"),
            Job::PartnerFeed { .. }
            | Job::PartnershipFeed { .. }
            | Job::TopicFeed { .. }
            | Job::Feed { .. } => FEED,
            Job::Partnerships { .. } => {
                html("partnerships.html", S::Partnerships, "partnership pages")
            }
            Job::Partnership { .. } => {
                html("partnership.html", S::Partnerships, "partnership pages")
            }
            Job::PartnershipFactsheet { .. } => {
                html("factsheet.html", S::Partnerships, "fact sheets")
            }
            Job::Topics { .. } => html("topics.html", S::Topics, "topic pages"),
            Job::Topic { .. } => html("topic.html", S::Topics, "topic pages"),
            Job::Press { .. } => html("press.html", S::None, "press contacts"),
            Job::Timeline { .. } | Job::TimelineYear { .. } => {
                html("timeline.html", S::Timeline, "timelines")
            }
            Job::Page { .. } => html("page.html", S::None, "free pages"),
            Job::Search { .. } => html("search.html", S::Search, "other files"),
            Job::Media { .. } => html("media.html", S::Media, "media libraries"),
            Job::NotFound => Descriptor {
                in_sitemap: false,
                ..html("404.html", S::None, "other files")
            },
        }
    }

    /// The page's typed route (`render/routes.rs` makes its URL and output file).
    pub(crate) fn route(self, site: &Site) -> PageRoute<'_> {
        match self {
            Job::Home { .. } => PageRoute::Home,
            Job::News { page, .. } => PageRoute::News(page),
            Job::Release { release, .. } => PageRoute::Release(&site.releases[release.0].slug),
            Job::Partners { .. } => PageRoute::Partners,
            Job::Partner { institution, .. } => {
                PageRoute::Partner(&site.institutions[institution.0].id)
            }
            Job::PartnerFactsheet { institution, .. } => {
                PageRoute::PartnerFactsheet(&site.institutions[institution.0].id)
            }
            Job::PartnerFeed { institution, .. } => {
                PageRoute::PartnerFeed(&site.institutions[institution.0].id)
            }
            Job::Partnerships { .. } => PageRoute::Partnerships,
            Job::Partnership { partnership, .. } => {
                PageRoute::Partnership(&site.partnerships[partnership.0].id)
            }
            Job::PartnershipFactsheet { partnership, .. } => {
                PageRoute::PartnershipFactsheet(&site.partnerships[partnership.0].id)
            }
            Job::PartnershipFeed { partnership, .. } => {
                PageRoute::PartnershipFeed(&site.partnerships[partnership.0].id)
            }
            Job::Topics { .. } => PageRoute::Topics,
            Job::Topic { topic, .. } => PageRoute::Topic(&site.topics[topic.0].slug),
            Job::TopicFeed { topic, .. } => PageRoute::TopicFeed(&site.topics[topic.0].slug),
            Job::Press { .. } => PageRoute::Press,
            Job::Timeline { .. } => PageRoute::Timeline,
            Job::TimelineYear { year, .. } => PageRoute::TimelineYear(year),
            Job::Page { page, .. } => PageRoute::Page(&site.pages[page].id),
            Job::Feed { .. } => PageRoute::Feed,
            Job::Search { .. } => PageRoute::Search,
            Job::Media { .. } => PageRoute::Media,
            Job::NotFound => PageRoute::NotFound,
        }
    }

    /// The date a sitemap gives for the page: a release's.
    pub(crate) fn lastmod(self, site: &Site) -> Option<String> {
        match self {
            Job::Release { release, .. } => Some(site.releases[release.0].date.to_string()),
            _ => None,
        }
    }
}
