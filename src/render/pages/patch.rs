//! A patch render (`render::patch`): only the pages that show an edited release text,
//! through the same page functions and page cache as a full render.

use super::*;
use crate::render::BodyOf;

/// The pages, press kits and share cards a patch render made.
pub(in crate::render) struct PatchedPages {
    pub pages: Vec<PatchedPage>,
    pub kits: Vec<OutputFile>,
    pub cards: Vec<cards::Card>,
}

/// One page rendered again, and why.
pub(in crate::render) struct PatchedPage {
    pub file: OutputFile,
    pub links: Option<Arc<super::super::hrefs::PageLinks>>,
    pub source: Option<Arc<crate::content::SourceFile>>,
    pub why: String,
}

/// What a patch render leaves for the next run: its pages for the page cache, the
/// shared views it borrowed, and its counts and times.
pub(in crate::render) type PatchLeftovers = (
    HashMap<String, CachedPage>,
    Vec<LangViews>,
    super::super::RenderStats,
);

impl PageCache {
    /// Takes a patch render's pages (`render::patch`) in place of their entries, and
    /// what its views' releases show.
    pub(in crate::render) fn merge(
        &mut self,
        fresh: HashMap<String, CachedPage>,
        langs: &[LangViews],
    ) {
        self.pages.extend(fresh);
        self.shown.note_patched(langs);
    }
}

