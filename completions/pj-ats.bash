# bash completion for pj-ats                                  -*- shell-script -*-
# Installed as bash-completion/completions/pj-ats; or source it from ~/.bashrc.
# Works with plain bash too: it only needs `complete` and `compgen`.

# Profile names from [profiles.NAME] / [profiles.NAME.*] headers of the config file:
# --config on the command line, else $PJ_ATS_CONFIG, else the XDG default.
_pj_ats_profiles()
{
    local config=$1
    if [[ -z $config ]]; then
        config=${PJ_ATS_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/pj-ats/config.toml}
    fi
    [[ -r $config ]] || return 0
    command sed -n \
        -e 's/^[[:space:]]*\[[[:space:]]*profiles\.\([A-Za-z0-9_-]\{1,\}\)[[:space:]]*[].].*/\1/p' \
        -e 's/^[[:space:]]*\[[[:space:]]*profiles\."\([A-Za-z0-9_-]\{1,\}\)"[[:space:]]*[].].*/\1/p' \
        "$config" 2>/dev/null | command sort -u
}

# COMPREPLY from compgen's output, one candidate a line.
_pj_ats_reply()
{
    local line
    COMPREPLY=()
    while IFS= read -r line; do
        COMPREPLY+=("$line")
    done < <(compgen "$@")
}

