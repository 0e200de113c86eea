//! A page's template context reduced to 128 bits, which is what the page cache of a
//! `serve` or `build --watch` session keeps to tell whether a page must be rendered
//! again. Keeping the contexts themselves (every release's text, cards and lists as
//! template values) held hundreds of MiB at 10,000 releases, for a comparison that
//! a hash answers as well.
//!
//! The hash is structural: maps are hashed in key order, so two equal contexts hash
//! alike whatever order their maps hold; strings carry whether they are safe HTML,
//! which changes what the template writes. The values many pages share (cards, `site`,
//! `t`) are hashed once per build and found by the address of their shared contents.
//!
//! Finding a shared value in a context also says what the page shows: the hash walk
//! notes the releases whose card or timeline item it met, so that a `serve` patch of
//! a release's title or summary knows which pages show them (`render::patch`).

use crate::model::ReleaseId;
use rustc_hash::FxHashMap;
use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;
use tera::Value;
use tera::value::ValueKind;

/// What a page's output depends on besides its template: its context, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fingerprint(u128);

/// The hashes of the values many pages share, by the address of their `Arc`'d map or
/// array, with the release a value shows (its card, its timeline item). Each entry
/// keeps a clone of its value (an `Arc`), so no other value can take its address while
/// the entry exists.
#[derive(Debug, Default)]
pub(crate) struct SharedHashes(FxHashMap<usize, SharedEntry>);

#[derive(Debug)]
struct SharedEntry {
    /// Held only so that the address stays this value's.
    _value: Value,
    hash: u128,
    release: Option<ReleaseId>,
}

/// The releases (by number) whose card or timeline item a page's context holds, each
/// once, in ascending order.
pub(super) type Shows = Box<[u32]>;

impl SharedHashes {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Hashes `value` and remembers it, if it is a map or an array with contents,
    /// with the release it shows; its hash.
    pub(super) fn add(&mut self, value: &Value, release: Option<ReleaseId>) -> Option<u128> {
        let at = address(value)?;
        if let Some(entry) = self.0.get(&at) {
            return Some(entry.hash);
        }
        let hash = self.hash(value, &mut Vec::new());
        let entry = SharedEntry {
            _value: value.clone(),
            hash,
            release,
        };
        self.0.insert(at, entry);
        Some(hash)
    }

    /// The fingerprint of a page's context (the value it is made from), and the
    /// releases whose shared card or timeline item it holds.
    pub(super) fn fingerprint(&self, context: &Value) -> (Fingerprint, Shows) {
        let mut shows = Vec::new();
        let hash = self.hash(context, &mut shows);
        shows.sort_unstable();
        shows.dedup();
        (Fingerprint(hash), shows.into_boxed_slice())
    }

    fn hash(&self, value: &Value, shows: &mut Vec<u32>) -> u128 {
        let mut hasher = SipHasher13::new();
        self.write(&mut hasher, value, shows);
        hasher.finish128().as_u128()
    }

    fn write(&self, h: &mut SipHasher13, value: &Value, shows: &mut Vec<u32>) {
        if let Some(entry) = address(value).and_then(|at| self.0.get(&at)) {
            h.write_u8(0xff);
            h.write_u128(entry.hash);
            if let Some(release) = entry.release.and_then(|r| u32::try_from(r.0).ok()) {
                shows.push(release);
            }
            return;
        }
        match value.kind() {
            ValueKind::Undefined => h.write_u8(0),
            ValueKind::None => h.write_u8(1),
            ValueKind::Bool => {
                h.write_u8(2);
                h.write_u8(u8::from(value.as_bool() == Some(true)));
            }
            ValueKind::U64 | ValueKind::U128 => {
                h.write_u8(3);
                h.write_u128(value.as_u128().unwrap_or(0));
            }
            ValueKind::I64 | ValueKind::I128 => {
                h.write_u8(4);
                h.write_i128(value.as_i128().unwrap_or(0));
            }
            ValueKind::F64 => {
                h.write_u8(5);
                h.write_u64(value.as_f64().unwrap_or(0.0).to_bits());
            }
            ValueKind::String => {
                h.write_u8(if value.is_safe() { 6 } else { 7 });
                write_bytes(h, value.as_str().unwrap_or("").as_bytes());
            }
            ValueKind::Bytes => {
                h.write_u8(8);
                write_bytes(h, value.as_bytes().unwrap_or(&[]));
            }
            ValueKind::Array => {
                let items = value.as_array().unwrap_or(&[]);
                h.write_u8(9);
                h.write_usize(items.len());
                for item in items {
                    self.write(h, item, shows);
                }
            }
            ValueKind::Map => {
                let mut entries: Vec<_> = value.as_map().into_iter().flatten().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                h.write_u8(10);
                h.write_usize(entries.len());
                for (key, item) in entries {
                    match key.as_str() {
                        Some(key) => write_bytes(h, key.as_bytes()),
                        None => write_bytes(h, key.to_string().as_bytes()),
                    }
                    self.write(h, item, shows);
                }
            }
            _ => {
                h.write_u8(11);
                write_bytes(h, value.to_string().as_bytes());
            }
        }
    }
}

