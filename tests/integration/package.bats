#!/usr/bin/env bats
# The Debian package: scripts/deb-build-check builds it from a copy of this
# tree (dpkg-buildpackage -us -uc -b, nocheck) and checks it unpacked in a
# temporary root: binaries, man pages, completions, lintian, and make
# install/uninstall against it. About 15 s on 2 cores.

load helper

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
