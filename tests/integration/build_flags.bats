#!/usr/bin/env bats
# The Makefile with a builder's own flags: CPPFLAGS and LDFLAGS come before
# what pkg-config says of HDF5, so that an HDF5 of the builder's
# (make CPPFLAGS=-I/opt/hdf5/include LDFLAGS=-L/opt/hdf5/lib) is the one
# both compiled against and linked: not Debian's headers with /opt's
# library. make -n, with a stand-in pkg-config: nothing is built.

load helper

TOP=$BATS_TEST_DIRNAME/../..

@test "make: the builder's CPPFLAGS come before HDF5's -I, LDFLAGS before HDF5's -L and -lhdf5" {
    printf '%s\n' '#!/bin/sh' 'case "$*" in' \
        '*--cflags*) echo -I/pkg/hdf5/include ;;' \
        '*--libs*) echo -L/pkg/hdf5/lib -lhdf5 ;;' 'esac' >pkg-config
    chmod +x pkg-config
    # Not the flags of a make that runs this test (make check, a package
    # build): only these.
    run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        make -n -C "$TOP" --no-print-directory NO_DEPS=1 BUILD="$PWD/b" \
        PKG_CONFIG="$PWD/pkg-config" CPPFLAGS=-I/opt/hdf5/include \
        LDFLAGS=-L/opt/hdf5/lib "$PWD/b/swmr-append" "$PWD/b/swmr-watch" \
        "$PWD/b/unit-tests"
    assert_success
    compiles=0 links=0
    while IFS= read -r line; do
        if [[ $line == *" -c "* ]]; then
            # Our headers first (a unit test's folder before them), then
            # the builder's, then HDF5's.
            [[ $line =~ \ -Isrc/common\ (.*\ )?-I/opt/hdf5/include\ (.*\ )?-I/pkg/hdf5/include( |$) ]] ||
                fail "not in that order: $line"
            compiles=$((compiles + 1))
        elif [[ $line == *-lhdf5* ]]; then
            [[ $line =~ \ -L/opt/hdf5/lib\ (.*\ )?-L/pkg/hdf5/lib\ -lhdf5( |$) ]] ||
                fail "not in that order: $line"
            links=$((links + 1))
        fi
    done <<<"$output"
    # Every module, tool and unit test compiled; the tools and the unit
    # tests linked.
    [ "$compiles" -ge 40 ] && [ "$links" -eq 3 ] ||
        fail "$compiles compiles and $links links in: $output"
}
