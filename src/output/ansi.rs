//! The terminal's colour and weight codes (ANSI SGR): the one place that writes them. Callers
//! decide whether colour is on (`--color`, `NO_COLOR`, a terminal); this only paints.

/// What a piece of text is, and so how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Table headers, record keys, a prompt's question.
    Bold,
    /// The `error` label.
    Error,
    /// The `hint` label.
    Hint,
    /// The `warning` label.
    Warning,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Error => "1;31",
            Style::Hint => "36",
            Style::Warning => "33",
        }
    }
}

/// `text` in `style` when `color` is on, else `text` as it is.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_only_when_colour_is_on() {
        assert_eq!(paint("error", Style::Error, true), "\x1b[1;31merror\x1b[0m");
        assert_eq!(paint("hint", Style::Hint, true), "\x1b[36mhint\x1b[0m");
        assert_eq!(
            paint("warning", Style::Warning, true),
            "\x1b[33mwarning\x1b[0m"
        );
        assert_eq!(paint("KEY", Style::Bold, true), "\x1b[1mKEY\x1b[0m");
        assert_eq!(paint("KEY", Style::Bold, false), "KEY");
    }
}
