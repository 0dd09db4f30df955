// SPDX-License-Identifier: Apache-2.0
#include "xpath_expression.h"

#include "artifacts/xml_node.h"
#include "mediation/message_context.h"
#include "synapse_xpath_functions.h"
#include "xpath_scanner.h"

#include <QJsonValue>
#include <cmath>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

namespace sluice {

namespace {

const xmlChar *xc(const QByteArray &bytes)
{
    return reinterpret_cast<const xmlChar *>(bytes.constData());
}

QString takeXmlString(xmlChar *text)
{
    QString out = QString::fromUtf8(reinterpret_cast<const char *>(text));
    xmlFree(text);
    return out;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// An empty document: the context of expressions that never look at the payload, and of the
// trial evaluation at compile time. One per thread, never changed.
xmlDocPtr placeholderDocument()
{
    struct Holder {
        xmlDocPtr doc = xmlNewDoc(reinterpret_cast<const xmlChar *>("1.0"));
        ~Holder() { xmlFreeDoc(doc); }
    };
    thread_local Holder holder;
    return holder.doc;
}

// libxml2 prints some XPath diagnostics through the generic error function (thread-local);
// they are turned off while we compile or evaluate, since the errors are reported to the caller.
void ignoreGenericError(void *, const char *, ...) {}

class QuietGenericErrors {
public:
    QuietGenericErrors()
        : m_function(xmlGenericError)
        , m_context(xmlGenericErrorContext)
    {
        xmlSetGenericErrorFunc(nullptr, ignoreGenericError);
    }
    ~QuietGenericErrors() { xmlSetGenericErrorFunc(m_context, m_function); }
    QuietGenericErrors(const QuietGenericErrors &) = delete;
    QuietGenericErrors &operator=(const QuietGenericErrors &) = delete;

private:
    xmlGenericErrorFunc m_function;
    void *m_context;
};

struct ContextDeleter {
    void operator()(xmlXPathContext *context) const { xmlXPathFreeContext(context); }
};
using ContextPointer = std::unique_ptr<xmlXPathContext, ContextDeleter>;

struct ObjectDeleter {
    void operator()(xmlXPathObject *object) const { xmlXPathFreeObject(object); }
};
using ObjectPointer = std::unique_ptr<xmlXPathObject, ObjectDeleter>;

using Namespaces = std::vector<std::pair<QByteArray, QByteArray>>;

ContextPointer newContext(xmlDocPtr doc, XPathCallState *state, const Namespaces &namespaces)
{
    ContextPointer context(xmlXPathNewContext(doc));
    if (!context)
        return context;
    context->node = reinterpret_cast<xmlNodePtr>(doc);
    prepareXPathContext(context.get(), state, namespaces);
    return context;
}

// Errors of the trial evaluation that do not depend on the data.
bool isStaticError(int code)
{
    return code == XML_XPATH_UNDEF_PREFIX_ERROR || code == XML_XPATH_UNKNOWN_FUNC_ERROR ||
           code == XML_XPATH_UNDEF_VARIABLE_ERROR || code == XML_XPATH_INVALID_ARITY;
}

constexpr char kXQueryFunctions[] = "http://www.w3.org/2002/08/xquery-functions";

class XPathExpression final : public Expression {
public:
    XPathExpression(const QString &text, const QHash<QString, QString> &namespaces)
        : m_text(text)
        , m_utf8(text.toUtf8())
        , m_namespaceMap(namespaces)
    {
        for (auto it = namespaces.begin(); it != namespaces.end(); ++it) {
            if (!it.key().isEmpty())
                m_namespaces.emplace_back(it.key().toUtf8(), it.value().toUtf8());
        }
    }
    ~XPathExpression() override
    {
        if (m_compiled)
            xmlXPathFreeCompExpr(m_compiled);
    }
    XPathExpression(const XPathExpression &) = delete;
    XPathExpression &operator=(const XPathExpression &) = delete;

    // Returns an error message, or an empty string when the expression is good.
    QString compile();

    Language language() const override { return Language::XPath; }
    const QString &text() const override { return m_text; }

    std::optional<QString> evaluateString(MessageContext &message, QString *error) const override
    {
        ObjectPointer result = run(message, error);
        if (!result)
            return std::nullopt;
        return takeXmlString(xmlXPathCastToString(result.get()));
    }

    std::optional<bool> evaluateBoolean(MessageContext &message, QString *error) const override
    {
        ObjectPointer result = run(message, error);
        if (!result)
            return std::nullopt;
        return xmlXPathCastToBoolean(result.get()) != 0;
    }

    std::optional<std::vector<xmlNodePtr>> evaluateNodes(MessageContext &message,
                                                         QString *error) const override;

    std::optional<QJsonValue> evaluateJson(MessageContext &message, QString *error) const override
    {
        ObjectPointer result = run(message, error);
        if (!result)
            return std::nullopt;
        switch (result->type) {
        case XPATH_BOOLEAN:
            return QJsonValue(result->boolval != 0);
        case XPATH_NUMBER:
            if (!std::isfinite(result->floatval))
                return QJsonValue(QJsonValue::Null);
            return QJsonValue(result->floatval);
        default:
            return QJsonValue(takeXmlString(xmlXPathCastToString(result.get())));
        }
    }

private:
    QString checkNames(const XPathScan &scan) const;
    ObjectPointer run(MessageContext &message, QString *error) const;

    QString m_text;
    QByteArray m_utf8;
    QHash<QString, QString> m_namespaceMap;
    Namespaces m_namespaces;
    xmlXPathCompExprPtr m_compiled = nullptr;
    bool m_needsDocument = true;
};

QString XPathExpression::compile()
{
    if (m_text.trimmed().isEmpty())
        return QStringLiteral("the expression is empty");
    QuietGenericErrors quiet;
    {
        XPathCallState state;
        ContextPointer context = newContext(placeholderDocument(), &state, m_namespaces);
        if (!context)
            return QStringLiteral("out of memory");
        m_compiled = xmlXPathCtxtCompile(context.get(), xc(m_utf8));
        if (!m_compiled) {
            const int offset = std::clamp(state.libxmlOffset, 0, int(m_utf8.size()));
            const qsizetype position = QString::fromUtf8(m_utf8.left(offset)).size() + 1;
            return QStringLiteral("syntax error at position %1: %2")
                .arg(position)
                .arg(state.libxmlMessage.isEmpty() ? QStringLiteral("invalid expression")
                                                   : state.libxmlMessage);
        }
    }

    QString scanError;
    const std::optional<XPathScan> scan = scanXPath(m_text, &scanError);
    if (!scan)
        return QStringLiteral("syntax error: %1").arg(scanError);
    const QString nameError = checkNames(*scan);
    if (!nameError.isEmpty())
        return nameError;
    m_needsDocument = scan->needsDocument;

    // libxml2 resolves prefixes, functions and variables only when it evaluates: a trial run on
    // an empty document finds what the scan may have missed. Type errors are ignored here, as
    // they can come from the empty data alone.
    XPathCallState state;
    state.document = placeholderDocument();
    ContextPointer context = newContext(state.document, &state, m_namespaces);
    if (!context)
        return QStringLiteral("out of memory");
    ObjectPointer trial(xmlXPathCompiledEval(m_compiled, context.get()));
    if (!trial && (!state.failure.isEmpty() || isStaticError(state.libxmlCode)))
        return state.describe();
    return QString();
}

QString XPathExpression::checkNames(const XPathScan &scan) const
{
    auto isBound = [this](const QString &prefix) {
        return isSynapseVariablePrefix(prefix) || m_namespaceMap.contains(prefix);
    };
    auto qualified = [](const XPathScan::Name &name) {
        return name.prefix.isEmpty() ? name.local : name.prefix + QLatin1Char(':') + name.local;
    };
    for (const XPathScan::Name &name : scan.nameTests) {
        if (!isBound(name.prefix)) {
            return QStringLiteral("undefined namespace prefix '%1' in '%2'")
                .arg(name.prefix, qualified(name));
        }
    }
    for (const XPathScan::Name &name : scan.functions) {
        const QString call = qualified(name) + QStringLiteral("()");
        if (name.prefix.isEmpty()) {
            if (isCoreXPathFunction(name.local) || isSynapseXPathFunction(name.local))
                continue;
            return QStringLiteral("unknown function '%1'").arg(call);
        }
        const QString prefixError = QStringLiteral("undefined namespace prefix '%1' in '%2'");
        if (!isBound(name.prefix))
            return prefixError.arg(name.prefix, call);
        const QString uri = m_namespaceMap.value(name.prefix);
        if (uri == kSynapseNamespace && isSynapseXPathFunction(name.local))
            continue;
        if (uri == QLatin1String(kXQueryFunctions) && name.local == QLatin1String("escape-uri"))
            continue;
        return QStringLiteral("unknown function '%1'").arg(call);
    }
    for (const XPathScan::Name &name : scan.variables) {
        const QString reference = QLatin1Char('$') + qualified(name);
        if (name.prefix.isEmpty()) {
            if (name.local == QLatin1String("body") || name.local == QLatin1String("header"))
                continue;
            return QStringLiteral("unknown variable '%1' (Synapse has $body, $header and "
                                  "$ctx: $axis2: $trp: $url: $func: $env: variables)")
                .arg(reference);
        }
        if (isSynapseVariablePrefix(name.prefix))
            continue;
        if (!isBound(name.prefix)) {
            return QStringLiteral("undefined namespace prefix '%1' in '%2'")
                .arg(name.prefix, reference);
        }
        return QStringLiteral("unknown variable '%1' (Synapse has $body, $header and "
                              "$ctx: $axis2: $trp: $url: $func: $env: variables)")
            .arg(reference);
    }
    return QString();
}

ObjectPointer XPathExpression::run(MessageContext &message, QString *error) const
{
    XPathCallState state;
    state.message = &message;
    xmlDocPtr doc = nullptr;
    if (m_needsDocument) {
        QString why;
        doc = message.xmlDocument(&why);
        if (!doc) {
            setError(
                error,
                QStringLiteral("XPath '%1' needs an XML or JSON payload: %2").arg(m_text, why));
            return nullptr;
        }
        state.document = doc;
    } else {
        // The payload is not parsed: if a variable needs it after all, it parses it itself.
        doc = placeholderDocument();
    }
    ContextPointer context = newContext(doc, &state, m_namespaces);
    if (!context) {
        setError(error, QStringLiteral("XPath '%1' failed: out of memory").arg(m_text));
        return nullptr;
    }
    QuietGenericErrors quiet;
    ObjectPointer result(xmlXPathCompiledEval(m_compiled, context.get()));
    if (!result)
        setError(error, QStringLiteral("XPath '%1' failed: %2").arg(m_text, state.describe()));
    return result;
}

std::optional<std::vector<xmlNodePtr>> XPathExpression::evaluateNodes(MessageContext &message,
                                                                      QString *error) const
{
    ObjectPointer result = run(message, error);
    if (!result)
        return std::nullopt;
    if (result->type != XPATH_NODESET) {
        setError(error,
                 QStringLiteral("XPath '%1' gives a %2, not nodes")
                     .arg(m_text, result->type == XPATH_NUMBER    ? QStringLiteral("number")
                                  : result->type == XPATH_BOOLEAN ? QStringLiteral("boolean")
                                                                  : QStringLiteral("string")));
        return std::nullopt;
    }
    std::vector<xmlNodePtr> nodes;
    const xmlNodeSetPtr set = result->nodesetval;
    for (int i = 0; set && i < set->nodeNr; ++i) {
        xmlNodePtr node = set->nodeTab[i];
        switch (node->type) {
        case XML_ELEMENT_NODE:
        case XML_ATTRIBUTE_NODE:
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            nodes.push_back(node);
            break;
        case XML_DOCUMENT_NODE:
            // $body (and "/"): the payload's root element.
            if (xmlNodePtr root = xmlDocGetRootElement(reinterpret_cast<xmlDocPtr>(node)))
                nodes.push_back(root);
            break;
        default:
            break; // comments, processing instructions, namespace nodes (owned by the result)
        }
    }
    return nodes;
}

} // namespace

std::unique_ptr<Expression> compileXPathExpression(const QString &text,
                                                   const QHash<QString, QString> &namespaces,
                                                   QString *error)
{
    auto expression = std::make_unique<XPathExpression>(text, namespaces);
    const QString problem = expression->compile();
    if (!problem.isEmpty()) {
        setError(error, QStringLiteral("invalid XPath '%1': %2").arg(text, problem));
        return nullptr;
    }
    return expression;
}

} // namespace sluice
