// SPDX-License-Identifier: Apache-2.0
#include "json_path_expression.h"

#include "json_path.h"
#include "mediation/message_context.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sluice {

namespace {

const QLatin1String kJsonEval("json-eval");

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// Compact JSON text of any value; strings keep their quotes.
QString compactJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        return QString();
    default: {
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
    }
    }
}

class JsonPathExpression final : public Expression {
public:
    JsonPathExpression(const QString &text, JsonPath path)
        : m_text(text)
        , m_path(std::move(path))
    {
    }

    Language language() const override { return Language::JsonPath; }
    const QString &text() const override { return m_text; }

    std::optional<QString> evaluateString(MessageContext &message, QString *error) const override
    {
        const auto values = run(message, error);
        if (!values)
            return std::nullopt;
        if (values->empty())
            return QString();
        if (values->size() == 1) {
            const QJsonValue &value = values->front();
            return value.isString() ? value.toString() : compactJson(value);
        }
        return compactJson(asArray(*values));
    }

    std::optional<bool> evaluateBoolean(MessageContext &message, QString *error) const override
    {
        const auto values = run(message, error);
        if (!values)
            return std::nullopt;
        if (values->empty())
            return false;
        const QJsonValue &first = values->front();
        if (first.isBool())
            return first.toBool();
        if (first.isString())
            return !first.toString().isEmpty();
        return !first.isNull() && !first.isUndefined();
    }

    std::optional<std::vector<xmlNodePtr>> evaluateNodes(MessageContext &message,
                                                         QString *error) const override
    {
        if (!run(message, error))
            return std::nullopt;
        return std::vector<xmlNodePtr>();
    }

    std::optional<QJsonValue> evaluateJson(MessageContext &message, QString *error) const override
    {
        const auto values = run(message, error);
        if (!values)
            return std::nullopt;
        if (values->empty())
            return QJsonValue(QJsonValue::Undefined);
        if (values->size() == 1)
            return values->front();
        return asArray(*values);
    }

private:
    static QJsonArray asArray(const std::vector<QJsonValue> &values)
    {
        QJsonArray array;
        for (const QJsonValue &value : values)
            array.append(value);
        return array;
    }

    std::optional<std::vector<QJsonValue>> run(MessageContext &message, QString *error) const
    {
        QString why;
        const std::optional<QJsonDocument> json = message.jsonDocument(&why);
        if (!json) {
            setError(error,
                     QStringLiteral("%1 needs a JSON payload: %2").arg(m_text.trimmed(), why));
            return std::nullopt;
        }
        const QJsonValue root =
            json->isArray() ? QJsonValue(json->array()) : QJsonValue(json->object());
        return m_path.evaluate(root);
    }

    QString m_text;
    JsonPath m_path;
};

// Where the path starts inside json-eval( ... ), or -1.
qsizetype jsonEvalArgumentStart(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && text[i].isSpace())
        ++i;
    if (!text.mid(i).startsWith(kJsonEval))
        return -1;
    i += kJsonEval.size();
    while (i < text.size() && text[i].isSpace())
        ++i;
    if (i >= text.size() || text[i] != QLatin1Char('('))
        return -1;
    return i + 1;
}

} // namespace

bool isJsonPathExpressionText(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    return jsonEvalArgumentStart(trimmed) >= 0 || trimmed.startsWith(QLatin1String("$.")) ||
           trimmed.startsWith(QLatin1String("$["));
}

std::unique_ptr<Expression> compileJsonPathExpression(const QString &text, QString *error)
{
    const QStringView view(text);
    qsizetype start = jsonEvalArgumentStart(view);
    qsizetype end = text.size();
    if (start >= 0) {
        end = text.lastIndexOf(QLatin1Char(')'));
        if (end < start) {
            setError(error, QStringLiteral("invalid JSONPath '%1': missing ')' to close "
                                           "json-eval(")
                                .arg(text));
            return nullptr;
        }
        if (!view.mid(end + 1).trimmed().isEmpty()) {
            setError(error, QStringLiteral("invalid JSONPath '%1': json-eval(...) must be the "
                                           "whole expression")
                                .arg(text));
            return nullptr;
        }
    } else {
        start = 0;
    }
    QString why;
    qsizetype position = 0;
    std::optional<JsonPath> path = JsonPath::parse(view.mid(start, end - start), &why, &position);
    if (!path) {
        setError(error, QStringLiteral("invalid JSONPath '%1': syntax error at position %2: %3")
                            .arg(text)
                            .arg(start + position + 1)
                            .arg(why));
        return nullptr;
    }
    return std::make_unique<JsonPathExpression>(text, std::move(*path));
}

} // namespace sluice
