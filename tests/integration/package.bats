#!/usr/bin/env bats
# The Debian package: scripts/deb-build-check builds it from a copy of this
# tree (dpkg-buildpackage -us -uc -b, nocheck) and checks it unpacked in a
# temporary root: binaries, man pages, completions, lintian, and make
# install/uninstall against it. About 15 s on 2 cores. And, at once,
# debian/control against the tree: Build-Depends against what the tests
# need, the description's promises against the README's.

load helper

TOP=$BATS_TEST_DIRNAME/../..

# Skips (bats 1.8 cannot skip from setup_file) inside a package build, and
# where the packaging tools are missing.
need_package_tools() {
    # debian/rules runs this suite (make check) inside a package build.
    [ -z "${SWMR_IN_PACKAGE_BUILD:-}" ] ||
        skip "inside a package build: no package is built within one"
    local tool missing=
    for tool in dpkg-buildpackage dh fakeroot lintian man; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    [ -z "$missing" ] ||
        skip "not installed:$missing (dpkg-dev, debhelper, fakeroot, lintian, man-db; scripts/ensure-deps installs them)"
}

@test "dpkg-buildpackage builds a package that works installed in a temporary root" {
    need_package_tools
    run "$BATS_TEST_DIRNAME/../../scripts/deb-build-check"
    # What was checked, lintian's tags with it, in the log of every run.
    sed 's/^/# package: /' <<< "$output" >&3
    assert_success
}

# What scripts/ensure-deps installs and a package build does without: a
# package build has only Build-Depends, so every other package it lists
# must be there (with <!nocheck> when only the tests need it).
#   gcc, make, build-essential, dpkg-dev: build-essential, in every build
#   debhelper: Build-Depends has it as debhelper-compat
#   fakeroot, lintian, man-db: only this file's package test, which skips
#     inside a package build
#   valgrind: only make valgrind (SWMR_VALGRIND=1), not make check
#   bindfs: fs_kind.bats skips without it (a FUSE mount needs /dev/fuse,
#     which a build chroot seldom has)
NOT_BUILD_DEPENDS="gcc make build-essential dpkg-dev debhelper fakeroot lintian
    man-db valgrind bindfs"

# The package names of debian/control's Build-Depends (all of its
# Build-Depends fields), one a line, without versions, profiles or
# alternatives' bars.
build_depends() {
    awk '/^[^ \t]/ { on = /^Build-Depends(-Arch|-Indep)?:/; sub(/^[^:]*:/, "") } on' \
        "$TOP/debian/control" | tr ',|' '\n\n' |
        sed -nE 's/^[[:space:]]*([a-z0-9][a-z0-9+.-]*).*/\1/p' | LC_ALL=C sort -u
}

@test "debian/control's Build-Depends has every package scripts/ensure-deps installs for the tests" {
    deps=$(build_depends)
    [[ $deps == *libhdf5-dev* && $deps == *bats-assert* ]] || fail "read: $deps"
    listed=$("$TOP/scripts/ensure-deps" --list)
    [ -n "$listed" ]
    missing=
    for p in $listed; do
        grep -qxF -- "$p" <<<"$deps" && continue
        [[ " $(echo $NOT_BUILD_DEPENDS) " == *" $p "* ]] && continue
        missing+=" $p"
    done
    [ -z "$missing" ] ||
        fail "not in debian/control's Build-Depends:$missing (or say in package.bats why a package build does without it)"
    # The list of exceptions names only what ensure-deps installs.
    for p in $NOT_BUILD_DEPENDS; do
        grep -qxF -- "$p" <<<"$listed" ||
            fail "$p is in NOT_BUILD_DEPENDS but not in scripts/ensure-deps"
    done
}

# sentences_with TEXT FILE...: the sentences of FILEs (lines joined) that
# have TEXT, one a line.
sentences_with() {
    local text=$1; shift
    cat "$@" | tr '\n' ' ' | sed 's/\([.;]\) /\1\n/g' | grep -F -- "$text"
}

@test "the package's description, like the README, promises after kill -9 only the rows flushed" {
    # The Description field: its first line and the lines that go on it.
    awk '/^[^ \t]/ { on = /^Description:/ } on' "$TOP/debian/control" >description
    run sentences_with "kill -9" description "$TOP/README.md"
    assert_success
    [ "${#lines[@]}" -ge 3 ]
    for sentence in "${lines[@]}"; do
        [[ $sentence == *flushed* ]] || fail "promises more than the flushed rows: $sentence"
    done
}
