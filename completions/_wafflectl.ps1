
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'wafflectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'wafflectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'wafflectl' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a store, or add wafflectl''s tables to an existing Django database')
            [CompletionResult]::new('flag', 'flag', [CompletionResultType]::ParameterValue, 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...')
            [CompletionResult]::new('switch', 'switch', [CompletionResultType]::ParameterValue, 'Django-waffle switches: simple on/off toggles')
            [CompletionResult]::new('switches', 'switches', [CompletionResultType]::ParameterValue, 'Django-waffle switches: simple on/off toggles')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Django-waffle samples: on for a random percentage of checks')
            [CompletionResult]::new('samples', 'samples', [CompletionResultType]::ParameterValue, 'Django-waffle samples: on for a random percentage of checks')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Users (django.contrib.auth) that flags and experiments refer to')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Users (django.contrib.auth) that flags and experiments refer to')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Groups (django.contrib.auth)')
            [CompletionResult]::new('groups', 'groups', [CompletionResultType]::ParameterValue, 'Groups (django.contrib.auth)')
            [CompletionResult]::new('override', 'override', [CompletionResultType]::ParameterValue, 'Open edX course and organisation overrides of a flag')
            [CompletionResult]::new('overrides', 'overrides', [CompletionResultType]::ParameterValue, 'Open edX course and organisation overrides of a flag')
            [CompletionResult]::new('experiment', 'experiment', [CompletionResultType]::ParameterValue, 'Open edX experiments: numbered buckets, whitelists, key-values, IDs')
            [CompletionResult]::new('experiments', 'experiments', [CompletionResultType]::ParameterValue, 'Open edX experiments: numbered buckets, whitelists, key-values, IDs')
            [CompletionResult]::new('bucket', 'bucket', [CompletionResultType]::ParameterValue, 'Which bucket a user lands in for an experiment, and why')
            [CompletionResult]::new('variant', 'variant', [CompletionResultType]::ParameterValue, 'Which variant a baseplate experiment gives, and why (one input set, or a file of users)')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'SQL giving the same assignment inside a warehouse (DuckDB, PostgreSQL, MariaDB)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check an experiments.json as baseplate reads it (no store needed)')
            [CompletionResult]::new('srm', 'srm', [CompletionResultType]::ParameterValue, 'Sample-ratio mismatch: do observed counts per bucket or variant fit the experiment?')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a switch, sample, flag or experiment step by step')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log: who changed what, newest first')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the store to a file (native JSON or a Django fixture)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply a native file or a Django fixture to the store')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what importing a file would change')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the store for problems')
            [CompletionResult]::new('stale', 'stale', [CompletionResultType]::ParameterValue, 'Toggles that decide the same for everyone and have not changed for N days, and orphans')
            [CompletionResult]::new('refs', 'refs', [CompletionResultType]::ParameterValue, 'Where source code names the store''s toggles, and toggles code declares without a row')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Every toggle from code, annotations and the store: fields, state, places and findings')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('conformance-inputs', 'conformance-inputs', [CompletionResultType]::ParameterValue, 'Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date or a course key. Hidden: not part of the user interface')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Write the changes from a file or another store to a plan file, to review and apply')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Carry out a plan file, unless what it read has changed since')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Restore what audit rows changed to its state before them')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Named environments of the config file: list them, check each can be reached')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Changes scheduled with --at: list, show, cancel, and run those that are due')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Every difference between two stores or files: flags, switches, samples, overrides, experiments')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Copy flags, switches, samples and experiments from one store to another')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;init' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--example', '--example', [CompletionResultType]::ParameterName, 'Also add the Open edX documentation''s example experiment, users and toggles')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one flag in full')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a flag (off for everyone until you say otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change only the given options of a flag')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a flag on for everyone (everyone = true)')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a flag off for everyone (everyone = false)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Let the other criteria decide (everyone = unset)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;flags' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one flag in full')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a flag (off for everyone until you say otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change only the given options of a flag')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a flag on for everyone (everyone = true)')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a flag off for everyone (everyone = false)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Let the other criteria decide (everyone = unset)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;flag;list' {
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Only flags whose name starts with this')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;ls' {
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Only flags whose name starts with this')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;list' {
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Only flags whose name starts with this')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;ls' {
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Only flags whose name starts with this')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;create' {
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'On for everyone, off for everyone, or unset (decide by the other criteria)')
            [CompletionResult]::new('--percent', '--percent', [CompletionResultType]::ParameterName, 'Random percentage of users, 0–99.9 with one decimal, or `unset`')
            [CompletionResult]::new('--languages', '--languages', [CompletionResultType]::ParameterName, 'Comma-separated language codes the flag is on for ('''' clears)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--add-user', '--add-user', [CompletionResultType]::ParameterName, 'Add a user to the flag''s user list (repeatable)')
            [CompletionResult]::new('--remove-user', '--remove-user', [CompletionResultType]::ParameterName, 'Remove a user from the flag''s user list (repeatable)')
            [CompletionResult]::new('--add-group', '--add-group', [CompletionResultType]::ParameterName, 'Add a group to the flag''s group list (repeatable)')
            [CompletionResult]::new('--remove-group', '--remove-group', [CompletionResultType]::ParameterName, 'Remove a group from the flag''s group list (repeatable)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Replace the flag''s user list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Replace the flag''s group list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--deactivate', '--deactivate', [CompletionResultType]::ParameterName, 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'On for staff')
            [CompletionResult]::new('--no-staff', '--no-staff', [CompletionResultType]::ParameterName, 'Not on for staff')
            [CompletionResult]::new('--superusers', '--superusers', [CompletionResultType]::ParameterName, 'On for superusers (off unless asked: the Django default forces every superuser)')
            [CompletionResult]::new('--no-superusers', '--no-superusers', [CompletionResultType]::ParameterName, 'Not on for superusers')
            [CompletionResult]::new('--authenticated', '--authenticated', [CompletionResultType]::ParameterName, 'On for every logged-in user')
            [CompletionResult]::new('--no-authenticated', '--no-authenticated', [CompletionResultType]::ParameterName, 'Not on for every logged-in user')
            [CompletionResult]::new('--testing', '--testing', [CompletionResultType]::ParameterName, 'Testing mode (dwft_ query string, header or cookie)')
            [CompletionResult]::new('--no-testing', '--no-testing', [CompletionResultType]::ParameterName, 'No testing mode')
            [CompletionResult]::new('--rollout', '--rollout', [CompletionResultType]::ParameterName, 'Rollout mode (percent "off" cookies last one session)')
            [CompletionResult]::new('--no-rollout', '--no-rollout', [CompletionResultType]::ParameterName, 'No rollout mode')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;create' {
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'On for everyone, off for everyone, or unset (decide by the other criteria)')
            [CompletionResult]::new('--percent', '--percent', [CompletionResultType]::ParameterName, 'Random percentage of users, 0–99.9 with one decimal, or `unset`')
            [CompletionResult]::new('--languages', '--languages', [CompletionResultType]::ParameterName, 'Comma-separated language codes the flag is on for ('''' clears)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--add-user', '--add-user', [CompletionResultType]::ParameterName, 'Add a user to the flag''s user list (repeatable)')
            [CompletionResult]::new('--remove-user', '--remove-user', [CompletionResultType]::ParameterName, 'Remove a user from the flag''s user list (repeatable)')
            [CompletionResult]::new('--add-group', '--add-group', [CompletionResultType]::ParameterName, 'Add a group to the flag''s group list (repeatable)')
            [CompletionResult]::new('--remove-group', '--remove-group', [CompletionResultType]::ParameterName, 'Remove a group from the flag''s group list (repeatable)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Replace the flag''s user list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Replace the flag''s group list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--deactivate', '--deactivate', [CompletionResultType]::ParameterName, 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'On for staff')
            [CompletionResult]::new('--no-staff', '--no-staff', [CompletionResultType]::ParameterName, 'Not on for staff')
            [CompletionResult]::new('--superusers', '--superusers', [CompletionResultType]::ParameterName, 'On for superusers (off unless asked: the Django default forces every superuser)')
            [CompletionResult]::new('--no-superusers', '--no-superusers', [CompletionResultType]::ParameterName, 'Not on for superusers')
            [CompletionResult]::new('--authenticated', '--authenticated', [CompletionResultType]::ParameterName, 'On for every logged-in user')
            [CompletionResult]::new('--no-authenticated', '--no-authenticated', [CompletionResultType]::ParameterName, 'Not on for every logged-in user')
            [CompletionResult]::new('--testing', '--testing', [CompletionResultType]::ParameterName, 'Testing mode (dwft_ query string, header or cookie)')
            [CompletionResult]::new('--no-testing', '--no-testing', [CompletionResultType]::ParameterName, 'No testing mode')
            [CompletionResult]::new('--rollout', '--rollout', [CompletionResultType]::ParameterName, 'Rollout mode (percent "off" cookies last one session)')
            [CompletionResult]::new('--no-rollout', '--no-rollout', [CompletionResultType]::ParameterName, 'No rollout mode')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;set' {
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'On for everyone, off for everyone, or unset (decide by the other criteria)')
            [CompletionResult]::new('--percent', '--percent', [CompletionResultType]::ParameterName, 'Random percentage of users, 0–99.9 with one decimal, or `unset`')
            [CompletionResult]::new('--languages', '--languages', [CompletionResultType]::ParameterName, 'Comma-separated language codes the flag is on for ('''' clears)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--add-user', '--add-user', [CompletionResultType]::ParameterName, 'Add a user to the flag''s user list (repeatable)')
            [CompletionResult]::new('--remove-user', '--remove-user', [CompletionResultType]::ParameterName, 'Remove a user from the flag''s user list (repeatable)')
            [CompletionResult]::new('--add-group', '--add-group', [CompletionResultType]::ParameterName, 'Add a group to the flag''s group list (repeatable)')
            [CompletionResult]::new('--remove-group', '--remove-group', [CompletionResultType]::ParameterName, 'Remove a group from the flag''s group list (repeatable)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Replace the flag''s user list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Replace the flag''s group list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--deactivate', '--deactivate', [CompletionResultType]::ParameterName, 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'On for staff')
            [CompletionResult]::new('--no-staff', '--no-staff', [CompletionResultType]::ParameterName, 'Not on for staff')
            [CompletionResult]::new('--superusers', '--superusers', [CompletionResultType]::ParameterName, 'On for superusers (off unless asked: the Django default forces every superuser)')
            [CompletionResult]::new('--no-superusers', '--no-superusers', [CompletionResultType]::ParameterName, 'Not on for superusers')
            [CompletionResult]::new('--authenticated', '--authenticated', [CompletionResultType]::ParameterName, 'On for every logged-in user')
            [CompletionResult]::new('--no-authenticated', '--no-authenticated', [CompletionResultType]::ParameterName, 'Not on for every logged-in user')
            [CompletionResult]::new('--testing', '--testing', [CompletionResultType]::ParameterName, 'Testing mode (dwft_ query string, header or cookie)')
            [CompletionResult]::new('--no-testing', '--no-testing', [CompletionResultType]::ParameterName, 'No testing mode')
            [CompletionResult]::new('--rollout', '--rollout', [CompletionResultType]::ParameterName, 'Rollout mode (percent "off" cookies last one session)')
            [CompletionResult]::new('--no-rollout', '--no-rollout', [CompletionResultType]::ParameterName, 'No rollout mode')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the flag if it does not exist')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;set' {
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'On for everyone, off for everyone, or unset (decide by the other criteria)')
            [CompletionResult]::new('--percent', '--percent', [CompletionResultType]::ParameterName, 'Random percentage of users, 0–99.9 with one decimal, or `unset`')
            [CompletionResult]::new('--languages', '--languages', [CompletionResultType]::ParameterName, 'Comma-separated language codes the flag is on for ('''' clears)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--add-user', '--add-user', [CompletionResultType]::ParameterName, 'Add a user to the flag''s user list (repeatable)')
            [CompletionResult]::new('--remove-user', '--remove-user', [CompletionResultType]::ParameterName, 'Remove a user from the flag''s user list (repeatable)')
            [CompletionResult]::new('--add-group', '--add-group', [CompletionResultType]::ParameterName, 'Add a group to the flag''s group list (repeatable)')
            [CompletionResult]::new('--remove-group', '--remove-group', [CompletionResultType]::ParameterName, 'Remove a group from the flag''s group list (repeatable)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Replace the flag''s user list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Replace the flag''s group list with these (comma-separated; '''' empties it)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--deactivate', '--deactivate', [CompletionResultType]::ParameterName, 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'On for staff')
            [CompletionResult]::new('--no-staff', '--no-staff', [CompletionResultType]::ParameterName, 'Not on for staff')
            [CompletionResult]::new('--superusers', '--superusers', [CompletionResultType]::ParameterName, 'On for superusers (off unless asked: the Django default forces every superuser)')
            [CompletionResult]::new('--no-superusers', '--no-superusers', [CompletionResultType]::ParameterName, 'Not on for superusers')
            [CompletionResult]::new('--authenticated', '--authenticated', [CompletionResultType]::ParameterName, 'On for every logged-in user')
            [CompletionResult]::new('--no-authenticated', '--no-authenticated', [CompletionResultType]::ParameterName, 'Not on for every logged-in user')
            [CompletionResult]::new('--testing', '--testing', [CompletionResultType]::ParameterName, 'Testing mode (dwft_ query string, header or cookie)')
            [CompletionResult]::new('--no-testing', '--no-testing', [CompletionResultType]::ParameterName, 'No testing mode')
            [CompletionResult]::new('--rollout', '--rollout', [CompletionResultType]::ParameterName, 'Rollout mode (percent "off" cookies last one session)')
            [CompletionResult]::new('--no-rollout', '--no-rollout', [CompletionResultType]::ParameterName, 'No rollout mode')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the flag if it does not exist')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;on' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;on' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;off' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;off' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;unset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;unset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flags;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;flag;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one flag in full')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a flag (off for everyone until you say otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change only the given options of a flag')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a flag on for everyone (everyone = true)')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a flag off for everyone (everyone = false)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Let the other criteria decide (everyone = unset)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;flag;help;list' {
            break
        }
        'wafflectl;flag;help;show' {
            break
        }
        'wafflectl;flag;help;create' {
            break
        }
        'wafflectl;flag;help;set' {
            break
        }
        'wafflectl;flag;help;on' {
            break
        }
        'wafflectl;flag;help;off' {
            break
        }
        'wafflectl;flag;help;unset' {
            break
        }
        'wafflectl;flag;help;delete' {
            break
        }
        'wafflectl;flag;help;help' {
            break
        }
        'wafflectl;flags;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one flag in full')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a flag (off for everyone until you say otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change only the given options of a flag')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a flag on for everyone (everyone = true)')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a flag off for everyone (everyone = false)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Let the other criteria decide (everyone = unset)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;flags;help;list' {
            break
        }
        'wafflectl;flags;help;show' {
            break
        }
        'wafflectl;flags;help;create' {
            break
        }
        'wafflectl;flags;help;set' {
            break
        }
        'wafflectl;flags;help;on' {
            break
        }
        'wafflectl;flags;help;off' {
            break
        }
        'wafflectl;flags;help;unset' {
            break
        }
        'wafflectl;flags;help;delete' {
            break
        }
        'wafflectl;flags;help;help' {
            break
        }
        'wafflectl;switch' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one switch')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a switch (off unless --on)')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a switch on')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a switch off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;switches' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one switch')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a switch (off unless --on)')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a switch on')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a switch off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;switch;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;create' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--on', '--on', [CompletionResultType]::ParameterName, 'Create it active')
            [CompletionResult]::new('--off', '--off', [CompletionResultType]::ParameterName, 'Create it inactive (the default)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;create' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--on', '--on', [CompletionResultType]::ParameterName, 'Create it active')
            [CompletionResult]::new('--off', '--off', [CompletionResultType]::ParameterName, 'Create it inactive (the default)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;on' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the switch if it does not exist, as `waffle_switch --create`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;on' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the switch if it does not exist, as `waffle_switch --create`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;off' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the switch if it does not exist, as `waffle_switch --create`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;off' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the switch if it does not exist, as `waffle_switch --create`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switches;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;switch;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one switch')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a switch (off unless --on)')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a switch on')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a switch off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;switch;help;list' {
            break
        }
        'wafflectl;switch;help;show' {
            break
        }
        'wafflectl;switch;help;create' {
            break
        }
        'wafflectl;switch;help;on' {
            break
        }
        'wafflectl;switch;help;off' {
            break
        }
        'wafflectl;switch;help;delete' {
            break
        }
        'wafflectl;switch;help;help' {
            break
        }
        'wafflectl;switches;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one switch')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a switch (off unless --on)')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a switch on')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a switch off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;switches;help;list' {
            break
        }
        'wafflectl;switches;help;show' {
            break
        }
        'wafflectl;switches;help;create' {
            break
        }
        'wafflectl;switches;help;on' {
            break
        }
        'wafflectl;switches;help;off' {
            break
        }
        'wafflectl;switches;help;delete' {
            break
        }
        'wafflectl;switches;help;help' {
            break
        }
        'wafflectl;sample' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sample')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a sample with a percent (0–100.0)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a sample''s percent')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;samples' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sample')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a sample with a percent (0–100.0)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a sample''s percent')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;sample;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;create' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;create' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;set' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the sample if it does not exist, as `waffle_sample --create`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;set' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the sample if it does not exist, as `waffle_sample --create`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;samples;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sample;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sample')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a sample with a percent (0–100.0)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a sample''s percent')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;sample;help;list' {
            break
        }
        'wafflectl;sample;help;show' {
            break
        }
        'wafflectl;sample;help;create' {
            break
        }
        'wafflectl;sample;help;set' {
            break
        }
        'wafflectl;sample;help;delete' {
            break
        }
        'wafflectl;sample;help;help' {
            break
        }
        'wafflectl;samples;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sample')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a sample with a percent (0–100.0)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a sample''s percent')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;samples;help;list' {
            break
        }
        'wafflectl;samples;help;show' {
            break
        }
        'wafflectl;samples;help;create' {
            break
        }
        'wafflectl;samples;help;set' {
            break
        }
        'wafflectl;samples;help;delete' {
            break
        }
        'wafflectl;samples;help;help' {
            break
        }
        'wafflectl;user' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user: attributes, groups, enrollments')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (unusable password; for flag and experiment decisions only)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a user''s attributes or groups (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Record that a user enrolled in a course (used by experiment enrollment windows)')
            [CompletionResult]::new('unenroll', 'unenroll', [CompletionResultType]::ParameterValue, 'Remove a user''s enrollment in a course')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;users' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user: attributes, groups, enrollments')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (unusable password; for flag and experiment decisions only)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a user''s attributes or groups (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Record that a user enrolled in a course (used by experiment enrollment windows)')
            [CompletionResult]::new('unenroll', 'unenroll', [CompletionResultType]::ParameterValue, 'Remove a user''s enrollment in a course')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;user;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;add' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'E-mail address')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Put the user in this group (repeatable; the group must exist)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Staff member')
            [CompletionResult]::new('--superuser', '--superuser', [CompletionResultType]::ParameterName, 'Superuser')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Inactive account')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;add' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'E-mail address')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Put the user in this group (repeatable; the group must exist)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Staff member')
            [CompletionResult]::new('--superuser', '--superuser', [CompletionResultType]::ParameterName, 'Superuser')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Inactive account')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;set' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'E-mail address')
            [CompletionResult]::new('--add-group', '--add-group', [CompletionResultType]::ParameterName, 'Add to a group (repeatable)')
            [CompletionResult]::new('--remove-group', '--remove-group', [CompletionResultType]::ParameterName, 'Remove from a group (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Staff member')
            [CompletionResult]::new('--no-staff', '--no-staff', [CompletionResultType]::ParameterName, 'Not a staff member')
            [CompletionResult]::new('--superuser', '--superuser', [CompletionResultType]::ParameterName, 'Superuser')
            [CompletionResult]::new('--no-superuser', '--no-superuser', [CompletionResultType]::ParameterName, 'Not a superuser')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'Active account')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Inactive account')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;set' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'E-mail address')
            [CompletionResult]::new('--add-group', '--add-group', [CompletionResultType]::ParameterName, 'Add to a group (repeatable)')
            [CompletionResult]::new('--remove-group', '--remove-group', [CompletionResultType]::ParameterName, 'Remove from a group (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Staff member')
            [CompletionResult]::new('--no-staff', '--no-staff', [CompletionResultType]::ParameterName, 'Not a staff member')
            [CompletionResult]::new('--superuser', '--superuser', [CompletionResultType]::ParameterName, 'Superuser')
            [CompletionResult]::new('--no-superuser', '--no-superuser', [CompletionResultType]::ParameterName, 'Not a superuser')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'Active account')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Inactive account')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;enroll' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the enrollment was created (default: now)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Enrollment mode')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;enroll' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When the enrollment was created (default: now)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Enrollment mode')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;unenroll' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;users;unenroll' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;user;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user: attributes, groups, enrollments')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (unusable password; for flag and experiment decisions only)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a user''s attributes or groups (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Record that a user enrolled in a course (used by experiment enrollment windows)')
            [CompletionResult]::new('unenroll', 'unenroll', [CompletionResultType]::ParameterValue, 'Remove a user''s enrollment in a course')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;user;help;list' {
            break
        }
        'wafflectl;user;help;show' {
            break
        }
        'wafflectl;user;help;add' {
            break
        }
        'wafflectl;user;help;set' {
            break
        }
        'wafflectl;user;help;delete' {
            break
        }
        'wafflectl;user;help;enroll' {
            break
        }
        'wafflectl;user;help;unenroll' {
            break
        }
        'wafflectl;user;help;help' {
            break
        }
        'wafflectl;users;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user: attributes, groups, enrollments')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (unusable password; for flag and experiment decisions only)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a user''s attributes or groups (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Record that a user enrolled in a course (used by experiment enrollment windows)')
            [CompletionResult]::new('unenroll', 'unenroll', [CompletionResultType]::ParameterValue, 'Remove a user''s enrollment in a course')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;users;help;list' {
            break
        }
        'wafflectl;users;help;show' {
            break
        }
        'wafflectl;users;help;add' {
            break
        }
        'wafflectl;users;help;set' {
            break
        }
        'wafflectl;users;help;delete' {
            break
        }
        'wafflectl;users;help;enroll' {
            break
        }
        'wafflectl;users;help;unenroll' {
            break
        }
        'wafflectl;users;help;help' {
            break
        }
        'wafflectl;group' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;groups' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;group;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;group;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;groups;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;groups;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;group;add' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;groups;add' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;group;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;group;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;groups;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;groups;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;group;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;group;help;list' {
            break
        }
        'wafflectl;group;help;add' {
            break
        }
        'wafflectl;group;help;delete' {
            break
        }
        'wafflectl;group;help;help' {
            break
        }
        'wafflectl;groups;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;groups;help;list' {
            break
        }
        'wafflectl;groups;help;add' {
            break
        }
        'wafflectl;groups;help;delete' {
            break
        }
        'wafflectl;groups;help;help' {
            break
        }
        'wafflectl;override' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Force a flag on or off for one course or organisation')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the override for a course or organisation (appends a disabled row)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;overrides' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Force a flag on or off for one course or organisation')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the override for a course or organisation (appends a disabled row)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;override;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Show every row, including replaced and disabled ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;override;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Show every row, including replaced and disabled ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;overrides;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Show every row, including replaced and disabled ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;overrides;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Show every row, including replaced and disabled ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;override;set' {
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'An organisation (the ORG of course keys)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Why the override exists and when it can go')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to override a flag that does not exist (default: warn)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;overrides;set' {
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'An organisation (the ORG of course keys)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Why the override exists and when it can go')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to override a flag that does not exist (default: warn)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;override;clear' {
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'An organisation (the ORG of course keys)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;overrides;clear' {
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'An organisation (the ORG of course keys)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;override;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Force a flag on or off for one course or organisation')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the override for a course or organisation (appends a disabled row)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;override;help;list' {
            break
        }
        'wafflectl;override;help;set' {
            break
        }
        'wafflectl;override;help;clear' {
            break
        }
        'wafflectl;override;help;help' {
            break
        }
        'wafflectl;overrides;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Force a flag on or off for one course or organisation')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the override for a course or organisation (appends a disabled row)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;overrides;help;list' {
            break
        }
        'wafflectl;overrides;help;set' {
            break
        }
        'wafflectl;overrides;help;clear' {
            break
        }
        'wafflectl;overrides;help;help' {
            break
        }
        'wafflectl;experiment' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define an edX experiment (and its main flag, off), or a baseplate one with --type')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an experiment''s definition (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Who is forced into which bucket')
            [CompletionResult]::new('ids', 'ids', [CompletionResultType]::ParameterValue, 'Every experiment ID in use in the store, and where')
            [CompletionResult]::new('next-id', 'next-id', [CompletionResultType]::ParameterValue, 'The smallest experiment ID that is free')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Per-experiment key-values (enrollment_start, enrollment_end, ...)')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Per-user experiment key-values')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define an edX experiment (and its main flag, off), or a baseplate one with --type')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an experiment''s definition (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Who is forced into which bucket')
            [CompletionResult]::new('ids', 'ids', [CompletionResultType]::ParameterValue, 'Every experiment ID in use in the store, and where')
            [CompletionResult]::new('next-id', 'next-id', [CompletionResultType]::ParameterValue, 'The smallest experiment ID that is free')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Per-experiment key-values (enrollment_start, enrollment_end, ...)')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Per-user experiment key-values')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;create' {
            [CompletionResult]::new('--buckets', '--buckets', [CompletionResultType]::ParameterName, 'Number of buckets (bucket 0 is control). Default 2')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate: any integer, default the smallest free one')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Make a baseplate experiment of this type (without it, create makes an edX experiment)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner (carried into bucketing events). Default on create: the actor')
            [CompletionResult]::new('--variant', '--variant', [CompletionResultType]::ParameterName, 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'End of the window: a date or epoch seconds. Default on create: 30 days after the start')
            [CompletionResult]::new('--global-override', '--global-override', [CompletionResultType]::ParameterName, 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text')
            [CompletionResult]::new('--bucket-val', '--bucket-val', [CompletionResultType]::ParameterName, 'The input that is hashed (default user_id)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'r2/feature_flag: hashing seed (default: the name)')
            [CompletionResult]::new('--bucket-seed', '--bucket-seed', [CompletionResultType]::ParameterName, 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)')
            [CompletionResult]::new('--shuffle-version', '--shuffle-version', [CompletionResultType]::ParameterName, 'Simple types: reshuffle users by changing this (default on create: 0)')
            [CompletionResult]::new('--experiment-version', '--experiment-version', [CompletionResultType]::ParameterName, 'Simple types: experiment version, 1 or more (default on create: 1)')
            [CompletionResult]::new('--num-buckets', '--num-buckets', [CompletionResultType]::ParameterName, 'Simple types: number of buckets (default 1000)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--course-aware', '--course-aware', [CompletionResultType]::ParameterName, 'Hash the course into the bucket (default)')
            [CompletionResult]::new('--no-course-aware', '--no-course-aware', [CompletionResultType]::ParameterName, 'Hash users alike in every course')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Enabled (the default on create)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Disabled: variant() answers None (a simple type still answers its global override)')
            [CompletionResult]::new('--no-global-override', '--no-global-override', [CompletionResultType]::ParameterName, 'Remove the global override')
            [CompletionResult]::new('--log-bucketing', '--log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log bucketing events (the default)')
            [CompletionResult]::new('--no-log-bucketing', '--no-log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log no bucketing events')
            [CompletionResult]::new('--no-target', '--no-target', [CompletionResultType]::ParameterName, 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)')
            [CompletionResult]::new('--no-overrides', '--no-overrides', [CompletionResultType]::ParameterName, 'Remove every override')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;create' {
            [CompletionResult]::new('--buckets', '--buckets', [CompletionResultType]::ParameterName, 'Number of buckets (bucket 0 is control). Default 2')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate: any integer, default the smallest free one')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Make a baseplate experiment of this type (without it, create makes an edX experiment)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner (carried into bucketing events). Default on create: the actor')
            [CompletionResult]::new('--variant', '--variant', [CompletionResultType]::ParameterName, 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'End of the window: a date or epoch seconds. Default on create: 30 days after the start')
            [CompletionResult]::new('--global-override', '--global-override', [CompletionResultType]::ParameterName, 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text')
            [CompletionResult]::new('--bucket-val', '--bucket-val', [CompletionResultType]::ParameterName, 'The input that is hashed (default user_id)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'r2/feature_flag: hashing seed (default: the name)')
            [CompletionResult]::new('--bucket-seed', '--bucket-seed', [CompletionResultType]::ParameterName, 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)')
            [CompletionResult]::new('--shuffle-version', '--shuffle-version', [CompletionResultType]::ParameterName, 'Simple types: reshuffle users by changing this (default on create: 0)')
            [CompletionResult]::new('--experiment-version', '--experiment-version', [CompletionResultType]::ParameterName, 'Simple types: experiment version, 1 or more (default on create: 1)')
            [CompletionResult]::new('--num-buckets', '--num-buckets', [CompletionResultType]::ParameterName, 'Simple types: number of buckets (default 1000)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--course-aware', '--course-aware', [CompletionResultType]::ParameterName, 'Hash the course into the bucket (default)')
            [CompletionResult]::new('--no-course-aware', '--no-course-aware', [CompletionResultType]::ParameterName, 'Hash users alike in every course')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Enabled (the default on create)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Disabled: variant() answers None (a simple type still answers its global override)')
            [CompletionResult]::new('--no-global-override', '--no-global-override', [CompletionResultType]::ParameterName, 'Remove the global override')
            [CompletionResult]::new('--log-bucketing', '--log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log bucketing events (the default)')
            [CompletionResult]::new('--no-log-bucketing', '--no-log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log no bucketing events')
            [CompletionResult]::new('--no-target', '--no-target', [CompletionResultType]::ParameterName, 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)')
            [CompletionResult]::new('--no-overrides', '--no-overrides', [CompletionResultType]::ParameterName, 'Remove every override')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;set' {
            [CompletionResult]::new('--buckets', '--buckets', [CompletionResultType]::ParameterName, 'Number of buckets')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Experiment ID (edX: 0–32767)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Make a baseplate experiment of this type (without it, create makes an edX experiment)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner (carried into bucketing events). Default on create: the actor')
            [CompletionResult]::new('--variant', '--variant', [CompletionResultType]::ParameterName, 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'End of the window: a date or epoch seconds. Default on create: 30 days after the start')
            [CompletionResult]::new('--global-override', '--global-override', [CompletionResultType]::ParameterName, 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text')
            [CompletionResult]::new('--bucket-val', '--bucket-val', [CompletionResultType]::ParameterName, 'The input that is hashed (default user_id)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'r2/feature_flag: hashing seed (default: the name)')
            [CompletionResult]::new('--bucket-seed', '--bucket-seed', [CompletionResultType]::ParameterName, 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)')
            [CompletionResult]::new('--shuffle-version', '--shuffle-version', [CompletionResultType]::ParameterName, 'Simple types: reshuffle users by changing this (default on create: 0)')
            [CompletionResult]::new('--experiment-version', '--experiment-version', [CompletionResultType]::ParameterName, 'Simple types: experiment version, 1 or more (default on create: 1)')
            [CompletionResult]::new('--num-buckets', '--num-buckets', [CompletionResultType]::ParameterName, 'Simple types: number of buckets (default 1000)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--no-id', '--no-id', [CompletionResultType]::ParameterName, 'Remove the experiment ID')
            [CompletionResult]::new('--course-aware', '--course-aware', [CompletionResultType]::ParameterName, 'Hash the course into the bucket')
            [CompletionResult]::new('--no-course-aware', '--no-course-aware', [CompletionResultType]::ParameterName, 'Hash users alike in every course')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Enabled (the default on create)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Disabled: variant() answers None (a simple type still answers its global override)')
            [CompletionResult]::new('--no-global-override', '--no-global-override', [CompletionResultType]::ParameterName, 'Remove the global override')
            [CompletionResult]::new('--log-bucketing', '--log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log bucketing events (the default)')
            [CompletionResult]::new('--no-log-bucketing', '--no-log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log no bucketing events')
            [CompletionResult]::new('--no-target', '--no-target', [CompletionResultType]::ParameterName, 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)')
            [CompletionResult]::new('--no-overrides', '--no-overrides', [CompletionResultType]::ParameterName, 'Remove every override')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;set' {
            [CompletionResult]::new('--buckets', '--buckets', [CompletionResultType]::ParameterName, 'Number of buckets')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Experiment ID (edX: 0–32767)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Free-text note')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Make a baseplate experiment of this type (without it, create makes an edX experiment)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner (carried into bucketing events). Default on create: the actor')
            [CompletionResult]::new('--variant', '--variant', [CompletionResultType]::ParameterName, 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'End of the window: a date or epoch seconds. Default on create: 30 days after the start')
            [CompletionResult]::new('--global-override', '--global-override', [CompletionResultType]::ParameterName, 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text')
            [CompletionResult]::new('--bucket-val', '--bucket-val', [CompletionResultType]::ParameterName, 'The input that is hashed (default user_id)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'r2/feature_flag: hashing seed (default: the name)')
            [CompletionResult]::new('--bucket-seed', '--bucket-seed', [CompletionResultType]::ParameterName, 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)')
            [CompletionResult]::new('--shuffle-version', '--shuffle-version', [CompletionResultType]::ParameterName, 'Simple types: reshuffle users by changing this (default on create: 0)')
            [CompletionResult]::new('--experiment-version', '--experiment-version', [CompletionResultType]::ParameterName, 'Simple types: experiment version, 1 or more (default on create: 1)')
            [CompletionResult]::new('--num-buckets', '--num-buckets', [CompletionResultType]::ParameterName, 'Simple types: number of buckets (default 1000)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--no-id', '--no-id', [CompletionResultType]::ParameterName, 'Remove the experiment ID')
            [CompletionResult]::new('--course-aware', '--course-aware', [CompletionResultType]::ParameterName, 'Hash the course into the bucket')
            [CompletionResult]::new('--no-course-aware', '--no-course-aware', [CompletionResultType]::ParameterName, 'Hash users alike in every course')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Enabled (the default on create)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Disabled: variant() answers None (a simple type still answers its global override)')
            [CompletionResult]::new('--no-global-override', '--no-global-override', [CompletionResultType]::ParameterName, 'Remove the global override')
            [CompletionResult]::new('--log-bucketing', '--log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log bucketing events (the default)')
            [CompletionResult]::new('--no-log-bucketing', '--no-log-bucketing', [CompletionResultType]::ParameterName, 'Simple types: log no bucketing events')
            [CompletionResult]::new('--no-target', '--no-target', [CompletionResultType]::ParameterName, 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)')
            [CompletionResult]::new('--no-overrides', '--no-overrides', [CompletionResultType]::ParameterName, 'Remove every override')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--with-flags', '--with-flags', [CompletionResultType]::ParameterName, 'Also delete the main flag and its NAME.N bucket flags')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--with-flags', '--with-flags', [CompletionResultType]::ParameterName, 'Also delete the main flag and its NAME.N bucket flags')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;delete' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--with-flags', '--with-flags', [CompletionResultType]::ParameterName, 'Also delete the main flag and its NAME.N bucket flags')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--with-flags', '--with-flags', [CompletionResultType]::ParameterName, 'Also delete the main flag and its NAME.N bucket flags')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;whitelist' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;whitelist;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;whitelist;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;whitelist;add' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A user (must exist)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (must exist)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'Everyone in a course (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Everyone in an organisation (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Every staff member')
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'Everyone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;whitelist;remove' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A user (must exist)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (must exist)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'Everyone in a course (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Everyone in an organisation (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Every staff member')
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'Everyone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;whitelist;rm' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A user (must exist)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (must exist)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'Everyone in a course (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Everyone in an organisation (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Every staff member')
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'Everyone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;whitelist;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;whitelist;help;list' {
            break
        }
        'wafflectl;experiment;whitelist;help;add' {
            break
        }
        'wafflectl;experiment;whitelist;help;remove' {
            break
        }
        'wafflectl;experiment;whitelist;help;help' {
            break
        }
        'wafflectl;experiments;whitelist' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;whitelist;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;whitelist;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;whitelist;add' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A user (must exist)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (must exist)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'Everyone in a course (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Everyone in an organisation (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Every staff member')
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'Everyone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;whitelist;remove' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A user (must exist)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (must exist)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'Everyone in a course (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Everyone in an organisation (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Every staff member')
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'Everyone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;whitelist;rm' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A user (must exist)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (must exist)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'Everyone in a course (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Everyone in an organisation (an `on` override of the bucket''s flag)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Every staff member')
            [CompletionResult]::new('--everyone', '--everyone', [CompletionResultType]::ParameterName, 'Everyone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;whitelist;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;whitelist;help;list' {
            break
        }
        'wafflectl;experiments;whitelist;help;add' {
            break
        }
        'wafflectl;experiments;whitelist;help;remove' {
            break
        }
        'wafflectl;experiments;whitelist;help;help' {
            break
        }
        'wafflectl;experiment;ids' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;ids' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;next-id' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;next-id' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;kv' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;kv;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;kv;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;kv;set' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;kv;unset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;kv;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;kv;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;kv;help;list' {
            break
        }
        'wafflectl;experiment;kv;help;set' {
            break
        }
        'wafflectl;experiment;kv;help;unset' {
            break
        }
        'wafflectl;experiment;kv;help;help' {
            break
        }
        'wafflectl;experiments;kv' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;kv;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;kv;ls' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;kv;set' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;kv;unset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;kv;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;kv;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;kv;help;list' {
            break
        }
        'wafflectl;experiments;kv;help;set' {
            break
        }
        'wafflectl;experiments;kv;help;unset' {
            break
        }
        'wafflectl;experiments;kv;help;help' {
            break
        }
        'wafflectl;experiment;data' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;data;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s rows')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;data;ls' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s rows')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;data;set' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;data;unset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;data;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiment;data;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;data;help;list' {
            break
        }
        'wafflectl;experiment;data;help;set' {
            break
        }
        'wafflectl;experiment;data;help;unset' {
            break
        }
        'wafflectl;experiment;data;help;help' {
            break
        }
        'wafflectl;experiments;data' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;data;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s rows')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;data;ls' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s rows')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;data;set' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;data;unset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;data;rm' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;experiments;data;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;data;help;list' {
            break
        }
        'wafflectl;experiments;data;help;set' {
            break
        }
        'wafflectl;experiments;data;help;unset' {
            break
        }
        'wafflectl;experiments;data;help;help' {
            break
        }
        'wafflectl;experiment;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define an edX experiment (and its main flag, off), or a baseplate one with --type')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an experiment''s definition (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Who is forced into which bucket')
            [CompletionResult]::new('ids', 'ids', [CompletionResultType]::ParameterValue, 'Every experiment ID in use in the store, and where')
            [CompletionResult]::new('next-id', 'next-id', [CompletionResultType]::ParameterValue, 'The smallest experiment ID that is free')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Per-experiment key-values (enrollment_start, enrollment_end, ...)')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Per-user experiment key-values')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiment;help;list' {
            break
        }
        'wafflectl;experiment;help;show' {
            break
        }
        'wafflectl;experiment;help;create' {
            break
        }
        'wafflectl;experiment;help;set' {
            break
        }
        'wafflectl;experiment;help;delete' {
            break
        }
        'wafflectl;experiment;help;whitelist' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            break
        }
        'wafflectl;experiment;help;whitelist;list' {
            break
        }
        'wafflectl;experiment;help;whitelist;add' {
            break
        }
        'wafflectl;experiment;help;whitelist;remove' {
            break
        }
        'wafflectl;experiment;help;ids' {
            break
        }
        'wafflectl;experiment;help;next-id' {
            break
        }
        'wafflectl;experiment;help;kv' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            break
        }
        'wafflectl;experiment;help;kv;list' {
            break
        }
        'wafflectl;experiment;help;kv;set' {
            break
        }
        'wafflectl;experiment;help;kv;unset' {
            break
        }
        'wafflectl;experiment;help;data' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            break
        }
        'wafflectl;experiment;help;data;list' {
            break
        }
        'wafflectl;experiment;help;data;set' {
            break
        }
        'wafflectl;experiment;help;data;unset' {
            break
        }
        'wafflectl;experiment;help;help' {
            break
        }
        'wafflectl;experiments;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define an edX experiment (and its main flag, off), or a baseplate one with --type')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an experiment''s definition (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Who is forced into which bucket')
            [CompletionResult]::new('ids', 'ids', [CompletionResultType]::ParameterValue, 'Every experiment ID in use in the store, and where')
            [CompletionResult]::new('next-id', 'next-id', [CompletionResultType]::ParameterValue, 'The smallest experiment ID that is free')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Per-experiment key-values (enrollment_start, enrollment_end, ...)')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Per-user experiment key-values')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;experiments;help;list' {
            break
        }
        'wafflectl;experiments;help;show' {
            break
        }
        'wafflectl;experiments;help;create' {
            break
        }
        'wafflectl;experiments;help;set' {
            break
        }
        'wafflectl;experiments;help;delete' {
            break
        }
        'wafflectl;experiments;help;whitelist' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            break
        }
        'wafflectl;experiments;help;whitelist;list' {
            break
        }
        'wafflectl;experiments;help;whitelist;add' {
            break
        }
        'wafflectl;experiments;help;whitelist;remove' {
            break
        }
        'wafflectl;experiments;help;ids' {
            break
        }
        'wafflectl;experiments;help;next-id' {
            break
        }
        'wafflectl;experiments;help;kv' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            break
        }
        'wafflectl;experiments;help;kv;list' {
            break
        }
        'wafflectl;experiments;help;kv;set' {
            break
        }
        'wafflectl;experiments;help;kv;unset' {
            break
        }
        'wafflectl;experiments;help;data' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            break
        }
        'wafflectl;experiments;help;data;list' {
            break
        }
        'wafflectl;experiments;help;data;set' {
            break
        }
        'wafflectl;experiments;help;data;unset' {
            break
        }
        'wafflectl;experiments;help;help' {
            break
        }
        'wafflectl;bucket' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to check (from the store when it exists there)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'The course the check happens in')
            [CompletionResult]::new('--enrolled-at', '--enrolled-at', [CompletionResultType]::ParameterName, 'When the user enrolled in the course (default: from the store, else not enrolled)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time (default: now)')
            [CompletionResult]::new('--buckets', '--buckets', [CompletionResultType]::ParameterName, 'Number of buckets (replaces the stored definition)')
            [CompletionResult]::new('--experiment-id', '--experiment-id', [CompletionResultType]::ParameterName, 'Experiment ID (replaces the stored definition)')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'The request''s language code (LANGUAGE_CODE; the LMS always sets one)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Treat the user as a member of this group (repeatable)')
            [CompletionResult]::new('--assume-percent', '--assume-percent', [CompletionResultType]::ParameterName, 'Settle a percent-based main flag''s random roll')
            [CompletionResult]::new('--users-file', '--users-file', [CompletionResultType]::ParameterName, 'Bucket every username in FILE (one per line; - for stdin)')
            [CompletionResult]::new('--find', '--find', [CompletionResultType]::ParameterName, 'Generate usernames that land in this bucket (for QA test accounts)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'With --find: how many usernames, 1 to 100000 (default: 1)')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'With --find: start of the generated usernames')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --users-file or --find: worker threads, 1 to 1024 (default: $WAFFLECTL_JOBS, else one per core)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--anonymous', '--anonymous', [CompletionResultType]::ParameterName, 'Check an anonymous (logged-out) visitor')
            [CompletionResult]::new('--course-aware', '--course-aware', [CompletionResultType]::ParameterName, 'Hash the course into the bucket (replaces the stored definition)')
            [CompletionResult]::new('--no-course-aware', '--no-course-aware', [CompletionResultType]::ParameterName, 'Do not hash the course into the bucket (replaces the stored definition)')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Treat the user as staff')
            [CompletionResult]::new('--superuser', '--superuser', [CompletionResultType]::ParameterName, 'Treat the user as a superuser')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'With --users-file: print counts per bucket, a histogram and a uniformity test')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;variant' {
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the experiment from this experiments.json instead of the store (no store needed)')
            [CompletionResult]::new('--users-file', '--users-file', [CompletionResultType]::ParameterName, 'One value of the experiment''s bucket_val per line (- for stdin); writes VALUE<TAB>VARIANT')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --users-file: worker threads, 1 to 1024 (default: $WAFFLECTL_JOBS, else one per core)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--no-event', '--no-event', [CompletionResultType]::ParameterName, 'As with bucketing_event_override=False: never log a bucketing event')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'With --users-file: count and share per variant, and a chi-square test against the sizes')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sql' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('bucket', 'bucket', [CompletionResultType]::ParameterValue, 'SQL giving each row''s Open edX bucket, as `bucket --users-file` does')
            [CompletionResult]::new('variant', 'variant', [CompletionResultType]::ParameterValue, 'SQL giving each row''s baseplate variant, as `variant --users-file` does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;sql;bucket' {
            [CompletionResult]::new('--dialect', '--dialect', [CompletionResultType]::ParameterName, 'The database the SQL is for')
            [CompletionResult]::new('--user-column', '--user-column', [CompletionResultType]::ParameterName, 'The column holding the username')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'The course every row is checked in')
            [CompletionResult]::new('--course-column', '--course-column', [CompletionResultType]::ParameterName, 'The column holding each row''s course key (hashed in by a course-aware experiment)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Decide as of this time (default: now)')
            [CompletionResult]::new('--assume-percent', '--assume-percent', [CompletionResultType]::ParameterName, 'Settle a percent-based flag''s random roll')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sql;variant' {
            [CompletionResult]::new('--dialect', '--dialect', [CompletionResultType]::ParameterName, 'The database the SQL is for')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'The column holding an input (repeatable); the bucketing input defaults to the column of its name')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Decide the window as of this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;sql;help' {
            [CompletionResult]::new('bucket', 'bucket', [CompletionResultType]::ParameterValue, 'SQL giving each row''s Open edX bucket, as `bucket --users-file` does')
            [CompletionResult]::new('variant', 'variant', [CompletionResultType]::ParameterValue, 'SQL giving each row''s baseplate variant, as `variant --users-file` does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;sql;help;bucket' {
            break
        }
        'wafflectl;sql;help;variant' {
            break
        }
        'wafflectl;sql;help;help' {
            break
        }
        'wafflectl;lint' {
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Judge windows at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;srm' {
            [CompletionResult]::new('--observed', '--observed', [CompletionResultType]::ParameterName, 'The observed counts or rows (- for stdin)')
            [CompletionResult]::new('--observed-format', '--observed-format', [CompletionResultType]::ParameterName, 'Read --observed as this format instead of detecting it')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 on this finding')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the observed period (audit-log changes from then on are causes; default: the experiment''s creation)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the observed period (default: now)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;eval' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user (from the store when it exists there)')
            [CompletionResult]::new('--course', '--course', [CompletionResultType]::ParameterName, 'The course the check happens in')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'The request''s language code (LANGUAGE_CODE)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Treat the user as a member of this group (repeatable)')
            [CompletionResult]::new('--enrolled-at', '--enrolled-at', [CompletionResultType]::ParameterName, 'When the user enrolled in the course')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time (default: now)')
            [CompletionResult]::new('--assume-percent', '--assume-percent', [CompletionResultType]::ParameterName, 'Settle a percent roll')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--anonymous', '--anonymous', [CompletionResultType]::ParameterName, 'An anonymous (logged-out) visitor')
            [CompletionResult]::new('--staff', '--staff', [CompletionResultType]::ParameterName, 'Treat the user as staff')
            [CompletionResult]::new('--superuser', '--superuser', [CompletionResultType]::ParameterName, 'Treat the user as a superuser')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;history' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only changes at or after this time (e.g. 2026-11-01, ''2026-11-01 10:00'')')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries (0 = all; at most 1000000000)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;export' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write (- for stdout, the default); a file is replaced atomically, keeping its permissions; a FIFO or device is written into')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write (- for stdout, the default); a file is replaced atomically, keeping its permissions; a FIFO or device is written into')
            [CompletionResult]::new('--indent', '--indent', [CompletionResultType]::ParameterName, 'Django fixtures: indent by N spaces, as dumpdata --indent N (0 = one line, as dumpdata without --indent)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'The written file''s mode, in octal (baseplate: 0644 unless given, as the live-data sidecar writes it)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite FILE even when it is the store itself or another SQLite database')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;import' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete what the file does not contain, in the kinds of object it has (asks first; --yes in scripts)')
            [CompletionResult]::new('--create-only', '--create-only', [CompletionResultType]::ParameterName, 'Create what the store lacks, never change what exists (objects that differ are reported as kept); not with --prune')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;diff' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also show what --prune would delete')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when the file and the store differ (0 when they match), for drift checks in CI')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;doctor' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;stale' {
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Unchanged for at least this many days (0–36500)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Judge as of this time (default: now, or $WAFFLECTL_NOW)')
            [CompletionResult]::new('--refs', '--refs', [CompletionResultType]::ParameterName, 'Also scan these source trees: a removal plan for each stale toggle')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when there is a finding of this kind (repeatable or comma-separated)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;refs' {
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Judge annotation removal dates as of this time (default: now, or $WAFFLECTL_NOW)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when there is a finding of this kind (repeatable or comma-separated)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;report' {
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Judge target removal dates as of this time (default: now, or $WAFFLECTL_NOW)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;delete' {
            [CompletionResult]::new('--flags', '--flags', [CompletionResultType]::ParameterName, 'Flags to delete (comma-separated or repeated)')
            [CompletionResult]::new('--switches', '--switches', [CompletionResultType]::ParameterName, 'Switches to delete (comma-separated or repeated)')
            [CompletionResult]::new('--samples', '--samples', [CompletionResultType]::ParameterName, 'Samples to delete (comma-separated or repeated)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail (exit 1, nothing deleted) when a name does not exist, instead of skipping it')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;conformance-inputs' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;plan' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the plan (- for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the plan (- for stdout)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete what the source does not contain, in the kinds of object it has')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;apply' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;revert' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Do not change now: check the change and schedule it for TIME (''2026-12-24 18:00'', ''tomorrow 09:00'', ''in 2 hours''; UTC), applied by `wafflectl schedule run`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Restore even when a later change touched the same object (that change is undone too)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;env' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The config file''s environments: store, password source, cache, protection')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Connect to environments and report backend, schema, identity, counts and cache')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;env;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;env;check' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;env;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The config file''s environments: store, password source, cache, protection')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Connect to environments and report backend, schema, identity, counts and cache')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;env;help;list' {
            break
        }
        'wafflectl;env;help;check' {
            break
        }
        'wafflectl;env;help;help' {
            break
        }
        'wafflectl;schedule' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The scheduled changes, in due order: pending ones, or all with --all')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One scheduled change: its command, who scheduled it, the changes it was planned to make')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel pending scheduled changes (recorded in the audit log)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Apply each pending change that is due, once, in due order (for cron and CronJobs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;schedule;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also those done, skipped, cancelled or failed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;schedule;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;schedule;cancel' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;schedule;run' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what is due and apply nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;schedule;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The scheduled changes, in due order: pending ones, or all with --all')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One scheduled change: its command, who scheduled it, the changes it was planned to make')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel pending scheduled changes (recorded in the audit log)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Apply each pending change that is due, once, in due order (for cron and CronJobs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;schedule;help;list' {
            break
        }
        'wafflectl;schedule;help;show' {
            break
        }
        'wafflectl;schedule;help;cancel' {
            break
        }
        'wafflectl;schedule;help;run' {
            break
        }
        'wafflectl;schedule;help;help' {
            break
        }
        'wafflectl;compare' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only these kinds of object (repeatable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when A and B differ (0 when they are equal), as diff --exit-code')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;promote' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The source: a database URL, a SQLite store or an exported file')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The target: a database URL or a SQLite store')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: kept in the audit log')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://... (password also from $WAFFLECTL_DB_PASSWORD). Default: $WAFFLECTL_DB, else ./waffle.db')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of read commands')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'After each write, delete the django-waffle keys it made stale from the site''s cache: redis://HOST:PORT/N or memcached://HOST:PORT. Default: $WAFFLECTL_CACHE')
            [CompletionResult]::new('--cache-key-prefix', '--cache-key-prefix', [CompletionResultType]::ParameterName, 'The site''s CACHES KEY_PREFIX (with --cache)')
            [CompletionResult]::new('--cache-version', '--cache-version', [CompletionResultType]::ParameterName, 'The site''s CACHES VERSION (with --cache)')
            [CompletionResult]::new('--waffle-cache-prefix', '--waffle-cache-prefix', [CompletionResultType]::ParameterName, 'The site''s WAFFLE_CACHE_PREFIX (with --cache)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file naming environments. Default: $WAFFLECTL_CONFIG, else ./wafflectl.toml, else wafflectl/config.toml in the user''s config directory')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Work on this environment of the config file (its store, password and cache). Default: $WAFFLECTL_ENV')
            [CompletionResult]::new('--confirm-env', '--confirm-env', [CompletionResultType]::ParameterName, 'With --yes: confirm a write to a protected environment by its name')
            [CompletionResult]::new('--create-only', '--create-only', [CompletionResultType]::ParameterName, 'Create what the target lacks, never change what it has (objects that differ are reported as kept)')
            [CompletionResult]::new('--create-users', '--create-users', [CompletionResultType]::ParameterName, 'Create the users and groups the target lacks: plain active users with an unusable password (never staff or superuser status, names or password hashes)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (same as --format json)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for deletions when there is no terminal)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail where a prompt would be needed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no status lines or warnings, only data and errors')
            [CompletionResult]::new('--no-admin-log', '--no-admin-log', [CompletionResultType]::ParameterName, 'Do not write Django admin history (django_admin_log) entries for changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wafflectl;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a store, or add wafflectl''s tables to an existing Django database')
            [CompletionResult]::new('flag', 'flag', [CompletionResultType]::ParameterValue, 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...')
            [CompletionResult]::new('switch', 'switch', [CompletionResultType]::ParameterValue, 'Django-waffle switches: simple on/off toggles')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Django-waffle samples: on for a random percentage of checks')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Users (django.contrib.auth) that flags and experiments refer to')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Groups (django.contrib.auth)')
            [CompletionResult]::new('override', 'override', [CompletionResultType]::ParameterValue, 'Open edX course and organisation overrides of a flag')
            [CompletionResult]::new('experiment', 'experiment', [CompletionResultType]::ParameterValue, 'Open edX experiments: numbered buckets, whitelists, key-values, IDs')
            [CompletionResult]::new('bucket', 'bucket', [CompletionResultType]::ParameterValue, 'Which bucket a user lands in for an experiment, and why')
            [CompletionResult]::new('variant', 'variant', [CompletionResultType]::ParameterValue, 'Which variant a baseplate experiment gives, and why (one input set, or a file of users)')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'SQL giving the same assignment inside a warehouse (DuckDB, PostgreSQL, MariaDB)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check an experiments.json as baseplate reads it (no store needed)')
            [CompletionResult]::new('srm', 'srm', [CompletionResultType]::ParameterValue, 'Sample-ratio mismatch: do observed counts per bucket or variant fit the experiment?')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a switch, sample, flag or experiment step by step')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log: who changed what, newest first')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the store to a file (native JSON or a Django fixture)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply a native file or a Django fixture to the store')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what importing a file would change')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the store for problems')
            [CompletionResult]::new('stale', 'stale', [CompletionResultType]::ParameterValue, 'Toggles that decide the same for everyone and have not changed for N days, and orphans')
            [CompletionResult]::new('refs', 'refs', [CompletionResultType]::ParameterValue, 'Where source code names the store''s toggles, and toggles code declares without a row')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Every toggle from code, annotations and the store: fields, state, places and findings')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('conformance-inputs', 'conformance-inputs', [CompletionResultType]::ParameterValue, 'Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date or a course key. Hidden: not part of the user interface')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Write the changes from a file or another store to a plan file, to review and apply')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Carry out a plan file, unless what it read has changed since')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Restore what audit rows changed to its state before them')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Named environments of the config file: list them, check each can be reached')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Changes scheduled with --at: list, show, cancel, and run those that are due')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Every difference between two stores or files: flags, switches, samples, overrides, experiments')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Copy flags, switches, samples and experiments from one store to another')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wafflectl;help;init' {
            break
        }
        'wafflectl;help;flag' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List flags')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one flag in full')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a flag (off for everyone until you say otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change only the given options of a flag')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a flag on for everyone (everyone = true)')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a flag off for everyone (everyone = false)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Let the other criteria decide (everyone = unset)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete flags (asks first; --yes in scripts)')
            break
        }
        'wafflectl;help;flag;list' {
            break
        }
        'wafflectl;help;flag;show' {
            break
        }
        'wafflectl;help;flag;create' {
            break
        }
        'wafflectl;help;flag;set' {
            break
        }
        'wafflectl;help;flag;on' {
            break
        }
        'wafflectl;help;flag;off' {
            break
        }
        'wafflectl;help;flag;unset' {
            break
        }
        'wafflectl;help;flag;delete' {
            break
        }
        'wafflectl;help;switch' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List switches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one switch')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a switch (off unless --on)')
            [CompletionResult]::new('on', 'on', [CompletionResultType]::ParameterValue, 'Turn a switch on')
            [CompletionResult]::new('off', 'off', [CompletionResultType]::ParameterValue, 'Turn a switch off')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete switches (asks first; --yes in scripts)')
            break
        }
        'wafflectl;help;switch;list' {
            break
        }
        'wafflectl;help;switch;show' {
            break
        }
        'wafflectl;help;switch;create' {
            break
        }
        'wafflectl;help;switch;on' {
            break
        }
        'wafflectl;help;switch;off' {
            break
        }
        'wafflectl;help;switch;delete' {
            break
        }
        'wafflectl;help;sample' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List samples')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sample')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a sample with a percent (0–100.0)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a sample''s percent')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete samples (asks first; --yes in scripts)')
            break
        }
        'wafflectl;help;sample;list' {
            break
        }
        'wafflectl;help;sample;show' {
            break
        }
        'wafflectl;help;sample;create' {
            break
        }
        'wafflectl;help;sample;set' {
            break
        }
        'wafflectl;help;sample;delete' {
            break
        }
        'wafflectl;help;user' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user: attributes, groups, enrollments')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (unusable password; for flag and experiment decisions only)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a user''s attributes or groups (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and what belongs to it (asks first; --yes in scripts)')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Record that a user enrolled in a course (used by experiment enrollment windows)')
            [CompletionResult]::new('unenroll', 'unenroll', [CompletionResultType]::ParameterValue, 'Remove a user''s enrollment in a course')
            break
        }
        'wafflectl;help;user;list' {
            break
        }
        'wafflectl;help;user;show' {
            break
        }
        'wafflectl;help;user;add' {
            break
        }
        'wafflectl;help;user;set' {
            break
        }
        'wafflectl;help;user;delete' {
            break
        }
        'wafflectl;help;user;enroll' {
            break
        }
        'wafflectl;help;user;unenroll' {
            break
        }
        'wafflectl;help;group' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their member counts')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group (its memberships and flag entries go with it; asks first)')
            break
        }
        'wafflectl;help;group;list' {
            break
        }
        'wafflectl;help;group;add' {
            break
        }
        'wafflectl;help;group;delete' {
            break
        }
        'wafflectl;help;override' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the current overrides (of one flag, or all)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Force a flag on or off for one course or organisation')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the override for a course or organisation (appends a disabled row)')
            break
        }
        'wafflectl;help;override;list' {
            break
        }
        'wafflectl;help;override;set' {
            break
        }
        'wafflectl;help;override;clear' {
            break
        }
        'wafflectl;help;experiment' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiment definitions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define an edX experiment (and its main flag, off), or a baseplate one with --type')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an experiment''s definition (only what is given)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an experiment definition (asks first; --yes in scripts)')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Who is forced into which bucket')
            [CompletionResult]::new('ids', 'ids', [CompletionResultType]::ParameterValue, 'Every experiment ID in use in the store, and where')
            [CompletionResult]::new('next-id', 'next-id', [CompletionResultType]::ParameterValue, 'The smallest experiment ID that is free')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Per-experiment key-values (enrollment_start, enrollment_end, ...)')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Per-user experiment key-values')
            break
        }
        'wafflectl;help;experiment;list' {
            break
        }
        'wafflectl;help;experiment;show' {
            break
        }
        'wafflectl;help;experiment;create' {
            break
        }
        'wafflectl;help;experiment;set' {
            break
        }
        'wafflectl;help;experiment;delete' {
            break
        }
        'wafflectl;help;experiment;whitelist' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Who is forced into each bucket, with warnings about traps')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Force users, a group, staff, everyone, a course or an org into a bucket')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Undo a whitelist entry')
            break
        }
        'wafflectl;help;experiment;whitelist;list' {
            break
        }
        'wafflectl;help;experiment;whitelist;add' {
            break
        }
        'wafflectl;help;experiment;whitelist;remove' {
            break
        }
        'wafflectl;help;experiment;ids' {
            break
        }
        'wafflectl;help;experiment;next-id' {
            break
        }
        'wafflectl;help;experiment;kv' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Key-values of an experiment ID')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a key')
            break
        }
        'wafflectl;help;experiment;kv;list' {
            break
        }
        'wafflectl;help;experiment;kv;set' {
            break
        }
        'wafflectl;help;experiment;kv;unset' {
            break
        }
        'wafflectl;help;experiment;data' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Per-user data, optionally of one experiment ID and/or one user')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a user''s key for an experiment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a user''s key')
            break
        }
        'wafflectl;help;experiment;data;list' {
            break
        }
        'wafflectl;help;experiment;data;set' {
            break
        }
        'wafflectl;help;experiment;data;unset' {
            break
        }
        'wafflectl;help;bucket' {
            break
        }
        'wafflectl;help;variant' {
            break
        }
        'wafflectl;help;sql' {
            [CompletionResult]::new('bucket', 'bucket', [CompletionResultType]::ParameterValue, 'SQL giving each row''s Open edX bucket, as `bucket --users-file` does')
            [CompletionResult]::new('variant', 'variant', [CompletionResultType]::ParameterValue, 'SQL giving each row''s baseplate variant, as `variant --users-file` does')
            break
        }
        'wafflectl;help;sql;bucket' {
            break
        }
        'wafflectl;help;sql;variant' {
            break
        }
        'wafflectl;help;lint' {
            break
        }
        'wafflectl;help;srm' {
            break
        }
        'wafflectl;help;eval' {
            break
        }
        'wafflectl;help;history' {
            break
        }
        'wafflectl;help;export' {
            break
        }
        'wafflectl;help;import' {
            break
        }
        'wafflectl;help;diff' {
            break
        }
        'wafflectl;help;doctor' {
            break
        }
        'wafflectl;help;stale' {
            break
        }
        'wafflectl;help;refs' {
            break
        }
        'wafflectl;help;report' {
            break
        }
        'wafflectl;help;delete' {
            break
        }
        'wafflectl;help;completions' {
            break
        }
        'wafflectl;help;conformance-inputs' {
            break
        }
        'wafflectl;help;plan' {
            break
        }
        'wafflectl;help;apply' {
            break
        }
        'wafflectl;help;revert' {
            break
        }
        'wafflectl;help;env' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The config file''s environments: store, password source, cache, protection')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Connect to environments and report backend, schema, identity, counts and cache')
            break
        }
        'wafflectl;help;env;list' {
            break
        }
        'wafflectl;help;env;check' {
            break
        }
        'wafflectl;help;schedule' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The scheduled changes, in due order: pending ones, or all with --all')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One scheduled change: its command, who scheduled it, the changes it was planned to make')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel pending scheduled changes (recorded in the audit log)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Apply each pending change that is due, once, in due order (for cron and CronJobs)')
            break
        }
        'wafflectl;help;schedule;list' {
            break
        }
        'wafflectl;help;schedule;show' {
            break
        }
        'wafflectl;help;schedule;cancel' {
            break
        }
        'wafflectl;help;schedule;run' {
            break
        }
        'wafflectl;help;compare' {
            break
        }
        'wafflectl;help;promote' {
            break
        }
        'wafflectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
