//! File formats: Django fixtures ([`django`]) and wafflectl's native document ([`native`]),
//! both read into the same [`model::State`] and compared with the store by [`model::plan`].
//! This module holds what both share: reading `FILE|-`, writing `-o FILE|-` atomically, telling
//! the formats apart, and the progress bar.

pub mod baseplate;
pub mod check;
pub mod django;
pub mod json;
pub mod model;
pub mod native;
pub mod plan_file;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::types::FileFormat;

/// Reads `path` (`-` = stdin) as UTF-8 text. Returns the text and the name messages use.
pub fn read_input(path: &Path) -> Result<(String, String)> {
    let (bytes, src) = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut b)
            .map_err(|e| Error::runtime(format!("cannot read stdin: {e}")))?;
        (b, "stdin".to_string())
    } else {
        let src = path.display().to_string();
        let b = std::fs::read(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => e.to_string(),
            };
            Error::runtime(format!("cannot read {src}: {why}"))
        })?;
        (b, src)
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!("{src}: not UTF-8 text")).with_hint("export files are UTF-8 JSON")
    })?;
    // A byte-order mark (some Windows editors add one) is not part of the JSON.
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    Ok((text, src))
}

/// The hint every "wrong format" message ends with: all three formats and how to ask for one.
pub const FORMATS_HINT: &str = "the formats are native ({\"version\": 1, ...}), django ([{\"model\": ...}, ...] or JSON lines) and baseplate ({\"name\": {config}, ...}); the content tells them apart, --format native|django|baseplate insists";

/// Which format a file is in, from its content (the one rule `import`, `diff` and `lint` use):
/// - a JSON array, or JSON lines whose first object has `"model"`: a Django fixture;
/// - one object with a `"version"` that is not itself an object, or with a list among its
///   members (native sections are lists): a native file;
/// - one object with `"model"` and `"fields"`: a one-object Django fixture;
/// - any other object (members are experiment configs): a baseplate experiments.json;
/// - anything else is not JSON of either kind: read as native, whose reader says what is wrong.
///
/// Values are skipped without being built: one cheap pass over the text.
pub fn sniff(text: &str) -> FileFormat {
    let t = text.trim_start();
    if t.starts_with('[') {
        return FileFormat::Django;
    }
    let Some(members) = json::top_level(t) else {
        // Not one JSON document: JSON lines of fixture objects, or malformed.
        let first = t.lines().next().unwrap_or("");
        return match json::top_level(first) {
            Some(m) if m.iter().any(|(k, _)| k == "model") => FileFormat::Django,
            _ => FileFormat::Native,
        };
    };
    let has = |key: &str| members.iter().any(|(k, _)| k == key);
    let version = members
        .iter()
        .any(|(k, s)| k == "version" && *s != json::Shape::Object);
    if version || members.iter().any(|(_, s)| *s == json::Shape::Array) {
        FileFormat::Native
    } else if has("model")
        && members
            .iter()
            .all(|(k, _)| ["model", "pk", "fields"].contains(&k.as_str()))
    {
        FileFormat::Django
    } else {
        FileFormat::Baseplate
    }
}

/// A file read, validated and turned into what the store would hold.
pub struct Loaded {
    pub state: model::State,
    pub format: FileFormat,
    /// The name messages use (the path, or `stdin`).
    pub src: String,
    /// For the user: duplicate keys, skipped models, ...
    pub warnings: Vec<String>,
}

/// Reads `path` (`-` = stdin) in the format `asked` (`--format`), else the one its content shows
/// ([`sniff`]). A file whose content is plainly another format than the one asked for is
/// refused (exit 2) rather than misread. `today` (the command's) fills the parts a date leaves out.
pub fn load(path: &Path, asked: Option<FileFormat>, today: chrono::NaiveDate) -> Result<Loaded> {
    let (text, src) = read_input(path)?;
    let seen = sniff(&text);
    let format = asked.unwrap_or(seen);
    if format != seen && (seen != FileFormat::Native || json::top_level(&text).is_some()) {
        return Err(Error::usage(format!(
            "{src}: this is {}, not {}",
            seen.describe(),
            format.describe()
        ))
        .with_hint(format!(
            "read it with --format {} (or leave --format out); {FORMATS_HINT}",
            seen.word()
        )));
    }
    let mut warnings = Vec::new();
    let state = match format {
        FileFormat::Native => {
            let (state, dups) = native::parse(&text, &src, today)?;
            warnings.extend(dups.iter().map(|d| d.warning(&src)));
            state
        }
        FileFormat::Baseplate => {
            let file = baseplate::parse(&text, &src)?;
            warnings.extend(baseplate::duplicate_warnings(&file, &src));
            baseplate::to_state(file)
        }
        FileFormat::Django => {
            let parsed = django::parse(&text, &src, today)?;
            warnings.extend(parsed.warnings);
            parsed.state
        }
    };
    Ok(Loaded {
        state,
        format,
        src,
        warnings,
    })
}

