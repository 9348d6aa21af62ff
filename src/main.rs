use std::process::ExitCode;

fn main() -> ExitCode {
    // `COMPLETE=bash wafflectl ...`: a shell asking for completions (answered, then exit).
    wafflectl::commands::completions::complete_from_env();
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        eprintln!("error: internal error: {msg}");
        eprintln!("hint: this is a bug in wafflectl; please report it with the command you ran");
    }));
    ExitCode::from(wafflectl::run(std::env::args_os()))
}
