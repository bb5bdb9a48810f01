#!/usr/bin/env bats
# Bash completion of both tools (completion/swmr-tools.bash), with Debian's
# bash-completion loaded: option names and fixed values checked against
# --help and the tools themselves, files, the datasets of real files made
# by swmr-append (from swmr-watch --list), where make install puts it, and
# a real interactive bash in tmux.

load helper

TOP=$BATS_TEST_DIRNAME/../..
SCRIPT=$TOP/completion/swmr-tools.bash

# complete_line LINE: what TAB at the end of LINE offers, one a line
# (completion_driver.bash), our tools first in PATH. compopt.log has the
# options the completion set.
complete_line() {
    rm -f compopt.log
    PATH="$SWMR_BIN:$PATH" bash --norc --noprofile \
        "$BATS_TEST_DIRNAME/completion_driver.bash" "$SCRIPT" "$1"
}

# help_long TOOL: its long options as its --help lists them, sorted, those
# that take a value in the next word as "--name=" (not --skip-bad[=N]).
help_long() {
    "$SWMR_BIN/$1" --help | grep -oE '^ +(-[[:alnum:]?], )?--[a-z-]+=?' |
        grep -oE -- '--[a-z-]+=?' | LC_ALL=C sort
}

# help_short_valued TOOL: the letters of its short options that take a
# value, as its --help lists them, one a line, sorted.
help_short_valued() {
    "$SWMR_BIN/$1" --help | grep -oE '^ +-[[:alnum:]], --[a-z-]+=' |
        grep -oE -- '-[[:alnum:]],' | tr -d ',-' | LC_ALL=C sort
}

teardown() {
    [ -S tmux.sock ] && tmux -S tmux.sock kill-server 2>/dev/null
    return 0
}

@test "completion: the long options offered are those of --help, valued ones as --name=" {
    for tool in swmr-append swmr-watch; do
        run complete_line "$tool --"
        assert_success
        assert_output "$(help_long "$tool")"
        [ "${#lines[@]}" -ge 15 ]
    done
    run complete_line "swmr-watch --li"
    assert_output "--list"
    run complete_line "swmr-append --ty"
    assert_output "--type="
    grep -qx -- "-o nospace" compopt.log
}

@test "completion: the short options that take a value are those of --help" {
    for tool in swmr-append swmr-watch; do
        list=$(bash -c 'source "$1"; v=_${2//-/_}_short_valued; echo "${!v}"' \
            _ "$SCRIPT" "$tool" | grep -o . | LC_ALL=C sort)
        assert_equal "$list" "$(help_short_valued "$tool")"
    done
    # Their value is the next word: FILE comes after it.
    seq 3 | swmr_append run.h5
    run complete_line "swmr-append -i notes r"
    assert_output "run.h5"
    run complete_line "swmr-append -qt int8 r"
    assert_output "run.h5"
    run complete_line "swmr-watch -n 3 -o json r"
    assert_output "run.h5"
}

@test "completion: -t offers the types of --help, each accepted by swmr-append, and completes comma lists" {
    help_types=$("$SWMR_BIN/swmr-append" --help | tr -s ' \n' '  ' |
        grep -oE 'Element type: [a-z0-9, ]+ \(' | sed 's/Element type: //; s/ (//' |
        tr -d ',' | tr ' ' '\n' | LC_ALL=C sort)
    [ -n "$help_types" ]
    run complete_line "swmr-append -t "
    assert_output "$help_types"
    for type in $output; do
        echo 1 | swmr_append -t "$type" "t_$type.h5"
    done
    run complete_line "swmr-append -t float64,ui"
    assert_output "float64,uint16
float64,uint32
float64,uint64
float64,uint8"
    run complete_line "swmr-append --type=int8,float"
    assert_output "int8,float32
int8,float64"
    run complete_line "swmr-append --ty=fl"
    assert_output "float32
float64"
}

@test "completion: fixed values of --format, --input-format, --delimiter, --last, --compress, each accepted" {
    seq 3 | swmr_append run.h5
    run complete_line "swmr-watch --format="
    assert_output "json
text
tsv"
    for format in $output; do
        swmr_watch --once --format="$format" run.h5 >/dev/null
    done
    run complete_line "swmr-watch -o t"
    assert_output "text
tsv"
    run complete_line "swmr-append --input-format "
    assert_output "binary
text"
    echo 1 | swmr_append --input-format=text text.h5
    printf '\0\0\0\0\0\0\360\77' | swmr_append --input-format=binary binary.h5
    run complete_line "swmr-append --delimiter="
    assert_output "space
tab"
    printf '1\t2\n' | swmr_append --delimiter=tab tab.h5
    printf '1 2\n' | swmr_append --delimiter=space space.h5
    run complete_line "swmr-watch --last "
    assert_output "all"
    run complete_line "swmr-append --compress="
    assert_output "$(seq 0 9)"
}

