# SPDX-License-Identifier: MIT
# bash completion for fanout: options, their values, and the names of the
# jobs of the job file in effect (read with `fanout --list`). Needs bash 4
# and nothing of the bash-completion package.

# Every option of `fanout --help`; tests/completions/check keeps them in step.
_fanout_options='-h --help --version -f --file -j --jobs --pool --launcher --timeout --grace
--color --status --output --ci --fail-fast --keep-going -q --quiet -v --verbose -0 --null
--retries --junit --json --joblog --log-dir --tail --resume --rerun-failed --state --hosts
--list --dry-run'

# Splits $1 the way the shell would into the array _fanout_words, quotes
# removed; the last element is the word under the cursor, maybe empty.
_fanout_split() {
    local line=$1 word='' quote='' c i started=0
    _fanout_words=()
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ $quote == "'" ]]; then
            if [[ $c == "'" ]]; then quote=''; else word+=$c; fi
        elif [[ $quote == '"' ]]; then
            if [[ $c == '"' ]]; then
                quote=''
            elif [[ $c == "\\" ]] && ((i + 1 < ${#line})); then
                ((i++))
                word+=${line:i:1}
            else
                word+=$c
            fi
        elif [[ $c == [[:space:]] ]]; then
            ((started)) && _fanout_words+=("$word")
            word='' started=0
        else
            started=1
            case $c in
                "'" | '"') quote=$c ;;
                "\\")
                    ((i++))
                    word+=${line:i:1}
                    ;;
                *) word+=$c ;;
            esac
        fi
    done
    _fanout_words+=("$word")
}

# Prints the words that complete the value of option $1, one per line: $2
# is the value typed so far.
_fanout_values() {
    case $1 in
        --pool) compgen -W 'process thread' -- "$2" ;;
        --launcher) compgen -W 'local slurm' -- "$2" ;;
        --color | --status) compgen -W 'auto always never' -- "$2" ;;
        --output) compgen -W 'lines group keep-order' -- "$2" ;;
        --ci) compgen -W 'github gitlab none' -- "$2" ;;
        -f | --file | --json | --junit | --joblog | --state) compgen -f -- "$2" ;;
        --log-dir) compgen -d -- "$2" ;;
    esac
}

# Whether option $1 takes the next word as its value.
_fanout_takes_value() {
    case $1 in
        -f | --file | -j | --jobs | --pool | --launcher | --timeout | --grace | --color | \
            --status | --output | --ci | --retries | --junit | --json | --joblog | --log-dir | \
            --tail | --state | --hosts) return 0 ;;
    esac
    return 1
}

# Prints the names of the jobs of the job file $2 (none: fanout.toml) that
# start with $3, as `$1 --list` prints them, and the name of each group
# whose members it lists, so that `lint` completes beside `lint:1:a`.
_fanout_job_names() {
    local fanout=$1 file=$2 cur=$3 name group
    local -A seen=()
    local -a list=(--list)
    [[ -n $file ]] && list+=(-f "$file")
    while IFS= read -r name; do
        group=''
        if [[ $name =~ :[0-9]+(:|$) ]]; then
            group=${name%%"${BASH_REMATCH[0]}"*}
        fi
        for name in "$group" "$name"; do
            if [[ -n $name && $name == "$cur"* && -z ${seen[$name]} ]]; then
                seen[$name]=1
                printf '%s\n' "$name"
            fi
        done
    done < <("$fanout" "${list[@]}" </dev/null 2>/dev/null)
}

_fanout() {
    _fanout_split "${COMP_LINE:0:COMP_POINT}"
    local -a words=("${_fanout_words[@]}")
    local last=$((${#words[@]} - 1)) i word file='' dashes=-1 value_of=''
    local cur=${words[last]}
    for ((i = 1; i < last; i++)); do
        word=${words[i]}
        case $word in
            --) dashes=$i && break ;;
            -f | --file) ((i + 1 < last)) && file=${words[i + 1]} ;;
            --file=*) file=${word#--file=} ;;
            -f?*) file=${word#-f} ;;
        esac
        if _fanout_takes_value "$word"; then
            ((i + 1 == last)) && value_of=$word
            ((i++))
        fi
    done
    # `-f -` reads the job file from stdin: no names to offer then.
    [[ $file == - ]] && file=/dev/null
    [[ $file == \~/* ]] && file=$HOME/${file#\~/}

    local -a candidates=()
    local prefix=''
    if [[ -z $value_of && $cur == --*=* ]] && ((dashes < 0)); then
        value_of=${cur%%=*}
        prefix=$value_of=
    fi
    case $value_of in
        -f | --file | --json | --junit | --joblog | --state | --log-dir)
            compopt -o filenames 2>/dev/null
            ;;
    esac
    if ((dashes >= 0)); then
        if ((last == dashes + 1)); then
            mapfile -t candidates < <(compgen -c -- "$cur")
        else
            compopt -o filenames 2>/dev/null
            mapfile -t candidates < <(compgen -f -- "$cur")
        fi
    elif [[ -n $value_of ]]; then
        mapfile -t candidates < <(_fanout_values "$value_of" "${cur#"$prefix"}")
    elif [[ $cur == -* ]]; then
        mapfile -t candidates < <(compgen -W "$_fanout_options" -- "$cur")
    else
        local fanout=${words[0]}
        [[ $fanout == \~/* ]] && fanout=$HOME/${fanout#\~/}
        type -P -- "$fanout" >/dev/null || fanout=fanout
        mapfile -t candidates < <(_fanout_job_names "$fanout" "$file" "$cur")
    fi

    # Readline replaces only what follows the last word-breaking character
    # of the word (`=` of --pool=, `:` of a member's name): drop what comes
    # before it from each candidate.
    local breaks='' kept=$cur
    [[ $COMP_WORDBREAKS == *=* ]] && breaks+='='
    [[ $COMP_WORDBREAKS == *:* ]] && breaks+=':'
    [[ -n $breaks ]] && kept=${cur##*["$breaks"]}
    local drop=$((${#cur} - ${#kept}))
    COMPREPLY=()
    for word in "${candidates[@]}"; do
        COMPREPLY+=("${prefix}${word}")
        COMPREPLY[-1]=${COMPREPLY[-1]:drop}
    done
}

complete -F _fanout fanout
