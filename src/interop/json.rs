//! What the readers need to know about a JSON text before (or besides) reading it for real:
//! which keys appear twice in one object ([`duplicate_keys`]; the typed reads keep the last
//! value, as Python's `json` does, and the readers warn), and the shape of the top level
//! ([`top_level`], for telling the formats apart). Both walk the text once without building it,
//! so a file of any size costs one pass and memory for its keys only.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::cut;

/// A key that appears more than once in one JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The key, cut for messages.
    pub key: String,
    /// Where the object is: `flags[2]`, `[0].fields`, `my_exp.variants[1]`; empty at the top.
    pub path: String,
    /// The object's own `name`/`username`/`key`/`model`, when it has one (cut for messages).
    pub label: Option<String>,
}

impl Duplicate {
    /// `flags[2] (name 'beta')`, `the top level`.
    pub fn place(&self) -> String {
        let at = if self.path.is_empty() {
            "the top level".to_string()
        } else {
            self.path.clone()
        };
        match &self.label {
            Some(l) => format!("{at} ({l})"),
            None => at,
        }
    }

    /// The warning for a file read from `src`.
    pub fn warning(&self, src: &str) -> String {
        format!(
            "{src}: key '{}' appears more than once in {}; the last one counts, as in Python's json",
            self.key,
            self.place()
        )
    }
}

/// Keys that label an object in messages, in order of preference.
const LABELS: &[&str] = &["name", "username", "key", "model"];

enum Seg {
    Key(String),
    Index(usize),
}

struct Walk<'a> {
    path: &'a mut Vec<Seg>,
    found: &'a mut Vec<Duplicate>,
}

fn render(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&cut(k));
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    /// The value when it is a string (cut), for labels.
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(cut(v).into_owned()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut i = 0;
        loop {
            self.path.push(Seg::Index(i));
            let more = seq.next_element_seed(Walk {
                path: self.path,
                found: self.found,
            })?;
            self.path.pop();
            if more.is_none() {
                return Ok(None);
            }
            i += 1;
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut twice: Vec<String> = Vec::new();
        let mut labels: Vec<(usize, String)> = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            self.path.push(Seg::Key(k));
            let v = map.next_value_seed(Walk {
                path: self.path,
                found: self.found,
            })?;
            let Some(Seg::Key(k)) = self.path.pop() else {
                unreachable!("pushed above")
            };
            if let (Some(rank), Some(v)) = (LABELS.iter().position(|l| *l == k), v) {
                labels.push((rank, format!("{k} '{v}'")));
            }
            if seen.contains(&k) {
                if !twice.contains(&k) {
                    twice.push(k);
                }
            } else {
                seen.insert(k);
            }
        }
        if !twice.is_empty() {
            labels.sort();
            let label = labels.into_iter().next().map(|(_, l)| l);
            let path = render(self.path);
            for k in twice {
                self.found.push(Duplicate {
                    key: cut(&k).into_owned(),
                    path: path.clone(),
                    label: label.clone(),
                });
            }
        }
        Ok(None)
    }
}

/// Every key that appears more than once in an object of `text`, in file order. Text that is
/// not one JSON document has none (the real read reports what is wrong with it).
pub fn duplicate_keys(text: &str) -> Vec<Duplicate> {
    let mut path = Vec::new();
    let mut found = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let ok = Walk {
        path: &mut path,
        found: &mut found,
    }
    .deserialize(&mut de)
    .and_then(|_| de.end())
    .is_ok();
    if ok { found } else { Vec::new() }
}

/// What a top-level member's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Object,
    Array,
    Scalar,
}

struct ShapeOf;

impl<'de> de::Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeOf)
    }
}

impl<'de> Visitor<'de> for ShapeOf {
    type Value = Shape;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Shape, A::Error> {
        while s.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Shape, A::Error> {
        while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Shape::Object)
    }
}

/// A top-level object's members (key, shape of the value), values skipped without being built.
struct Members(Vec<(String, Shape)>);

impl<'de> de::Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    out.push((k, m.next_value::<Shape>()?));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The members of `text` when it is one JSON object, else `None`.
pub fn top_level(text: &str) -> Option<Vec<(String, Shape)>> {
    serde_json::from_str::<Members>(text).ok().map(|m| m.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_with_their_place() {
        let d = duplicate_keys(
            r#"{"version": 1, "flags": [{"name": "a"}, {"name": "b", "note": "x", "note": "y"}], "version": 1}"#,
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].key, "note");
        assert_eq!(d[0].place(), "flags[1] (name 'b')");
        assert_eq!(d[1].key, "version");
        assert_eq!(d[1].place(), "the top level");
        assert!(duplicate_keys(r#"{"a": {"b": 1}, "c": [{"b": 2}]}"#).is_empty());
        assert!(duplicate_keys("{not json").is_empty());
    }

    #[test]
    fn tells_top_level_shapes() {
        assert_eq!(
            top_level(r#"{"a": {"x": [1]}, "b": [], "c": 1}"#),
            Some(vec![
                ("a".to_string(), Shape::Object),
                ("b".to_string(), Shape::Array),
                ("c".to_string(), Shape::Scalar),
            ])
        );
        assert_eq!(top_level("[]"), None);
        assert_eq!(top_level("{} {}"), None);
    }
}
