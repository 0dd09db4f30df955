// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace sluice {

// One documented setting of an inbound endpoint (and later of other artifacts): the single
// description that validation, the runtime's defaults, the studio's forms and the generated
// reference documentation all read, so they cannot drift apart.
struct ParameterSpec {
    // Expression: an XPath or json-eval() expression (checked by compiling it, in the mediation
    // layer); Regex: a regular expression matched against a whole value; EndpointReference:
    // the name of a project endpoint.
    enum class Kind {
        Integer,
        Boolean,
        Choice,
        SequenceReference,
        Text,
        FilePath,
        Secret,
        Expression,
        Regex,
        EndpointReference,
    };
    struct Choice {
        QString value;
        QString meaning;
    };

    QString name;
    Kind kind = Kind::Text;
    QString defaultValue; // empty: no default (optional or required, see `required`)
    QString help;
    bool required = false;
    qint64 minimum = 0;
    qint64 maximum = 0; // for Integer; 0 = no maximum
    QList<Choice> choices;
};

// Parameters of the WebSocket inbound endpoint for protocol "ws" or "wss" (wss adds the
// wss.ssl.* ones). Unknown protocol: empty list.
const QList<ParameterSpec> &inboundParameterSpecs(const QString &protocol);
const ParameterSpec *findInboundParameterSpec(const QString &protocol, const QString &name);
// Checks a value against its spec; returns the reason when it does not fit. An Expression is
// only checked for being empty here: compiling it needs the mediation layer.
std::optional<QString> checkParameterValue(const ParameterSpec &spec, const QString &value);

} // namespace sluice
