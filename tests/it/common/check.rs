//! Assertions on what commands print, and on other programs a test runs.

/// Runs `cmd` (any program) and asserts that it succeeds, showing what it printed if not.
pub fn succeeds(cmd: &mut std::process::Command) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({})\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The text fields `keys` of every object of a JSON list, row by row.
pub fn fields(list: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    let rows = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    rows.iter()
        .map(|row| {
            keys.iter()
                .map(|k| {
                    row[k]
                        .as_str()
                        .unwrap_or_else(|| panic!("{k} is not text in {row}"))
                        .to_string()
                })
                .collect()
        })
        .collect()
}

/// The text field `key` of every object of a JSON list (`texts(&rep["toggles"], "name")`).
pub fn texts(list: &serde_json::Value, key: &str) -> Vec<String> {
    fields(list, &[key]).into_iter().flatten().collect()
}

/// The field `key` of every object of a JSON list.
pub fn field(list: &serde_json::Value, key: &str) -> Vec<serde_json::Value> {
    let rows = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    rows.iter().map(|row| row[key].clone()).collect()
}

/// `f` of every item of a JSON list (`map_rows(&rep["unresolved"], |u| u["line"].as_u64())`).
#[track_caller]
pub fn map_rows<'a, T>(
    list: &'a serde_json::Value,
    f: impl FnMut(&'a serde_json::Value) -> T,
) -> Vec<T> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(f)
        .collect()
}

/// The object of a JSON list whose `name` is `name` (`named(&rep["toggles"], "app.kill_switch")`);
/// fails the test, showing the list, when there is none.
#[track_caller]
pub fn named<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|row| row["name"] == name)
        .unwrap_or_else(|| panic!("no {name:?} in {list}"))
}

/// [`named`], to change the object in place.
#[track_caller]
pub fn named_mut<'a>(list: &'a mut serde_json::Value, name: &str) -> &'a mut serde_json::Value {
    let shown = list.to_string();
    list.as_array_mut()
        .unwrap_or_else(|| panic!("not a list: {shown}"))
        .iter_mut()
        .find(|row| row["name"] == name)
        .unwrap_or_else(|| panic!("no {name:?} in {shown}"))
}

/// What `assert_contains` looks for: a piece of text or a character.
pub trait Needle: std::fmt::Debug {
    fn is_in(&self, text: &str) -> bool;
}

impl Needle for str {
    fn is_in(&self, text: &str) -> bool {
        text.contains(self)
    }
}

impl Needle for String {
    fn is_in(&self, text: &str) -> bool {
        text.contains(self.as_str())
    }
}

impl Needle for char {
    fn is_in(&self, text: &str) -> bool {
        text.contains(*self)
    }
}

impl<T: Needle + ?Sized> Needle for &T {
    fn is_in(&self, text: &str) -> bool {
        (**self).is_in(text)
    }
}

/// Asserts that `text` (an output or an error) contains `needle`, and shows the text if not.
#[track_caller]
pub fn assert_contains(text: &str, needle: impl Needle) {
    assert!(needle.is_in(text), "{needle:?} is not in:\n{text}");
}

/// Asserts that `text` does not contain `needle`, and shows the text if it does.
#[track_caller]
pub fn assert_lacks(text: &str, needle: impl Needle) {
    assert!(!needle.is_in(text), "{needle:?} is in:\n{text}");
}