/// What `-o FILE` must not overwrite without `--force`.
#[derive(Debug, Clone, Copy)]
pub struct Overwrite<'a> {
    /// The store the command reads (its `-wal`, `-shm` and `-journal` files are guarded too).
    pub store: Option<&'a Path>,
    /// `--force`: overwrite the store or an SQLite database all the same.
    pub force: bool,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` names `store` or one of its companion files (same file, or same name).
fn is_store_file(path: &Path, store: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(path), std::fs::metadata(store))
            && a.dev() == b.dev()
            && a.ino() == b.ino()
        {
            return true;
        }
    }
    let canon = |p: &Path| {
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::canonicalize(dir)
            .ok()
            .zip(p.file_name().map(|n| n.to_os_string()))
    };
    let (Some((pd, pn)), Some((sd, sn))) = (canon(path), canon(store)) else {
        return false;
    };
    if pd != sd {
        return false;
    }
    let sn = sn.to_string_lossy().into_owned();
    let pn = pn.to_string_lossy().into_owned();
    pn == sn
        || ["-wal", "-shm", "-journal"]
            .iter()
            .any(|x| pn == format!("{sn}{x}"))
}

/// Whether `path` is a SQLite database (its first 16 bytes are SQLite's header).
pub(crate) fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == SQLITE_MAGIC
}

/// An I/O error in plain words, without the OS's "(os error N)".
fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::NotFound => "no such file or folder".into(),
        K::StorageFull => "the disk is full".into(),
        K::ReadOnlyFilesystem => "the file system is read-only".into(),
        _ => {
            let t = e.to_string();
            match t.find(" (os error") {
                Some(i) => t[..i].to_string(),
                None => t,
            }
        }
    }
}

/// Writes `bytes` to stdout (`None` or `-`) or to a file:
/// - a FIFO, character device or socket (`/dev/null`, `/dev/stdout`, a named pipe) is written
///   into, never replaced;
/// - a regular file is replaced atomically (a temporary file in the same folder, flushed to disk,
///   then renamed over the target; a symlink is followed, so its target is replaced), keeping the
///   existing file's permissions: a 0600 file stays 0600;
/// - a new file gets the umask's permissions;
/// - `mode`, when given, sets the permissions whatever the above (`--mode`, baseplate's 0644);
/// - the store itself and any SQLite database are refused (exit 1) unless `--force`.
pub fn write_output(
    path: Option<&Path>,
    bytes: &[u8],
    mode: Option<u32>,
    guard: Overwrite<'_>,
) -> Result<()> {
    let path = match path {
        None => None,
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p),
    };
    let Some(path) = path else {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()?;
        return Ok(());
    };
    let shown = path.display().to_string();
    let fail =
        |e: std::io::Error| Error::runtime(format!("cannot write {shown}: {}", io_words(&e)));
    let existing = std::fs::metadata(path).ok();
    if let Some(meta) = &existing {
        let ft = meta.file_type();
        if ft.is_dir() {
            return Err(Error::runtime(format!(
                "cannot write {shown}: it is a directory"
            )));
        }
        if !ft.is_file() {
            // A FIFO or a device: write into it (replacing /dev/null would break the system).
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            f.write_all(bytes).map_err(fail)?;
            return f.flush().map_err(fail);
        }
    }
    if !guard.force {
        if guard.store.is_some_and(|s| is_store_file(path, s)) {
            return Err(Error::runtime(format!(
                "refusing to overwrite {shown}: it is the store this command reads"
            ))
            .with_hint("write somewhere else, or add --force if you really mean it"));
        }
        if existing.is_some() && is_sqlite_file(path) {
            return Err(Error::runtime(format!(
                "refusing to overwrite {shown}: it is an SQLite database"
            ))
            .with_hint("write somewhere else, or add --force if you really mean it"));
        }
    }
    // Replace a symlink's target, not the link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() && existing.is_some() => {
            std::fs::canonicalize(path).map_err(fail)?
        }
        _ => path.to_path_buf(),
    };
    #[cfg(unix)]
    let mode = mode.or_else(|| {
        use std::os::unix::fs::PermissionsExt;
        existing.as_ref().map(|m| m.permissions().mode() & 0o7777)
    });
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        let why = if dir.exists() {
            format!("{} is not a folder", dir.display())
        } else {
            format!("the folder {} does not exist", dir.display())
        };
        return Err(Error::runtime(format!("cannot write {shown}: {why}"))
            .with_hint("create the folder first, or choose another path (-o -: standard output)"));
    }
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the umask's permissions, as creating it in place would; with a mode to set,
    // the temporary file is never readable by others in between.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let first = if mode.is_some() { 0o600 } else { 0o666 };
        builder.permissions(std::fs::Permissions::from_mode(first));
    }
    let write = || -> std::io::Result<()> {
        let mut f = builder.tempfile_in(&dir)?;
        f.write_all(bytes)?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            f.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        f.as_file().sync_all()?;
        // On failure the temporary file is removed when dropped.
        f.persist(&target).map_err(|e| e.error)?;
        // Make the rename itself durable (best effort: not every platform can open a folder).
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(sniff("[]"), FileFormat::Django);
        assert_eq!(sniff("  [\n{\n"), FileFormat::Django);
        assert_eq!(
            sniff("{\"model\": \"waffle.flag\",\"pk\": 1,\"fields\": {}}\n"),
            FileFormat::Django
        );
        assert_eq!(
            sniff("{\"model\": \"waffle.flag\",\"fields\": {}}\n{\"model\": \"waffle.switch\"}\n"),
            FileFormat::Django
        );
        assert_eq!(sniff("{\n  \"version\": 1\n}"), FileFormat::Native);
        assert_eq!(sniff("{\"version\": 1}"), FileFormat::Native);
        // A native file without its version is still native (its reader says what is missing).
        assert_eq!(sniff("{\"flags\": []}"), FileFormat::Native);
        assert_eq!(sniff("not json"), FileFormat::Native);
        assert_eq!(sniff("{}"), FileFormat::Baseplate);
        assert_eq!(
            sniff("{\"exp\": {\"id\": 1, \"type\": \"single_variant\"}}"),
            FileFormat::Baseplate
        );
        // An experiment may be called "version": its config is an object.
        assert_eq!(sniff("{\"version\": {\"id\": 1}}"), FileFormat::Baseplate);
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        std::fs::write(&p, "old").unwrap();
        let guard = Overwrite {
            store: Some(&dir.path().join("waffle.db")),
            force: false,
        };
        write_output(Some(&p), b"new", None, guard).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }
}
