//! The layers of `docs/architecture.md`, checked on the source: every `crate::` path (in `use`
//! lines and inline) of every file under `src/` is an edge from the file's top-level module to
//! the module it names. An edge must point down the layers below (so the modules import each
//! other in no loop), `cli` imports only `types` and `error` (so the clap definitions stand
//! alone), and the files of `src/commands/` import each other in no loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top to bottom: a module may import only modules of the layers below its own. Keep in step
/// with the diagram in `docs/architecture.md`. `lib` is the crate root (`lib.rs`, `main.rs`).
const LAYERS: &[&[&str]] = &[
    &["lib"],
    &["commands"],
    &["context"],
    &["config"],
    &["cache", "env"],
    &["interop"],
    &["suggest"],
    &["store"],
    &["cli"],
    &["types"],
    &["time", "tls"],
    &["engine", "output", "server_url", "scan", "warehouse"],
    &["error"],
];

/// What `cli` may import besides clap: the validated values, and the error they carry.
const CLI_MAY_IMPORT: &[&str] = &["types", "error"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments and doc comments name modules in
/// links, which is no dependency) and without its unit tests (`#[cfg(test)] mod tests`, last
/// in a file by convention: they may drive the whole binary through `crate::run`).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut chars = line.char_indices();
        let mut end = line.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                // '"' as a char literal does not open a string
                '\'' if line[i..].starts_with("'\"'") => {
                    chars.next();
                    chars.next();
                }
                '/' if !in_string && line[i..].starts_with("//") => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&line[..end]);
        out.push('\n');
    }
    out
}

/// The first segment after each `prefix` in `code`: `crate::store::Reader` gives `store`,
/// `use crate::{error::Error, store}` gives `error` and `store`.
fn first_segments(code: &str, prefix: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            items.push(item);
            out.extend(
                items
                    .iter()
                    .map(|i| ident(i.trim()))
                    .filter(|i| !i.is_empty()),
            );
        } else {
            let i = ident(rest);
            if !i.is_empty() {
                out.push(i);
            }
        }
    }
    out
}

/// The items `lib.rs` re-exports at the crate root (`pub(crate) use context::Ctx;`), by name.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let line = line.trim();
        let Some(path) = line
            .strip_prefix("pub(crate) use ")
            .or_else(|| line.strip_prefix("pub use "))
            .and_then(|p| p.strip_suffix(';'))
        else {
            continue;
        };
        let module = path.split("::").next().unwrap_or_default();
        let name = path.rsplit("::").next().unwrap_or_default();
        out.insert(name.to_string(), module.to_string());
    }
    out
}

/// The top-level modules (`src/NAME.rs`, `src/NAME/`), and `lib` for the crate root.
fn top_modules() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() || path.extension().is_some_and(|e| e == "rs") {
            out.insert(if stem == "main" { "lib".into() } else { stem });
        }
    }
    out
}

/// Edges `from -> to` between top-level modules, each with the files that make it.
fn module_edges() -> BTreeMap<(String, String), BTreeSet<String>> {
    let root = src();
    let modules = top_modules();
    let reexports = root_reexports(&std::fs::read_to_string(root.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&root).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let from = match first.trim_end_matches(".rs") {
            "main" => "lib".to_string(),
            m => m.to_string(),
        };
        let text = code(&std::fs::read_to_string(&file).unwrap());
        for seg in first_segments(&text, "crate::") {
            let to = if modules.contains(&seg) {
                seg
            } else if let Some(m) = reexports.get(&seg) {
                m.clone()
            } else {
                "lib".to_string()
            };
            if to != from {
                edges
                    .entry((from.clone(), to))
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    edges
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

#[test]
fn every_module_has_a_layer_in_the_test_and_the_docs() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    let mut problems = Vec::new();
    for m in top_modules() {
        if layer_of(&m).is_none() {
            problems.push(format!(
                "src/{m} has no layer: add it to LAYERS in tests/it/layers.rs"
            ));
        }
        if m != "lib" && !docs.contains(&format!("`{m}")) {
            problems.push(format!(
                "docs/architecture.md does not name `{m}`: say what it does there"
            ));
        }
    }
    for layer in LAYERS {
        for m in *layer {
            if !top_modules().contains(*m) {
                problems.push(format!("LAYERS names {m}, which is not a module of src/"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn modules_import_only_the_layers_below() {
    let mut wrong = Vec::new();
    for ((from, to), files) in module_edges() {
        let (Some(f), Some(t)) = (layer_of(&from), layer_of(&to)) else {
            continue; // reported by every_module_has_a_layer_in_the_test_and_the_docs
        };
        if t <= f {
            wrong.push(format!(
                "{from} imports {to}, which is {} it, in {}",
                if t == f { "beside" } else { "above" },
                files.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers of docs/architecture.md (move the item to the lower \
         module instead):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn cli_stands_alone() {
    let wrong: Vec<String> = module_edges()
        .into_iter()
        .filter(|((from, to), _)| from == "cli" && !CLI_MAY_IMPORT.contains(&to.as_str()))
        .map(|((_, to), files)| {
            format!(
                "cli imports {to} in {}",
                files.into_iter().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "the clap definitions must build with only {CLI_MAY_IMPORT:?} (move the value type \
         into types):\n{}",
        wrong.join("\n")
    );
}

/// Edges between the files of `src/commands/` (a file, or a directory with its `mod.rs`).
/// `commands/mod.rs` is the parent: it declares and dispatches to every file, and the files
/// use its shared helpers (`write`, `print_rows`); it is no node of the loop check.
fn command_edges() -> BTreeMap<String, BTreeSet<String>> {
    let dir = src().join("commands");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if stem != "mod" {
            names.insert(stem);
        }
    }
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&dir).unwrap();
        let depth = rel.components().count() - 1;
        let from = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if from == "mod" {
            continue;
        }
        let text = code(&std::fs::read_to_string(&file).unwrap());
        let mut targets = first_segments(&text, "crate::commands::");
        // `super::x` in commands/a.rs, `super::super::x` in commands/a/b.rs name a sibling.
        targets.extend(first_segments(&text, &"super::".repeat(depth + 1)));
        for to in targets {
            if names.contains(&to) && to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// A loop in `edges`, as the path that closes it, if there is one.
fn find_loop(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut cycle = path[i..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for next in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

#[test]
fn command_files_import_each_other_in_no_loop() {
    let edges = command_edges();
    assert!(
        edges.values().flatten().next().is_some(),
        "the scan found no imports between command files: is it still reading src/commands?"
    );
    if let Some(cycle) = find_loop(&edges) {
        panic!(
            "the files of src/commands import each other in a loop: {} (move what they \
             share into commands/mod.rs or a lower module)",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_checks_see_loops_and_group_imports() {
    // The scanner itself: a group import names each module, a string is no comment.
    assert_eq!(
        first_segments("use crate::{error::Error, store::{self, Tx}};", "crate::"),
        ["error", "store"]
    );
    assert_eq!(
        code("let u = \"redis://h\"; crate::x // crate::y\n/// crate::z"),
        "let u = \"redis://h\"; crate::x \n\n"
    );
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    assert_eq!(find_loop(&edges), None);
    edges.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        find_loop(&edges).unwrap(),
        ["a", "b", "c", "a"].map(String::from)
    );
    // Today's modules are all found, and the real tree has edges to check.
    let modules = top_modules();
    for m in ["commands", "store", "engine", "cli", "types", "error"] {
        assert!(modules.contains(m), "{m} not found in src/");
    }
    assert!(module_edges().contains_key(&("commands".into(), "store".into())));
}
