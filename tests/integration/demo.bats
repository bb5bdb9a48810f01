#!/usr/bin/env bats
# make demo (scripts/demo): it prints exactly the commands it runs.

load helper

@test "the demo prints the commands it runs, and they run as printed" {
    run env BUILD="$SWMR_BIN" "$BATS_TEST_DIRNAME/../../scripts/demo"
    assert_success
    assert_line --partial "(writer closed the file)"
    mapfile -t cmds < <(grep '^demo: ' <<<"$output" |
                        grep -v '^demo: the writer' | sed 's/^demo: //')
    assert_equal "${#cmds[@]}" 4
    [[ ${cmds[0]} == "$SWMR_BIN/swmr-watch --wait "*"/demo.h5 sensor &" ]]
    [[ ${cmds[1]} == "awk '"*" | $SWMR_BIN/swmr-append --columns 2 --attr units=volts "*"/demo.h5 sensor" ]]
    [[ ${cmds[2]} == "h5dump -H "*"/demo.h5" ]]
    [[ ${cmds[3]} == "rm -r "* ]]
    [ ! -e "${cmds[3]#rm -r }" ]
    # The pipeline as printed, run again into a file of our own, makes the
    # same dataset with the same attribute.
    local printed=${cmds[1]% sensor}
    printed=${printed% *}
    bash -c "$printed again.h5 sensor"
    run h5dump -H again.h5
    assert_output --partial 'DATASPACE  SIMPLE { ( 80, 2 ) / ( H5S_UNLIMITED, 2 ) }'
    assert_output --partial 'ATTRIBUTE "units"'
}
