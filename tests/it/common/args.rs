//! Command lines for [`Env`](super::Env).

/// A command line for [`Env`]: a list of arguments, or a string split as a shell splits it,
/// on whitespace outside single quotes: `"kv set 17 owner 'growth team'"`, `"note ''"`.
/// (No other quoting: an argument with a single quote in it is given in a list.)
pub trait Args {
    fn to_args(&self) -> Vec<String>;
}

impl Args for str {
    fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut word: Option<String> = None;
        let mut quoted = false;
        for c in self.chars() {
            match c {
                '\'' => {
                    quoted = !quoted;
                    word.get_or_insert_default();
                }
                c if c.is_whitespace() && !quoted => args.extend(word.take()),
                c => word.get_or_insert_default().push(c),
            }
        }
        assert!(!quoted, "unbalanced quote in {self:?}");
        args.extend(word);
        args
    }
}

impl<T: Args + ?Sized> Args for &T {
    fn to_args(&self) -> Vec<String> {
        (**self).to_args()
    }
}

impl Args for String {
    fn to_args(&self) -> Vec<String> {
        self.as_str().to_args()
    }
}

impl<S: AsRef<str>> Args for [S] {
    fn to_args(&self) -> Vec<String> {
        self.iter().map(|a| a.as_ref().to_string()).collect()
    }
}

impl<S: AsRef<str>, const N: usize> Args for [S; N] {
    fn to_args(&self) -> Vec<String> {
        self.as_slice().to_args()
    }
}

impl<S: AsRef<str>> Args for Vec<S> {
    fn to_args(&self) -> Vec<String> {
        self.as_slice().to_args()
    }
}
