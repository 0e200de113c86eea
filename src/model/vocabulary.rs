//! The fixed words of the content model: institution kinds, partnership kinds and
//! statuses. Written in kebab-case in YAML and in every output (CSS classes, open
//! data, interface string keys), so each has one spelling, kept here.

use crate::diagnostics::nearest;
use serde::{Serialize, Serializer};
use std::fmt;

/// A closed set of words, parsed from and written as its kebab-case spelling.
pub(crate) trait Term: Copy + 'static {
    /// Every value, in the order a "one of:" help lists them.
    const ALL: &'static [Self];

    fn as_str(self) -> &'static str;

    /// The value spelled `text`; otherwise `Err` with help: the nearest spelling, or
    /// all of them when none is near.
    fn parse(text: &str) -> Result<Self, String> {
        if let Some(&found) = Self::ALL.iter().find(|t| t.as_str() == text) {
            return Ok(found);
        }
        let spellings = Self::ALL.iter().map(|t| t.as_str());
        Err(match nearest(text, spellings.clone()) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("one of: {}", spellings.collect::<Vec<_>>().join(", ")),
        })
    }
}

macro_rules! terms {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) enum $name {
            $($variant,)+
        }

        impl $name {
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl Term for $name {
            const ALL: &'static [Self] = &[$(Self::$variant,)+];

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

terms! {
    /// What an institution is (`kind:`); picks its schema.org type and its label.
    InstitutionKind {
        UniversityHospital = "university-hospital",
        Hospital = "hospital",
        Research = "research",
        PublicBody = "public-body",
        Other = "other",
    }
}

terms! {
    /// What kind of agreement a partnership is (`kind:`).
    PartnershipKind {
        StrategicPartnership = "strategic-partnership",
        FrameworkAgreement = "framework-agreement",
        Cooperation = "cooperation",
        Network = "network",
    }
}

terms! {
    /// Where a partnership stands (`status:`); without one, it follows from `signed`
    /// and `ended`.
    PartnershipStatus {
        Planned = "planned",
        Active = "active",
        Ended = "ended",
    }
}

terms! {
    /// The grammatical article of an institution's name (`article:`), for headings such
    /// as "Über das Universitätsklinikum …"; each language's strings decide its use.
    Article {
        Der = "der",
        Die = "die",
        Das = "das",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_parse_from_their_kebab_case_spelling() {
        assert_eq!(
            InstitutionKind::parse("university-hospital"),
            Ok(InstitutionKind::UniversityHospital)
        );
        assert_eq!(
            InstitutionKind::parse("public-body"),
            Ok(InstitutionKind::PublicBody)
        );
        assert_eq!(
            PartnershipKind::parse("framework-agreement"),
            Ok(PartnershipKind::FrameworkAgreement)
        );
        assert_eq!(
            PartnershipStatus::parse("ended"),
            Ok(PartnershipStatus::Ended)
        );
        for &kind in InstitutionKind::ALL {
            assert_eq!(InstitutionKind::parse(kind.as_str()), Ok(kind));
        }
        for &kind in PartnershipKind::ALL {
            assert_eq!(PartnershipKind::parse(kind.as_str()), Ok(kind));
        }
    }

    #[test]
    fn other_spellings_are_refused_with_the_nearest_one_or_all() {
        assert_eq!(
            InstitutionKind::parse("univerity-hospital"),
            Err("did you mean `university-hospital`?".to_owned())
        );
        assert_eq!(
            PartnershipStatus::parse("activ"),
            Err("did you mean `active`?".to_owned())
        );
        assert!(InstitutionKind::parse("UniversityHospital").is_err());
        assert!(InstitutionKind::parse("university_hospital").is_err());
        assert_eq!(
            PartnershipStatus::parse("xyzzy-quux"),
            Err("one of: planned, active, ended".to_owned())
        );
    }

    #[test]
    fn terms_are_written_as_they_are_spelled() {
        assert_eq!(InstitutionKind::PublicBody.to_string(), "public-body");
        assert_eq!(
            serde_json::to_string(&PartnershipKind::StrategicPartnership).unwrap(),
            "\"strategic-partnership\""
        );
    }
}
