//! The cache keys django-waffle 5.0.0 uses, as Django's cache stores them.
//!
//! `waffle.utils.keyfmt(fmt, name)` is `WAFFLE_CACHE_PREFIX + waffle.__version__ +
//! md5(fmt % name).hexdigest()` (no separator); the "all" keys are used as they are. Django's
//! default key function then makes `KEY_PREFIX:VERSION:key`, which is what Redis (RedisCache)
//! and memcached (PyMemcacheCache) hold.

use md5::{Digest, Md5};

/// `waffle.__version__` of the django-waffle whose keys these are.
pub const WAFFLE_VERSION: &str = "5.0.0";

/// The Django `CACHES` and waffle settings that shape a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySettings {
    /// `CACHES[alias]['KEY_PREFIX']` (default '').
    pub key_prefix: String,
    /// `CACHES[alias]['VERSION']` (default 1).
    pub version: i64,
    /// `WAFFLE_CACHE_PREFIX` (default 'waffle:').
    pub waffle_prefix: String,
}

impl Default for KeySettings {
    fn default() -> Self {
        KeySettings {
            key_prefix: String::new(),
            version: 1,
            waffle_prefix: "waffle:".into(),
        }
    }
}

impl KeySettings {
    /// `keyfmt(fmt, name)` for an already formatted `fmt % name`, e.g. `flag:foo`.
    pub fn keyfmt(&self, formatted: &str) -> String {
        let digest = Md5::digest(formatted.as_bytes());
        let mut hex = String::with_capacity(32);
        for b in digest {
            hex.push_str(&format!("{b:02x}"));
        }
        format!("{}{WAFFLE_VERSION}{hex}", self.waffle_prefix)
    }

    /// Django's default key function: `KEY_PREFIX:VERSION:key`.
    pub fn django_key(&self, key: &str) -> String {
        format!("{}:{}:{key}", self.key_prefix, self.version)
    }

    /// The keys (before Django's key function) that django-waffle flushes when an object of
    /// `kind` named `name` is saved or deleted; none for kinds django-waffle does not cache.
    pub fn waffle_keys(&self, kind: &str, name: &str) -> Vec<String> {
        match kind {
            // AbstractUserFlag.get_flush_keys: the flag, the "all" key, its users and groups.
            "flag" => vec![
                self.keyfmt(&format!("flag:{name}")),
                "flags:all".into(),
                self.keyfmt(&format!("flag:{name}:users")),
                self.keyfmt(&format!("flag:{name}:groups")),
            ],
            "switch" => vec![
                self.keyfmt(&format!("switch:{name}")),
                "switches:all".into(),
            ],
            "sample" => vec![self.keyfmt(&format!("sample:{name}")), "samples:all".into()],
            _ => Vec::new(),
        }
    }

    /// The keys of a flag's users and groups id sets only.
    pub fn member_keys(&self, flag: &str) -> Vec<String> {
        vec![
            self.keyfmt(&format!("flag:{flag}:users")),
            self.keyfmt(&format!("flag:{flag}:groups")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_keys_of_flag_foo() {
        let k = KeySettings::default();
        assert_eq!(
            k.keyfmt("flag:foo"),
            "waffle:5.0.0d89193f4bdeaf8b976994c25b7f1a564"
        );
        assert_eq!(
            k.keyfmt("flag:foo:users"),
            "waffle:5.0.04943c0d60b3f3f16d434f8f33f7570bd"
        );
        assert_eq!(k.django_key("flags:all"), ":1:flags:all");
    }
}
