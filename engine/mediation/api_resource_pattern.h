// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <optional>

namespace sluice {

// Which request paths one <resource> of an <api> serves, as Synapse dispatches them
// (docs/http.md, "APIs"):
// - uri-template: RFC 6570 style. "{var}" matches one path segment, "{+var}" any rest
//   (slashes included); a query part "?a={a}&b={b}" requires those query parameters (others may
//   come too). A template without a query part ignores the query.
// - url-mapping: "/" or "/*" match everything, "/prefix/*" the prefix and below, "*.ext" paths
//   ending in .ext, anything else the exact path.
// - neither: every path.
// A trailing slash on the request path does not matter. Immutable once parsed.
class ApiResourcePattern {
public:
    using Variables = QList<QPair<QString, QString>>; // name, percent-decoded value

    // Nullopt with *error set when the template or mapping is malformed.
    static std::optional<ApiResourcePattern> parse(const QString &uriTemplate,
                                                   const QString &urlMapping, QString *error);

    // True when `path` (after the API context, starting with '/', not decoded) and `query`
    // (not decoded, without '?') match; fills `variables` with the template's variables.
    bool match(const QString &path, const QString &query, Variables *variables) const;

    // Synapse tries url-mapping resources first, then uri-template ones, then those with
    // neither (its dispatchers' order); lower comes first.
    int dispatchOrder() const { return m_dispatchOrder; }

    // The query parameters of `query`, decoded (MI's query.param.* values; '+' is a space).
    static Variables queryParameters(const QString &query);

private:
    enum class Kind { Any, Template, Exact, Prefix, Extension };
    struct QueryVariable {
        QString parameter;
        QString variable; // empty: the parameter must have exactly `literal`
        QString literal;
    };
    Kind m_kind = Kind::Any;
    int m_dispatchOrder = 2;
    QString m_text;                 // exact path, prefix or extension
    QRegularExpression m_pathRegex; // Template
    QStringList m_pathVariables;    // Template, in capture order
    QList<QueryVariable> m_query;   // Template
};

} // namespace sluice
