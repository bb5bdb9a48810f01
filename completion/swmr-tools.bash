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

# Names. A word typed as $NAME is read as the user's variable NAME, and
# bash's variables are dynamically scoped: a local of any function on the
# stack would hide the user's variable of the same name. So every local
# here is named _swmr_*, and results come back in _swmr_reply; only the
# locals bash-completion's _init_completion fills in (cur, prev, words,
# cword, split) keep their names, and _swmr_tools_variable uncovers them.

# The long option that WORD ($1) names among OPTIONS ($2), into
# _swmr_reply: itself, or the one option it begins (argp takes "--app" for
# --append).
_swmr_tools_long()
{
    local _swmr_option _swmr_match='' _swmr_n=0
    for _swmr_option in $2; do
        [[ $_swmr_option == "$1" ]] && _swmr_reply=$_swmr_option && return 0
        [[ $_swmr_option == "$1"* ]] && _swmr_match=$_swmr_option && ((_swmr_n++))
    done
    ((_swmr_n == 1)) && _swmr_reply=$_swmr_match
}

# The words before the cursor, read as argp reads them, for the tool $1
# (swmr_append or swmr_watch): its arguments (FILE, DATASET) into the
# array _swmr_args, every option given (long ones in full) into
# _swmr_given, and into _swmr_value_of the option whose value the word at
# the cursor is, if any. Sets _swmr_dashdash when "--" came (options end
# there).
_swmr_tools_walk()
{
    local _swmr_flags=_$1_flags _swmr_valued=_$1_valued _swmr_short=_$1_short_valued
    _swmr_flags=${!_swmr_flags} _swmr_valued=${!_swmr_valued} _swmr_short=${!_swmr_short}
    local _swmr_i _swmr_k _swmr_word _swmr_name
    _swmr_args=() _swmr_given=() _swmr_value_of='' _swmr_dashdash=false
    for ((_swmr_i = 1; _swmr_i < cword; _swmr_i++)); do
        _swmr_word=${words[_swmr_i]}
        if [[ $_swmr_word == -- ]]; then
            _swmr_dashdash=true
            _swmr_args+=("${words[@]:_swmr_i+1:cword-_swmr_i-1}")
            break
        elif [[ $_swmr_word == --?* ]]; then
            _swmr_tools_long "${_swmr_word%%=*}" "$_swmr_flags $_swmr_valued" ||
                continue
            _swmr_name=$_swmr_reply
            _swmr_given+=("$_swmr_name")
            if [[ $_swmr_word != *=* &&
                " $_swmr_valued " == *[[:space:]]"$_swmr_name"[[:space:]]* ]]; then
                ((++_swmr_i == cword)) && _swmr_value_of=$_swmr_name
            fi
        elif [[ $_swmr_word == -?* ]]; then
            # A cluster of short options (-qa); the first one that takes a
            # value takes the rest of the word, or the next word.
            for ((_swmr_k = 1; _swmr_k < ${#_swmr_word}; _swmr_k++)); do
                _swmr_given+=("-${_swmr_word:_swmr_k:1}")
                [[ $_swmr_short == *"${_swmr_word:_swmr_k:1}"* ]] || continue
                if ((_swmr_k == ${#_swmr_word} - 1)); then
                    ((++_swmr_i == cword)) && _swmr_value_of=-${_swmr_word:_swmr_k:1}
                fi
                break
            done
        else
            _swmr_args+=("$_swmr_word")
        fi
    done
}

# Were any of the options $@ given (in the array _swmr_given)?
_swmr_tools_given()
{
    local _swmr_option
    for _swmr_option; do
        [[ " ${_swmr_given[*]} " == *" $_swmr_option "* ]] && return 0
    done
    return 1
}

# The long options of tool $1 that begin cur; those that take a value end
# in "=" and get no space after them, as in _longopt.
_swmr_tools_options()
{
    local _swmr_flags=_$1_flags _swmr_valued=_$1_valued _swmr_option _swmr_all
    _swmr_all=${!_swmr_flags}
    for _swmr_option in ${!_swmr_valued}; do
        _swmr_all+=" $_swmr_option="
    done
    COMPREPLY=($(compgen -W "$_swmr_all" -- "$cur"))
    [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
}

# FILE: HDF5 files (and folders) first; any file when none begins cur.
_swmr_tools_files()
{
    local _swmr_r
    _filedir "$_swmr_tools_h5"
    for _swmr_r in "${COMPREPLY[@]}"; do
        [[ -d $_swmr_r ]] || return 0
    done
    COMPREPLY=()
    _filedir
}

# A comma list of types (-t float64,int32): the type after the last comma.
_swmr_tools_types()
{
    local _swmr_before=
    [[ $cur == *,* ]] && _swmr_before=${cur%,*},
    COMPREPLY=($(compgen -P "$_swmr_before" -W "$_swmr_append_types" \
        -- "${cur##*,}"))
}

# The value of the user's shell variable $1 (unset: empty), into
# _swmr_reply, unhidden by the locals of the completion: in a subshell,
# cur, prev, words, cword and split are unset from below the function that
# made them local, which uncovers the variables they hid (bash's dynamic
# unset, which bash-completion's _upvars relies on too; not with bash
# 5.1's localvar_unset, so it is turned off, only in the subshell).
_swmr_tools_variable()
{
    _swmr_reply=$(shopt -u localvar_unset 2>/dev/null
        _swmr_tools_unhide cur prev words cword split
        printf '%s.' "${!1-}")
    _swmr_reply=${_swmr_reply%.}
}

_swmr_tools_unhide()
{
    unset -v "$@"
}

# WORD ($1) as the shell will pass it, into _swmr_reply, for what people
# type: quotes ('...', "..."), backslashes, a leading ~/ and $NAME or
# ${NAME}. Completion only reads words: anything the shell would have to
# run ($(...), `...`, $((...))) makes it false; nothing is evaluated,
# unlike bash-completion's dequote.
_swmr_tools_dequote()
{
    local _swmr_word=$1 _swmr_out='' _swmr_c _swmr_quote=
    [[ $_swmr_word == *\`* ]] && return 1
    if [[ $_swmr_word == \~ || $_swmr_word == \~/* ]]; then
        _swmr_out=$HOME
        _swmr_word=${_swmr_word:1}
    fi
    while [[ $_swmr_word ]]; do
        _swmr_c=${_swmr_word:0:1}
        _swmr_word=${_swmr_word:1}
        if [[ $_swmr_quote == "'" ]]; then
            [[ $_swmr_c == "'" ]] && _swmr_quote= || _swmr_out+=$_swmr_c
        elif [[ $_swmr_c == '"' ]]; then
            [[ $_swmr_quote ]] && _swmr_quote= || _swmr_quote=$_swmr_c
        elif [[ $_swmr_c == "'" && ! $_swmr_quote ]]; then
            _swmr_quote=$_swmr_c
        elif [[ $_swmr_c == \\ &&
            (! $_swmr_quote || ${_swmr_word:0:1} == [\"\\\$]) ]]; then
            _swmr_out+=${_swmr_word:0:1}
            _swmr_word=${_swmr_word:1}
        elif [[ $_swmr_c == \$ ]]; then
            [[ $_swmr_word =~ ^\{([A-Za-z_][A-Za-z0-9_]*)\}|^([A-Za-z_][A-Za-z0-9_]*) ]] ||
                return 1
            _swmr_word=${_swmr_word:${#BASH_REMATCH[0]}}
            _swmr_tools_variable "${BASH_REMATCH[1]}${BASH_REMATCH[2]}"
            _swmr_out+=$_swmr_reply
        else
            _swmr_out+=$_swmr_c
        fi
    done
    _swmr_reply=$_swmr_out
}

# The longest part of PATH ($1) before a "/" that is a regular file, into
# _swmr_reply, as swmr-watch splits FILE/DATASET ("run.h5/grp/x": run.h5);
# false if there is none, or PATH is itself a file.
_swmr_tools_split()
{
    local _swmr_file=$1
    [[ -f $_swmr_file ]] && return 1
    while [[ $_swmr_file == ?*/* ]]; do
        _swmr_file=${_swmr_file%/*}
        [[ -f $_swmr_file ]] && _swmr_reply=$_swmr_file && return 0
    done
    return 1
}

# Complete cur, which is TYPED ($3) and then a dataset path, with the
# datasets of FILE ($2, dequoted) that can grow, as HDF5 paths complete in
# the way files do: a group's name and a "/" first, then what is in it.
# They come from swmr-watch --list in the folder of the command as typed
# ($1, dequoted: "~/bin/swmr-append" runs ~/bin/swmr-watch), in PATH
# otherwise, given 2 seconds: a hung file system must not hang the shell.
# Names are absolute when cur is ("/grp/x"), else relative.
_swmr_tools_datasets()
{
    local _swmr_lister=swmr-watch _swmr_path _swmr_line _swmr_name _swmr_rest
    local -A _swmr_seen=()
    [[ $1 == */* ]] && _swmr_tools_dequote "${1%/*}" &&
        _swmr_lister=$_swmr_reply/swmr-watch
    _swmr_tools_dequote "$cur" || return
    _swmr_path=${_swmr_reply#"$3"}
    while IFS= read -r _swmr_line; do
        printf -v _swmr_name %b "$_swmr_line"   # --list escapes as C does (\n, \\)
        [[ $_swmr_path == /* ]] || _swmr_name=${_swmr_name#/}
        [[ $_swmr_name == "$_swmr_path"* ]] || continue
        _swmr_rest=${_swmr_name#"$_swmr_path"}
        [[ $_swmr_rest == */* ]] && _swmr_name=$_swmr_path${_swmr_rest%%/*}/
        [[ ${_swmr_seen[$_swmr_name]-} ]] && continue
        _swmr_seen[$_swmr_name]=1
        COMPREPLY+=("$3$_swmr_name")
    done < <(timeout -k 1 2 "$_swmr_lister" --list --quiet -- "$2" 2>/dev/null)
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
    local _swmr_r _swmr_i
    for _swmr_r in "${COMPREPLY[@]}"; do
        [[ -d $_swmr_r ]] || continue
        for _swmr_i in "${!COMPREPLY[@]}"; do
            printf -v "COMPREPLY[_swmr_i]" %q "${COMPREPLY[_swmr_i]}"
        done
        return
    done
    compopt -o filenames 2>/dev/null
}

# What both tools' completions begin with, for the tool $1, setting their
# locals: the words (_init_completion), what they are (_swmr_tools_walk),
# and _swmr_value_of also for --name=VALUE. False when bash-completion has
# done the completion already (a redirection, a variable's name).
_swmr_tools_start()
{
    _init_completion -s -n : || return
    _swmr_tools_walk "$1"
    local _swmr_valued=_$1_valued
    if $split && _swmr_tools_long "$prev" "${!_swmr_valued}"; then
        _swmr_value_of=$_swmr_reply
    fi
}

_swmr_append()
{
    local cur prev words cword split
    local _swmr_args _swmr_given _swmr_value_of _swmr_dashdash _swmr_reply
    _swmr_tools_start swmr_append || return
    case $_swmr_value_of in
        -t | --type) _swmr_tools_types ;;
        --input-format) COMPREPLY=($(compgen -W 'text binary' -- "$cur")) ;;
        --delimiter) COMPREPLY=($(compgen -W 'tab space' -- "$cur")) ;;
        --compress) COMPREPLY=($(compgen -W '0 1 2 3 4 5 6 7 8 9' -- "$cur")) ;;
        -i | --input) _filedir ;;
    esac
    [[ $_swmr_value_of ]] || $split && return
    if [[ $cur == -* ]] && ! $_swmr_dashdash; then
        _swmr_tools_options swmr_append
    elif ((${#_swmr_args[@]} == 0)); then
        _swmr_tools_files
    elif ((${#_swmr_args[@]} == 1)) && _swmr_tools_given -a --append &&
        _swmr_tools_dequote "${_swmr_args[0]}"; then
        # Only --append opens an existing FILE: without it FILE is new,
        # and so is DATASET.
        _swmr_tools_datasets "$1" "$_swmr_reply" ""
    fi
    __ltrim_colon_completions "$cur"
}

_swmr_watch()
{
    local cur prev words cword split
    local _swmr_args _swmr_given _swmr_value_of _swmr_dashdash _swmr_reply
    _swmr_tools_start swmr_watch || return
    case $_swmr_value_of in
        -o | --format) COMPREPLY=($(compgen -W 'text tsv json' -- "$cur")) ;;
        --last) COMPREPLY=($(compgen -W 'all' -- "$cur")) ;;
    esac
    [[ $_swmr_value_of ]] || $split && return
    local _swmr_listing=false _swmr_file
    _swmr_tools_given -l --list && _swmr_listing=true
    if [[ $cur == -* ]] && ! $_swmr_dashdash; then
        _swmr_tools_options swmr_watch
    elif ((${#_swmr_args[@]} == 0)); then
        # FILE, or FILE/DATASET (h5watch's form) once FILE/ is typed.
        if ! $_swmr_listing && _swmr_tools_dequote "$cur" &&
            _swmr_tools_split "$_swmr_reply"; then
            _swmr_tools_datasets "$1" "$_swmr_reply" "$_swmr_reply/"
        else
            _swmr_tools_files
        fi
    elif ! $_swmr_listing && _swmr_tools_dequote "${_swmr_args[0]}"; then
        # DATASET...: of FILE, or of FILE/DATASET's FILE.
        _swmr_file=$_swmr_reply
        _swmr_tools_split "$_swmr_file" && _swmr_file=$_swmr_reply
        _swmr_tools_datasets "$1" "$_swmr_file" ""
    fi
    __ltrim_colon_completions "$cur"
}

complete -F _swmr_append swmr-append
complete -F _swmr_watch swmr-watch
