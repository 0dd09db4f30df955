// SPDX-License-Identifier: Apache-2.0
// Fuzz target: Synapse expressions as the mediators evaluate them. The first line of the input is
// the expression (XPath 1.0 with Synapse's functions and variables, or json-eval(JSONPath)); the
// rest is the payload, JSON when it starts with '{' or '[', XML otherwise. The expression is
// compiled, then evaluated in every result kind; compile errors and run-time errors are fine,
// crashes, hangs and sanitizer reports are not.

#include "mediation/expressions/expression.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "support/fuzz_checks.h"
#include "support/fuzz_target.h"

using namespace sluice;

namespace {

std::shared_ptr<MediationEnvironment> environment()
{
    static const auto env = [] {
        auto created = std::make_shared<MediationEnvironment>();
        ArtifactSet artifacts;
        LocalEntry entry;
        entry.key = QStringLiteral("greeting");
        entry.text = QStringLiteral("hello");
        artifacts.localEntries.push_back(entry);
        created->setArtifacts(artifacts, ProjectConfig());
        return created;
    }();
    return env;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = sluice::fuzz::inputBytes(data, size);
    const qsizetype newline = bytes.indexOf('\n');
    const QString text = QString::fromUtf8(newline < 0 ? bytes : bytes.left(newline));
    const QByteArray payload = newline < 0 ? QByteArray() : bytes.mid(newline + 1);

    const QHash<QString, QString> namespaces{{QStringLiteral("m"), QStringLiteral("urn:m")}};
    QString error;
    const auto expression = Expression::compile(text, namespaces, &error);
    if (!expression)
        return 0;
    const bool json = payload.startsWith('{') || payload.startsWith('[');
    MessageContext message(environment());
    message.setPayload(payload, json ? QStringLiteral("application/json")
                                     : QStringLiteral("application/xml"));
    message.setProperty(QStringLiteral("name"), QStringLiteral("Ada"));
    message.setProperty(QStringLiteral("num"), 42);
    message.setProperty(QStringLiteral("X-Trace"), QStringLiteral("t-1"), PropertyScope::Transport);
    expression->evaluateString(message, &error);
    expression->evaluateBoolean(message, &error);
    expression->evaluateNodes(message, &error);
    expression->evaluateJson(message, &error);
    return 0;
}
