# SPDX-License-Identifier: Apache-2.0
# Precompiled headers for CI's build (the `ci` preset turns SLUICE_PCH on). Parsing Qt's headers
# is most of an engine batch's or a test file's compile time, and CI builds everything once from
# scratch (docs/reliability.md, "What CI runs", has the figures). Developers' builds leave it
# off: a precompiled header is included into every file, so a file that misses an include would
# still compile. -Winvalid-pch (an error with the warning policy) goes with every use, so a
# header that stops matching a target's flags fails the build instead of silently costing the
# time again.
option(SLUICE_PCH "Precompile the Qt headers the engine and the tests share (CI)" OFF)

set(SLUICE_PCH_ENGINE_HEADERS <QString> <QByteArray> <QObject> <QList> <QHash> <QJsonObject>
    <QJsonDocument> <QJsonArray> <QRegularExpression> <QTimer> <memory> <optional> <vector>
    <functional> <algorithm> <atomic>)
set(SLUICE_PCH_TEST_CORE_HEADERS <QTest> <QSignalSpy> <QTemporaryDir> <QFile> <QDir>
    <QJsonObject> <QJsonArray> <QTcpServer> <QWebSocket> <memory> <vector> <functional>)
# The whole of Qt Widgets: studio tests reach most of it through the studio's headers, and
# listing the classes they name measured slower (docs/reliability.md).
set(SLUICE_PCH_TEST_WIDGETS_HEADERS ${SLUICE_PCH_TEST_CORE_HEADERS} <QtWidgets>)

# sluice_precompile(TARGET HEADERS <header>... | REUSE_FROM <target>): TARGET compiles with a
# precompiled header of its own or another target's, and -Winvalid-pch (above: why with each).
function(sluice_precompile target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "REUSE_FROM" "HEADERS")
    if(arg_REUSE_FROM)
        target_precompile_headers(${target} REUSE_FROM ${arg_REUSE_FROM})
    else()
        target_precompile_headers(${target} PRIVATE ${arg_HEADERS})
    endif()
    target_compile_options(${target} PRIVATE -Winvalid-pch)
endfunction()