@test "completion: a value with nothing fixed to offer gets nothing, not files" {
    seq 3 | swmr_append run.h5
    for line in "swmr-append --chunk " "swmr-append --columns=" \
        "swmr-append --attr " "swmr-watch --until " "swmr-watch --interval=" \
        "swmr-watch --fields " "swmr-append --header=" "swmr-append --nosuch="; do
        run complete_line "$line"
        assert_success
        assert_output ""
    done
}

@test "completion: FILE offers HDF5 files and folders first, any file when none fits" {
    seq 3 | swmr_append run.h5
    seq 3 | swmr_append other.nxs
    echo 1 >notes.txt
    mkdir sub
    for tool in swmr-append swmr-watch; do
        run complete_line "$tool "
        assert_output "other.nxs
run.h5
sub"
        grep -qx -- "-o filenames" compopt.log
    done
    run complete_line "swmr-watch n"
    assert_output "notes.txt"
    # -i is any input file.
    run complete_line "swmr-append -i "
    assert_output "notes.txt
other.nxs
run.h5
sub"
}

@test "completion: DATASET offers the datasets of FILE level by level, as paths of files complete" {
    make_run_file
    run complete_line "swmr-watch run.h5 "
    assert_output "data
grp/
odd name"
    grep -qx -- "-o filenames" compopt.log
    run complete_line "swmr-watch run.h5 gr"
    assert_output "grp/"
    grep -qx -- "-o nospace" compopt.log
    run complete_line "swmr-watch run.h5 grp/sub/"
    assert_output "grp/sub/x"
    run grep -qx -- "-o nospace" compopt.log
    assert_failure
    run complete_line "swmr-watch -q --format=json run.h5 data o"
    assert_output "odd name"
    run complete_line "swmr-watch run.h5 /"
    assert_output "/data
/grp/
/odd name"
    run complete_line "swmr-watch run.h5 x"
    assert_output ""
}

@test "completion: a dataset named as a folder here gets no \"/\" (quoted by the script, not readline)" {
    make_run_file
    mkdir data
    run complete_line "swmr-watch run.h5 "
    assert_output "data
grp/
odd\\ name"
    run grep -qx -- "-o filenames" compopt.log
    assert_failure
    run complete_line "swmr-watch run.h5 o"
    assert_output "odd name"
    grep -qx -- "-o filenames" compopt.log
}

@test "completion: swmr-append offers the datasets of FILE only with --append" {
    make_run_file
    run complete_line "swmr-append -a run.h5 "
    assert_output "data
grp/
odd name"
    run complete_line "swmr-append --app -t int8 run.h5 d"
    assert_output "data"
    run complete_line "swmr-append -qa run.h5 grp/s"
    assert_output "grp/sub/"
    run complete_line "swmr-append --append -- run.h5 d"
    assert_output "data"
    run complete_line "swmr-append run.h5 "
    assert_output ""
    run complete_line "swmr-append --force run.h5 d"
    assert_output ""
    run complete_line "swmr-append -a run.h5 data "
    assert_output ""
}

@test "completion: swmr-watch's FILE/DATASET form, and nothing after --list FILE" {
    make_run_file
    mkdir sub
    make_run_file sub/in.h5
    run complete_line "swmr-watch run.h5/"
    assert_output "run.h5/data
run.h5/grp/
run.h5/odd name"
    run complete_line "swmr-watch sub/in.h5/grp/"
    assert_output "sub/in.h5/grp/sub/"
    run complete_line "swmr-watch run.h5/data "
    assert_output "data
grp/
odd name"
    run complete_line "swmr-watch --list run.h5 "
    assert_output ""
    run complete_line "swmr-watch -l run.h5/"
    assert_output ""
}

@test "completion: FILE as typed with quotes, backslashes, ~ and \$VAR; never run" {
    make_run_file "my run.h5"
    for file in "'my run.h5'" '"my run.h5"' 'my\ run.h5' '~/my\ run.h5' \
        '"$DIR/my run.h5"' '${DIR}/my\ run.h5'; do
        run env HOME="$PWD" DIR="$PWD" bash -c 'rm -f compopt.log
            PATH="$1:$PATH" bash --norc --noprofile "$2" "$3" "$4"' _ \
            "$SWMR_BIN" "$BATS_TEST_DIRNAME/completion_driver.bash" "$SCRIPT" \
            "swmr-watch $file d"
        assert_output "data"
    done
    run complete_line "swmr-watch 'my run.h5'/g"
    assert_output "my run.h5/grp/"
    for file in '$(touch ran)/my\ run.h5' '`touch ran`' '$((1))'; do
        run complete_line "swmr-watch $file "
        assert_success
        assert_output ""
        [ ! -e ran ]
    done
}