_pj_ats()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=''
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # `--opt=value`: bash splits it into `--opt`, `=`, `value` by default.
    if [[ $cur == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    COMPREPLY=()

    local global_opts="--profile --config --json -v --verbose -q --quiet --no-input --version
        -h --help"
    # Options that take a value (global and per command).
    local with_value=" --profile --config --email --api-key-file --api-key-command --base-url
        --perform-as --perform-as-email --client-id --client-secret-file --client-secret-command
        --auth-url --redirect-port --timeout --dir --url --token-file --token-command --to --job
        --posting --ids-from --file --rate --burst --limit --state --format --organization --remove
        --port --latency-ms --fail-rate --found --output --on-behalf-of --pool --pool-stage
        --prospect-owner --since --until "
    with_value=${with_value//$'\n'/ }

    # Find the command (and configure's target), skipping options and their values.
    local cmd='' sub='' config='' dashdash='' used=' ' word i
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            --)
                dashdash=1
                break
                ;;
            --config)
                config=${COMP_WORDS[i + 1]}
                [[ $config == = ]] && config=${COMP_WORDS[i + 2]}
                ;;
        esac
        if [[ $word == -* ]]; then
            used+="$word "
            if [[ $with_value == *" $word "* ]]; then
                ((i++))
                [[ ${COMP_WORDS[i]} == = ]] && ((i++))
            fi
            continue
        fi
        if [[ -z $cmd ]]; then
            cmd=$word
        elif [[ -z $sub ]]; then
            sub=$word
        fi
    done
    # A ~ in --config is expanded by the shell only when the command runs.
    config=${config/#\~/$HOME}

    case $prev in
        --to)
            _pj_ats_reply -W "greenhouse lever" -- "$cur"
            return 0
            ;;
        --format)
            if [[ $cmd == hires ]]; then
                _pj_ats_reply -W "csv json table" -- "$cur"
                return 0
            fi
            _pj_ats_reply -W "table json jsonld" -- "$cur"
            return 0
            ;;
        --state)
            if [[ $cmd == ledger ]]; then
                _pj_ats_reply -W "sent failed review pending" -- "$cur"
            else
                _pj_ats_reply -W "published internal closed draft pending rejected" \
                    -- "$cur"
            fi
            return 0
            ;;
        --profile)
            _pj_ats_reply -W "$(_pj_ats_profiles "$config")" -- "$cur"
            return 0
            ;;
        --config | --api-key-file | --client-secret-file | --token-file | --file | --ids-from | \
            --output)
            compopt -o filenames 2>/dev/null
            _pj_ats_reply -f -- "$cur"
            return 0
            ;;
        --dir)
            compopt -o filenames 2>/dev/null
            _pj_ats_reply -d -- "$cur"
            return 0
            ;;
        --email | --api-key-command | --base-url | --perform-as | --perform-as-email | \
            --client-id | --client-secret-command | --auth-url | --redirect-port | --timeout | \
            --url | --token-command | --job | --posting | --rate | --burst | --limit | --organization | \
            --remove | --port | --latency-ms | --fail-rate | --found | --on-behalf-of | --pool | \
            --pool-stage | --prospect-owner | --since | --until)
            # A free-form value: nothing sensible to offer.
            return 0
            ;;
    esac

    local words=''
    case $cmd in
        "")
            words="configure send link-job sync track hires audit postings jobs revoke status ledger sandbox"
            [[ $cur == -* ]] && words=$global_opts
            ;;
        configure)
            case $sub in
                "")
                    words="greenhouse lever source ledger organization"
                    [[ $cur == -* ]] && words=$global_opts
                    ;;
                greenhouse)
                    words="--email --api-key-stdin --api-key-file --api-key-command --base-url
                        --no-verify"
                    ;;
                lever)
                    words="--api-key-stdin --api-key-file --api-key-command --perform-as
                        --perform-as-email --base-url --no-verify --oauth --client-id
                        --client-secret-stdin --client-secret-file --client-secret-command
                        --auth-url --no-browser --redirect-port --timeout"
                    ;;
                source)
                    words="--dir --url --token-stdin --token-file --token-command"
                    ;;
                ledger)
                    words="--new --url --sqlite --import"
                    ;;
                organization)
                    words=""
                    ;;
            esac
            ;;
        send)
            words="--to --job --posting --ids-from --file --rate --burst --dry-run --force
                --on-behalf-of --pool --pool-stage --prospect-owner --metrics-file"
            ;;
        link-job)
            words="--list --remove --no-verify"
            ;;
        sync)
            words="--dry-run --limit --retry-failed --metrics-file --organization"
            ;;
        track)
            words="--to --changed --metrics-file"
            ;;
        hires)
            words="--since --until --format --offline"
            ;;
        audit)
            words="--to"
            ;;
        postings)
            words="--state --format --organization"
            ;;
        status)
            words="--offline"
            ;;
        ledger)
            case $sub in
                "")
                    words="export import list resolve"
                    [[ $cur == -* ]] && words=$global_opts
                    ;;
                list)
                    words="--state --to"
                    ;;
                resolve)
                    words="--to --job --posting --found --not-sent --skip-file"
                    ;;
                export)
                    words="--output"
                    ;;
                import)
                    if [[ $cur != -* ]]; then
                        compopt -o filenames 2>/dev/null
                        _pj_ats_reply -f -- "$cur"
                        return 0
                    fi
                    ;;
            esac
            ;;
        jobs) ;;
        revoke)
            [[ -z $sub && $cur != -* ]] && words="greenhouse lever"
            ;;
        sandbox)
            if [[ -n $dashdash ]]; then
                # After `--`: options of the companion pj-ats-sandbox.
                _pj_ats_reply -W "--seed --lever-rate --lever-burst --greenhouse-rate
                    --greenhouse-burst --token-ttl --tls-cert --tls-key --postings --verbose --quiet" \
                    -- "$cur"
                return 0
            fi
            words="--port --latency-ms --fail-rate --"
            ;;
    esac
    if [[ -n $cmd && $cur == -* ]]; then
        words="$words $global_opts"
    fi
    # Flags already given are not offered again (-v, which counts, stays).
    local offer=''
    for word in $words; do
        [[ $word != -v && $used == *" $word "* ]] || offer+="$word "
    done
    _pj_ats_reply -W "$offer" -- "$cur"
    return 0
} &&
    complete -F _pj_ats pj-ats

# ex: filetype=sh
