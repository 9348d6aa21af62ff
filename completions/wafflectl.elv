
use builtin;
use str;

set edit:completion:arg-completer[wafflectl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'wafflectl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'wafflectl'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a store, or add wafflectl''s tables to an existing Django database'
            cand flag 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...'
            cand flags 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...'
            cand switch 'Django-waffle switches: simple on/off toggles'
            cand switches 'Django-waffle switches: simple on/off toggles'
            cand sample 'Django-waffle samples: on for a random percentage of checks'
            cand samples 'Django-waffle samples: on for a random percentage of checks'
            cand user 'Users (django.contrib.auth) that flags and experiments refer to'
            cand users 'Users (django.contrib.auth) that flags and experiments refer to'
            cand group 'Groups (django.contrib.auth)'
            cand groups 'Groups (django.contrib.auth)'
            cand override 'Open edX course and organisation overrides of a flag'
            cand overrides 'Open edX course and organisation overrides of a flag'
            cand experiment 'Open edX experiments: numbered buckets, whitelists, key-values, IDs'
            cand experiments 'Open edX experiments: numbered buckets, whitelists, key-values, IDs'
            cand bucket 'Which bucket a user lands in for an experiment, and why'
            cand variant 'Which variant a baseplate experiment gives, and why (one input set, or a file of users)'
            cand lint 'Check an experiments.json as baseplate reads it (no store needed)'
            cand eval 'Evaluate a switch, sample, flag or experiment step by step'
            cand history 'The audit log: who changed what, newest first'
            cand export 'Write the store to a file (native JSON or a Django fixture)'
            cand import 'Apply a native file or a Django fixture to the store'
            cand diff 'Show what importing a file would change'
            cand doctor 'Check the store for problems'
            cand stale 'Toggles that decide the same for everyone and have not changed for N days, and orphans'
            cand refs 'Where source code names the store''s toggles, and toggles code declares without a row'
            cand delete 'Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)'
            cand completions 'Print a shell completion script'
            cand conformance-inputs 'Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date or a course key. Hidden: not part of the user interface'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;init'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --example 'Also add the Open edX documentation''s example experiment, users and toggles'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List flags'
            cand ls 'List flags'
            cand show 'Show one flag in full'
            cand create 'Create a flag (off for everyone until you say otherwise)'
            cand set 'Change only the given options of a flag'
            cand on 'Turn a flag on for everyone (everyone = true)'
            cand off 'Turn a flag off for everyone (everyone = false)'
            cand unset 'Let the other criteria decide (everyone = unset)'
            cand delete 'Delete flags (asks first; --yes in scripts)'
            cand rm 'Delete flags (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;flags'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List flags'
            cand ls 'List flags'
            cand show 'Show one flag in full'
            cand create 'Create a flag (off for everyone until you say otherwise)'
            cand set 'Change only the given options of a flag'
            cand on 'Turn a flag on for everyone (everyone = true)'
            cand off 'Turn a flag off for everyone (everyone = false)'
            cand unset 'Let the other criteria decide (everyone = unset)'
            cand delete 'Delete flags (asks first; --yes in scripts)'
            cand rm 'Delete flags (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;flag;list'= {
            cand --prefix 'Only flags whose name starts with this'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;ls'= {
            cand --prefix 'Only flags whose name starts with this'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;list'= {
            cand --prefix 'Only flags whose name starts with this'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;ls'= {
            cand --prefix 'Only flags whose name starts with this'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;create'= {
            cand --everyone 'On for everyone, off for everyone, or unset (decide by the other criteria)'
            cand --percent 'Random percentage of users, 0–99.9 with one decimal, or `unset`'
            cand --languages 'Comma-separated language codes the flag is on for ('''' clears)'
            cand --note 'Free-text note'
            cand --add-user 'Add a user to the flag''s user list (repeatable)'
            cand --remove-user 'Remove a user from the flag''s user list (repeatable)'
            cand --add-group 'Add a group to the flag''s group list (repeatable)'
            cand --remove-group 'Remove a group from the flag''s group list (repeatable)'
            cand --users 'Replace the flag''s user list with these (comma-separated; '''' empties it)'
            cand --groups 'Replace the flag''s group list with these (comma-separated; '''' empties it)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --deactivate 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
            cand --staff 'On for staff'
            cand --no-staff 'Not on for staff'
            cand --superusers 'On for superusers (off unless asked: the Django default forces every superuser)'
            cand --no-superusers 'Not on for superusers'
            cand --authenticated 'On for every logged-in user'
            cand --no-authenticated 'Not on for every logged-in user'
            cand --testing 'Testing mode (dwft_ query string, header or cookie)'
            cand --no-testing 'No testing mode'
            cand --rollout 'Rollout mode (percent "off" cookies last one session)'
            cand --no-rollout 'No rollout mode'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;create'= {
            cand --everyone 'On for everyone, off for everyone, or unset (decide by the other criteria)'
            cand --percent 'Random percentage of users, 0–99.9 with one decimal, or `unset`'
            cand --languages 'Comma-separated language codes the flag is on for ('''' clears)'
            cand --note 'Free-text note'
            cand --add-user 'Add a user to the flag''s user list (repeatable)'
            cand --remove-user 'Remove a user from the flag''s user list (repeatable)'
            cand --add-group 'Add a group to the flag''s group list (repeatable)'
            cand --remove-group 'Remove a group from the flag''s group list (repeatable)'
            cand --users 'Replace the flag''s user list with these (comma-separated; '''' empties it)'
            cand --groups 'Replace the flag''s group list with these (comma-separated; '''' empties it)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --deactivate 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
            cand --staff 'On for staff'
            cand --no-staff 'Not on for staff'
            cand --superusers 'On for superusers (off unless asked: the Django default forces every superuser)'
            cand --no-superusers 'Not on for superusers'
            cand --authenticated 'On for every logged-in user'
            cand --no-authenticated 'Not on for every logged-in user'
            cand --testing 'Testing mode (dwft_ query string, header or cookie)'
            cand --no-testing 'No testing mode'
            cand --rollout 'Rollout mode (percent "off" cookies last one session)'
            cand --no-rollout 'No rollout mode'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;set'= {
            cand --everyone 'On for everyone, off for everyone, or unset (decide by the other criteria)'
            cand --percent 'Random percentage of users, 0–99.9 with one decimal, or `unset`'
            cand --languages 'Comma-separated language codes the flag is on for ('''' clears)'
            cand --note 'Free-text note'
            cand --add-user 'Add a user to the flag''s user list (repeatable)'
            cand --remove-user 'Remove a user from the flag''s user list (repeatable)'
            cand --add-group 'Add a group to the flag''s group list (repeatable)'
            cand --remove-group 'Remove a group from the flag''s group list (repeatable)'
            cand --users 'Replace the flag''s user list with these (comma-separated; '''' empties it)'
            cand --groups 'Replace the flag''s group list with these (comma-separated; '''' empties it)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --deactivate 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
            cand --staff 'On for staff'
            cand --no-staff 'Not on for staff'
            cand --superusers 'On for superusers (off unless asked: the Django default forces every superuser)'
            cand --no-superusers 'Not on for superusers'
            cand --authenticated 'On for every logged-in user'
            cand --no-authenticated 'Not on for every logged-in user'
            cand --testing 'Testing mode (dwft_ query string, header or cookie)'
            cand --no-testing 'No testing mode'
            cand --rollout 'Rollout mode (percent "off" cookies last one session)'
            cand --no-rollout 'No rollout mode'
            cand --create 'Create the flag if it does not exist'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;set'= {
            cand --everyone 'On for everyone, off for everyone, or unset (decide by the other criteria)'
            cand --percent 'Random percentage of users, 0–99.9 with one decimal, or `unset`'
            cand --languages 'Comma-separated language codes the flag is on for ('''' clears)'
            cand --note 'Free-text note'
            cand --add-user 'Add a user to the flag''s user list (repeatable)'
            cand --remove-user 'Remove a user from the flag''s user list (repeatable)'
            cand --add-group 'Add a group to the flag''s group list (repeatable)'
            cand --remove-group 'Remove a group from the flag''s group list (repeatable)'
            cand --users 'Replace the flag''s user list with these (comma-separated; '''' empties it)'
            cand --groups 'Replace the flag''s group list with these (comma-separated; '''' empties it)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --deactivate 'Off for everyone, as `manage.py waffle_flag --deactivate` (same as --everyone off)'
            cand --staff 'On for staff'
            cand --no-staff 'Not on for staff'
            cand --superusers 'On for superusers (off unless asked: the Django default forces every superuser)'
            cand --no-superusers 'Not on for superusers'
            cand --authenticated 'On for every logged-in user'
            cand --no-authenticated 'Not on for every logged-in user'
            cand --testing 'Testing mode (dwft_ query string, header or cookie)'
            cand --no-testing 'No testing mode'
            cand --rollout 'Rollout mode (percent "off" cookies last one session)'
            cand --no-rollout 'No rollout mode'
            cand --create 'Create the flag if it does not exist'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;on'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;on'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;off'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;off'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;unset'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;unset'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flags;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;flag;help'= {
            cand list 'List flags'
            cand show 'Show one flag in full'
            cand create 'Create a flag (off for everyone until you say otherwise)'
            cand set 'Change only the given options of a flag'
            cand on 'Turn a flag on for everyone (everyone = true)'
            cand off 'Turn a flag off for everyone (everyone = false)'
            cand unset 'Let the other criteria decide (everyone = unset)'
            cand delete 'Delete flags (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;flag;help;list'= {
        }
        &'wafflectl;flag;help;show'= {
        }
        &'wafflectl;flag;help;create'= {
        }
        &'wafflectl;flag;help;set'= {
        }
        &'wafflectl;flag;help;on'= {
        }
        &'wafflectl;flag;help;off'= {
        }
        &'wafflectl;flag;help;unset'= {
        }
        &'wafflectl;flag;help;delete'= {
        }
        &'wafflectl;flag;help;help'= {
        }
        &'wafflectl;flags;help'= {
            cand list 'List flags'
            cand show 'Show one flag in full'
            cand create 'Create a flag (off for everyone until you say otherwise)'
            cand set 'Change only the given options of a flag'
            cand on 'Turn a flag on for everyone (everyone = true)'
            cand off 'Turn a flag off for everyone (everyone = false)'
            cand unset 'Let the other criteria decide (everyone = unset)'
            cand delete 'Delete flags (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;flags;help;list'= {
        }
        &'wafflectl;flags;help;show'= {
        }
        &'wafflectl;flags;help;create'= {
        }
        &'wafflectl;flags;help;set'= {
        }
        &'wafflectl;flags;help;on'= {
        }
        &'wafflectl;flags;help;off'= {
        }
        &'wafflectl;flags;help;unset'= {
        }
        &'wafflectl;flags;help;delete'= {
        }
        &'wafflectl;flags;help;help'= {
        }
        &'wafflectl;switch'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List switches'
            cand ls 'List switches'
            cand show 'Show one switch'
            cand create 'Create a switch (off unless --on)'
            cand on 'Turn a switch on'
            cand off 'Turn a switch off'
            cand delete 'Delete switches (asks first; --yes in scripts)'
            cand rm 'Delete switches (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;switches'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List switches'
            cand ls 'List switches'
            cand show 'Show one switch'
            cand create 'Create a switch (off unless --on)'
            cand on 'Turn a switch on'
            cand off 'Turn a switch off'
            cand delete 'Delete switches (asks first; --yes in scripts)'
            cand rm 'Delete switches (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;switch;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;create'= {
            cand --note 'Free-text note'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --on 'Create it active'
            cand --off 'Create it inactive (the default)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;create'= {
            cand --note 'Free-text note'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --on 'Create it active'
            cand --off 'Create it inactive (the default)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;on'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --create 'Create the switch if it does not exist, as `waffle_switch --create`'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;on'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --create 'Create the switch if it does not exist, as `waffle_switch --create`'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;off'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --create 'Create the switch if it does not exist, as `waffle_switch --create`'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;off'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --create 'Create the switch if it does not exist, as `waffle_switch --create`'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switches;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;switch;help'= {
            cand list 'List switches'
            cand show 'Show one switch'
            cand create 'Create a switch (off unless --on)'
            cand on 'Turn a switch on'
            cand off 'Turn a switch off'
            cand delete 'Delete switches (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;switch;help;list'= {
        }
        &'wafflectl;switch;help;show'= {
        }
        &'wafflectl;switch;help;create'= {
        }
        &'wafflectl;switch;help;on'= {
        }
        &'wafflectl;switch;help;off'= {
        }
        &'wafflectl;switch;help;delete'= {
        }
        &'wafflectl;switch;help;help'= {
        }
        &'wafflectl;switches;help'= {
            cand list 'List switches'
            cand show 'Show one switch'
            cand create 'Create a switch (off unless --on)'
            cand on 'Turn a switch on'
            cand off 'Turn a switch off'
            cand delete 'Delete switches (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;switches;help;list'= {
        }
        &'wafflectl;switches;help;show'= {
        }
        &'wafflectl;switches;help;create'= {
        }
        &'wafflectl;switches;help;on'= {
        }
        &'wafflectl;switches;help;off'= {
        }
        &'wafflectl;switches;help;delete'= {
        }
        &'wafflectl;switches;help;help'= {
        }
        &'wafflectl;sample'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List samples'
            cand ls 'List samples'
            cand show 'Show one sample'
            cand create 'Create a sample with a percent (0–100.0)'
            cand set 'Change a sample''s percent'
            cand delete 'Delete samples (asks first; --yes in scripts)'
            cand rm 'Delete samples (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;samples'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List samples'
            cand ls 'List samples'
            cand show 'Show one sample'
            cand create 'Create a sample with a percent (0–100.0)'
            cand set 'Change a sample''s percent'
            cand delete 'Delete samples (asks first; --yes in scripts)'
            cand rm 'Delete samples (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;sample;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;create'= {
            cand --note 'Free-text note'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;create'= {
            cand --note 'Free-text note'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;set'= {
            cand --note 'Free-text note'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --create 'Create the sample if it does not exist, as `waffle_sample --create`'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;set'= {
            cand --note 'Free-text note'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --create 'Create the sample if it does not exist, as `waffle_sample --create`'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;samples;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;sample;help'= {
            cand list 'List samples'
            cand show 'Show one sample'
            cand create 'Create a sample with a percent (0–100.0)'
            cand set 'Change a sample''s percent'
            cand delete 'Delete samples (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;sample;help;list'= {
        }
        &'wafflectl;sample;help;show'= {
        }
        &'wafflectl;sample;help;create'= {
        }
        &'wafflectl;sample;help;set'= {
        }
        &'wafflectl;sample;help;delete'= {
        }
        &'wafflectl;sample;help;help'= {
        }
        &'wafflectl;samples;help'= {
            cand list 'List samples'
            cand show 'Show one sample'
            cand create 'Create a sample with a percent (0–100.0)'
            cand set 'Change a sample''s percent'
            cand delete 'Delete samples (asks first; --yes in scripts)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;samples;help;list'= {
        }
        &'wafflectl;samples;help;show'= {
        }
        &'wafflectl;samples;help;create'= {
        }
        &'wafflectl;samples;help;set'= {
        }
        &'wafflectl;samples;help;delete'= {
        }
        &'wafflectl;samples;help;help'= {
        }
        &'wafflectl;user'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List users'
            cand ls 'List users'
            cand show 'Show a user: attributes, groups, enrollments'
            cand add 'Add a user (unusable password; for flag and experiment decisions only)'
            cand set 'Change a user''s attributes or groups (only what is given)'
            cand delete 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand rm 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand enroll 'Record that a user enrolled in a course (used by experiment enrollment windows)'
            cand unenroll 'Remove a user''s enrollment in a course'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;users'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List users'
            cand ls 'List users'
            cand show 'Show a user: attributes, groups, enrollments'
            cand add 'Add a user (unusable password; for flag and experiment decisions only)'
            cand set 'Change a user''s attributes or groups (only what is given)'
            cand delete 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand rm 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand enroll 'Record that a user enrolled in a course (used by experiment enrollment windows)'
            cand unenroll 'Remove a user''s enrollment in a course'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;user;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;add'= {
            cand --email 'E-mail address'
            cand --group 'Put the user in this group (repeatable; the group must exist)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Staff member'
            cand --superuser 'Superuser'
            cand --inactive 'Inactive account'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;add'= {
            cand --email 'E-mail address'
            cand --group 'Put the user in this group (repeatable; the group must exist)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Staff member'
            cand --superuser 'Superuser'
            cand --inactive 'Inactive account'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;set'= {
            cand --email 'E-mail address'
            cand --add-group 'Add to a group (repeatable)'
            cand --remove-group 'Remove from a group (repeatable)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Staff member'
            cand --no-staff 'Not a staff member'
            cand --superuser 'Superuser'
            cand --no-superuser 'Not a superuser'
            cand --active 'Active account'
            cand --inactive 'Inactive account'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;set'= {
            cand --email 'E-mail address'
            cand --add-group 'Add to a group (repeatable)'
            cand --remove-group 'Remove from a group (repeatable)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Staff member'
            cand --no-staff 'Not a staff member'
            cand --superuser 'Superuser'
            cand --no-superuser 'Not a superuser'
            cand --active 'Active account'
            cand --inactive 'Inactive account'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;enroll'= {
            cand --at 'When the enrollment was created (default: now)'
            cand --mode 'Enrollment mode'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;enroll'= {
            cand --at 'When the enrollment was created (default: now)'
            cand --mode 'Enrollment mode'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;unenroll'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;users;unenroll'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;user;help'= {
            cand list 'List users'
            cand show 'Show a user: attributes, groups, enrollments'
            cand add 'Add a user (unusable password; for flag and experiment decisions only)'
            cand set 'Change a user''s attributes or groups (only what is given)'
            cand delete 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand enroll 'Record that a user enrolled in a course (used by experiment enrollment windows)'
            cand unenroll 'Remove a user''s enrollment in a course'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;user;help;list'= {
        }
        &'wafflectl;user;help;show'= {
        }
        &'wafflectl;user;help;add'= {
        }
        &'wafflectl;user;help;set'= {
        }
        &'wafflectl;user;help;delete'= {
        }
        &'wafflectl;user;help;enroll'= {
        }
        &'wafflectl;user;help;unenroll'= {
        }
        &'wafflectl;user;help;help'= {
        }
        &'wafflectl;users;help'= {
            cand list 'List users'
            cand show 'Show a user: attributes, groups, enrollments'
            cand add 'Add a user (unusable password; for flag and experiment decisions only)'
            cand set 'Change a user''s attributes or groups (only what is given)'
            cand delete 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand enroll 'Record that a user enrolled in a course (used by experiment enrollment windows)'
            cand unenroll 'Remove a user''s enrollment in a course'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;users;help;list'= {
        }
        &'wafflectl;users;help;show'= {
        }
        &'wafflectl;users;help;add'= {
        }
        &'wafflectl;users;help;set'= {
        }
        &'wafflectl;users;help;delete'= {
        }
        &'wafflectl;users;help;enroll'= {
        }
        &'wafflectl;users;help;unenroll'= {
        }
        &'wafflectl;users;help;help'= {
        }
        &'wafflectl;group'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List groups with their member counts'
            cand ls 'List groups with their member counts'
            cand add 'Add a group'
            cand delete 'Delete a group (its memberships and flag entries go with it; asks first)'
            cand rm 'Delete a group (its memberships and flag entries go with it; asks first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;groups'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List groups with their member counts'
            cand ls 'List groups with their member counts'
            cand add 'Add a group'
            cand delete 'Delete a group (its memberships and flag entries go with it; asks first)'
            cand rm 'Delete a group (its memberships and flag entries go with it; asks first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;group;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;group;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;groups;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;groups;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;group;add'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;groups;add'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;group;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;group;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;groups;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;groups;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;group;help'= {
            cand list 'List groups with their member counts'
            cand add 'Add a group'
            cand delete 'Delete a group (its memberships and flag entries go with it; asks first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;group;help;list'= {
        }
        &'wafflectl;group;help;add'= {
        }
        &'wafflectl;group;help;delete'= {
        }
        &'wafflectl;group;help;help'= {
        }
        &'wafflectl;groups;help'= {
            cand list 'List groups with their member counts'
            cand add 'Add a group'
            cand delete 'Delete a group (its memberships and flag entries go with it; asks first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;groups;help;list'= {
        }
        &'wafflectl;groups;help;add'= {
        }
        &'wafflectl;groups;help;delete'= {
        }
        &'wafflectl;groups;help;help'= {
        }
        &'wafflectl;override'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the current overrides (of one flag, or all)'
            cand ls 'List the current overrides (of one flag, or all)'
            cand set 'Force a flag on or off for one course or organisation'
            cand clear 'Remove the override for a course or organisation (appends a disabled row)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;overrides'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the current overrides (of one flag, or all)'
            cand ls 'List the current overrides (of one flag, or all)'
            cand set 'Force a flag on or off for one course or organisation'
            cand clear 'Remove the override for a course or organisation (appends a disabled row)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;override;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --history 'Show every row, including replaced and disabled ones'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;override;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --history 'Show every row, including replaced and disabled ones'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;overrides;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --history 'Show every row, including replaced and disabled ones'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;overrides;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --history 'Show every row, including replaced and disabled ones'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;override;set'= {
            cand --course 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN'
            cand --org 'An organisation (the ORG of course keys)'
            cand --note 'Why the override exists and when it can go'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --strict 'Refuse to override a flag that does not exist (default: warn)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;overrides;set'= {
            cand --course 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN'
            cand --org 'An organisation (the ORG of course keys)'
            cand --note 'Why the override exists and when it can go'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --strict 'Refuse to override a flag that does not exist (default: warn)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;override;clear'= {
            cand --course 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN'
            cand --org 'An organisation (the ORG of course keys)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;overrides;clear'= {
            cand --course 'A course key: course-v1:ORG+COURSE+RUN or ORG/COURSE/RUN'
            cand --org 'An organisation (the ORG of course keys)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;override;help'= {
            cand list 'List the current overrides (of one flag, or all)'
            cand set 'Force a flag on or off for one course or organisation'
            cand clear 'Remove the override for a course or organisation (appends a disabled row)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;override;help;list'= {
        }
        &'wafflectl;override;help;set'= {
        }
        &'wafflectl;override;help;clear'= {
        }
        &'wafflectl;override;help;help'= {
        }
        &'wafflectl;overrides;help'= {
            cand list 'List the current overrides (of one flag, or all)'
            cand set 'Force a flag on or off for one course or organisation'
            cand clear 'Remove the override for a course or organisation (appends a disabled row)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;overrides;help;list'= {
        }
        &'wafflectl;overrides;help;set'= {
        }
        &'wafflectl;overrides;help;clear'= {
        }
        &'wafflectl;overrides;help;help'= {
        }
        &'wafflectl;experiment'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List experiment definitions'
            cand ls 'List experiment definitions'
            cand show 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
            cand create 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
            cand set 'Change an experiment''s definition (only what is given)'
            cand delete 'Delete an experiment definition (asks first; --yes in scripts)'
            cand rm 'Delete an experiment definition (asks first; --yes in scripts)'
            cand whitelist 'Who is forced into which bucket'
            cand ids 'Every experiment ID in use in the store, and where'
            cand next-id 'The smallest experiment ID that is free'
            cand kv 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
            cand data 'Per-user experiment key-values'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List experiment definitions'
            cand ls 'List experiment definitions'
            cand show 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
            cand create 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
            cand set 'Change an experiment''s definition (only what is given)'
            cand delete 'Delete an experiment definition (asks first; --yes in scripts)'
            cand rm 'Delete an experiment definition (asks first; --yes in scripts)'
            cand whitelist 'Who is forced into which bucket'
            cand ids 'Every experiment ID in use in the store, and where'
            cand next-id 'The smallest experiment ID that is free'
            cand kv 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
            cand data 'Per-user experiment key-values'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;show'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;create'= {
            cand --buckets 'Number of buckets (bucket 0 is control). Default 2'
            cand --id 'Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate: any integer, default the smallest free one'
            cand --note 'Free-text note'
            cand --type 'Make a baseplate experiment of this type (without it, create makes an edX experiment)'
            cand --owner 'Owner (carried into bucketing events). Default on create: the actor'
            cand --variant 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all'
            cand --start 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now'
            cand --stop 'End of the window: a date or epoch seconds. Default on create: 30 days after the start'
            cand --global-override 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text'
            cand --bucket-val 'The input that is hashed (default user_id)'
            cand --seed 'r2/feature_flag: hashing seed (default: the name)'
            cand --bucket-seed 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)'
            cand --shuffle-version 'Simple types: reshuffle users by changing this (default on create: 0)'
            cand --experiment-version 'Simple types: experiment version, 1 or more (default on create: 1)'
            cand --num-buckets 'Simple types: number of buckets (default 1000)'
            cand --newer-than 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)'
            cand --target 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting'
            cand --override 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --course-aware 'Hash the course into the bucket (default)'
            cand --no-course-aware 'Hash users alike in every course'
            cand --enabled 'Enabled (the default on create)'
            cand --disabled 'Disabled: variant() answers None (a simple type still answers its global override)'
            cand --no-global-override 'Remove the global override'
            cand --log-bucketing 'Simple types: log bucketing events (the default)'
            cand --no-log-bucketing 'Simple types: log no bucketing events'
            cand --no-target 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
            cand --no-overrides 'Remove every override'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;create'= {
            cand --buckets 'Number of buckets (bucket 0 is control). Default 2'
            cand --id 'Experiment ID: edX 0–32767 (used by key-values such as enrollment_start); baseplate: any integer, default the smallest free one'
            cand --note 'Free-text note'
            cand --type 'Make a baseplate experiment of this type (without it, create makes an edX experiment)'
            cand --owner 'Owner (carried into bucketing events). Default on create: the actor'
            cand --variant 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all'
            cand --start 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now'
            cand --stop 'End of the window: a date or epoch seconds. Default on create: 30 days after the start'
            cand --global-override 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text'
            cand --bucket-val 'The input that is hashed (default user_id)'
            cand --seed 'r2/feature_flag: hashing seed (default: the name)'
            cand --bucket-seed 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)'
            cand --shuffle-version 'Simple types: reshuffle users by changing this (default on create: 0)'
            cand --experiment-version 'Simple types: experiment version, 1 or more (default on create: 1)'
            cand --num-buckets 'Simple types: number of buckets (default 1000)'
            cand --newer-than 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)'
            cand --target 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting'
            cand --override 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --course-aware 'Hash the course into the bucket (default)'
            cand --no-course-aware 'Hash users alike in every course'
            cand --enabled 'Enabled (the default on create)'
            cand --disabled 'Disabled: variant() answers None (a simple type still answers its global override)'
            cand --no-global-override 'Remove the global override'
            cand --log-bucketing 'Simple types: log bucketing events (the default)'
            cand --no-log-bucketing 'Simple types: log no bucketing events'
            cand --no-target 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
            cand --no-overrides 'Remove every override'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;set'= {
            cand --buckets 'Number of buckets'
            cand --id 'Experiment ID (edX: 0–32767)'
            cand --note 'Free-text note'
            cand --type 'Make a baseplate experiment of this type (without it, create makes an edX experiment)'
            cand --owner 'Owner (carried into bucketing events). Default on create: the actor'
            cand --variant 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all'
            cand --start 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now'
            cand --stop 'End of the window: a date or epoch seconds. Default on create: 30 days after the start'
            cand --global-override 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text'
            cand --bucket-val 'The input that is hashed (default user_id)'
            cand --seed 'r2/feature_flag: hashing seed (default: the name)'
            cand --bucket-seed 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)'
            cand --shuffle-version 'Simple types: reshuffle users by changing this (default on create: 0)'
            cand --experiment-version 'Simple types: experiment version, 1 or more (default on create: 1)'
            cand --num-buckets 'Simple types: number of buckets (default 1000)'
            cand --newer-than 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)'
            cand --target 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting'
            cand --override 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --no-id 'Remove the experiment ID'
            cand --course-aware 'Hash the course into the bucket'
            cand --no-course-aware 'Hash users alike in every course'
            cand --enabled 'Enabled (the default on create)'
            cand --disabled 'Disabled: variant() answers None (a simple type still answers its global override)'
            cand --no-global-override 'Remove the global override'
            cand --log-bucketing 'Simple types: log bucketing events (the default)'
            cand --no-log-bucketing 'Simple types: log no bucketing events'
            cand --no-target 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
            cand --no-overrides 'Remove every override'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;set'= {
            cand --buckets 'Number of buckets'
            cand --id 'Experiment ID (edX: 0–32767)'
            cand --note 'Free-text note'
            cand --type 'Make a baseplate experiment of this type (without it, create makes an edX experiment)'
            cand --owner 'Owner (carried into bucketing events). Default on create: the actor'
            cand --variant 'A variant, repeatable, in order: NAME=SIZE (a fraction 0–1 for the simple types, a percentage 0–100 for r2/feature_flag) or NAME=START..END (range_variant). Replaces all'
            cand --start 'Start of the window: a date (''2026-12-01'', ''2026-12-01 10:00Z'') or epoch seconds. Default on create: now'
            cand --stop 'End of the window: a date or epoch seconds. Default on create: 30 days after the start'
            cand --global-override 'Answer this for everyone: JSON (e.g. ''"treat"'', null) or plain text'
            cand --bucket-val 'The input that is hashed (default user_id)'
            cand --seed 'r2/feature_flag: hashing seed (default: the name)'
            cand --bucket-seed 'Simple types: hashing seed (default: ID.NAME.SHUFFLE_VERSION)'
            cand --shuffle-version 'Simple types: reshuffle users by changing this (default on create: 0)'
            cand --experiment-version 'Simple types: experiment version, 1 or more (default on create: 1)'
            cand --num-buckets 'Simple types: number of buckets (default 1000)'
            cand --newer-than 'r2/feature_flag: logged-in users only if created after this time (date or epoch seconds)'
            cand --target 'Targeting: a JSON tree for the simple types (''{"EQ":{"field":"country","values":["US"]}}''); PARAM=V1,V2 (repeatable) or a JSON object for r2/feature_flag. Replaces the targeting'
            cand --override 'An override, repeatable, in order: VARIANT=JSON-TREE for the simple types; PARAM:VALUE=VARIANT for r2/feature_flag. Replaces the overrides'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --no-id 'Remove the experiment ID'
            cand --course-aware 'Hash the course into the bucket'
            cand --no-course-aware 'Hash users alike in every course'
            cand --enabled 'Enabled (the default on create)'
            cand --disabled 'Disabled: variant() answers None (a simple type still answers its global override)'
            cand --no-global-override 'Remove the global override'
            cand --log-bucketing 'Simple types: log bucketing events (the default)'
            cand --no-log-bucketing 'Simple types: log no bucketing events'
            cand --no-target 'Remove the targeting (simple types then target everyone; r2/feature_flag no one)'
            cand --no-overrides 'Remove every override'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --with-flags 'Also delete the main flag and its NAME.N bucket flags'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --with-flags 'Also delete the main flag and its NAME.N bucket flags'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;delete'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --with-flags 'Also delete the main flag and its NAME.N bucket flags'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --with-flags 'Also delete the main flag and its NAME.N bucket flags'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;whitelist'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand ls 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
            cand rm 'Undo a whitelist entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;whitelist;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;whitelist;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;whitelist;add'= {
            cand --user 'A user (must exist)'
            cand --group 'A group (must exist)'
            cand --course 'Everyone in a course (an `on` override of the bucket''s flag)'
            cand --org 'Everyone in an organisation (an `on` override of the bucket''s flag)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Every staff member'
            cand --everyone 'Everyone'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;whitelist;remove'= {
            cand --user 'A user (must exist)'
            cand --group 'A group (must exist)'
            cand --course 'Everyone in a course (an `on` override of the bucket''s flag)'
            cand --org 'Everyone in an organisation (an `on` override of the bucket''s flag)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Every staff member'
            cand --everyone 'Everyone'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;whitelist;rm'= {
            cand --user 'A user (must exist)'
            cand --group 'A group (must exist)'
            cand --course 'Everyone in a course (an `on` override of the bucket''s flag)'
            cand --org 'Everyone in an organisation (an `on` override of the bucket''s flag)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Every staff member'
            cand --everyone 'Everyone'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;whitelist;help'= {
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;whitelist;help;list'= {
        }
        &'wafflectl;experiment;whitelist;help;add'= {
        }
        &'wafflectl;experiment;whitelist;help;remove'= {
        }
        &'wafflectl;experiment;whitelist;help;help'= {
        }
        &'wafflectl;experiments;whitelist'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand ls 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
            cand rm 'Undo a whitelist entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;whitelist;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;whitelist;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;whitelist;add'= {
            cand --user 'A user (must exist)'
            cand --group 'A group (must exist)'
            cand --course 'Everyone in a course (an `on` override of the bucket''s flag)'
            cand --org 'Everyone in an organisation (an `on` override of the bucket''s flag)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Every staff member'
            cand --everyone 'Everyone'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;whitelist;remove'= {
            cand --user 'A user (must exist)'
            cand --group 'A group (must exist)'
            cand --course 'Everyone in a course (an `on` override of the bucket''s flag)'
            cand --org 'Everyone in an organisation (an `on` override of the bucket''s flag)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Every staff member'
            cand --everyone 'Everyone'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;whitelist;rm'= {
            cand --user 'A user (must exist)'
            cand --group 'A group (must exist)'
            cand --course 'Everyone in a course (an `on` override of the bucket''s flag)'
            cand --org 'Everyone in an organisation (an `on` override of the bucket''s flag)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --staff 'Every staff member'
            cand --everyone 'Everyone'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;whitelist;help'= {
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;whitelist;help;list'= {
        }
        &'wafflectl;experiments;whitelist;help;add'= {
        }
        &'wafflectl;experiments;whitelist;help;remove'= {
        }
        &'wafflectl;experiments;whitelist;help;help'= {
        }
        &'wafflectl;experiment;ids'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;ids'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;next-id'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;next-id'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;kv'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Key-values of an experiment ID'
            cand ls 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
            cand rm 'Remove a key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;kv;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;kv;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;kv;set'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;kv;unset'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;kv;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;kv;help'= {
            cand list 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;kv;help;list'= {
        }
        &'wafflectl;experiment;kv;help;set'= {
        }
        &'wafflectl;experiment;kv;help;unset'= {
        }
        &'wafflectl;experiment;kv;help;help'= {
        }
        &'wafflectl;experiments;kv'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Key-values of an experiment ID'
            cand ls 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
            cand rm 'Remove a key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;kv;list'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;kv;ls'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;kv;set'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;kv;unset'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;kv;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;kv;help'= {
            cand list 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;kv;help;list'= {
        }
        &'wafflectl;experiments;kv;help;set'= {
        }
        &'wafflectl;experiments;kv;help;unset'= {
        }
        &'wafflectl;experiments;kv;help;help'= {
        }
        &'wafflectl;experiment;data'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand ls 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
            cand rm 'Remove a user''s key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;data;list'= {
            cand --user 'Only this user''s rows'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;data;ls'= {
            cand --user 'Only this user''s rows'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;data;set'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;data;unset'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;data;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiment;data;help'= {
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;data;help;list'= {
        }
        &'wafflectl;experiment;data;help;set'= {
        }
        &'wafflectl;experiment;data;help;unset'= {
        }
        &'wafflectl;experiment;data;help;help'= {
        }
        &'wafflectl;experiments;data'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand ls 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
            cand rm 'Remove a user''s key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;data;list'= {
            cand --user 'Only this user''s rows'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;data;ls'= {
            cand --user 'Only this user''s rows'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;data;set'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;data;unset'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;data;rm'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;experiments;data;help'= {
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;data;help;list'= {
        }
        &'wafflectl;experiments;data;help;set'= {
        }
        &'wafflectl;experiments;data;help;unset'= {
        }
        &'wafflectl;experiments;data;help;help'= {
        }
        &'wafflectl;experiment;help'= {
            cand list 'List experiment definitions'
            cand show 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
            cand create 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
            cand set 'Change an experiment''s definition (only what is given)'
            cand delete 'Delete an experiment definition (asks first; --yes in scripts)'
            cand whitelist 'Who is forced into which bucket'
            cand ids 'Every experiment ID in use in the store, and where'
            cand next-id 'The smallest experiment ID that is free'
            cand kv 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
            cand data 'Per-user experiment key-values'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiment;help;list'= {
        }
        &'wafflectl;experiment;help;show'= {
        }
        &'wafflectl;experiment;help;create'= {
        }
        &'wafflectl;experiment;help;set'= {
        }
        &'wafflectl;experiment;help;delete'= {
        }
        &'wafflectl;experiment;help;whitelist'= {
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
        }
        &'wafflectl;experiment;help;whitelist;list'= {
        }
        &'wafflectl;experiment;help;whitelist;add'= {
        }
        &'wafflectl;experiment;help;whitelist;remove'= {
        }
        &'wafflectl;experiment;help;ids'= {
        }
        &'wafflectl;experiment;help;next-id'= {
        }
        &'wafflectl;experiment;help;kv'= {
            cand list 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
        }
        &'wafflectl;experiment;help;kv;list'= {
        }
        &'wafflectl;experiment;help;kv;set'= {
        }
        &'wafflectl;experiment;help;kv;unset'= {
        }
        &'wafflectl;experiment;help;data'= {
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
        }
        &'wafflectl;experiment;help;data;list'= {
        }
        &'wafflectl;experiment;help;data;set'= {
        }
        &'wafflectl;experiment;help;data;unset'= {
        }
        &'wafflectl;experiment;help;help'= {
        }
        &'wafflectl;experiments;help'= {
            cand list 'List experiment definitions'
            cand show 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
            cand create 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
            cand set 'Change an experiment''s definition (only what is given)'
            cand delete 'Delete an experiment definition (asks first; --yes in scripts)'
            cand whitelist 'Who is forced into which bucket'
            cand ids 'Every experiment ID in use in the store, and where'
            cand next-id 'The smallest experiment ID that is free'
            cand kv 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
            cand data 'Per-user experiment key-values'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;experiments;help;list'= {
        }
        &'wafflectl;experiments;help;show'= {
        }
        &'wafflectl;experiments;help;create'= {
        }
        &'wafflectl;experiments;help;set'= {
        }
        &'wafflectl;experiments;help;delete'= {
        }
        &'wafflectl;experiments;help;whitelist'= {
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
        }
        &'wafflectl;experiments;help;whitelist;list'= {
        }
        &'wafflectl;experiments;help;whitelist;add'= {
        }
        &'wafflectl;experiments;help;whitelist;remove'= {
        }
        &'wafflectl;experiments;help;ids'= {
        }
        &'wafflectl;experiments;help;next-id'= {
        }
        &'wafflectl;experiments;help;kv'= {
            cand list 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
        }
        &'wafflectl;experiments;help;kv;list'= {
        }
        &'wafflectl;experiments;help;kv;set'= {
        }
        &'wafflectl;experiments;help;kv;unset'= {
        }
        &'wafflectl;experiments;help;data'= {
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
        }
        &'wafflectl;experiments;help;data;list'= {
        }
        &'wafflectl;experiments;help;data;set'= {
        }
        &'wafflectl;experiments;help;data;unset'= {
        }
        &'wafflectl;experiments;help;help'= {
        }
        &'wafflectl;bucket'= {
            cand --user 'The user to check (from the store when it exists there)'
            cand --course 'The course the check happens in'
            cand --enrolled-at 'When the user enrolled in the course (default: from the store, else not enrolled)'
            cand --now 'Evaluate as of this time (default: now)'
            cand --buckets 'Number of buckets (replaces the stored definition)'
            cand --experiment-id 'Experiment ID (replaces the stored definition)'
            cand --language 'The request''s language code (LANGUAGE_CODE; the LMS always sets one)'
            cand --group 'Treat the user as a member of this group (repeatable)'
            cand --assume-percent 'Settle a percent-based main flag''s random roll'
            cand --users-file 'Bucket every username in FILE (one per line; - for stdin)'
            cand --find 'Generate usernames that land in this bucket (for QA test accounts)'
            cand --count 'With --find: how many usernames (1 to 100000)'
            cand --base 'With --find: start of the generated usernames'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --anonymous 'Check an anonymous (logged-out) visitor'
            cand --course-aware 'Hash the course into the bucket (replaces the stored definition)'
            cand --no-course-aware 'Do not hash the course into the bucket (replaces the stored definition)'
            cand --staff 'Treat the user as staff'
            cand --superuser 'Treat the user as a superuser'
            cand --summary 'With --users-file: print counts per bucket, a histogram and a uniformity test'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;variant'= {
            cand --now 'Evaluate at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)'
            cand --file 'Read the experiment from this experiments.json instead of the store (no store needed)'
            cand --users-file 'One value of the experiment''s bucket_val per line (- for stdin); writes VALUE<TAB>VARIANT'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --no-event 'As with bucketing_event_override=False: never log a bucketing event'
            cand --summary 'With --users-file: count and share per variant, and a chi-square test against the sizes'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;lint'= {
            cand --now 'Judge windows at this time (a date or epoch seconds). Default: now ($WAFFLECTL_NOW)'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;eval'= {
            cand --user 'The user (from the store when it exists there)'
            cand --course 'The course the check happens in'
            cand --language 'The request''s language code (LANGUAGE_CODE)'
            cand --group 'Treat the user as a member of this group (repeatable)'
            cand --enrolled-at 'When the user enrolled in the course'
            cand --now 'Evaluate as of this time (default: now)'
            cand --assume-percent 'Settle a percent roll'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --anonymous 'An anonymous (logged-out) visitor'
            cand --staff 'Treat the user as staff'
            cand --superuser 'Treat the user as a superuser'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;history'= {
            cand --since 'Only changes at or after this time (e.g. 2026-11-01, ''2026-11-01 10:00'')'
            cand --limit 'At most this many entries (0 = all; at most 1000000000)'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;export'= {
            cand -o 'Where to write (- for stdout, the default); a file is replaced atomically, keeping its permissions; a FIFO or device is written into'
            cand --output 'Where to write (- for stdout, the default); a file is replaced atomically, keeping its permissions; a FIFO or device is written into'
            cand --indent 'Django fixtures: indent by N spaces, as dumpdata --indent N (0 = one line, as dumpdata without --indent)'
            cand --mode 'The written file''s mode, in octal (baseplate: 0644 unless given, as the live-data sidecar writes it)'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --force 'Overwrite FILE even when it is the store itself or another SQLite database'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;import'= {
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --prune 'Also delete what the file does not contain, in the kinds of object it has (asks first; --yes in scripts)'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;diff'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --prune 'Also show what --prune would delete'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;doctor'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;stale'= {
            cand --days 'Unchanged for at least this many days (0–36500)'
            cand --now 'Judge as of this time (default: now, or $WAFFLECTL_NOW)'
            cand --refs 'Also scan these source trees: a removal plan for each stale toggle'
            cand --fail-on 'Exit 1 when there is a finding of this kind (repeatable or comma-separated)'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;refs'= {
            cand --now 'Judge annotation removal dates as of this time (default: now, or $WAFFLECTL_NOW)'
            cand --fail-on 'Exit 1 when there is a finding of this kind (repeatable or comma-separated)'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;delete'= {
            cand --flags 'Flags to delete (comma-separated or repeated)'
            cand --switches 'Switches to delete (comma-separated or repeated)'
            cand --samples 'Samples to delete (comma-separated or repeated)'
            cand --reason 'Why: kept in the audit log'
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --strict 'Fail (exit 1, nothing deleted) when a name does not exist, instead of skipping it'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;completions'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;conformance-inputs'= {
            cand --db 'The store (SQLite file). Default: $WAFFLECTL_DB, else ./waffle.db'
            cand --format 'Output format of read commands'
            cand --actor 'Who to record in the audit log. Default: $WAFFLECTL_ACTOR, else $USER'
            cand --color 'When to colour output (NO_COLOR is honoured with auto)'
            cand --json 'Print JSON (same as --format json)'
            cand -y 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --yes 'Answer yes to confirmations (needed for deletions when there is no terminal)'
            cand --no-input 'Never prompt; fail where a prompt would be needed'
            cand -q 'Print no status lines or warnings, only data and errors'
            cand --quiet 'Print no status lines or warnings, only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wafflectl;help'= {
            cand init 'Create a store, or add wafflectl''s tables to an existing Django database'
            cand flag 'Django-waffle flags: on/off for everyone, or by user, group, staff, percent...'
            cand switch 'Django-waffle switches: simple on/off toggles'
            cand sample 'Django-waffle samples: on for a random percentage of checks'
            cand user 'Users (django.contrib.auth) that flags and experiments refer to'
            cand group 'Groups (django.contrib.auth)'
            cand override 'Open edX course and organisation overrides of a flag'
            cand experiment 'Open edX experiments: numbered buckets, whitelists, key-values, IDs'
            cand bucket 'Which bucket a user lands in for an experiment, and why'
            cand variant 'Which variant a baseplate experiment gives, and why (one input set, or a file of users)'
            cand lint 'Check an experiments.json as baseplate reads it (no store needed)'
            cand eval 'Evaluate a switch, sample, flag or experiment step by step'
            cand history 'The audit log: who changed what, newest first'
            cand export 'Write the store to a file (native JSON or a Django fixture)'
            cand import 'Apply a native file or a Django fixture to the store'
            cand diff 'Show what importing a file would change'
            cand doctor 'Check the store for problems'
            cand stale 'Toggles that decide the same for everyone and have not changed for N days, and orphans'
            cand refs 'Where source code names the store''s toggles, and toggles code declares without a row'
            cand delete 'Delete flags, switches and samples together, as `manage.py waffle_delete` (one transaction)'
            cand completions 'Print a shell completion script'
            cand conformance-inputs 'Developer tool for conformance/inputs: reads a file of cases (one JSON string a line) and prints, one JSON object a line, how wafflectl reads each as a stored date, a typed date or a course key. Hidden: not part of the user interface'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wafflectl;help;init'= {
        }
        &'wafflectl;help;flag'= {
            cand list 'List flags'
            cand show 'Show one flag in full'
            cand create 'Create a flag (off for everyone until you say otherwise)'
            cand set 'Change only the given options of a flag'
            cand on 'Turn a flag on for everyone (everyone = true)'
            cand off 'Turn a flag off for everyone (everyone = false)'
            cand unset 'Let the other criteria decide (everyone = unset)'
            cand delete 'Delete flags (asks first; --yes in scripts)'
        }
        &'wafflectl;help;flag;list'= {
        }
        &'wafflectl;help;flag;show'= {
        }
        &'wafflectl;help;flag;create'= {
        }
        &'wafflectl;help;flag;set'= {
        }
        &'wafflectl;help;flag;on'= {
        }
        &'wafflectl;help;flag;off'= {
        }
        &'wafflectl;help;flag;unset'= {
        }
        &'wafflectl;help;flag;delete'= {
        }
        &'wafflectl;help;switch'= {
            cand list 'List switches'
            cand show 'Show one switch'
            cand create 'Create a switch (off unless --on)'
            cand on 'Turn a switch on'
            cand off 'Turn a switch off'
            cand delete 'Delete switches (asks first; --yes in scripts)'
        }
        &'wafflectl;help;switch;list'= {
        }
        &'wafflectl;help;switch;show'= {
        }
        &'wafflectl;help;switch;create'= {
        }
        &'wafflectl;help;switch;on'= {
        }
        &'wafflectl;help;switch;off'= {
        }
        &'wafflectl;help;switch;delete'= {
        }
        &'wafflectl;help;sample'= {
            cand list 'List samples'
            cand show 'Show one sample'
            cand create 'Create a sample with a percent (0–100.0)'
            cand set 'Change a sample''s percent'
            cand delete 'Delete samples (asks first; --yes in scripts)'
        }
        &'wafflectl;help;sample;list'= {
        }
        &'wafflectl;help;sample;show'= {
        }
        &'wafflectl;help;sample;create'= {
        }
        &'wafflectl;help;sample;set'= {
        }
        &'wafflectl;help;sample;delete'= {
        }
        &'wafflectl;help;user'= {
            cand list 'List users'
            cand show 'Show a user: attributes, groups, enrollments'
            cand add 'Add a user (unusable password; for flag and experiment decisions only)'
            cand set 'Change a user''s attributes or groups (only what is given)'
            cand delete 'Delete a user and what belongs to it (asks first; --yes in scripts)'
            cand enroll 'Record that a user enrolled in a course (used by experiment enrollment windows)'
            cand unenroll 'Remove a user''s enrollment in a course'
        }
        &'wafflectl;help;user;list'= {
        }
        &'wafflectl;help;user;show'= {
        }
        &'wafflectl;help;user;add'= {
        }
        &'wafflectl;help;user;set'= {
        }
        &'wafflectl;help;user;delete'= {
        }
        &'wafflectl;help;user;enroll'= {
        }
        &'wafflectl;help;user;unenroll'= {
        }
        &'wafflectl;help;group'= {
            cand list 'List groups with their member counts'
            cand add 'Add a group'
            cand delete 'Delete a group (its memberships and flag entries go with it; asks first)'
        }
        &'wafflectl;help;group;list'= {
        }
        &'wafflectl;help;group;add'= {
        }
        &'wafflectl;help;group;delete'= {
        }
        &'wafflectl;help;override'= {
            cand list 'List the current overrides (of one flag, or all)'
            cand set 'Force a flag on or off for one course or organisation'
            cand clear 'Remove the override for a course or organisation (appends a disabled row)'
        }
        &'wafflectl;help;override;list'= {
        }
        &'wafflectl;help;override;set'= {
        }
        &'wafflectl;help;override;clear'= {
        }
        &'wafflectl;help;experiment'= {
            cand list 'List experiment definitions'
            cand show 'Everything about an experiment: definition, main flag, overrides, whitelists, key-values'
            cand create 'Define an edX experiment (and its main flag, off), or a baseplate one with --type'
            cand set 'Change an experiment''s definition (only what is given)'
            cand delete 'Delete an experiment definition (asks first; --yes in scripts)'
            cand whitelist 'Who is forced into which bucket'
            cand ids 'Every experiment ID in use in the store, and where'
            cand next-id 'The smallest experiment ID that is free'
            cand kv 'Per-experiment key-values (enrollment_start, enrollment_end, ...)'
            cand data 'Per-user experiment key-values'
        }
        &'wafflectl;help;experiment;list'= {
        }
        &'wafflectl;help;experiment;show'= {
        }
        &'wafflectl;help;experiment;create'= {
        }
        &'wafflectl;help;experiment;set'= {
        }
        &'wafflectl;help;experiment;delete'= {
        }
        &'wafflectl;help;experiment;whitelist'= {
            cand list 'Who is forced into each bucket, with warnings about traps'
            cand add 'Force users, a group, staff, everyone, a course or an org into a bucket'
            cand remove 'Undo a whitelist entry'
        }
        &'wafflectl;help;experiment;whitelist;list'= {
        }
        &'wafflectl;help;experiment;whitelist;add'= {
        }
        &'wafflectl;help;experiment;whitelist;remove'= {
        }
        &'wafflectl;help;experiment;ids'= {
        }
        &'wafflectl;help;experiment;next-id'= {
        }
        &'wafflectl;help;experiment;kv'= {
            cand list 'Key-values of an experiment ID'
            cand set 'Set a key (enrollment_start/enrollment_end are read as dates and stored normalised)'
            cand unset 'Remove a key'
        }
        &'wafflectl;help;experiment;kv;list'= {
        }
        &'wafflectl;help;experiment;kv;set'= {
        }
        &'wafflectl;help;experiment;kv;unset'= {
        }
        &'wafflectl;help;experiment;data'= {
            cand list 'Per-user data, optionally of one experiment ID and/or one user'
            cand set 'Set a user''s key for an experiment'
            cand unset 'Remove a user''s key'
        }
        &'wafflectl;help;experiment;data;list'= {
        }
        &'wafflectl;help;experiment;data;set'= {
        }
        &'wafflectl;help;experiment;data;unset'= {
        }
        &'wafflectl;help;bucket'= {
        }
        &'wafflectl;help;variant'= {
        }
        &'wafflectl;help;lint'= {
        }
        &'wafflectl;help;eval'= {
        }
        &'wafflectl;help;history'= {
        }
        &'wafflectl;help;export'= {
        }
        &'wafflectl;help;import'= {
        }
        &'wafflectl;help;diff'= {
        }
        &'wafflectl;help;doctor'= {
        }
        &'wafflectl;help;stale'= {
        }
        &'wafflectl;help;refs'= {
        }
        &'wafflectl;help;delete'= {
        }
        &'wafflectl;help;completions'= {
        }
        &'wafflectl;help;conformance-inputs'= {
        }
        &'wafflectl;help;help'= {
        }
    ]
    $completions[$command]
}
