# fish completion for pj-ats. Installed into fish's vendor_completions.d; or copy it to
# ~/.config/fish/completions/pj-ats.fish.

# Options that take a value (global and per command), so that values are not mistaken
# for commands: in `pj-ats send --to lever`, `lever` is not `configure lever`.
set -g __pj_ats_with_value --profile --config --email --api-key-file --api-key-command \
    --base-url --perform-as --perform-as-email --client-id --client-secret-file \
    --client-secret-command --auth-url --redirect-port --timeout --dir --url --token-file \
    --token-command --to --job --posting --ids-from --file --rate --burst --limit --state --format \
    --organization --remove --port --latency-ms --fail-rate --found --output --on-behalf-of \
    --pool --pool-stage --prospect-owner --since --until

# The positional words before the cursor (the command, configure's target, ...), one a line.
function __pj_ats_positionals
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for tok in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if test "$tok" = --
            return
        end
        if string match -q -- '-*' $tok
            if contains -- $tok $__pj_ats_with_value
                set skip 1
            end
            continue
        end
        echo $tok
    end
end

function __pj_ats_needs_command
    set -l words (__pj_ats_positionals)
    test (count $words) -eq 0
end

# __pj_ats_using CMD [TARGET]: the command line is `pj-ats CMD [TARGET] ...`.
function __pj_ats_using
    set -l words (__pj_ats_positionals)
    test "$words[1]" = "$argv[1]"; or return 1
    if set -q argv[2]
        test "$words[2]" = "$argv[2]"; or return 1
    end
    return 0
end

# __pj_ats_needs_arg CMD: CMD is given but its first positional argument is not yet.
function __pj_ats_needs_arg
    set -l words (__pj_ats_positionals)
    test "$words[1]" = "$argv[1]"; and test (count $words) -eq 1
end

# `pj-ats sandbox ... -- ` : options of the companion pj-ats-sandbox follow.
function __pj_ats_sandbox_passthrough
    set -l tokens (commandline -opc)
    __pj_ats_using sandbox; and contains -- -- $tokens
end

# Profile names from [profiles.NAME] / [profiles.NAME.*] headers of the config file:
# --config on the command line, else $PJ_ATS_CONFIG, else the XDG default.
function __pj_ats_profiles
    set -l config
    set -l tokens (commandline -opc)
    for i in (seq (count $tokens))
        if test "$tokens[$i]" = --config; and test $i -lt (count $tokens)
            set config $tokens[(math $i + 1)]
        else if string match -q -- '--config=*' $tokens[$i]
            set config (string replace -- '--config=' '' $tokens[$i])
        end
    end
    set config (string replace -r -- '^~/' "$HOME/" "$config")
    if test -z "$config"
        set config $PJ_ATS_CONFIG
    end
    if test -z "$config"
        set -l base $XDG_CONFIG_HOME
        test -n "$base"; or set base $HOME/.config
        set config $base/pj-ats/config.toml
    end
    test -r "$config"; or return 0
    command sed -n \
        -e 's/^[[:space:]]*\[[[:space:]]*profiles\.\([A-Za-z0-9_-]\{1,\}\)[[:space:]]*[].].*/\1/p' \
        -e 's/^[[:space:]]*\[[[:space:]]*profiles\."\([A-Za-z0-9_-]\{1,\}\)"[[:space:]]*[].].*/\1/p' \
        -- $config 2>/dev/null | command sort -u
end

complete -c pj-ats -f

# Global options (accepted before or after the command).
complete -c pj-ats -l profile -x -a '(__pj_ats_profiles)' -d 'Profile to use'
complete -c pj-ats -l config -r -F -d 'Configuration file'
complete -c pj-ats -l json -d 'Machine-readable output on stdout'
complete -c pj-ats -s v -l verbose -d 'Trace HTTP on stderr (secrets redacted)'
complete -c pj-ats -s q -l quiet -d 'Only errors on stderr'
complete -c pj-ats -l no-input -d 'Never prompt'
complete -c pj-ats -l version -d 'Print the version'
complete -c pj-ats -s h -l help -d 'Print help'