# A word's $NAME is the user's variable NAME. bash's variables are
# dynamically scoped: a local of the completion named so would hide it.
@test "completion: \$NAME is the user's variable, whatever the completion names its own" {
    # Every name the completion's functions once had for a local or a
    # result, and the five bash-completion's _init_completion fills in:
    # each set to x, one folder of a path that needs them all.
    names="out word c quote args given value_of dashdash REPLY reply option
        match n flags valued short i k name all before file path line rest
        seen watch listing cur prev words cword split"
    assignments= dir=sub typed=sub braced=sub
    for name in $names; do
        assignments+="$name=x"$'\n'
        dir+=/x
        typed+="/\$$name"
        braced+="/\${$name}"
    done
    mkdir -p "$dir"
    make_run_file "$dir/ex.h5"
    DRIVER_SET=$assignments run complete_line "swmr-watch $typed/ex.h5 d"
    assert_output "data"
    DRIVER_SET=$assignments run complete_line "swmr-append -a $typed/ex.h5 grp/"
    assert_output "grp/sub/"
    DRIVER_SET=$assignments run complete_line "swmr-watch $braced/ex.h5/o"
    assert_output "$dir/ex.h5/odd name"
    # And the next local: every one is named _swmr_*, but those five.
    others=$(sed -nE 's/^[[:space:]]*local( -[[:alpha:]]+)? //p' "$SCRIPT" |
        tr ' ' '\n' | sed 's/=.*//' | grep -v -e '^_swmr_' -e '^$' |
        LC_ALL=C sort -u)
    assert_equal "$others" "$(printf '%s\n' cur cword prev split words)"
}

# Bash finds the completion by the command's last part, and passes the
# command as typed: its folder is read as the shell reads it.
@test "completion: the command as typed (~, quotes, \$NAME) lists with the swmr-watch beside it" {
    make_run_file
    mkdir "my tools"
    ln -s "$SWMR_BIN/swmr-append" "$SWMR_BIN/swmr-watch" "my tools/"
    for command in '~/my\ tools/swmr-append' "'my tools'/swmr-append" \
        '"$DIR"/swmr-append' '${DIR}/swmr-append' 'my\ tools/swmr-append'; do
        run env HOME="$PWD" DIR="$PWD/my tools" PATH=/usr/bin:/bin \
            bash --norc --noprofile "$BATS_TEST_DIRNAME/completion_driver.bash" \
            "$SCRIPT" "$command -a run.h5 d"
        assert_output "data"
    done
    run env HOME="$PWD" PATH=/usr/bin:/bin bash --norc --noprofile \
        "$BATS_TEST_DIRNAME/completion_driver.bash" "$SCRIPT" \
        "~/'my tools'/swmr-watch run.h5 o"
    assert_output "odd name"
    # A folder the shell would have to run something for is not read: the
    # swmr-watch in PATH lists.
    run complete_line '$(mkdir${IFS}ran)/swmr-watch run.h5 d'
    assert_output "data"
    [ ! -e ran ]
}

@test "completion: names with control characters or a backslash complete as themselves" {
    "$PY" - <<'PY'
import h5py
with h5py.File("run.h5", "w", libver="latest") as f:
    for name in ["new\nline", "tab\tx", "back\\slash"]:
        f.create_dataset(name, shape=(0,), maxshape=(None,), chunks=(4,))
PY
    run complete_line "swmr-watch run.h5 "
    assert_output "\$'new\\nline'
\$'tab\\tx'
back\\slash"
}

@test "completion: a FILE --list refuses offers nothing, and says nothing" {
    echo hello >notes.h5
    run complete_line "swmr-watch notes.h5 "
    assert_success
    assert_output ""
    run complete_line "swmr-append -a missing.h5 "
    assert_success
    assert_output ""
}

@test "completion: the command's own swmr-watch lists; one that hangs is given up" {
    make_run_file
    # Not in PATH: the swmr-watch beside the swmr-append typed is used.
    run env PATH=/usr/bin:/bin bash --norc --noprofile \
        "$BATS_TEST_DIRNAME/completion_driver.bash" "$SCRIPT" \
        "$SWMR_BIN/swmr-append -a run.h5 d"
    assert_output "data"
    # A hung file system: swmr-watch never answers. The bound of 60 s
    # only stops a broken test; the completion gives up after 2 s.
    mkdir hung
    printf '#!/bin/sh\nexec sleep 600\n' >hung/swmr-watch
    chmod +x hung/swmr-watch
    run timeout 60 bash --norc --noprofile \
        "$BATS_TEST_DIRNAME/completion_driver.bash" "$SCRIPT" \
        "hung/swmr-watch run.h5 d"
    assert_success
    assert_output ""
}

