// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringView>
#include <utility>
#include <vector>

using xmlDocPtr = struct _xmlDoc *;
using xmlXPathContextPtr = struct _xmlXPathContext *;

namespace sluice {

class MessageContext;

// The prefixes Synapse gives to its XPath variables ($ctx:NAME, $axis2:NAME, $trp:NAME,
// $url:NAME, $func:NAME, $env:NAME). They are bound to private namespace URIs in every XPath
// context (overriding a user binding of the same prefix, as Synapse resolves them by prefix).
bool isSynapseVariablePrefix(QStringView prefix);
// get-property() and friends may also be called with a prefix bound to the Synapse namespace.
// True for the Synapse extension functions (get-property, base64Encode, base64Decode,
// url-encode) and the XPath 1.0 core functions that libxml2 provides.
bool isSynapseXPathFunction(QStringView name);
bool isCoreXPathFunction(QStringView name);

// What the Synapse functions and variables of one XPath evaluation work on. `message` is null
// for the trial evaluation done when compiling: then every property reads as empty and $body is
// the (empty) `document`.
struct XPathCallState {
    MessageContext *message = nullptr;
    xmlDocPtr document = nullptr; // the payload document once parsed
    QString failure;              // set by a Synapse function or variable that failed
    QString libxmlMessage;        // the first error libxml2 reported
    int libxmlCode = 0;
    int libxmlOffset = 0;

    void fail(const QString &why)
    {
        if (failure.isEmpty())
            failure = why;
    }
    // The best description of why the evaluation failed.
    QString describe() const;
};

// Registers on `context`: the namespaces (prefix -> uri, UTF-8), the Synapse variable prefixes,
// the Synapse functions, the variable lookup and an error handler, all reading `state`.
void prepareXPathContext(xmlXPathContextPtr context, XPathCallState *state,
                         const std::vector<std::pair<QByteArray, QByteArray>> &namespaces);

// get-property(name) and get-property(scope, name), as Synapse evaluates them. `message` may be
// null (then: empty).
QString synapseProperty(const MessageContext *message, const QString &name);
QString synapseScopedProperty(const MessageContext *message, const QString &scope,
                              const QString &name);

// Formats `time` with a java.text.SimpleDateFormat pattern (the format SYSTEM_DATE takes).
QString formatJavaDate(const QDateTime &time, QStringView pattern);
// java.net.URLEncoder.encode(text, "UTF-8"): unreserved are A-Z a-z 0-9 . - * _; space is '+'.
QString javaUrlEncode(const QString &text);

} // namespace sluice