impl<'a> Renderer<'a> {
    /// The views of the last render, kept for a patch render (`render::patch`) when
    /// nothing they show changed.
    pub(in crate::render) fn kept_views(
        languages: &'a [Language],
        langs: Vec<LangViews>,
        previous: &'a PageCache,
    ) -> SharedViews<'a> {
        SharedViews {
            languages,
            langs,
            previous,
        }
    }

    /// Renders the pages that show the texts `edited` (the only change): in every
    /// language each release's page, which also makes its press kit (the text and the
    /// kit's size in the page's link), and the site's feed when the release is among
    /// the newest (its entries carry their texts); an institution's, partnership's or
    /// free page's own page. Nothing else reads a text but the search index
    /// (`render::patch`); the text's heading ids, which other pages' anchors need, are
    /// unchanged (`Bodies::rerender`).
    ///
    /// `retitled` are the releases whose title or summary changed, in a language: that
    /// language's pages that show their cards or timeline items (as the page cache
    /// noted when it hashed the page), their partners', partnership's and topics'
    /// feeds, whose entries carry titles and summaries, and the pages whose facts cite
    /// them (by title) are rendered too.
    pub(in crate::render) fn render_edited(
        &self,
        edited: &[(BodyOf, String)],
        retitled: &[(ReleaseId, LangIdx, &str)],
        check_links: bool,
    ) -> Result<PatchedPages, Vec<Diagnostic>> {
        let mut jobs: Vec<(Job, String)> = Vec::new();
        for lang in (0..self.langs.len()).map(LangIdx) {
            for &(of, ref file) in edited {
                let job = match of {
                    BodyOf::Release(i) => Job::Release {
                        lang,
                        release: ReleaseId(i),
                    },
                    BodyOf::Institution(i) => Job::Partner {
                        lang,
                        institution: InstitutionId(i),
                    },
                    BodyOf::Partnership(i) => Job::Partnership {
                        lang,
                        partnership: PartnershipId(i),
                    },
                    BodyOf::Page(page) => Job::Page { lang, page },
                };
                jobs.push((job, format!("text of {file}")));
            }
            let newest: Vec<&str> = (edited.iter())
                .filter(|(of, _)| matches!(of, BodyOf::Release(i) if *i < feed::FEED_ENTRIES))
                .map(|(_, file)| file.as_str())
                .collect();
            if !newest.is_empty() {
                let why = format!("entry text of {}", newest.join(", "));
                jobs.push((Job::Feed { lang }, why));
            }
        }
        for &(release, lang, file) in retitled {
            let jobs_of_release = (self.showing(release, lang))
                .chain(self.entity_feeds(release, lang))
                .chain(self.citing(release, lang));
            for job in jobs_of_release {
                if !jobs.iter().any(|(j, _)| *j == job) {
                    jobs.push((job, format!("title or summary of {file}")));
                }
            }
        }
        let results: Vec<Result<PatchedPage, Diagnostic>> = jobs
            .into_par_iter()
            .map(|(job, why)| {
                let page = self.render(job)?;
                let links = check_links.then(|| {
                    let links = Arc::new(super::super::hrefs::scan(&page.file.contents));
                    self.keep_links(&page.file, &links);
                    links
                });
                Ok(PatchedPage {
                    links,
                    file: page.file,
                    source: page.source,
                    why,
                })
            })
            .collect();
        let mut pages = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(page) => pages.push(page),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PatchedPages {
            pages,
            kits: taken(&self.kits),
            cards: taken(&self.cards),
        })
    }

    /// The pages of `lang` whose contexts held `release`'s card or timeline items when
    /// they were last rendered.
    fn showing(&self, release: ReleaseId, lang: LangIdx) -> impl Iterator<Item = Job> + '_ {
        let shown = u32::try_from(release.0).ok();
        (self.previous.pages.values())
            .filter(move |page| shown.is_some_and(|r| page.shows.binary_search(&r).is_ok()))
            .filter_map(|page| page.job)
            .filter(move |job| job.lang() == lang)
    }

    /// The pages of `lang` whose facts cite `release` as their source, by its title:
    /// those of an institution whose facts cite it (its page and fact sheet, and every
    /// partnership's page and fact sheet that compares its facts) and those of a
    /// partnership whose facts cite it.
    fn citing(&self, release: ReleaseId, lang: LangIdx) -> Vec<Job> {
        let site = self.site;
        let cites = |facts: &[Fact]| {
            (facts.iter()).any(|f| matches!(f.source, Some(FactSource::Release(r)) if r == release))
        };
        let mut jobs = Vec::new();
        let partnership = |partnership: PartnershipId, jobs: &mut Vec<Job>| {
            for job in [
                Job::Partnership { lang, partnership },
                Job::PartnershipFactsheet { lang, partnership },
            ] {
                if !jobs.contains(&job) {
                    jobs.push(job);
                }
            }
        };
        for (i, inst) in site.institutions.iter().enumerate() {
            if cites(&inst.facts) {
                let institution = InstitutionId(i);
                jobs.push(Job::Partner { lang, institution });
                jobs.push(Job::PartnerFactsheet { lang, institution });
                let comparing = (site.partnerships.iter().enumerate())
                    .filter(|(_, p)| p.partners.contains(&institution));
                for (p, _) in comparing {
                    partnership(PartnershipId(p), &mut jobs);
                }
            }
        }
        for (p, ship) in site.partnerships.iter().enumerate() {
            if cites(&ship.facts) {
                partnership(PartnershipId(p), &mut jobs);
            }
        }
        jobs
    }

    /// The feeds of `release`'s partners, partnership and topics in `lang`.
    fn entity_feeds(&self, release: ReleaseId, lang: LangIdx) -> impl Iterator<Item = Job> {
        let r = &self.site.releases[release.0];
        let partners =
            (r.partners.iter()).map(move |&institution| Job::PartnerFeed { lang, institution });
        let partnership = (r.partnership.iter())
            .map(move |&partnership| Job::PartnershipFeed { lang, partnership });
        let topics = (r.topics.iter()).map(move |&topic| Job::TopicFeed { lang, topic });
        partners
            .chain(partnership)
            .chain(topics)
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// The pages this patch rendered, the shared views back, and the counts.
    pub(in crate::render) fn into_leftovers(self) -> PatchLeftovers {
        let fresh = self
            .fresh
            .map(|f| f.into_inner().unwrap_or_else(|e| e.into_inner()));
        let stats = super::super::RenderStats {
            pages_rendered: self.rendered.into_inner(),
            pages_reused: self.reused.into_inner(),
            remade: Vec::new(),
            timings: Timings::default(),
        };
        (fresh.unwrap_or_default(), self.langs, stats)
    }
}

fn taken<T>(list: &Mutex<Vec<T>>) -> Vec<T> {
    std::mem::take(&mut *list.lock().unwrap_or_else(|e| e.into_inner()))
}