@test "completion: make install puts it where bash-completion looks, and make uninstall takes it away" {
    dest=$BATS_TEST_TMPDIR/dest
    # BUILD: the tools under test, already built: nothing is compiled.
    run make -C "$TOP" --no-print-directory install DESTDIR="$dest" \
        PREFIX=/usr BUILD="$SWMR_BIN"
    assert_success
    dir=$dest$(pkg-config --variable=completionsdir bash-completion)
    assert_equal "$dir" "$dest/usr/share/bash-completion/completions"
    [ -f "$dir/swmr-watch" ] && [ -e "$dir/swmr-append" ]
    cmp "$dir/swmr-append" "$SCRIPT"
    cmp "$dir/swmr-watch" "$SCRIPT"
    # bash-completion's loader finds each command's file by its name.
    make_run_file
    for line in "swmr-append --appe" "swmr-watch run.h5 d"; do
        run env XDG_DATA_DIRS="$dest/usr/share" \
            BASH_COMPLETION_USER_DIR=/nonexistent PATH="$SWMR_BIN:$PATH" \
            bash --norc --noprofile "$BATS_TEST_DIRNAME/completion_driver.bash" \
            "" "$line"
        assert_success
        [ -n "$output" ]
    done
    assert_output "data"
    run make -C "$TOP" --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr
    assert_success
    [ ! -e "$dir/swmr-watch" ] && [ ! -L "$dir/swmr-append" ]
}

# screen_has TEXT: the last prompt line in the tmux pane ends with TEXT.
screen_has() {
    local line
    line=$(tmux -S tmux.sock capture-pane -p -t t | grep '^\$' | tail -1)
    [[ $line == *"$1" ]]
}

# type_tab KEYS EXPECTED: type KEYS, a TAB and a "@" into the interactive
# bash, wait until its line ends with EXPECTED and the "@" (so that a space
# the completion typed shows; a handshake, the bound of 60 s only stops a
# broken test), then take the "@" back.
type_tab() {
    tmux -S tmux.sock send-keys -t t -l "$1"
    tmux -S tmux.sock send-keys -t t Tab
    tmux -S tmux.sock send-keys -t t -l "@"
    wait_until 60 screen_has "$2@" || {
        tmux -S tmux.sock capture-pane -p -t t | grep '^\$' >&2
        return 1
    }
    tmux -S tmux.sock send-keys -t t BSpace
}

@test "completion: in a real interactive bash (tmux), loaded by bash-completion" {
    command -v tmux >/dev/null || skip "tmux is not installed"
    make_run_file
    mkdir data   # readline would make dataset "data" "data/"
    mkdir -p share/bash-completion/completions
    cp "$SCRIPT" share/bash-completion/completions/swmr-watch
    ln -s swmr-watch share/bash-completion/completions/swmr-append
    cat >rc <<EOF
PS1='\$ '
PATH='$SWMR_BIN':\$PATH
XDG_DATA_DIRS='$PWD/share'
BASH_COMPLETION_USER_DIR=/nonexistent
source /usr/share/bash-completion/bash_completion
EOF
    env -u TMUX INPUTRC=/dev/null tmux -S tmux.sock new-session -d -s t -x 200 -y 20 \
        "bash --noprofile --rcfile rc -i"
    wait_until 60 screen_has '$'
    type_tab "swmr-watch --form" "swmr-watch --format="
    type_tab "j" "swmr-watch --format=json "
    type_tab "run.h5 gr" "run.h5 grp/"
    type_tab "" "run.h5 grp/sub/"
    type_tab "" "run.h5 grp/sub/x "
    tmux -S tmux.sock send-keys -t t C-u
    type_tab "swmr-append -t float64,ui" "swmr-append -t float64,uint"
    type_tab "32 -a run.h5 od" "-a run.h5 odd\\ name "
    tmux -S tmux.sock send-keys -t t C-u
    type_tab "swmr-watch run.h5/o" "swmr-watch run.h5/odd\\ name "
    tmux -S tmux.sock send-keys -t t C-u
    type_tab "swmr-watch run.h5 'odd" "swmr-watch run.h5 'odd name' "
    tmux -S tmux.sock send-keys -t t C-u
    type_tab "swmr-watch run.h5 da" "swmr-watch run.h5 data "
    # The user's variables, named as the completion's locals are.
    tmux -S tmux.sock send-keys -t t C-u "out=. cur=." Enter
    type_tab "swmr-watch \$out/run.h5 da" "swmr-watch \$out/run.h5 data "
    tmux -S tmux.sock send-keys -t t C-u
    type_tab "swmr-watch \$cur/run.h5 da" "swmr-watch \$cur/run.h5 data "
}
