# Completes a command line the way bash does at a prompt, without a
# terminal: bash completion_driver.bash SCRIPT LINE.
# Loads bash-completion, then SCRIPT (or, when SCRIPT is empty, lets
# bash-completion's loader find the command's file through XDG_DATA_DIRS,
# as an interactive shell does), splits LINE into COMP_WORDS as readline
# does (at blanks outside quotes, and at "=" and ":", which are in
# COMP_WORDBREAKS), calls the command's completion function with the
# cursor at the end of LINE and prints its replies, one a line, sorted
# (one with a control character quoted as by printf %q). compopt options the function sets are appended to compopt.log in
# the current folder (no completion is running, so the builtin would fail).
# DRIVER_SET: NAME=VALUE lines, shell variables set (not exported) once
# everything is loaded, as a user sets them at the prompt (bash-completion
# unsets a few names, i among them, while it loads). The driver's own
# variables are named _driver_*, so that they hide none of them.
# shellcheck source=/dev/null # bash-completion, and the script under test
source /usr/share/bash-completion/bash_completion
# shellcheck source=/dev/null
[[ $1 ]] && source "$1"
_driver_line=$2
while IFS= read -r _driver_set; do
    [[ $_driver_set ]] && declare -- "$_driver_set"
done <<<"${DRIVER_SET-}"
unset DRIVER_SET _driver_set

compopt() {
    local IFS=' '   # _filedir calls it with IFS set to a newline
    printf '%s\n' "$*" >>compopt.log
}

# LINE into COMP_WORDS: quotes and backslashes keep characters in a word;
# a run of "=" or ":" is a word of its own ("--type=" ends with the word
# "="); a blank at the end of LINE starts an empty word.
split_line() {
    local i c word='' quote='' breaking ended
    COMP_WORDS=()
    for ((i = 0; i < ${#_driver_line}; i++)); do
        c=${_driver_line:i:1}
        if [[ $quote ]]; then
            word+=$c
            [[ $c == "$quote" ]] && quote=
        elif [[ $c == \\ ]]; then
            word+=$c${_driver_line:i+1:1}
            ((i++))
        elif [[ $c == [[:blank:]] ]]; then
            [[ $word ]] && COMP_WORDS+=("$word")
            word=
        else
            # A word ends where a run of "=" or ":" starts or stops.
            breaking=false ended=false
            [[ $c == [=:] ]] && breaking=true
            [[ $word == *[=:] ]] && ended=true
            if [[ $word && $breaking != "$ended" ]]; then
                COMP_WORDS+=("$word")
                word=
            fi
            [[ $c == [\"\'] ]] && quote=$c
            word+=$c
        fi
    done
    COMP_WORDS+=("$word")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
}

split_line
COMP_LINE=$_driver_line
COMP_POINT=${#_driver_line}
_driver_command=${COMP_WORDS[0]}
# As bash looks a compspec up: the command as typed, then its last part;
# bash-completion's loader when there is none.
_driver_spec=$(complete -p "$_driver_command" 2>/dev/null ||
    complete -p "${_driver_command##*/}" 2>/dev/null)
if [[ ! $_driver_spec ]]; then
    __load_completion "${_driver_command##*/}" || exit 1
    _driver_spec=$(complete -p "${_driver_command##*/}")
fi
[[ $_driver_spec =~ -F\ ([^ ]+) ]] || exit 1
"${BASH_REMATCH[1]}" "$_driver_command" "${COMP_WORDS[COMP_CWORD]}" \
    "${COMP_WORDS[COMP_CWORD - 1]}"
for _driver_reply in "${COMPREPLY[@]}"; do
    [[ $_driver_reply == *[[:cntrl:]]* ]] && printf '%q\n' "$_driver_reply" ||
        printf '%s\n' "$_driver_reply"
done | LC_ALL=C sort
