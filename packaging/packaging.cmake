# SPDX-License-Identifier: Apache-2.0
# Installation layout and the Debian packages (CPack DEB), included last by the top-level
# CMakeLists.txt. Two components:
#   runtime -> package "sluice":        the sluice command, man page, bash completion, the
#                                       sluice@.service unit, the sample projects, the docs
#   studio  -> package "sluice-studio": sluice-studio, its .desktop file, icon and AppStream
#                                       metainfo; depends on sluice
# `cmake --install BUILD --prefix DIR` installs both anywhere; scripts/package builds the .debs.
include(GNUInstallDirs)

set(SLUICE_APP_ID "io.sluice.Studio")
# Debian 12 ships its units in /lib/systemd/system; systemd reads <prefix>/lib/systemd/system
# as well, so a relative path keeps `cmake --install --prefix` self-contained.
set(SLUICE_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where sluice@.service is installed (relative to the prefix, or absolute)")
set(SLUICE_BASH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" CACHE STRING
    "Where the bash completion of sluice is installed")

# ---- runtime
install(TARGETS sluice RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
# Manual pages are installed compressed (Debian policy 12.1); -n keeps the build reproducible.
foreach(page sluice sluice-studio)
    add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/${page}.1.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging
        COMMAND gzip -9 -n -c ${PROJECT_SOURCE_DIR}/packaging/${page}.1
                > ${PROJECT_BINARY_DIR}/packaging/${page}.1.gz
        DEPENDS ${PROJECT_SOURCE_DIR}/packaging/${page}.1 VERBATIM)
endforeach()
add_custom_target(sluice_man_pages ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/sluice.1.gz
    ${PROJECT_BINARY_DIR}/packaging/sluice-studio.1.gz)
install(FILES ${PROJECT_BINARY_DIR}/packaging/sluice.1.gz
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/sluice.bash-completion
    DESTINATION ${SLUICE_BASH_COMPLETION_DIR} RENAME sluice COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/sluice@.service
    DESTINATION ${SLUICE_SYSTEMD_UNIT_DIR} COMPONENT runtime)
# The samples as they are in git: locally made test keys (projects/*/certs) stay behind.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/projects/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/sluice/projects COMPONENT runtime
    PATTERN certs EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/packaging/copyright
    DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
    DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT runtime)
# The sample nginx front of a cluster (docs/cluster.md).
install(FILES ${PROJECT_SOURCE_DIR}/packaging/nginx/sluice-cluster.conf
    DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/nginx COMPONENT runtime)

# ---- studio
if(TARGET sluice-studio)
    install(TARGETS sluice-studio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT studio)
    install(FILES ${PROJECT_BINARY_DIR}/packaging/sluice-studio.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT studio)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/${SLUICE_APP_ID}.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT studio)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/${SLUICE_APP_ID}.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT studio)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/sluice.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
        RENAME ${SLUICE_APP_ID}.svg COMPONENT studio)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/sluice-studio COMPONENT studio)
endif()

# ---- Debian packages
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "sluice")
set(CPACK_PACKAGE_VENDOR "Sluice")
set(CPACK_PACKAGE_CONTACT "Sluice maintainers <maintainers@sluice.invalid>")
# CPackDeb puts CPACK_PACKAGE_DESCRIPTION_SUMMARY before every package's description unless it
# is CPack's own default; each component's description below starts with its own synopsis.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime)
if(TARGET sluice-studio)
    list(APPEND CPACK_COMPONENTS_ALL studio)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# dpkg-shlibdeps (dpkg-dev) turns the libraries the binaries link into Depends.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "sluice")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION "net")
# adduser: postinst creates the `sluice` system user the unit runs as. (Qt's TLS backend plugin
# is in libqt6network6, which shlibdeps finds.)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "WebSocket mediation runtime (WSO2 Micro Integrator compatible)
Runs integration projects written for WSO2 Micro Integrator / Apache Synapse:
WebSocket inbound endpoints, proxy services and REST APIs in, WebSocket and
HTTP senders out, mediation sequences in between. Includes the sluice@.service
systemd unit and sample projects.")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_STUDIO_PACKAGE_NAME "sluice-studio")
set(CPACK_DEBIAN_STUDIO_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_STUDIO_DESCRIPTION "Desktop studio for Sluice integration projects
Edits WSO2 Micro Integrator / Synapse integration projects visually, runs
them on an embedded Sluice runtime or deploys them to a remote one, and
shows every message that passes, live.")
set(CPACK_COMPONENT_STUDIO_DEPENDS runtime)

include(CPack)