# Commands.
complete -c pj-ats -n __pj_ats_needs_command -a configure -d 'Store credentials and the record source'
complete -c pj-ats -n __pj_ats_needs_command -a send -d 'Send candidates to Greenhouse or Lever'
complete -c pj-ats -n __pj_ats_needs_command -a link-job -d 'Link a Purpose Jobs job to a Lever posting'
complete -c pj-ats -n __pj_ats_needs_command -a sync -d 'Send new applications of linked jobs (cron)'
complete -c pj-ats -n __pj_ats_needs_command -a track -d 'Ask the ATS where sent candidates stand'
complete -c pj-ats -n __pj_ats_needs_command -a hires -d 'Report candidates hired in a window'
complete -c pj-ats -n __pj_ats_needs_command -a audit -d 'Check the ATS against the ledger, read-only'
complete -c pj-ats -n __pj_ats_needs_command -a postings -d 'List Lever postings'
complete -c pj-ats -n __pj_ats_needs_command -a jobs -d 'List the Greenhouse jobs you can use'
complete -c pj-ats -n __pj_ats_needs_command -a revoke -d 'Remove stored credentials'
complete -c pj-ats -n __pj_ats_needs_command -a status -d 'Check configuration and credentials'
complete -c pj-ats -n __pj_ats_needs_command -a ledger -d 'List, resolve, export or import the send ledger'
complete -c pj-ats -n __pj_ats_needs_command -a sandbox -d 'Serve Greenhouse and Lever fakes locally'

# configure greenhouse | lever | source | ledger | organization
complete -c pj-ats -n '__pj_ats_needs_arg configure' -a greenhouse -d 'Greenhouse Candidate Ingestion key'
complete -c pj-ats -n '__pj_ats_needs_arg configure' -a lever -d 'Lever API key or OAuth'
complete -c pj-ats -n '__pj_ats_needs_arg configure' -a source -d 'Where candidate records come from'
complete -c pj-ats -n '__pj_ats_needs_arg configure' -a ledger -d 'Local SQLite or shared PostgreSQL ledger'
complete -c pj-ats -n '__pj_ats_needs_arg configure' -a organization -d 'Organization name of published job postings'
complete -c pj-ats -n '__pj_ats_using configure ledger' -l new -d 'Start a new, empty ledger'
complete -c pj-ats -n '__pj_ats_using configure ledger' -l url -x -d 'Use a shared PostgreSQL ledger (no password in it)'
complete -c pj-ats -n '__pj_ats_using configure ledger' -l sqlite -d 'Go back to the local SQLite ledger'
complete -c pj-ats -n '__pj_ats_using configure ledger' -l import -r -F -d 'With --url/--sqlite: first add this export to it'

set -l gh '__pj_ats_using configure greenhouse'
complete -c pj-ats -n $gh -l email -x -d 'Email of the Greenhouse user to act as'
complete -c pj-ats -n $gh -l api-key-stdin -d 'Read the API key from stdin'
complete -c pj-ats -n $gh -l api-key-file -r -F -d 'Read the API key from a file'
complete -c pj-ats -n $gh -l api-key-command -x -d 'Store a command that prints the key'
complete -c pj-ats -n $gh -l base-url -x -d 'API base URL'
complete -c pj-ats -n $gh -l no-verify -d 'Do not check the credentials live'

