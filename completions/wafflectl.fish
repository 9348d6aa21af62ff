# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wafflectl_global_optspecs
    string join \n db= json format= actor= y/yes no-input color= q/quiet cache= cache-key-prefix= cache-version= waffle-cache-prefix= no-admin-log config= env= confirm-env= h/help V/version
end

function __fish_wafflectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_wafflectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_wafflectl_using_subcommand
    set -l cmd (__fish_wafflectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c wafflectl -n "__fish_wafflectl_needs_command" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -s V -l version -d 'Print version'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "init" -d 'Create a store, or add wafflectl\'s tables to an existing Django database'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "flag" -d 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "flags" -d 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "switch" -d 'Django-waffle switches: simple on/off toggles'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "switches" -d 'Django-waffle switches: simple on/off toggles'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "sample" -d 'Django-waffle samples: on for a random percentage of checks'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "samples" -d 'Django-waffle samples: on for a random percentage of checks'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "user" -d 'Users (django.contrib.auth) that flags and experiments refer to'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "users" -d 'Users (django.contrib.auth) that flags and experiments refer to'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "group" -d 'Groups (django.contrib.auth)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "groups" -d 'Groups (django.contrib.auth)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "override" -d 'Open edX course and organisation overrides of a flag'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "overrides" -d 'Open edX course and organisation overrides of a flag'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "experiment" -d 'Open edX experiments: numbered buckets, whitelists, key-values, IDs'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "experiments" -d 'Open edX experiments: numbered buckets, whitelists, key-values, IDs'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "bucket" -d 'Which bucket a user lands in for an experiment, and why'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "variant" -d 'Which variant a baseplate experiment gives, and why (one input set, or a file of users)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "sql" -d 'SQL giving the same assignment inside a warehouse (DuckDB, PostgreSQL, MariaDB)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "lint" -d 'Check an experiments.json as baseplate reads it (no store needed)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "srm" -d 'Sample-ratio mismatch: do observed counts per bucket or variant fit the experiment?'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "eval" -d 'Evaluate a switch, sample, flag or experiment step by step'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "history" -d 'The audit log: who changed what, newest first'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "export" -d 'Write the store to a file (native JSON or a Django fixture)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "import" -d 'Apply a native file or a Django fixture to the store'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "diff" -d 'Show what importing a file would change'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "doctor" -d 'Check the store for problems'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "stale" -d 'Toggles that decide the same for everyone and have not changed for N days, and orphans'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "refs" -d 'Where source code names the store\'s toggles, and toggles code declares without a row'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "report" -d 'Every toggle from code, annotations and the store: fields, state, places and findings'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "delete" -d 'Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "conformance-inputs" -d 'Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date or a course key. Hidden: not part of the user interface'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "plan" -d 'Write the changes from a file or another store to a plan file, to review and apply'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "apply" -d 'Carry out a plan file, unless what it read has changed since'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "revert" -d 'Restore what audit rows changed to its state before them'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "env" -d 'Named environments of the config file: list them, check each can be reached'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "schedule" -d 'Changes scheduled with --at: list, show, cancel, and run those that are due'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "compare" -d 'Every difference between two stores or files: flags, switches, samples, overrides, experiments'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "promote" -d 'Copy flags, switches, samples and experiments from one store to another'
complete -c wafflectl -n "__fish_wafflectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l example -d 'Also add the Open edX documentation\'s example experiment, users and toggles'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "list" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "ls" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "show" -d 'Show one flag in full'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "create" -d 'Create a flag (off for everyone until you say otherwise)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "set" -d 'Change only the given options of a flag'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "on" -d 'Turn a flag on for everyone (everyone = true)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "off" -d 'Turn a flag off for everyone (everyone = false)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "unset" -d 'Let the other criteria decide (everyone = unset)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "delete" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "rm" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l prefix -d 'Only flags whose name starts with this' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l prefix -d 'Only flags whose name starts with this' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l everyone -d 'On for everyone, off for everyone, or unset (decide by the other criteria)' -r -f -a "on\t''
off\t''
unset\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l percent -d 'Random percentage of users, 0–99.9 with one decimal, or `unset`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l languages -d 'Comma-separated language codes the flag is on for (\'\' clears)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l add-user -d 'Add a user to the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l remove-user -d 'Remove a user from the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l add-group -d 'Add a group to the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l remove-group -d 'Remove a group from the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l users -d 'Replace the flag\'s user list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l groups -d 'Replace the flag\'s group list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l deactivate -d 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l staff -d 'On for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-staff -d 'Not on for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l superusers -d 'On for superusers (off unless asked: the Django default forces every superuser)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-superusers -d 'Not on for superusers'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l authenticated -d 'On for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-authenticated -d 'Not on for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l testing -d 'Testing mode (dwft_ query string, header or cookie)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-testing -d 'No testing mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l rollout -d 'Rollout mode (percent "off" cookies last one session)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-rollout -d 'No rollout mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l everyone -d 'On for everyone, off for everyone, or unset (decide by the other criteria)' -r -f -a "on\t''
off\t''
unset\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l percent -d 'Random percentage of users, 0–99.9 with one decimal, or `unset`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l languages -d 'Comma-separated language codes the flag is on for (\'\' clears)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l add-user -d 'Add a user to the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l remove-user -d 'Remove a user from the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l add-group -d 'Add a group to the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l remove-group -d 'Remove a group from the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l users -d 'Replace the flag\'s user list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l groups -d 'Replace the flag\'s group list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l deactivate -d 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l staff -d 'On for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-staff -d 'Not on for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l superusers -d 'On for superusers (off unless asked: the Django default forces every superuser)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-superusers -d 'Not on for superusers'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l authenticated -d 'On for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-authenticated -d 'Not on for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l testing -d 'Testing mode (dwft_ query string, header or cookie)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-testing -d 'No testing mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l rollout -d 'Rollout mode (percent "off" cookies last one session)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-rollout -d 'No rollout mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l create -d 'Create the flag if it does not exist'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from on" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from off" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "list" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one flag in full'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a flag (off for everyone until you say otherwise)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change only the given options of a flag'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "on" -d 'Turn a flag on for everyone (everyone = true)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "off" -d 'Turn a flag off for everyone (everyone = false)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Let the other criteria decide (everyone = unset)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "list" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "ls" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "show" -d 'Show one flag in full'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "create" -d 'Create a flag (off for everyone until you say otherwise)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "set" -d 'Change only the given options of a flag'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "on" -d 'Turn a flag on for everyone (everyone = true)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "off" -d 'Turn a flag off for everyone (everyone = false)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "unset" -d 'Let the other criteria decide (everyone = unset)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "delete" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "rm" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and not __fish_seen_subcommand_from list ls show create set on off unset delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l prefix -d 'Only flags whose name starts with this' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l prefix -d 'Only flags whose name starts with this' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l everyone -d 'On for everyone, off for everyone, or unset (decide by the other criteria)' -r -f -a "on\t''
off\t''
unset\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l percent -d 'Random percentage of users, 0–99.9 with one decimal, or `unset`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l languages -d 'Comma-separated language codes the flag is on for (\'\' clears)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l add-user -d 'Add a user to the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l remove-user -d 'Remove a user from the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l add-group -d 'Add a group to the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l remove-group -d 'Remove a group from the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l users -d 'Replace the flag\'s user list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l groups -d 'Replace the flag\'s group list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l deactivate -d 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l staff -d 'On for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-staff -d 'Not on for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l superusers -d 'On for superusers (off unless asked: the Django default forces every superuser)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-superusers -d 'Not on for superusers'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l authenticated -d 'On for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-authenticated -d 'Not on for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l testing -d 'Testing mode (dwft_ query string, header or cookie)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-testing -d 'No testing mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l rollout -d 'Rollout mode (percent "off" cookies last one session)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-rollout -d 'No rollout mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l everyone -d 'On for everyone, off for everyone, or unset (decide by the other criteria)' -r -f -a "on\t''
off\t''
unset\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l percent -d 'Random percentage of users, 0–99.9 with one decimal, or `unset`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l languages -d 'Comma-separated language codes the flag is on for (\'\' clears)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l add-user -d 'Add a user to the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l remove-user -d 'Remove a user from the flag\'s user list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l add-group -d 'Add a group to the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l remove-group -d 'Remove a group from the flag\'s group list (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l users -d 'Replace the flag\'s user list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l groups -d 'Replace the flag\'s group list with these (comma-separated; \'\' empties it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l deactivate -d 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l staff -d 'On for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-staff -d 'Not on for staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l superusers -d 'On for superusers (off unless asked: the Django default forces every superuser)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-superusers -d 'Not on for superusers'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l authenticated -d 'On for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-authenticated -d 'Not on for every logged-in user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l testing -d 'Testing mode (dwft_ query string, header or cookie)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-testing -d 'No testing mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l rollout -d 'Rollout mode (percent "off" cookies last one session)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-rollout -d 'No rollout mode'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l create -d 'Create the flag if it does not exist'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from on" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from off" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "list" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one flag in full'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a flag (off for everyone until you say otherwise)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change only the given options of a flag'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "on" -d 'Turn a flag on for everyone (everyone = true)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "off" -d 'Turn a flag off for everyone (everyone = false)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Let the other criteria decide (everyone = unset)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "list" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "ls" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "show" -d 'Show one switch'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "create" -d 'Create a switch (off unless --on)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "on" -d 'Turn a switch on'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "off" -d 'Turn a switch off'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "delete" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "rm" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l on -d 'Create it active'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l off -d 'Create it inactive (the default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l create -d 'Create the switch if it does not exist, as `waffle_switch --create`'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from on" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l create -d 'Create the switch if it does not exist, as `waffle_switch --create`'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from off" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "list" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one switch'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a switch (off unless --on)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "on" -d 'Turn a switch on'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "off" -d 'Turn a switch off'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switch; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "list" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "ls" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "show" -d 'Show one switch'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "create" -d 'Create a switch (off unless --on)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "on" -d 'Turn a switch on'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "off" -d 'Turn a switch off'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "delete" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "rm" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and not __fish_seen_subcommand_from list ls show create on off delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l on -d 'Create it active'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l off -d 'Create it inactive (the default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l create -d 'Create the switch if it does not exist, as `waffle_switch --create`'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from on" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l create -d 'Create the switch if it does not exist, as `waffle_switch --create`'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from off" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "list" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one switch'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a switch (off unless --on)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "on" -d 'Turn a switch on'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "off" -d 'Turn a switch off'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand switches; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "list" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "ls" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "show" -d 'Show one sample'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "create" -d 'Create a sample with a percent (0–100.0)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "set" -d 'Change a sample\'s percent'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "delete" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "rm" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l create -d 'Create the sample if it does not exist, as `waffle_sample --create`'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from help" -f -a "list" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one sample'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a sample with a percent (0–100.0)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a sample\'s percent'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sample; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "list" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "ls" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "show" -d 'Show one sample'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "create" -d 'Create a sample with a percent (0–100.0)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "set" -d 'Change a sample\'s percent'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "delete" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "rm" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and not __fish_seen_subcommand_from list ls show create set delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l create -d 'Create the sample if it does not exist, as `waffle_sample --create`'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from help" -f -a "list" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one sample'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a sample with a percent (0–100.0)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a sample\'s percent'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand samples; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "list" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "ls" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "show" -d 'Show a user: attributes, groups, enrollments'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "add" -d 'Add a user (unusable password; for flag and experiment decisions only)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "set" -d 'Change a user\'s attributes or groups (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "delete" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "rm" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "enroll" -d 'Record that a user enrolled in a course (used by experiment enrollment windows)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "unenroll" -d 'Remove a user\'s enrollment in a course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l email -d 'E-mail address' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l group -d 'Put the user in this group (repeatable; the group must exist)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l staff -d 'Staff member'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l superuser -d 'Superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l inactive -d 'Inactive account'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l email -d 'E-mail address' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l add-group -d 'Add to a group (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l remove-group -d 'Remove from a group (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l staff -d 'Staff member'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l no-staff -d 'Not a staff member'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l superuser -d 'Superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l no-superuser -d 'Not a superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l active -d 'Active account'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l inactive -d 'Inactive account'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l at -d 'When the enrollment was created (default: now)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l mode -d 'Enrollment mode' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from unenroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a user: attributes, groups, enrollments'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a user (unusable password; for flag and experiment decisions only)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a user\'s attributes or groups (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "enroll" -d 'Record that a user enrolled in a course (used by experiment enrollment windows)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "unenroll" -d 'Remove a user\'s enrollment in a course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "list" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "ls" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "show" -d 'Show a user: attributes, groups, enrollments'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "add" -d 'Add a user (unusable password; for flag and experiment decisions only)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "set" -d 'Change a user\'s attributes or groups (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "delete" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "rm" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "enroll" -d 'Record that a user enrolled in a course (used by experiment enrollment windows)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "unenroll" -d 'Remove a user\'s enrollment in a course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and not __fish_seen_subcommand_from list ls show add set delete rm enroll unenroll help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l email -d 'E-mail address' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l group -d 'Put the user in this group (repeatable; the group must exist)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l staff -d 'Staff member'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l superuser -d 'Superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l inactive -d 'Inactive account'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l email -d 'E-mail address' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l add-group -d 'Add to a group (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l remove-group -d 'Remove from a group (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l staff -d 'Staff member'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l no-staff -d 'Not a staff member'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l superuser -d 'Superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l no-superuser -d 'Not a superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l active -d 'Active account'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l inactive -d 'Inactive account'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l at -d 'When the enrollment was created (default: now)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l mode -d 'Enrollment mode' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from unenroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a user: attributes, groups, enrollments'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a user (unusable password; for flag and experiment decisions only)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a user\'s attributes or groups (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "enroll" -d 'Record that a user enrolled in a course (used by experiment enrollment windows)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "unenroll" -d 'Remove a user\'s enrollment in a course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "list" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "ls" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "add" -d 'Add a group'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "delete" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "rm" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "list" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a group'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "list" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "ls" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "add" -d 'Add a group'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "delete" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "rm" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and not __fish_seen_subcommand_from list ls add delete rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "list" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a group'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -f -a "list" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -f -a "ls" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -f -a "set" -d 'Force a flag on or off for one course or organisation'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -f -a "clear" -d 'Remove the override for a course or organisation (appends a disabled row)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and not __fish_seen_subcommand_from list ls set clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l history -d 'Show every row, including replaced and disabled ones'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l history -d 'Show every row, including replaced and disabled ones'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l course -d 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l org -d 'An organisation (the ORG of course keys)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l note -d 'Why the override exists and when it can go' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l strict -d 'Refuse to override a flag that does not exist (default: warn)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l course -d 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l org -d 'An organisation (the ORG of course keys)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from help" -f -a "set" -d 'Force a flag on or off for one course or organisation'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove the override for a course or organisation (appends a disabled row)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand override; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -f -a "list" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -f -a "ls" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -f -a "set" -d 'Force a flag on or off for one course or organisation'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -f -a "clear" -d 'Remove the override for a course or organisation (appends a disabled row)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and not __fish_seen_subcommand_from list ls set clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l history -d 'Show every row, including replaced and disabled ones'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l history -d 'Show every row, including replaced and disabled ones'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l course -d 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l org -d 'An organisation (the ORG of course keys)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l note -d 'Why the override exists and when it can go' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l strict -d 'Refuse to override a flag that does not exist (default: warn)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l course -d 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l org -d 'An organisation (the ORG of course keys)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from help" -f -a "set" -d 'Force a flag on or off for one course or organisation'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove the override for a course or organisation (appends a disabled row)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand overrides; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "list" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "ls" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "show" -d 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "create" -d 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "set" -d 'Change an experiment\'s definition (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "delete" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "rm" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "whitelist" -d 'Who is forced into which bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "ids" -d 'Every experiment ID in use in the store, and where'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "next-id" -d 'The smallest experiment ID that is free'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "kv" -d 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "data" -d 'Per-user experiment key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l buckets -d 'Number of buckets (bucket 0 is control). Default 2' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l id -d 'Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate: any integer, default the smallest free one' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l type -d 'Make a baseplate experiment of this type (without it, create makes an edX experiment)' -r -f -a "single_variant\t''
multi_variant\t''
feature_rollout\t''
range_variant\t''
r2\t''
feature_flag\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l owner -d 'Owner (carried into bucketing events). Default on create: the actor' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l variant -d 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l start -d 'Start of the window: a date (\'2026-12-01\', \'2026-12-01 10:00Z\') or epoch seconds. Default on create: now' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l stop -d 'End of the window: a date or epoch seconds. Default on create: 30 days after the start' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l global-override -d 'Answer this for everyone: JSON (e.g. \'"treat"\', null) or plain text' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l bucket-val -d 'The input that is hashed (default user_id)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l seed -d 'r2/feature_flag: hashing seed (default: the name)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l bucket-seed -d 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l shuffle-version -d 'Simple types: reshuffle users by changing this (default on create: 0)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l experiment-version -d 'Simple types: experiment version, 1 or more (default on create: 1)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l num-buckets -d 'Simple types: number of buckets (default 1000)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l newer-than -d 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l target -d 'Targeting: a JSON tree for the simple types (\'{"EQ":{"field":"country","values":["US"]}}\'); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l override -d 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l course-aware -d 'Hash the course into the bucket (default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-course-aware -d 'Hash users alike in every course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l enabled -d 'Enabled (the default on create)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l disabled -d 'Disabled: variant() answers None (a simple type still answers its global override)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-global-override -d 'Remove the global override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l log-bucketing -d 'Simple types: log bucketing events (the default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-log-bucketing -d 'Simple types: log no bucketing events'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-target -d 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-overrides -d 'Remove every override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l buckets -d 'Number of buckets' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l id -d 'Experiment ID (edX: 0–32767)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l type -d 'Make a baseplate experiment of this type (without it, create makes an edX experiment)' -r -f -a "single_variant\t''
multi_variant\t''
feature_rollout\t''
range_variant\t''
r2\t''
feature_flag\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l owner -d 'Owner (carried into bucketing events). Default on create: the actor' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l variant -d 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l start -d 'Start of the window: a date (\'2026-12-01\', \'2026-12-01 10:00Z\') or epoch seconds. Default on create: now' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l stop -d 'End of the window: a date or epoch seconds. Default on create: 30 days after the start' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l global-override -d 'Answer this for everyone: JSON (e.g. \'"treat"\', null) or plain text' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l bucket-val -d 'The input that is hashed (default user_id)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l seed -d 'r2/feature_flag: hashing seed (default: the name)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l bucket-seed -d 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l shuffle-version -d 'Simple types: reshuffle users by changing this (default on create: 0)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l experiment-version -d 'Simple types: experiment version, 1 or more (default on create: 1)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l num-buckets -d 'Simple types: number of buckets (default 1000)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l newer-than -d 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l target -d 'Targeting: a JSON tree for the simple types (\'{"EQ":{"field":"country","values":["US"]}}\'); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l override -d 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-id -d 'Remove the experiment ID'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l course-aware -d 'Hash the course into the bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-course-aware -d 'Hash users alike in every course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l enabled -d 'Enabled (the default on create)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l disabled -d 'Disabled: variant() answers None (a simple type still answers its global override)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-global-override -d 'Remove the global override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l log-bucketing -d 'Simple types: log bucketing events (the default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-log-bucketing -d 'Simple types: log no bucketing events'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-target -d 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-overrides -d 'Remove every override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l with-flags -d 'Also delete the main flag and its NAME.N bucket flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l with-flags -d 'Also delete the main flag and its NAME.N bucket flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -f -a "list" -d 'Who is forced into each bucket, with warnings about traps'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -f -a "ls" -d 'Who is forced into each bucket, with warnings about traps'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -f -a "add" -d 'Force users, a group, staff, everyone, a course or an org into a bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -f -a "remove" -d 'Undo a whitelist entry'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -f -a "rm" -d 'Undo a whitelist entry'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from whitelist" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from ids" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from next-id" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -f -a "list" -d 'Key-values of an experiment ID'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -f -a "ls" -d 'Key-values of an experiment ID'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -f -a "set" -d 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -f -a "unset" -d 'Remove a key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -f -a "rm" -d 'Remove a key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from kv" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -f -a "list" -d 'Per-user data, optionally of one experiment ID and/or one user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -f -a "ls" -d 'Per-user data, optionally of one experiment ID and/or one user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -f -a "set" -d 'Set a user\'s key for an experiment'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -f -a "unset" -d 'Remove a user\'s key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -f -a "rm" -d 'Remove a user\'s key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from data" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "list" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "show" -d 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "create" -d 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change an experiment\'s definition (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "whitelist" -d 'Who is forced into which bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "ids" -d 'Every experiment ID in use in the store, and where'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "next-id" -d 'The smallest experiment ID that is free'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "kv" -d 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "data" -d 'Per-user experiment key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiment; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "list" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "ls" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "show" -d 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "create" -d 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "set" -d 'Change an experiment\'s definition (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "delete" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "rm" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "whitelist" -d 'Who is forced into which bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "ids" -d 'Every experiment ID in use in the store, and where'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "next-id" -d 'The smallest experiment ID that is free'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "kv" -d 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "data" -d 'Per-user experiment key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and not __fish_seen_subcommand_from list ls show create set delete rm whitelist ids next-id kv data help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l buckets -d 'Number of buckets (bucket 0 is control). Default 2' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l id -d 'Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate: any integer, default the smallest free one' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l type -d 'Make a baseplate experiment of this type (without it, create makes an edX experiment)' -r -f -a "single_variant\t''
multi_variant\t''
feature_rollout\t''
range_variant\t''
r2\t''
feature_flag\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l owner -d 'Owner (carried into bucketing events). Default on create: the actor' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l variant -d 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l start -d 'Start of the window: a date (\'2026-12-01\', \'2026-12-01 10:00Z\') or epoch seconds. Default on create: now' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l stop -d 'End of the window: a date or epoch seconds. Default on create: 30 days after the start' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l global-override -d 'Answer this for everyone: JSON (e.g. \'"treat"\', null) or plain text' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l bucket-val -d 'The input that is hashed (default user_id)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l seed -d 'r2/feature_flag: hashing seed (default: the name)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l bucket-seed -d 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l shuffle-version -d 'Simple types: reshuffle users by changing this (default on create: 0)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l experiment-version -d 'Simple types: experiment version, 1 or more (default on create: 1)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l num-buckets -d 'Simple types: number of buckets (default 1000)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l newer-than -d 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l target -d 'Targeting: a JSON tree for the simple types (\'{"EQ":{"field":"country","values":["US"]}}\'); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l override -d 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l course-aware -d 'Hash the course into the bucket (default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-course-aware -d 'Hash users alike in every course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l enabled -d 'Enabled (the default on create)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l disabled -d 'Disabled: variant() answers None (a simple type still answers its global override)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-global-override -d 'Remove the global override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l log-bucketing -d 'Simple types: log bucketing events (the default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-log-bucketing -d 'Simple types: log no bucketing events'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-target -d 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-overrides -d 'Remove every override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l buckets -d 'Number of buckets' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l id -d 'Experiment ID (edX: 0–32767)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l note -d 'Free-text note' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l type -d 'Make a baseplate experiment of this type (without it, create makes an edX experiment)' -r -f -a "single_variant\t''
multi_variant\t''
feature_rollout\t''
range_variant\t''
r2\t''
feature_flag\t''"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l owner -d 'Owner (carried into bucketing events). Default on create: the actor' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l variant -d 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l start -d 'Start of the window: a date (\'2026-12-01\', \'2026-12-01 10:00Z\') or epoch seconds. Default on create: now' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l stop -d 'End of the window: a date or epoch seconds. Default on create: 30 days after the start' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l global-override -d 'Answer this for everyone: JSON (e.g. \'"treat"\', null) or plain text' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l bucket-val -d 'The input that is hashed (default user_id)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l seed -d 'r2/feature_flag: hashing seed (default: the name)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l bucket-seed -d 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l shuffle-version -d 'Simple types: reshuffle users by changing this (default on create: 0)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l experiment-version -d 'Simple types: experiment version, 1 or more (default on create: 1)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l num-buckets -d 'Simple types: number of buckets (default 1000)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l newer-than -d 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l target -d 'Targeting: a JSON tree for the simple types (\'{"EQ":{"field":"country","values":["US"]}}\'); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l override -d 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-id -d 'Remove the experiment ID'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l course-aware -d 'Hash the course into the bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-course-aware -d 'Hash users alike in every course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l enabled -d 'Enabled (the default on create)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l disabled -d 'Disabled: variant() answers None (a simple type still answers its global override)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-global-override -d 'Remove the global override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l log-bucketing -d 'Simple types: log bucketing events (the default)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-log-bucketing -d 'Simple types: log no bucketing events'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-target -d 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-overrides -d 'Remove every override'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l with-flags -d 'Also delete the main flag and its NAME.N bucket flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l with-flags -d 'Also delete the main flag and its NAME.N bucket flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -f -a "list" -d 'Who is forced into each bucket, with warnings about traps'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -f -a "ls" -d 'Who is forced into each bucket, with warnings about traps'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -f -a "add" -d 'Force users, a group, staff, everyone, a course or an org into a bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -f -a "remove" -d 'Undo a whitelist entry'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -f -a "rm" -d 'Undo a whitelist entry'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from whitelist" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from ids" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from next-id" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -f -a "list" -d 'Key-values of an experiment ID'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -f -a "ls" -d 'Key-values of an experiment ID'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -f -a "set" -d 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -f -a "unset" -d 'Remove a key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -f -a "rm" -d 'Remove a key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from kv" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -f -a "list" -d 'Per-user data, optionally of one experiment ID and/or one user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -f -a "ls" -d 'Per-user data, optionally of one experiment ID and/or one user'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -f -a "set" -d 'Set a user\'s key for an experiment'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -f -a "unset" -d 'Remove a user\'s key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -f -a "rm" -d 'Remove a user\'s key'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from data" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "list" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "show" -d 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "create" -d 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change an experiment\'s definition (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "whitelist" -d 'Who is forced into which bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "ids" -d 'Every experiment ID in use in the store, and where'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "next-id" -d 'The smallest experiment ID that is free'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "kv" -d 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "data" -d 'Per-user experiment key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand experiments; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l user -d 'The user to check (from the store when it exists there)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l course -d 'The course the check happens in' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l enrolled-at -d 'When the user enrolled in the course (default: from the store, else not enrolled)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l now -d 'Evaluate as of this time (default: now)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l buckets -d 'Number of buckets (replaces the stored definition)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l experiment-id -d 'Experiment ID (replaces the stored definition)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l language -d 'The request\'s language code (LANGUAGE_CODE; the LMS always sets one)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l group -d 'Treat the user as a member of this group (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l assume-percent -d 'Settle a percent-based main flag\'s random roll' -r -f -a "in\t'The roll admits the user'
out\t'The roll leaves the user out'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l users-file -d 'Bucket every username in FILE (one per line; - for stdin)' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l find -d 'Generate usernames that land in this bucket (for QA test accounts)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l count -d 'With --find: how many usernames, 1 to 100000 (default: 1)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l base -d 'With --find: start of the generated usernames' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l jobs -d 'With --users-file or --find: worker threads, 1 to 1024 (default: $WAFFLECTL_JOBS, else one per core)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l anonymous -d 'Check an anonymous (logged-out) visitor'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l course-aware -d 'Hash the course into the bucket (replaces the stored definition)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l no-course-aware -d 'Do not hash the course into the bucket (replaces the stored definition)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l staff -d 'Treat the user as staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l superuser -d 'Treat the user as a superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l summary -d 'With --users-file: print counts per bucket, a histogram and a uniformity test'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand bucket" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l now -d 'Evaluate at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l file -d 'Read the experiment from this experiments.json instead of the store (no store needed)' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l users-file -d 'One value of the experiment\'s bucket_val per line (- for stdin); writes VALUE<TAB>VARIANT' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l jobs -d 'With --users-file: worker threads, 1 to 1024 (default: $WAFFLECTL_JOBS, else one per core)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l no-event -d 'As with bucketing_event_override=False: never log a bucketing event'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l summary -d 'With --users-file: count and share per variant, and a chi-square test against the sizes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand variant" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -f -a "bucket" -d 'SQL giving each row\'s Open edX bucket, as `bucket --users-file` does'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -f -a "variant" -d 'SQL giving each row\'s baseplate variant, as `variant --users-file` does'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and not __fish_seen_subcommand_from bucket variant help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l dialect -d 'The database the SQL is for' -r -f -a "duckdb\t'DuckDB'
postgres\t'PostgreSQL'
mysql\t'MariaDB and MySQL'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l user-column -d 'The column holding the username' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l course -d 'The course every row is checked in' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l course-column -d 'The column holding each row\'s course key (hashed in by a course-aware experiment)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l now -d 'Decide as of this time (default: now)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l assume-percent -d 'Settle a percent-based flag\'s random roll' -r -f -a "in\t'The roll admits the user'
out\t'The roll leaves the user out'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from bucket" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l dialect -d 'The database the SQL is for' -r -f -a "duckdb\t'DuckDB'
postgres\t'PostgreSQL'
mysql\t'MariaDB and MySQL'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l column -d 'The column holding an input (repeatable); the bucketing input defaults to the column of its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l now -d 'Decide the window as of this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from variant" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from help" -f -a "bucket" -d 'SQL giving each row\'s Open edX bucket, as `bucket --users-file` does'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from help" -f -a "variant" -d 'SQL giving each row\'s baseplate variant, as `variant --users-file` does'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand sql; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l now -d 'Judge windows at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l observed -d 'The observed counts or rows (- for stdin)' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l observed-format -d 'Read --observed as this format instead of detecting it' -r -f -a "counts\t'One `bucket,count` (or `variant,count`) line per cell; header optional'
json\t'{"0": 123, "1": 130} or [{"bucket": 0, "count": 123}, ...] ("variant" for baseplate)'
rows\t'One `id,bucket` line per user (comma or tab), counted as read'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l fail-on -d 'Exit 1 on this finding' -r -f -a "srm\t'A sample-ratio mismatch (p < 0.0005)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l since -d 'Start of the observed period (audit-log changes from then on are causes; default: the experiment\'s creation)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l until -d 'End of the observed period (default: now)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand srm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l user -d 'The user (from the store when it exists there)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l course -d 'The course the check happens in' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l language -d 'The request\'s language code (LANGUAGE_CODE)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l group -d 'Treat the user as a member of this group (repeatable)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l enrolled-at -d 'When the user enrolled in the course' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l now -d 'Evaluate as of this time (default: now)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l assume-percent -d 'Settle a percent roll' -r -f -a "in\t'The roll admits the user'
out\t'The roll leaves the user out'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l anonymous -d 'An anonymous (logged-out) visitor'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l staff -d 'Treat the user as staff'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l superuser -d 'Treat the user as a superuser'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l since -d 'Only changes at or after this time (e.g. 2026-11-01, \'2026-11-01 10:00\')' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l limit -d 'At most this many entries (0 = all; at most 1000000000)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -s o -l output -d 'Where to write (- for stdout, the default); a file is replaced atomically, keeping its permissions; a FIFO or device is written into' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l indent -d 'Django fixtures: indent by N spaces, as dumpdata --indent N (0 = one line, as dumpdata without --indent)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l mode -d 'The written file\'s mode, in octal (baseplate: 0644 unless given, as the live-data sidecar writes it)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l force -d 'Overwrite FILE even when it is the store itself or another SQLite database'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l prune -d 'Also delete what the file does not contain, in the kinds of object it has (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l create-only -d 'Create what the store lacks, never change what exists (objects that differ are reported as kept); not with --prune'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l prune -d 'Also show what --prune would delete'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l exit-code -d 'Exit 1 when the file and the store differ (0 when they match), for drift checks in CI'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l days -d 'Unchanged for at least this many days (0–36500)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l now -d 'Judge as of this time (default: now, or $WAFFLECTL_NOW)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l refs -d 'Also scan these source trees: a removal plan for each stale toggle' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l fail-on -d 'Exit 1 when there is a finding of this kind (repeatable or comma-separated)' -r -f -a "stale\t'A settled toggle unchanged for --days, or an orphaned override or bucket flag'
unreferenced\t'A toggle of the store that no scanned file names'
overdue\t'An annotation past its toggle_target_removal_date, or temporary without one'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand stale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l now -d 'Judge annotation removal dates as of this time (default: now, or $WAFFLECTL_NOW)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l fail-on -d 'Exit 1 when there is a finding of this kind (repeatable or comma-separated)' -r -f -a "stale\t'A settled toggle unchanged for --days, or an orphaned override or bucket flag'
unreferenced\t'A toggle of the store that no scanned file names'
overdue\t'An annotation past its toggle_target_removal_date, or temporary without one'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand refs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l now -d 'Judge target removal dates as of this time (default: now, or $WAFFLECTL_NOW)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l flags -d 'Flags to delete (comma-separated or repeated)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l switches -d 'Switches to delete (comma-separated or repeated)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l samples -d 'Samples to delete (comma-separated or repeated)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l strict -d 'Fail (exit 1, nothing deleted) when a name does not exist, instead of skipping it'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand conformance-inputs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -s o -l output -d 'Where to write the plan (- for stdout)' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l prune -d 'Also delete what the source does not contain, in the kinds of object it has'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l at -d 'Do not change now: check the change and schedule it for TIME (\'2026-12-24 18:00\', \'tomorrow 09:00\', \'in 2 hours\'; UTC), applied by `wafflectl schedule run`' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l force -d 'Restore even when a later change touched the same object (that change is undone too)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand revert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -f -a "list" -d 'The config file\'s environments: store, password source, cache, protection'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -f -a "check" -d 'Connect to environments and report backend, schema, identity, counts and cache'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and not __fish_seen_subcommand_from list check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "list" -d 'The config file\'s environments: store, password source, cache, protection'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "check" -d 'Connect to environments and report backend, schema, identity, counts and cache'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -f -a "list" -d 'The scheduled changes, in due order: pending ones, or all with --all'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -f -a "show" -d 'One scheduled change: its command, who scheduled it, the changes it was planned to make'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -f -a "cancel" -d 'Cancel pending scheduled changes (recorded in the audit log)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -f -a "run" -d 'Apply each pending change that is due, once, in due order (for cron and CronJobs)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and not __fish_seen_subcommand_from list show cancel run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l all -d 'Also those done, skipped, cancelled or failed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l dry-run -d 'List what is due and apply nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "list" -d 'The scheduled changes, in due order: pending ones, or all with --all'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "show" -d 'One scheduled change: its command, who scheduled it, the changes it was planned to make'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Cancel pending scheduled changes (recorded in the audit log)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "run" -d 'Apply each pending change that is due, once, in due order (for cron and CronJobs)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l kind -d 'Only these kinds of object (repeatable)' -r -f -a "flag\t'django-waffle flags (with their users and groups, by name)'
switch\t''
sample\t''
override\t'Open edX course and org overrides (their current rows)'
experiment\t'Open edX experiments, with their bucket sub-flags (whitelists) and key-values'
baseplate\t'Baseplate experiments'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l exit-code -d 'Exit 1 when A and B differ (0 when they are equal), as diff --exit-code'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand compare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l from -d 'The source: a database URL, a SQLite store or an exported file' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l to -d 'The target: a database URL or a SQLite store' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l reason -d 'Why: kept in the audit log' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l db -d 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l format -d 'Output format of read commands' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'Bare JSON objects and arrays, for scripts'
plain\t'Tab-separated values without a header, for `cut`/`awk`'
csv\t'Comma-separated values with a header row, for spreadsheets'
markdown\t'A Markdown table, for wikis and pull requests'
native\t'export/import/diff: wafflectl\'s versioned JSON document (their default)'
django\t'export/import/diff: a Django fixture, as `manage.py dumpdata` writes it'
baseplate\t'export/import/diff: baseplate\'s experiments.json (baseplate experiments only)'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l actor -d 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l color -d 'When to colour output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and `NO_COLOR` is unset'
always\t'Colour even into a pipe or file'
never\t'No colour'"
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l cache -d 'After each write, delete the django-waffle keys it made stale from the site\'s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l cache-key-prefix -d 'The site\'s CACHES KEY_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l cache-version -d 'The site\'s CACHES VERSION (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l waffle-cache-prefix -d 'The site\'s WAFFLE_CACHE_PREFIX (with --cache)' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l config -d 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user\'s config directory' -r -F
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l env -d 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l confirm-env -d 'With --yes: confirm a write to a protected environment by its name' -r
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l create-only -d 'Create what the target lacks, never change what it has (objects that differ are reported as kept)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l create-users -d 'Create the users and groups the target lacks: plain active users with an unusable password (never staff or superuser status, names or password hashes)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l dry-run -d 'Show what would change and write nothing'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l json -d 'Print JSON (same as --format json)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -s y -l yes -d 'Answer yes to confirmations (needed for deletions when there is no terminal)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l no-input -d 'Never prompt; fail where a prompt would be needed'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -s q -l quiet -d 'Print no status lines or warnings, only data and errors'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -l no-admin-log -d 'Do not write Django admin history (django_admin_log) entries for changes'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "init" -d 'Create a store, or add wafflectl\'s tables to an existing Django database'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "flag" -d 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "switch" -d 'Django-waffle switches: simple on/off toggles'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "sample" -d 'Django-waffle samples: on for a random percentage of checks'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "user" -d 'Users (django.contrib.auth) that flags and experiments refer to'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "group" -d 'Groups (django.contrib.auth)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "override" -d 'Open edX course and organisation overrides of a flag'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "experiment" -d 'Open edX experiments: numbered buckets, whitelists, key-values, IDs'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "bucket" -d 'Which bucket a user lands in for an experiment, and why'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "variant" -d 'Which variant a baseplate experiment gives, and why (one input set, or a file of users)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "sql" -d 'SQL giving the same assignment inside a warehouse (DuckDB, PostgreSQL, MariaDB)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "lint" -d 'Check an experiments.json as baseplate reads it (no store needed)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "srm" -d 'Sample-ratio mismatch: do observed counts per bucket or variant fit the experiment?'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "eval" -d 'Evaluate a switch, sample, flag or experiment step by step'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "history" -d 'The audit log: who changed what, newest first'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "export" -d 'Write the store to a file (native JSON or a Django fixture)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "import" -d 'Apply a native file or a Django fixture to the store'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "diff" -d 'Show what importing a file would change'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "doctor" -d 'Check the store for problems'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "stale" -d 'Toggles that decide the same for everyone and have not changed for N days, and orphans'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "refs" -d 'Where source code names the store\'s toggles, and toggles code declares without a row'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "report" -d 'Every toggle from code, annotations and the store: fields, state, places and findings'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "delete" -d 'Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "completions" -d 'Print a shell completion script'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "conformance-inputs" -d 'Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date or a course key. Hidden: not part of the user interface'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "plan" -d 'Write the changes from a file or another store to a plan file, to review and apply'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "apply" -d 'Carry out a plan file, unless what it read has changed since'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "revert" -d 'Restore what audit rows changed to its state before them'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "env" -d 'Named environments of the config file: list them, check each can be reached'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "schedule" -d 'Changes scheduled with --at: list, show, cancel, and run those that are due'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "compare" -d 'Every difference between two stores or files: flags, switches, samples, overrides, experiments'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "promote" -d 'Copy flags, switches, samples and experiments from one store to another'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and not __fish_seen_subcommand_from init flag switch sample user group override experiment bucket variant sql lint srm eval history export import diff doctor stale refs report delete completions conformance-inputs plan apply revert env schedule compare promote help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "list" -d 'List flags'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "show" -d 'Show one flag in full'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "create" -d 'Create a flag (off for everyone until you say otherwise)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "set" -d 'Change only the given options of a flag'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "on" -d 'Turn a flag on for everyone (everyone = true)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "off" -d 'Turn a flag off for everyone (everyone = false)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "unset" -d 'Let the other criteria decide (everyone = unset)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "delete" -d 'Delete flags (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from switch" -f -a "list" -d 'List switches'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from switch" -f -a "show" -d 'Show one switch'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from switch" -f -a "create" -d 'Create a switch (off unless --on)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from switch" -f -a "on" -d 'Turn a switch on'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from switch" -f -a "off" -d 'Turn a switch off'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from switch" -f -a "delete" -d 'Delete switches (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sample" -f -a "list" -d 'List samples'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sample" -f -a "show" -d 'Show one sample'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sample" -f -a "create" -d 'Create a sample with a percent (0–100.0)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sample" -f -a "set" -d 'Change a sample\'s percent'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sample" -f -a "delete" -d 'Delete samples (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List users'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "show" -d 'Show a user: attributes, groups, enrollments'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Add a user (unusable password; for flag and experiment decisions only)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "set" -d 'Change a user\'s attributes or groups (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "delete" -d 'Delete a user and what belongs to it (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "enroll" -d 'Record that a user enrolled in a course (used by experiment enrollment windows)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "unenroll" -d 'Remove a user\'s enrollment in a course'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "list" -d 'List groups with their member counts'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "add" -d 'Add a group'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "delete" -d 'Delete a group (its memberships and flag entries go with it; asks first)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from override" -f -a "list" -d 'List the current overrides (of one flag, or all)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from override" -f -a "set" -d 'Force a flag on or off for one course or organisation'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from override" -f -a "clear" -d 'Remove the override for a course or organisation (appends a disabled row)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "list" -d 'List experiment definitions'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "show" -d 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "create" -d 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "set" -d 'Change an experiment\'s definition (only what is given)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "delete" -d 'Delete an experiment definition (asks first; --yes in scripts)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "whitelist" -d 'Who is forced into which bucket'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "ids" -d 'Every experiment ID in use in the store, and where'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "next-id" -d 'The smallest experiment ID that is free'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "kv" -d 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from experiment" -f -a "data" -d 'Per-user experiment key-values'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sql" -f -a "bucket" -d 'SQL giving each row\'s Open edX bucket, as `bucket --users-file` does'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from sql" -f -a "variant" -d 'SQL giving each row\'s baseplate variant, as `variant --users-file` does'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "list" -d 'The config file\'s environments: store, password source, cache, protection'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "check" -d 'Connect to environments and report backend, schema, identity, counts and cache'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "list" -d 'The scheduled changes, in due order: pending ones, or all with --all'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "show" -d 'One scheduled change: its command, who scheduled it, the changes it was planned to make'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "cancel" -d 'Cancel pending scheduled changes (recorded in the audit log)'
complete -c wafflectl -n "__fish_wafflectl_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "run" -d 'Apply each pending change that is due, once, in due order (for cron and CronJobs)'
