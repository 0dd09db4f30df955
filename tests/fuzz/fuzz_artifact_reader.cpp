// SPDX-License-Identifier: Apache-2.0
// Fuzz target: bytes -> the artifact reader (QXmlStreamReader -> XmlNode -> artifact model) ->
// the project compiler (mediator factories, expressions, references, cycles), then the writer.
// Every input must end in an artifact set or diagnostics, never a crash.

#include "artifacts/artifact_io.h"
#include "artifacts/project.h"
#include "mediation/project_compiler.h"
#include "support/fuzz_checks.h"
#include "support/fuzz_target.h"

#include <cstdlib>

using namespace sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = sluice::fuzz::inputBytes(data, size);
    Diagnostics diagnostics;
    ArtifactSet artifacts = readArtifactData(bytes, QStringLiteral("fuzz.xml"), diagnostics);
    // Every error names where it was found.
    sluice::fuzz::abortUnlessLocated(diagnostics);
    if (diagnostics.hasErrors())
        return 0;
    // Whatever was read writes back out, and compiles to an environment or to diagnostics.
    const QByteArray written = writeDefinitions(artifacts);
    Diagnostics reread;
    readArtifactData(written, QStringLiteral("written.xml"), reread);
    // What the writer writes, the reader reads back (the studio saves through the writer).
    if (reread.hasErrors()) {
        qCritical("written artifacts do not read back:\n%s\n%s", qPrintable(reread.toString()),
                  written.constData());
        std::abort();
    }
    Project project;
    project.rootPath = QStringLiteral("/nonexistent");
    project.artifacts = std::move(artifacts);
    Diagnostics compiled;
    const auto environment = compileProject(project, compiled);
    // All or nothing: an environment exactly when there is no error.
    if ((environment != nullptr) == compiled.hasErrors())
        std::abort();
    return 0;
}