set -l lv '__pj_ats_using configure lever'
complete -c pj-ats -n $lv -l api-key-stdin -d 'Read the API key from stdin'
complete -c pj-ats -n $lv -l api-key-file -r -F -d 'Read the API key from a file'
complete -c pj-ats -n $lv -l api-key-command -x -d 'Store a command that prints the key'
complete -c pj-ats -n $lv -l perform-as -x -d 'Lever user id to act as'
complete -c pj-ats -n $lv -l perform-as-email -x -d 'Email of the Lever user to act as'
complete -c pj-ats -n $lv -l base-url -x -d 'API base URL'
complete -c pj-ats -n $lv -l no-verify -d 'Do not check the credentials live'
complete -c pj-ats -n $lv -l oauth -d 'Authorize with the OAuth code flow'
complete -c pj-ats -n $lv -l client-id -x -d 'OAuth client id'
complete -c pj-ats -n $lv -l client-secret-stdin -d 'Read the client secret from stdin'
complete -c pj-ats -n $lv -l client-secret-file -r -F -d 'Read the client secret from a file'
complete -c pj-ats -n $lv -l client-secret-command -x -d 'Store a command printing the client secret'
complete -c pj-ats -n $lv -l auth-url -x -d 'Authorization server URL'
complete -c pj-ats -n $lv -l no-browser -d 'Only print the authorization URL'
complete -c pj-ats -n $lv -l redirect-port -x -d 'Loopback port for the OAuth redirect'
complete -c pj-ats -n $lv -l timeout -x -d 'Seconds to wait for the OAuth redirect'

set -l src '__pj_ats_using configure source'
complete -c pj-ats -n $src -l dir -x -a '(__fish_complete_directories)' -d 'Folder with candidates/'
complete -c pj-ats -n $src -l url -x -d 'Base URL of an export service'
complete -c pj-ats -n $src -l token-stdin -d 'Read the bearer token from stdin'
complete -c pj-ats -n $src -l token-file -r -F -d 'Read the bearer token from a file'
complete -c pj-ats -n $src -l token-command -x -d 'Store a command that prints the token'

# send
set -l send '__pj_ats_using send'
complete -c pj-ats -n $send -l to -x -a 'greenhouse lever' -d 'Target system'
complete -c pj-ats -n $send -l job -x -d 'Greenhouse job id'
complete -c pj-ats -n $send -l posting -x -d 'Lever posting id'
complete -c pj-ats -n $send -l ids-from -r -F -d 'Read candidate ids from a file (- for stdin)'
complete -c pj-ats -n $send -l file -r -F -d 'Send this JSON Resume record (- for stdin)'
complete -c pj-ats -n $send -l rate -x -d 'At most N requests per second (0: unlimited)'
complete -c pj-ats -n $send -l burst -x -d 'With --rate: up to N requests at once (Greenhouse)'
complete -c pj-ats -n $send -l on-behalf-of -x -d 'Credit the sends to this user (e-mail)'
complete -c pj-ats -n $send -l pool -x -d 'Greenhouse prospect pool (name)'
complete -c pj-ats -n $send -l pool-stage -x -d 'Stage of --pool (name)'
complete -c pj-ats -n $send -l prospect-owner -x -d 'Greenhouse prospect owner (e-mail)'
complete -c pj-ats -n $send -l dry-run -d 'Print the exact requests; send nothing'
complete -c pj-ats -n $send -l force -d 'Send even if the ledger says it was sent'
complete -c pj-ats -n $send -l metrics-file -r -F -d 'Write Prometheus metrics of the run'

# link-job
complete -c pj-ats -n '__pj_ats_using link-job' -l list -d 'List the links'
complete -c pj-ats -n '__pj_ats_using link-job' -l remove -x -d 'Remove the link of a job'
complete -c pj-ats -n '__pj_ats_using link-job' -l no-verify -d 'Check neither the posting nor the job'

# ledger list | resolve
complete -c pj-ats -n '__pj_ats_needs_arg ledger' -a list -d 'List the sends the ledger records'
complete -c pj-ats -n '__pj_ats_needs_arg ledger' -a resolve -d 'Close a send for review'
complete -c pj-ats -n '__pj_ats_using ledger list' -l state -x -a 'sent failed review pending' \
    -d 'Only sends in this state'
complete -c pj-ats -n '__pj_ats_using ledger list' -l to -x -a 'greenhouse lever' \
    -d 'Only sends to this target'
