//! File formats: Django fixtures and wafflectl's native document.
