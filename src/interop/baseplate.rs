//! baseplate's experiments.json: a JSON object mapping each experiment's key to its config.
//! Read as Python's `json.load` reads it (key order kept, a duplicate key keeps its first place
//! and its last value, integers and floats apart); written as the live-data sidecar writes it
//! (a temporary file in the same folder, then a rename).

use std::fmt;
use std::path::Path;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::store::baseplate::BaseplateExperiment;

/// A parsed experiments.json.
pub struct ExperimentsFile {
    /// Key -> config, in file order.
    pub experiments: Map<String, Value>,
    /// Keys that appear more than once (the last value counts, as in Python).
    pub duplicates: Vec<String>,
    /// Keys that appear more than once in one object within a config (the last value counts).
    pub nested: Vec<super::json::Duplicate>,
}

struct TopLevel(ExperimentsFile);

impl<'de> serde::Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TopLevel;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object mapping experiment names to configs")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<TopLevel, A::Error> {
                let mut experiments = Map::new();
                let mut duplicates = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    if experiments.insert(k.clone(), v).is_some() && !duplicates.contains(&k) {
                        duplicates.push(k);
                    }
                }
                Ok(TopLevel(ExperimentsFile {
                    experiments,
                    duplicates,
                    nested: Vec::new(),
                }))
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses the text of an experiments.json; malformed JSON or another top level is exit 2.
pub fn parse(text: &str, src: &str) -> Result<ExperimentsFile> {
    const HINT: &str = "an experiments.json is one JSON object: {\"name\": {config}, ...}";
    let mut file = serde_json::from_str::<TopLevel>(text)
        .map(|TopLevel(file)| file)
        .map_err(|e| {
            // Valid JSON of another shape, or not JSON at all: a second look only on failure.
            let object = text.trim_start().starts_with('{');
            match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Ok(_) if !object => {
                    Error::usage(format!("{src}: the top level is not a JSON object"))
                        .with_hint(super::FORMATS_HINT)
                }
                _ => Error::usage(format!("{src}: not valid JSON: {e}")).with_hint(HINT),
            }
        })?;
    // A name the command line refuses (empty, control characters, more than the store holds):
    // refused before anything compares or prints it.
    for k in file.experiments.keys() {
        super::check::experiment_key(src, k).map_err(|e| e.with_hint(HINT))?;
    }
    // The top level's own duplicates are `duplicates`; these are the ones inside configs.
    file.nested = super::json::duplicate_keys(text)
        .into_iter()
        .filter(|d| !d.path.is_empty())
        .collect();
    Ok(file)
}

/// Reads and parses a file (`-` for stdin); also returns the warnings about duplicate keys,
/// for the caller to print.
pub fn read(path: &Path) -> Result<(ExperimentsFile, Vec<String>)> {
    let (text, src) = super::read_input(path)?;
    let file = parse(&text, &src)?;
    let warnings = duplicate_warnings(&file, &src);
    Ok((file, warnings))
}

/// One warning per key that appears more than once in the file read from `src`.
pub fn duplicate_warnings(file: &ExperimentsFile, src: &str) -> Vec<String> {
    file.duplicates
        .iter()
        .map(|k| {
            format!(
                "{src}: experiment '{}' appears more than once; the last one counts, as in baseplate",
                crate::error::cut(k)
            )
        })
        .chain(file.nested.iter().map(|d| d.warning(src)))
        .collect()
}

/// Rows to import, positioned in file order; timestamps are filled in by the plan.
pub fn to_rows(experiments: Map<String, Value>) -> Vec<BaseplateExperiment> {
    experiments
        .into_iter()
        .enumerate()
        .map(|(i, (key, config))| BaseplateExperiment::new(&key, config, i as i64, ""))
        .collect()
}

/// The file as an import state: only the baseplate section, so nothing else is touched. Two
/// experiments holding one experiment ID are left for the reader to judge: `import` and `diff`
/// refuse them ([`State::check_duplicates`](super::model::State::check_duplicates)), `lint`
/// reports them.
pub fn to_state(file: ExperimentsFile) -> super::model::State {
    super::model::State {
        baseplate: Some(to_rows(file.experiments)),
        ..Default::default()
    }
}

/// The file's text for these experiments, in their order: pretty JSON with a final newline.
pub fn to_text(rows: &[BaseplateExperiment]) -> Result<String> {
    let mut m = Map::new();
    for r in rows {
        m.insert(r.key.clone(), r.config.clone());
    }
    let mut s = serde_json::to_string_pretty(&Value::Object(m))?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_keep_first_place_and_last_value() {
        let f = parse(r#"{"a": {"id": 1}, "b": {"id": 2.0}, "a": {"id": 3}}"#, "t").unwrap();
        let keys: Vec<&String> = f.experiments.keys().collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(f.experiments["a"]["id"], 3);
        assert!(f.experiments["b"]["id"].is_f64());
        assert_eq!(f.duplicates, ["a"]);
        assert!(f.nested.is_empty());
        let f = parse(r#"{"a": {"id": 1, "id": 2}}"#, "t").unwrap();
        assert_eq!(f.experiments["a"]["id"], 2);
        assert_eq!(f.nested.len(), 1);
        assert_eq!(f.nested[0].place(), "a");
    }

    #[test]
    fn other_top_levels_are_usage_errors() {
        for bad in ["[]", "5", "{", "{\"a\": }", ""] {
            let e = parse(bad, "t").err().expect(bad);
            assert_eq!(e.exit_code(), 2, "{bad}");
        }
    }
}
