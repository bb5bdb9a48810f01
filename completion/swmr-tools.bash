# bash completion for swmr-append and swmr-watch (swmr-tools), on top of
# the bash-completion package: options, the fixed values of options, files,
# and the datasets of the FILE typed before, which `swmr-watch --list`
# names.
#
# `make install` puts this file in bash-completion's completions folder as
# swmr-watch, and swmr-append as a link to it: bash-completion loads a
# file by the name of the command being completed, and this one sets up
# both commands.
#
# The option lists below are written out, not read from --help at each
# TAB; tests/integration/completion.bats fails when they and --help differ.
#
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)), as bash-completion
# does: the words offered here hold no blanks or glob characters.

# Endings of HDF5 file names (swmr-watch's HDF5_SUFFIXES): offered first
# for FILE.
_swmr_tools_h5='h5|hdf5|hdf|he5|nxs|nx5|cxi'

# Each tool's long options that take no value, those that take one
# (offered as --name=), and the letters of its short options that take one.
_swmr_append_flags='--header --skip-bad --timestamp --append --force
    --debug --progress --quiet --verbose --help --usage --version'
_swmr_append_valued='--columns --delimiter --input-format --input --type
    --attr --attr-string --chunk --compress --flush-interval --flush-rows'
_swmr_append_short_valued=it
_swmr_append_types='int8 int16 int32 int64 uint8 uint16 uint32 uint64
    float32 float64'

_swmr_watch_flags='--values --poll --wait --follow --once --list --quiet
    --verbose --debug --help --usage --version'
_swmr_watch_valued='--format --fields --last --min-interval --interval
    --until --count --timeout'
_swmr_watch_short_valued=oun

# The long option that WORD ($1) names among OPTIONS ($2), into REPLY:
# itself, or the one option it begins (argp takes "--app" for --append).
_swmr_tools_long()
{
    local option match='' n=0
    for option in $2; do
        [[ $option == "$1" ]] && REPLY=$option && return 0
        [[ $option == "$1"* ]] && match=$option && ((n++))
    done
    ((n == 1)) && REPLY=$match
}

