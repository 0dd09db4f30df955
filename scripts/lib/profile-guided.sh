# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/build-pgo and scripts/package: a profile-guided build of one tree
# (cmake/profile_guided.cmake, docs/performance.md "Profile-guided build").
#
#   profile_guided_build BUILD_DIR CONFIGURE TARGET...
#
# CONFIGURE is a command the tree is configured with; it is called with the extra CMake
# arguments of each phase appended. The tree is built instrumented (the runtime, the load
# generator and the echo backend), W1, the 64-byte W2 cases and the events workload run through
# it for one short round each (bench/compare.py, Sluice only, about 20 s), and the same tree is
# rebuilt with the profile: TARGET... are what is built then. GCC names a profile after the
# object's absolute path, so both phases build in BUILD_DIR.

profile_guided_build() {
    local build=$1 configure=$2
    shift 2
    local root profile training
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    profile="$build/pgo-profile"
    # A profile is of one build of the sources: a new one every time.
    rm -rf "$profile"
    $configure -DSLUICE_PGO=GENERATE "-DSLUICE_PGO_DIR=$profile" >&2
    ninja -C "$build" sluice sluice_loadgen sluice_echo_backend >&2
    training="$(mktemp -d)"
    /usr/bin/python3 "$root/bench/compare.py" --build-dir "$build" --no-build --only sluice \
        --workloads W1,W2,events --w2-only 64B --rounds 1 --warmup 0.5 --duration 2 \
        --no-chart --out "$training" >&2 || { rm -rf "$training"; return 1; }
    rm -rf "$training"
    if ! find "$profile" -name '*.gcda' -print -quit | grep -q .; then
        echo "profile-guided build: the training run wrote no profile into $profile" >&2
        return 1
    fi
    $configure -DSLUICE_PGO=USE "-DSLUICE_PGO_DIR=$profile" >&2
    ninja -C "$build" "$@" >&2
}
