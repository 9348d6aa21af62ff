//! Which certificate authorities a TLS connection trusts, for `--db` (PostgreSQL) and `--cache`
//! (`rediss://`): the public web roots, or the ones in the PEM file a URL's `sslrootcert=PATH`
//! names, read and checked here, once, with the same errors for both.

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{Error, Result};

/// The certificate authorities of an `sslrootcert` PEM file.
pub struct Authorities {
    /// The file as read (for clients that take PEM, such as the Redis client).
    pub pem: Vec<u8>,
    /// Its certificates, each a valid trust anchor.
    pub roots: rustls::RootCertStore,
}

/// Reads the PEM file `path`: at least one certificate, each a valid authority.
pub fn authorities(path: &str) -> Result<Authorities> {
    let bad = |why: String| Error::runtime(format!("sslrootcert {path}: {why}"));
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("no certificate in the file".into()));
    }
    Ok(Authorities { pem, roots })
}

/// The authorities a verified connection trusts: the file's, else the public web roots.
pub fn roots(rootcert: Option<&str>) -> Result<rustls::RootCertStore> {
    match rootcert {
        Some(path) => Ok(authorities(path)?.roots),
        None => Ok(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        }),
    }
}
