# SPDX-License-Identifier: Apache-2.0
# Profile-guided optimisation (GCC), for the builds whose speed is measured: scripts/build-pgo
# configures a tree with SLUICE_PGO=GENERATE, runs the benchmark's proxy workloads on it (the
# profile), then reconfigures the same tree with SLUICE_PGO=USE and builds again. GCC then lays
# out the hot path's code together and its branches in the order they are taken: the proxy's
# instruction-cache misses per message fall by half or more (docs/performance.md,
# "Profile-guided build").
#
# Both phases must build in the same directory: GCC names a profile after the object file's
# absolute path.
set(SLUICE_PGO "OFF" CACHE STRING "Profile-guided optimisation: OFF, GENERATE or USE")
set_property(CACHE SLUICE_PGO PROPERTY STRINGS OFF GENERATE USE)
set(SLUICE_PGO_DIR "${CMAKE_BINARY_DIR}/pgo-profile" CACHE PATH
    "Where the GENERATE build writes its profile and the USE build reads it")

if(SLUICE_PGO STREQUAL "GENERATE")
    # Atomic counters: the workers and the main thread run the same code at once.
    add_compile_options(-fprofile-generate -fprofile-update=atomic
        "-fprofile-dir=${SLUICE_PGO_DIR}")
    add_link_options(-fprofile-generate)
elseif(SLUICE_PGO STREQUAL "USE")
    # Partial training: code the workloads never ran (the studio, TLS, HTTP APIs) keeps its
    # normal optimisation instead of being treated as cold; a file without a profile is not an
    # error.
    add_compile_options(-fprofile-use -fprofile-partial-training "-fprofile-dir=${SLUICE_PGO_DIR}"
        -Wno-missing-profile)
elseif(NOT SLUICE_PGO STREQUAL "OFF")
    message(FATAL_ERROR "SLUICE_PGO must be OFF, GENERATE or USE, not '${SLUICE_PGO}'")
endif()
