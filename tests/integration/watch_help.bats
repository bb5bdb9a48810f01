#!/usr/bin/env bats
# --help and the man page agree: every option of one is in the other, and
# so is every exit status.

load watch_helper

MAN=$BATS_TEST_DIRNAME/../../man/swmr-watch.1

# Long options in --help, one a line, sorted.
help_options() {
    swmr_watch --help | grep -oE '^ +(-[a-zA-Z?], )?--[a-z-]+' |
        grep -oE -- '--[a-z-]+' | sort -u
}

# Long options the man page's OPTIONS section describes (its .TP items).
man_options() {
    sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | grep -A1 '^\.TP' |
        grep -oE '^\.B[RI]? .*' | sed 's/\\-/-/g' | grep -oE -- '--[a-z-]+' |
        sort -u
}

@test "every option in --help is in the man page, and the other way round" {
    run help_options
    assert_success
    [ "${#lines[@]}" -ge 15 ]
    help=$output
    run man_options
    assert_output "$help"
}

@test "every short option in --help is in the man page" {
    for opt in $(swmr_watch --help | grep -oE '^ +-[a-zA-Z?],' | tr -d ' ,'); do
        grep -qF -- "\\$opt" "$MAN" || {
            echo "$opt is not in the man page" >&2
            return 1
        }
    done
}

@test "every exit status in --help is in the man page's EXIT STATUS" {
    statuses=$(swmr_watch --help | sed -n '/^Exit status/,$p' |
        grep -oE '(^| )[0-9]+( |[+]|$)' | tr -d ' +' | sort -un)
    [ -n "$statuses" ]
    man_statuses=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN" |
        grep -A1 '^\.TP' | grep -oE '^\.BR? [0-9]+' | grep -oE '[0-9]+' | sort -un)
    assert_equal "$statuses" "$man_statuses"
}

@test "the man page has the sections a user reads" {
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "OUTPUT FORMATS" \
        "EXIT STATUS" ENVIRONMENT EXAMPLES "SEE ALSO"; do
        grep -qxF ".SH $section" "$MAN" || {
            echo "no $section section" >&2
            return 1
        }
    done
    run sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$MAN"
    assert_output --partial NO_COLOR
    assert_output --partial HDF5_USE_FILE_LOCKING
    run sed -n '/^\.SH SEE ALSO/,$p' "$MAN"
    assert_output --partial 'h5dump (1)'
    assert_output --partial 'h5clear (1)'
    assert_output --partial 'swmr-append (1)'
    # Every JSON member the program writes is documented.
    for member in time dataset shape delta rate event values error; do
        sed -n '/^\.SS json/,/^\.SH /p' "$MAN" | grep -qx "\.B $member" || {
            echo "JSON member $member is not documented" >&2
            return 1
        }
    done
}

@test "the man page renders without warnings" {
    command -v groff >/dev/null || skip "groff is not installed"
    run groff -man -Tutf8 -ww -z "$MAN"
    assert_success
    assert_output ''
}

@test "--version names the program and the version" {
    run swmr_watch --version
    assert_success
    # As swmr-append says it: the program, the package, the version.
    assert_output --regexp '^swmr-watch \(swmr-tools\) [0-9]+\.[0-9]+\.[0-9]+$'
}

# "-x --long" pairs of a tool's --help, one a line.
short_options() {
    "$1" --help | grep -oE '^ +-[a-zA-Z], --[a-z-]+' | tr -d ' ,'
}

@test "a short option letter means the same in both tools, or is one tool's" {
    declare -A long_of
    while read -r pair; do
        long_of[${pair:0:2}]=${pair:2}
    done < <(short_options "$SWMR_BIN/swmr-append")
    clashes=""
    while read -r pair; do
        letter=${pair:0:2} long=${pair:2}
        other=${long_of[$letter]:-}
        [ -z "$other" ] || [ "$other" = "$long" ] || clashes+=" $letter:$long/$other"
    done < <(short_options "$SWMR_BIN/swmr-watch")
    assert_equal "$clashes" ""
    # Both have -V for --version, -q and -v for the same messages.
    run short_options "$SWMR_BIN/swmr-watch"
    assert_line -- "-V--version"
    assert_line -- "-o--format"
    assert_line -- "-r--values"
}