fn write_bytes(h: &mut SipHasher13, bytes: &[u8]) {
    h.write_usize(bytes.len());
    h.write(bytes);
}

/// Where a map's or a non-empty array's shared contents live, which identifies the
/// value while it is alive.
fn address(value: &Value) -> Option<usize> {
    if let Some(map) = value.as_map() {
        return (!map.is_empty()).then_some(map as *const _ as usize);
    }
    let items = value.as_array()?;
    (!items.is_empty()).then_some(items.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Card {
        title: String,
        tags: Vec<&'static str>,
    }

    fn value<T: Serialize>(v: &T) -> Value {
        Value::from_serializable(v)
    }

    impl SharedHashes {
        fn hash_of(&self, context: &Value) -> Fingerprint {
            self.fingerprint(context).0
        }
    }

    #[test]
    fn equal_contexts_agree_and_any_difference_shows() {
        let none = SharedHashes::default();
        let card = |title: &str, tags| Card {
            title: title.into(),
            tags,
        };
        let a = none.hash_of(&value(&card("Kooperation", vec!["pflege"])));
        assert_eq!(
            a,
            none.hash_of(&value(&card("Kooperation", vec!["pflege"])))
        );
        assert_ne!(
            a,
            none.hash_of(&value(&card("Kooperation.", vec!["pflege"])))
        );
        assert_ne!(a, none.hash_of(&value(&card("Kooperation", vec![]))));
        assert_ne!(
            none.hash_of(&value(&["ab", "c"])),
            none.hash_of(&value(&["a", "bc"]))
        );
        assert_ne!(
            none.hash_of(&Value::safe_string("<b>x</b>")),
            none.hash_of(&Value::from("<b>x</b>")),
            "safe HTML is written as is, a plain string escaped"
        );
    }

    #[test]
    fn a_shared_value_hashes_as_its_contents() {
        let card = value(&Card {
            title: "Harz".into(),
            tags: vec!["a", "b"],
        });
        let page = |c: &Value| value(&std::collections::BTreeMap::from([("card", c.clone())]));
        let plain = SharedHashes::default().hash_of(&page(&card));
        let mut shared = SharedHashes::default();
        shared.add(&card, None);
        assert!(!shared.is_empty());
        let with_shared = shared.hash_of(&page(&card));
        assert_eq!(with_shared, shared.hash_of(&page(&card)));
        let other = value(&Card {
            title: "Dessau".into(),
            tags: vec!["a", "b"],
        });
        assert_ne!(with_shared, shared.hash_of(&page(&other)));
        // A copy with the same contents at another address hashes as the shared one.
        let copy = value(&Card {
            title: "Harz".into(),
            tags: vec!["a", "b"],
        });
        assert_ne!(
            plain, with_shared,
            "the shared hash stands in for the contents"
        );
        assert_eq!(shared.hash_of(&page(&copy)), plain);
    }

    #[test]
    fn a_context_names_the_releases_whose_shared_values_it_holds() {
        let card = |title: &str| {
            value(&Card {
                title: title.into(),
                tags: vec!["a"],
            })
        };
        let (first, second, site) = (card("Harz"), card("Dessau"), card("Netz"));
        let mut shared = SharedHashes::default();
        shared.add(&first, Some(ReleaseId(7)));
        shared.add(&second, Some(ReleaseId(2)));
        shared.add(&site, None);
        let page = value(&std::collections::BTreeMap::from([
            (
                "list",
                value(&vec![second.clone(), first.clone(), second.clone()]),
            ),
            ("site", site.clone()),
        ]));
        assert_eq!(&*shared.fingerprint(&page).1, &[2, 7]);
        // A copy of a card is not the card: it is hashed, not counted.
        let copy = value(&std::collections::BTreeMap::from([("card", card("Harz"))]));
        assert!(shared.fingerprint(&copy).1.is_empty());
    }
}