set -l res '__pj_ats_using ledger resolve'
complete -c pj-ats -n $res -l to -x -a 'greenhouse lever' -d 'Target system'
complete -c pj-ats -n $res -l job -x -d 'Greenhouse job id the send was for'
complete -c pj-ats -n $res -l posting -x -d 'Lever posting id the send was for'
complete -c pj-ats -n $res -l found -x -d 'The record exists: mark it sent as this id'
complete -c pj-ats -n $res -l not-sent -d 'The ATS has no such record: send it next run'
complete -c pj-ats -n $res -l skip-file -d 'Lever: give up attaching the résumé file'

# sync
complete -c pj-ats -n '__pj_ats_using sync' -l dry-run -d 'Print the plan; send nothing, write nothing'
complete -c pj-ats -n '__pj_ats_using sync' -l limit -x -d 'Attempt at most N applications'
complete -c pj-ats -n '__pj_ats_using sync' -l retry-failed -d 'Send rejected applications again, even unchanged'
complete -c pj-ats -n '__pj_ats_using sync' -l metrics-file -r -F -d 'Write Prometheus metrics of the run'
complete -c pj-ats -n '__pj_ats_using sync' -l organization -x -d 'hiringOrganization name of published postings'

# track
complete -c pj-ats -n '__pj_ats_using track' -l to -x -a 'greenhouse lever' -d 'Only this target'
complete -c pj-ats -n '__pj_ats_using track' -l changed -d 'Print only what moved since the last track'
complete -c pj-ats -n '__pj_ats_using track' -l metrics-file -r -F -d 'Write Prometheus metrics of the run'

# audit
complete -c pj-ats -n '__pj_ats_using audit' -l to -x -a 'greenhouse lever' -d 'Only this target'

# hires
complete -c pj-ats -n '__pj_ats_using hires' -l since -x -d 'First day of the window (YYYY-MM-DD)'
complete -c pj-ats -n '__pj_ats_using hires' -l until -x -d 'Last day of the window, inclusive'
complete -c pj-ats -n '__pj_ats_using hires' -l format -x -a 'csv json table' -d 'Output format'
complete -c pj-ats -n '__pj_ats_using hires' -l offline -d 'Report from the ledger; ask no ATS first'

# postings
complete -c pj-ats -n '__pj_ats_using postings' -l state -x \
    -a 'published internal closed draft pending rejected' -d 'Only postings in this state'
complete -c pj-ats -n '__pj_ats_using postings' -l format -x -a 'table json jsonld' \
    -d 'Output format'
complete -c pj-ats -n '__pj_ats_using postings' -l organization -x \
    -d 'hiringOrganization name for jsonld'

# status
complete -c pj-ats -n '__pj_ats_using status' -l offline -d 'Skip the live API checks'

# ledger export | import
complete -c pj-ats -n '__pj_ats_needs_arg ledger' -a export -d 'Write every ledger row as JSON Lines'
complete -c pj-ats -n '__pj_ats_needs_arg ledger' -a import -d 'Add an export to this ledger'
complete -c pj-ats -n '__pj_ats_using ledger export' -s o -l output -r -F -d 'Write to a file instead of stdout'
complete -c pj-ats -n '__pj_ats_using ledger import' -F

# revoke greenhouse | lever
complete -c pj-ats -n '__pj_ats_needs_arg revoke' -a greenhouse -d 'Remove the Greenhouse key'
complete -c pj-ats -n '__pj_ats_needs_arg revoke' -a lever -d 'Remove the Lever credentials and links'

# sandbox
set -l sb '__pj_ats_using sandbox; and not __pj_ats_sandbox_passthrough'
complete -c pj-ats -n $sb -l port -x -d 'Port to listen on (0: any free port)'
complete -c pj-ats -n $sb -l latency-ms -x -d 'Delay added to every response'
complete -c pj-ats -n $sb -l fail-rate -x -d 'Probability of a 503 before processing'
complete -c pj-ats -n __pj_ats_sandbox_passthrough \
    -a '--seed --lever-rate --lever-burst --greenhouse-rate --greenhouse-burst --token-ttl --tls-cert --tls-key --postings --verbose --quiet' \
    -d 'pj-ats-sandbox option'
