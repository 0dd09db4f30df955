// SPDX-License-Identifier: Apache-2.0
#include "api_resource_pattern.h"

#include <QUrl>
#include <algorithm>

namespace sluice {

namespace {

bool isVariableNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.') ||
           c == QLatin1Char('-');
}

QString decode(const QString &text, bool plusIsSpace)
{
    QByteArray bytes = text.toUtf8();
    if (plusIsSpace)
        bytes.replace('+', ' ');
    return QUrl::fromPercentEncoding(bytes);
}

QString withoutTrailingSlash(QString path)
{
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

// "{name}" at `text[start]`: sets *name (with a leading '+' for reserved expansion) and returns
// the index after '}', or -1 with *error set.
qsizetype readExpression(const QString &text, qsizetype start, QString *name, QString *error)
{
    const qsizetype end = text.indexOf(QLatin1Char('}'), start);
    if (end < 0) {
        *error = QStringLiteral("'{' at position %1 is never closed").arg(start + 1);
        return -1;
    }
    QString inner = text.mid(start + 1, end - start - 1);
    const bool reserved = inner.startsWith(QLatin1Char('+'));
    if (reserved)
        inner.remove(0, 1);
    if (inner.isEmpty()) {
        *error = QStringLiteral("empty variable at position %1").arg(start + 1);
        return -1;
    }
    for (QChar c : std::as_const(inner)) {
        if (!isVariableNameChar(c)) {
            *error = QStringLiteral("'%1' at position %2: only {name} and {+name} are supported")
                         .arg(text.mid(start, end - start + 1))
                         .arg(start + 1);
            return -1;
        }
    }
    *name = reserved ? QLatin1Char('+') + inner : inner;
    return end + 1;
}

} // namespace

std::optional<ApiResourcePattern>
ApiResourcePattern::parse(const QString &uriTemplate, const QString &urlMapping, QString *error)
{
    ApiResourcePattern pattern;
    if (!urlMapping.isEmpty()) {
        pattern.m_dispatchOrder = 0;
        if (urlMapping == QLatin1String("/") || urlMapping == QLatin1String("/*"))
            return pattern;
        if (urlMapping.startsWith(QLatin1String("*."))) {
            if (urlMapping.size() == 2 || urlMapping.indexOf(QLatin1Char('/')) >= 0 ||
                urlMapping.indexOf(QLatin1Char('*'), 1) >= 0) {
                *error = QStringLiteral("url-mapping '%1': an extension mapping is *.ext")
                             .arg(urlMapping);
                return std::nullopt;
            }
            pattern.m_kind = Kind::Extension;
            pattern.m_text = urlMapping.mid(1); // ".ext"
            return pattern;
        }
        if (!urlMapping.startsWith(QLatin1Char('/'))) {
            *error =
                QStringLiteral("url-mapping '%1' must start with '/' or be *.ext").arg(urlMapping);
            return std::nullopt;
        }
        if (urlMapping.endsWith(QLatin1String("/*"))) {
            pattern.m_kind = Kind::Prefix;
            pattern.m_text = urlMapping.chopped(2);
        } else {
            pattern.m_kind = Kind::Exact;
            pattern.m_text = withoutTrailingSlash(urlMapping);
        }
        if (pattern.m_text.indexOf(QLatin1Char('*')) >= 0) {
            *error = QStringLiteral("url-mapping '%1': '*' is only allowed as a trailing /* or "
                                    "a leading *.")
                         .arg(urlMapping);
            return std::nullopt;
        }
        return pattern;
    }
    if (uriTemplate.isEmpty())
        return pattern;
    if (!uriTemplate.startsWith(QLatin1Char('/'))) {
        *error = QStringLiteral("uri-template '%1' must start with '/'").arg(uriTemplate);
        return std::nullopt;
    }
    const qsizetype queryStart = uriTemplate.indexOf(QLatin1Char('?'));
    const QString pathPart =
        withoutTrailingSlash(queryStart < 0 ? uriTemplate : uriTemplate.left(queryStart));
    const QString queryPart = queryStart < 0 ? QString() : uriTemplate.mid(queryStart + 1);
    QString regex = QStringLiteral("^");
    QString problem;
    for (qsizetype i = 0; i < pathPart.size();) {
        const QChar c = pathPart.at(i);
        if (c == QLatin1Char('}')) {
            problem = QStringLiteral("'}' at position %1 has no '{'").arg(i + 1);
            break;
        }
        if (c != QLatin1Char('{')) {
            const qsizetype next = pathPart.indexOf(QRegularExpression(QStringLiteral("[{}]")), i);
            const QString literal = pathPart.mid(i, next < 0 ? -1 : next - i);
            regex += QRegularExpression::escape(literal);
            i += literal.size();
            continue;
        }
        QString name;
        const qsizetype after = readExpression(pathPart, i, &name, &problem);
        if (after < 0)
            break;
        if (name.startsWith(QLatin1Char('+'))) {
            pattern.m_pathVariables.append(name.mid(1));
            regex += QStringLiteral("(.+)");
        } else {
            pattern.m_pathVariables.append(name);
            regex += QStringLiteral("([^/]+)");
        }
        i = after;
    }
    if (problem.isEmpty() && !queryPart.isEmpty()) {
        const QStringList pairs = queryPart.split(QLatin1Char('&'));
        for (const QString &pair : pairs) {
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            if (equals <= 0) {
                problem = QStringLiteral("query part '%1' must be name={variable} or "
                                         "name=value")
                              .arg(pair);
                break;
            }
            QueryVariable query;
            query.parameter = pair.left(equals);
            const QString value = pair.mid(equals + 1);
            if (value.startsWith(QLatin1Char('{'))) {
                QString name;
                const qsizetype after = readExpression(value, 0, &name, &problem);
                if (after < 0)
                    break;
                if (after != value.size() || name.startsWith(QLatin1Char('+'))) {
                    problem = QStringLiteral("query part '%1' must be name={variable}").arg(pair);
                    break;
                }
                query.variable = name;
            } else if (value.contains(QLatin1Char('{')) || value.contains(QLatin1Char('}'))) {
                problem = QStringLiteral("query part '%1' must be name={variable}").arg(pair);
                break;
            } else {
                query.literal = value;
            }
            pattern.m_query.append(query);
        }
    }
    if (!problem.isEmpty()) {
        *error = QStringLiteral("uri-template '%1': %2").arg(uriTemplate, problem);
        return std::nullopt;
    }
    if (pathPart != QLatin1String("/"))
        regex += QStringLiteral("/?");
    else
        regex = QStringLiteral("^/");
    regex += QLatin1Char('$');
    pattern.m_kind = Kind::Template;
    pattern.m_dispatchOrder = 1;
    pattern.m_pathRegex = QRegularExpression(regex);
    return pattern;
}

bool ApiResourcePattern::match(const QString &rawPath, const QString &query,
                               Variables *variables) const
{
    const QString path = rawPath.isEmpty() ? QStringLiteral("/") : rawPath;
    switch (m_kind) {
    case Kind::Any:
        return true;
    case Kind::Exact:
        return withoutTrailingSlash(path) == m_text;
    case Kind::Prefix:
        return path == m_text || path.startsWith(m_text + QLatin1Char('/'));
    case Kind::Extension:
        return path.endsWith(m_text);
    case Kind::Template:
        break;
    }
    const QRegularExpressionMatch found = m_pathRegex.match(path);
    if (!found.hasMatch())
        return false;
    Variables matched;
    for (qsizetype i = 0; i < m_pathVariables.size(); ++i)
        matched.append({m_pathVariables.at(i), decode(found.captured(int(i) + 1), false)});
    if (!m_query.isEmpty()) {
        const Variables parameters = queryParameters(query);
        for (const QueryVariable &wanted : m_query) {
            const auto it =
                std::find_if(parameters.cbegin(), parameters.cend(),
                             [&](const auto &p) { return p.first == wanted.parameter; });
            if (it == parameters.cend())
                return false;
            if (wanted.variable.isEmpty()) {
                if (it->second != wanted.literal)
                    return false;
            } else {
                matched.append({wanted.variable, it->second});
            }
        }
    }
    if (variables)
        *variables = matched;
    return true;
}

ApiResourcePattern::Variables ApiResourcePattern::queryParameters(const QString &query)
{
    Variables parameters;
    if (query.isEmpty())
        return parameters;
    const QStringList pairs = query.split(QLatin1Char('&'), Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals < 0)
            parameters.append({decode(pair, true), QString()});
        else
            parameters.append(
                {decode(pair.left(equals), true), decode(pair.mid(equals + 1), true)});
    }
    return parameters;
}

} // namespace sluice