# The words before the cursor, read as argp reads them, for the tool $1
# (swmr_append or swmr_watch): its arguments (FILE, DATASET) into the
# array args, every option given (long ones in full) into given, and into
# value_of the option whose value the word at the cursor is, if any. Sets
# dashdash when "--" came (options end there).
_swmr_tools_walk()
{
    local flags=_$1_flags valued=_$1_valued short=_$1_short_valued
    flags=${!flags} valued=${!valued} short=${!short}
    local i k word name
    args=() given=() value_of='' dashdash=false
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ $word == -- ]]; then
            dashdash=true
            args+=("${words[@]:i+1:cword-i-1}")
            break
        elif [[ $word == --?* ]]; then
            _swmr_tools_long "${word%%=*}" "$flags $valued" || continue
            name=$REPLY
            given+=("$name")
            if [[ $word != *=* && " $valued " == *[[:space:]]"$name"[[:space:]]* ]]; then
                ((++i == cword)) && value_of=$name
            fi
        elif [[ $word == -?* ]]; then
            # A cluster of short options (-qa); the first one that takes a
            # value takes the rest of the word, or the next word.
            for ((k = 1; k < ${#word}; k++)); do
                given+=("-${word:k:1}")
                [[ $short == *"${word:k:1}"* ]] || continue
                if ((k == ${#word} - 1)); then
                    ((++i == cword)) && value_of=-${word:k:1}
                fi
                break
            done
        else
            args+=("$word")
        fi
    done
}

# Were any of the options $@ given (in the array given)?
_swmr_tools_given()
{
    local option
    for option; do
        [[ " ${given[*]} " == *" $option "* ]] && return 0
    done
    return 1
}

# The long options of tool $1 that begin cur; those that take a value end
# in "=" and get no space after them, as in _longopt.
_swmr_tools_options()
{
    local flags=_$1_flags valued=_$1_valued option all
    all=${!flags}
    for option in ${!valued}; do
        all+=" $option="
    done
    COMPREPLY=($(compgen -W "$all" -- "$cur"))
    [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
}

# FILE: HDF5 files (and folders) first; any file when none begins cur.
_swmr_tools_files()
{
    local reply
    _filedir "$_swmr_tools_h5"
    for reply in "${COMPREPLY[@]}"; do
        [[ -d $reply ]] || return 0
    done
    COMPREPLY=()
    _filedir
}

# A comma list of types (-t float64,int32): the type after the last comma.
_swmr_tools_types()
{
    local before=
    [[ $cur == *,* ]] && before=${cur%,*},
    COMPREPLY=($(compgen -P "$before" -W "$_swmr_append_types" \
        -- "${cur##*,}"))
}

# WORD ($1) as the shell will pass it, into REPLY, for what people type:
# quotes ('...', "..."), backslashes, a leading ~/ and $NAME or ${NAME}.
# Completion only reads words: anything the shell would have to run
# ($(...), `...`, $((...))) makes it false; nothing is evaluated, unlike
# bash-completion's dequote.
_swmr_tools_dequote()
{
    local word=$1 out='' c quote=
    [[ $word == *\`* ]] && return 1
    if [[ $word == \~ || $word == \~/* ]]; then
        out=$HOME
        word=${word:1}
    fi
    while [[ $word ]]; do
        c=${word:0:1}
        word=${word:1}
        if [[ $quote == "'" ]]; then
            [[ $c == "'" ]] && quote= || out+=$c
        elif [[ $c == '"' ]]; then
            [[ $quote ]] && quote= || quote=$c
        elif [[ $c == "'" && ! $quote ]]; then
            quote=$c
        elif [[ $c == \\ && (! $quote || ${word:0:1} == [\"\\\$]) ]]; then
            out+=${word:0:1}
            word=${word:1}
        elif [[ $c == \$ ]]; then
            [[ $word =~ ^\{([A-Za-z_][A-Za-z0-9_]*)\}|^([A-Za-z_][A-Za-z0-9_]*) ]] ||
                return 1
            c=${BASH_REMATCH[1]}${BASH_REMATCH[2]}
            out+=${!c-}
            word=${word:${#BASH_REMATCH[0]}}
        else
            out+=$c
        fi
    done
    REPLY=$out
}

# The longest part of PATH ($1) before a "/" that is a regular file, into
# REPLY, as swmr-watch splits FILE/DATASET ("run.h5/grp/x": run.h5); false
# if there is none, or PATH is itself a file.
_swmr_tools_split()
{
    local file=$1
    [[ -f $file ]] && return 1
    while [[ $file == ?*/* ]]; do
        file=${file%/*}
        [[ -f $file ]] && REPLY=$file && return 0
    done
    return 1
}

# Complete cur, which is TYPED ($3) and then a dataset path, with the
# datasets of FILE ($2, dequoted) that can grow, as HDF5 paths complete in
# the way files do: a group's name and a "/" first, then what is in it.
# They come from swmr-watch --list in the command's own folder ($1), in
# PATH otherwise, given 2 seconds: a hung file system must not hang the
# shell. Names are absolute when cur is ("/grp/x"), else relative.
_swmr_tools_datasets()
{
    local watch=swmr-watch path line name rest
    local -A seen=()
    [[ $1 == */* ]] && watch=${1%/*}/swmr-watch
    _swmr_tools_dequote "$cur" || return
    path=${REPLY#"$3"}
    while IFS= read -r line; do
        printf -v name %b "$line"   # --list escapes as C does (\n, \\)
        [[ $path == /* ]] || name=${name#/}
        [[ $name == "$path"* ]] || continue
        rest=${name#"$path"}
        [[ $rest == */* ]] && name=$path${rest%%/*}/
        [[ ${seen[$name]-} ]] && continue
        seen[$name]=1
        COMPREPLY+=("$3$name")
    done < <(timeout -k 1 2 "$watch" --list --quiet -- "$2" 2>/dev/null)
    ((${#COMPREPLY[@]})) || return
    # A group gets no space after it.
    [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == */ ]] &&
        compopt -o nospace 2>/dev/null
    _swmr_tools_quote
}

# Have the paths in COMPREPLY quoted as readline quotes file names (also
# inside a quote the user opened) with -o filenames. Not when one of them
# is also a folder here: readline would add a "/" to it ("data/" for
# dataset data beside a folder data); then they are quoted here instead.
_swmr_tools_quote()
{
    local reply i
    for reply in "${COMPREPLY[@]}"; do
        [[ -d $reply ]] || continue
        for i in "${!COMPREPLY[@]}"; do
            printf -v "COMPREPLY[i]" %q "${COMPREPLY[i]}"
        done
        return
    done
    compopt -o filenames 2>/dev/null
}

# What both tools' completions begin with, for the tool $1, setting their
# locals: the words (_init_completion), what they are (_swmr_tools_walk),
# and value_of also for --name=VALUE. False when bash-completion has done
# the completion already (a redirection, a variable's name).
_swmr_tools_start()
{
    _init_completion -s -n : || return
    _swmr_tools_walk "$1"
    local valued=_$1_valued
    if $split && _swmr_tools_long "$prev" "${!valued}"; then
        value_of=$REPLY
    fi
}

_swmr_append()
{
    local cur prev words cword split args given value_of dashdash REPLY
    _swmr_tools_start swmr_append || return
    case $value_of in
        -t | --type) _swmr_tools_types ;;
        --input-format) COMPREPLY=($(compgen -W 'text binary' -- "$cur")) ;;
        --delimiter) COMPREPLY=($(compgen -W 'tab space' -- "$cur")) ;;
        --compress) COMPREPLY=($(compgen -W '0 1 2 3 4 5 6 7 8 9' -- "$cur")) ;;
        -i | --input) _filedir ;;
    esac
    [[ $value_of ]] || $split && return
    if [[ $cur == -* ]] && ! $dashdash; then
        _swmr_tools_options swmr_append
    elif ((${#args[@]} == 0)); then
        _swmr_tools_files
    elif ((${#args[@]} == 1)) && _swmr_tools_given -a --append &&
        _swmr_tools_dequote "${args[0]}"; then
        # Only --append opens an existing FILE: without it FILE is new,
        # and so is DATASET.
        _swmr_tools_datasets "$1" "$REPLY" ""
    fi
    __ltrim_colon_completions "$cur"
}

_swmr_watch()
{
    local cur prev words cword split args given value_of dashdash REPLY
    _swmr_tools_start swmr_watch || return
    case $value_of in
        -o | --format) COMPREPLY=($(compgen -W 'text tsv json' -- "$cur")) ;;
        --last) COMPREPLY=($(compgen -W 'all' -- "$cur")) ;;
    esac
    [[ $value_of ]] || $split && return
    local listing=false
    _swmr_tools_given -l --list && listing=true
    if [[ $cur == -* ]] && ! $dashdash; then
        _swmr_tools_options swmr_watch
    elif ((${#args[@]} == 0)); then
        # FILE, or FILE/DATASET (h5watch's form) once FILE/ is typed.
        if ! $listing && _swmr_tools_dequote "$cur" &&
            _swmr_tools_split "$REPLY"; then
            _swmr_tools_datasets "$1" "$REPLY" "$REPLY/"
        else
            _swmr_tools_files
        fi
    elif ! $listing && _swmr_tools_dequote "${args[0]}"; then
        # DATASET...: of FILE, or of FILE/DATASET's FILE.
        local file=$REPLY
        _swmr_tools_split "$file" && file=$REPLY
        _swmr_tools_datasets "$1" "$file" ""
    fi
    __ltrim_colon_completions "$cur"
}

complete -F _swmr_append swmr-append
complete -F _swmr_watch swmr-watch
