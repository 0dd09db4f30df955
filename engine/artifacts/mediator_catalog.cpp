// SPDX-License-Identifier: Apache-2.0
#include "mediator_catalog.h"

#include <QRegularExpression>

namespace sluice {

namespace {

using Kind = ParameterSpec::Kind;
using Content = MediatorPartSpec::Content;

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

ParameterSpec attr(const char *name, Kind kind, const char *help, const char *def = "",
                   bool required = false)
{
    ParameterSpec spec;
    spec.name = str(name);
    spec.kind = kind;
    spec.help = str(help);
    spec.defaultValue = str(def);
    spec.required = required;
    return spec;
}

ParameterSpec required(const char *name, Kind kind, const char *help)
{
    return attr(name, kind, help, "", true);
}

ParameterSpec choice(const char *name, const char *def, const char *help,
                     std::initializer_list<std::pair<const char *, const char *>> choices)
{
    ParameterSpec spec = attr(name, Kind::Choice, help, def);
    for (const auto &[value, meaning] : choices)
        spec.choices.append({str(value), str(meaning)});
    return spec;
}

ParameterSpec boolean(const char *name, const char *def, const char *help)
{
    return attr(name, Kind::Boolean, help, def);
}

ParameterSpec integer(const char *name, const char *def, qint64 minimum, const char *help)
{
    ParameterSpec spec = attr(name, Kind::Integer, help, def);
    spec.minimum = minimum;
    return spec;
}

ParameterSpec descriptionAttribute()
{
    return attr("description", Kind::Text,
                "A note shown in the design view; not used at run time.");
}

QList<QStringList> valueOrExpression()
{
    return {{QStringLiteral("value"), QStringLiteral("expression")}};
}

MediatorPartSpec part(const char *element, const char *display, const char *help,
                      Content content = Content::None)
{
    MediatorPartSpec spec;
    spec.elementName = str(element);
    spec.displayName = str(display);
    spec.help = str(help);
    spec.content = content;
    return spec;
}

MediatorBranchSpec branch(const char *element, const char *display, const char *help)
{
    MediatorBranchSpec spec;
    spec.elementName = str(element);
    spec.displayName = str(display);
    spec.help = str(help);
    return spec;
}

MediatorDescription mediator(const char *element, const char *display, MediatorGroup group,
                             const char *icon, const char *help, const char *templateXml)
{
    MediatorDescription description;
    description.elementName = str(element);
    description.displayName = str(display);
    description.group = group;
    description.iconName = QStringLiteral("mediator-") + str(icon);
    description.help = str(help);
    description.templateXml = str(templateXml);
    return description;
}

MediatorPartSpec endpointPart()
{
    MediatorPartSpec endpoint =
        part("endpoint", "Endpoint",
             "Where the message goes: key names an endpoint of the project, or the element holds "
             "an inline <address uri>, <http uri-template method> or <default/> definition. "
             "Without an endpoint the message goes to its To address.",
             Content::Xml);
    endpoint.attributes = {
        attr("key", Kind::EndpointReference, "An endpoint of the project."),
        attr("name", Kind::Text, "Name of an inline endpoint (optional)."),
    };
    endpoint.exclusiveAttributes = {{QStringLiteral("key"), QStringLiteral("name")}};
    return endpoint;
}

// ----- core -----

MediatorDescription logMediator()
{
    MediatorDescription d = mediator(
        "log", "Log", MediatorGroup::Core, "log",
        "Writes a line to the log for every message: a few standard fields (simple), the "
        "transport headers (headers), the whole message (full) or only the listed properties "
        "(custom); listed properties are added at every level.",
        "<log level=\"full\"/>");
    d.attributes = {
        choice("level", "simple", "How much of the message is logged.",
               {{"simple", "To, MessageID, Direction and the listed properties"},
                {"headers", "simple plus every transport header"},
                {"full", "headers plus the payload"},
                {"custom", "only the listed properties"}}),
        choice("category", "INFO", "The log level of the line.",
               {{"INFO", "information"},
                {"DEBUG", "debugging detail"},
                {"WARN", "a warning"},
                {"ERROR", "an error"},
                {"TRACE", "finest detail"},
                {"FATAL", "logged as ERROR"}}),
        attr("separator", Kind::Text,
             "Text between the logged fields; \\n and \\t stand for newline and tab.", ", "),
        descriptionAttribute(),
    };
    MediatorPartSpec property =
        part("property", "Property", "A field to log: a fixed value or an expression.");
    property.repeated = true;
    property.attributes = {
        required("name", Kind::Text, "The field name in the log line."),
        attr("value", Kind::Text, "A fixed value."),
        attr("expression", Kind::Expression,
             "An XPath or json-eval() expression evaluated on each message."),
    };
    property.exclusiveAttributes = valueOrExpression();
    d.parts = {property};
    return d;
}

MediatorDescription propertyMediator()
{
    MediatorDescription d = mediator(
        "property", "Property", MediatorGroup::Core, "property",
        "Sets or removes a property of the message: a fixed value, the result of an expression "
        "(optionally cut by a regular expression), or an inline XML element.",
        "<property name=\"name\" value=\"value\"/>");
    d.attributes = {
        required("name", Kind::Text, "The property name (e.g. OUT_ONLY)."),
        choice("action", "set", "Whether the property is set or removed.",
               {{"set", "set the property"}, {"remove", "remove the property"}}),
        attr("value", Kind::Text, "A fixed value, converted to the type."),
        attr("expression", Kind::Expression,
             "An XPath or json-eval() expression evaluated on each message."),
        choice("type", "STRING", "The type the value is converted to.",
               {{"STRING", "text"},
                {"BOOLEAN", "true or false"},
                {"INTEGER", "a 32-bit whole number"},
                {"LONG", "a 64-bit whole number"},
                {"SHORT", "a 16-bit whole number"},
                {"DOUBLE", "a double precision number"},
                {"FLOAT", "a single precision number"},
                {"JSON", "a JSON value"},
                {"OM", "an XML element"}}),
        choice("scope", "default", "Where the property is kept.",
               {{"default", "the message context (get-property('name'))"},
                {"axis2", "the Axis2 message context ($axis2:name)"},
                {"transport", "a transport header of the outgoing message ($trp:name)"},
                {"axis2-client", "the Axis2 client options"},
                {"operation", "the operation context, shared with the reply"}}),
        attr("pattern", Kind::Regex,
             "A regular expression applied to the expression's result; the matched group is "
             "the value."),
        integer("group", "0", 0, "The group of pattern that is the value (0: the whole match)."),
        descriptionAttribute(),
    };
    d.exclusiveAttributes = valueOrExpression();
    d.inlineXml = true;
    return d;
}

MediatorDescription sequenceMediator()
{
    MediatorDescription d = mediator(
        "sequence", "Sequence", MediatorGroup::Core, "sequence",
        "Runs another sequence of the project and comes back (key), or a dynamic one whose name "
        "an expression in braces gives: {get-property('target')}.",
        "<sequence key=\"sequenceName\"/>");
    d.attributes = {
        required("key", Kind::SequenceReference, "The sequence to run."),
        descriptionAttribute(),
    };
    return d;
}

MediatorDescription dropMediator()
{
    MediatorDescription d =
        mediator("drop", "Drop", MediatorGroup::Core, "drop",
                 "Stops mediating the message; nothing is sent back.", "<drop/>");
    d.attributes = {descriptionAttribute()};
    return d;
}

MediatorDescription respondMediator()
{
    MediatorDescription d = mediator(
        "respond", "Respond", MediatorGroup::Core, "respond",
        "Sends the message back to the client it belongs to (for a WebSocket inbound endpoint: "
        "to the clients chosen by ws.client.side.broadcast.level) and stops mediating.",
        "<respond/>");
    d.attributes = {descriptionAttribute()};
    return d;
}

// ----- flow control -----

MediatorDescription filterMediator()
{
    MediatorDescription d = mediator(
        "filter", "Filter", MediatorGroup::FlowControl, "filter",
        "Runs the then branch when the condition holds and the else branch otherwise. The "
        "condition is an XPath (xpath) or a regular expression that the value of source must "
        "match as a whole.",
        "<filter source=\"get-property('To')\" regex=\".*\"><then/><else/></filter>");
    d.attributes = {
        attr("source", Kind::Expression, "The expression whose value regex must match."),
        attr("regex", Kind::Regex, "A regular expression matched against the whole value."),
        attr("xpath", Kind::Expression, "A condition: an expression evaluated as a boolean."),
        descriptionAttribute(),
    };
    d.exclusiveAttributes = {{QStringLiteral("xpath"), QStringLiteral("source")},
                             {QStringLiteral("xpath"), QStringLiteral("regex")}};
    MediatorBranchSpec thenBranch =
        branch("then", "then", "Mediators run when the condition holds.");
    MediatorBranchSpec elseBranch =
        branch("else", "else", "Mediators run when the condition does not hold.");
    thenBranch.attributes = {descriptionAttribute()};
    elseBranch.attributes = {descriptionAttribute()};
    d.branches = {thenBranch, elseBranch};
    d.holdsMediators = true; // a <filter> without <then>/<else> holds its then branch
    return d;
}

MediatorDescription switchMediator()
{
    MediatorDescription d = mediator(
        "switch", "Switch", MediatorGroup::FlowControl, "switch",
        "Evaluates source and runs the first case whose regular expression matches the value "
        "as a whole, or the default branch when none does.",
        "<switch source=\"get-property('To')\"><case regex=\".*\"/><default/></switch>");
    d.attributes = {
        required("source", Kind::Expression, "The expression whose value selects the case."),
        descriptionAttribute(),
    };
    MediatorBranchSpec caseBranch =
        branch("case", "case", "Mediators run when regex matches the value.");
    caseBranch.repeated = true;
    caseBranch.attributes = {
        required("regex", Kind::Regex, "A regular expression matched against the whole value."),
        descriptionAttribute(),
    };
    MediatorBranchSpec defaultBranch =
        branch("default", "default", "Mediators run when no case matches.");
    defaultBranch.attributes = {descriptionAttribute()};
    d.branches = {caseBranch, defaultBranch};
    return d;
}

MediatorDescription loopbackMediator()
{
    MediatorDescription d = mediator(
        "loopback", "Loopback", MediatorGroup::FlowControl, "loopback",
        "Ends the in flow and hands the message to the out sequence (of a proxy or API), or "
        "back to the client when there is none.",
        "<loopback/>");
    d.attributes = {descriptionAttribute()};
    return d;
}

// ----- transformation -----

MediatorDescription payloadFactoryMediator()
{
    MediatorDescription d = mediator(
        "payloadFactory", "Payload factory", MediatorGroup::Transformation, "payloadFactory",
        "Replaces the payload with a template (format) in which $1, $2, ... are replaced by the "
        "values of the arguments.",
        "<payloadFactory media-type=\"json\"><format>{\"message\": \"$1\"}</format>"
        "<args><arg evaluator=\"json\" expression=\"$.message\"/></args></payloadFactory>");
    d.attributes = {
        choice("media-type", "xml", "What the format produces.",
               {{"xml", "an XML payload"}, {"json", "a JSON payload"}, {"text", "plain text"}}),
        choice("template-type", "default", "The template language.",
               {{"default", "$n placeholders (freemarker templates are not supported)"}}),
        descriptionAttribute(),
    };
    MediatorPartSpec format =
        part("format", "Format",
             "The template: inline XML, JSON or text with $1, $2, ... placeholders, or key names "
             "a local entry that holds it.",
             Content::Xml);
    format.required = true;
    format.attributes = {attr("key", Kind::Text, "A local entry that holds the template.")};
    MediatorPartSpec arg = part("arg", "Argument", "The value of one placeholder, in order.");
    arg.repeated = true;
    arg.attributes = {
        attr("value", Kind::Text, "A fixed value."),
        attr("expression", Kind::Expression,
             "An expression evaluated on each message (with evaluator json, a JSONPath such as "
             "$.id is read as json-eval($.id))."),
        choice("evaluator", "xml", "How expression is read.",
               {{"xml", "XPath (or json-eval(...))"}, {"json", "JSONPath"}}),
        boolean("literal", "false",
                "Insert the value as text even when it looks like XML or "
                "JSON."),
        boolean("deepCheck", "true", "Accepted for compatibility; values are always checked."),
        descriptionAttribute(),
    };
    arg.exclusiveAttributes = valueOrExpression();
    MediatorPartSpec args = part("args", "Arguments", "The arguments, $1 first.", Content::Parts);
    args.parts = {arg};
    d.parts = {format, args};
    return d;
}

MediatorDescription headerMediator()
{
    MediatorDescription d = mediator(
        "header", "Header", MediatorGroup::Transformation, "header",
        "Sets or removes a transport header (scope transport) or a SOAP header (scope default; "
        "To sets the address the message is sent to).",
        "<header name=\"X-Header\" scope=\"transport\" value=\"value\"/>");
    d.attributes = {
        attr("name", Kind::Text,
             "The header name; prefix:name for a SOAP header in a declared namespace."),
        choice("action", "set", "Whether the header is set or removed.",
               {{"set", "set the header"}, {"remove", "remove the header"}}),
        attr("value", Kind::Text, "A fixed value."),
        attr("expression", Kind::Expression, "An expression evaluated on each message."),
        choice("scope", "default", "Which header.",
               {{"default", "a SOAP header (or To)"}, {"transport", "a transport header"}}),
        descriptionAttribute(),
    };
    d.exclusiveAttributes = valueOrExpression();
    d.inlineXml = true;
    return d;
}

MediatorDescription enrichMediator()
{
    MediatorDescription d =
        mediator("enrich", "Enrich", MediatorGroup::Transformation, "enrich",
                 "Copies part of the message (source) into another place (target): the body, a "
                 "property, or a node that an XPath or JSONPath selects.",
                 "<enrich><source clone=\"true\" type=\"body\"/>"
                 "<target property=\"ORIGINAL_BODY\" type=\"property\"/></enrich>");
    d.attributes = {descriptionAttribute()};
    MediatorPartSpec source = part(
        "source", "Source", "What is copied; type inline holds the value itself.", Content::Xml);
    source.required = true;
    source.attributes = {
        choice("type", "custom", "What is copied.",
               {{"custom", "what xpath selects"},
                {"envelope", "the whole envelope"},
                {"body", "the payload"},
                {"property", "the value of a property"},
                {"inline", "the XML or text written inside <source>, or a local entry (key)"}}),
        boolean("clone", "true", "Copy the source rather than move it."),
        attr("xpath", Kind::Expression, "For type custom: an XPath or json-eval() expression."),
        attr("property", Kind::Text, "For type property: the property name."),
        attr("key", Kind::Text, "For type inline: a local entry that holds the value."),
    };
    MediatorPartSpec target = part("target", "Target", "Where the source goes.");
    target.required = true;
    target.attributes = {
        choice("type", "custom", "Where the source goes.",
               {{"custom", "the node xpath selects"},
                {"envelope", "replace the envelope"},
                {"body", "the payload"},
                {"property", "a property"}}),
        choice("action", "replace", "How the source is put there.",
               {{"replace", "replace the target"},
                {"child", "add as the target's last child"},
                {"sibling", "add after the target"}}),
        attr("xpath", Kind::Expression, "For type custom: an XPath or json-eval() expression."),
        attr("property", Kind::Text, "For type property: the property name."),
    };
    d.parts = {source, target};
    return d;
}

MediatorDescription makefaultMediator()
{
    MediatorDescription d = mediator(
        "makefault", "Make fault", MediatorGroup::Transformation, "makefault",
        "Replaces the payload with a SOAP 1.1, SOAP 1.2 or plain (pox) fault built from a code, "
        "a reason and optional details.",
        "<makefault version=\"soap11\"><code "
        "xmlns:soap11Env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "value=\"soap11Env:Server\"/><reason value=\"error\"/></makefault>");
    d.attributes = {
        choice("version", "soap11", "The kind of fault.",
               {{"soap11", "a SOAP 1.1 fault"},
                {"soap12", "a SOAP 1.2 fault"},
                {"pox", "a plain XML fault"}}),
        boolean("response", "false", "Mark the message as a response (send it back)."),
        descriptionAttribute(),
    };
    MediatorPartSpec code = part("code", "Code",
                                 "The fault code, a qualified name such as soap11Env:Client "
                                 "(needed unless version is pox).");
    code.attributes = {
        attr("value", Kind::Text, "A fixed code."),
        attr("expression", Kind::Expression, "An expression giving the code."),
    };
    code.exclusiveAttributes = valueOrExpression();
    MediatorPartSpec reason =
        part("reason", "Reason", "The fault reason (needed unless version is pox).");
    reason.attributes = {
        attr("value", Kind::Text, "A fixed reason."),
        attr("expression", Kind::Expression, "An expression giving the reason."),
    };
    reason.exclusiveAttributes = valueOrExpression();
    MediatorPartSpec node = part("node", "Node", "The URI of the node that failed.", Content::Text);
    MediatorPartSpec role =
        part("role", "Role", "The role of the node that failed.", Content::Text);
    MediatorPartSpec detail =
        part("detail", "Detail", "Details: text, inline XML or an expression.", Content::Xml);
    detail.attributes = {attr("expression", Kind::Expression, "An expression giving the detail.")};
    d.parts = {code, reason, node, role, detail};
    return d;
}

// ----- transport -----

MediatorDescription sendMediator()
{
    MediatorDescription d = mediator(
        "send", "Send", MediatorGroup::Transport, "send",
        "Sends the message to the endpoint (or to its To address) and ends this flow; the reply "
        "comes back through the out sequence, the receive sequence or, for WebSocket, the "
        "inbound endpoint's ws.outflow.dispatch.sequence. In an out flow, send without an "
        "endpoint answers the client.",
        "<send/>");
    d.attributes = {
        attr("receive", Kind::SequenceReference, "The sequence that mediates the reply."),
        boolean("buildmessage", "false",
                "Accepted for compatibility; payloads are parsed when a mediator reads them."),
        descriptionAttribute(),
    };
    d.parts = {endpointPart()};
    return d;
}

MediatorDescription callMediator()
{
    MediatorDescription d = mediator(
        "call", "Call", MediatorGroup::Transport, "call",
        "Sends the message to the endpoint and continues with the next mediator once the reply "
        "has replaced the message (without blocking a thread).",
        "<call/>");
    d.attributes = {
        boolean("blocking", "false",
                "Only false is supported: a blocking call would stall the event loop."),
        descriptionAttribute(),
    };
    d.parts = {endpointPart()};
    return d;
}

QList<MediatorDescription> buildCatalog()
{
    return {
        logMediator(),       propertyMediator(),       sequenceMediator(), dropMediator(),
        respondMediator(),   filterMediator(),         switchMediator(),   loopbackMediator(),
        sendMediator(),      callMediator(),           enrichMediator(),   headerMediator(),
        makefaultMediator(), payloadFactoryMediator(),
    };
}

// ----- summaries -----

const QString kArrow = QStringLiteral(" \u2192 ");

QString elided(const QString &text, int length = kMaxSummaryLength)
{
    QString simple = text.simplified();
    if (simple.size() <= length)
        return simple;
    return simple.left(length - 1) + QChar(0x2026);
}

QString valueOrExpressionText(const XmlNode &element)
{
    if (element.hasAttribute(QStringLiteral("expression")))
        return QLatin1Char('{') + element.attribute(QStringLiteral("expression")) +
               QLatin1Char('}');
    if (element.hasAttribute(QStringLiteral("value")))
        return element.attribute(QStringLiteral("value"));
    if (const XmlNode *inlineValue = element.firstChildElement())
        return QLatin1Char('<') + inlineValue->name + QStringLiteral(">\u2026");
    return QString();
}

QString endpointText(const XmlNode &mediator)
{
    const XmlNode *endpoint = mediator.firstChildElement(QStringLiteral("endpoint"));
    if (!endpoint)
        return QString();
    if (endpoint->hasAttribute(QStringLiteral("key")))
        return endpoint->attribute(QStringLiteral("key"));
    if (const XmlNode *address = endpoint->firstChildElement(QStringLiteral("address")))
        return address->attribute(QStringLiteral("uri"));
    if (const XmlNode *http = endpoint->firstChildElement(QStringLiteral("http"))) {
        const QString method = http->attribute(QStringLiteral("method")).toUpper();
        const QString uri = http->attribute(QStringLiteral("uri-template"));
        return method.isEmpty() ? uri : method + QLatin1Char(' ') + uri;
    }
    if (endpoint->firstChildElement(QStringLiteral("default")))
        return QStringLiteral("To address");
    return endpoint->attribute(QStringLiteral("name"), QStringLiteral("endpoint"));
}

QString summarizeLog(const XmlNode &m)
{
    QString text =
        QStringLiteral("log ") + m.attribute(QStringLiteral("level"), QStringLiteral("simple"));
    QStringList names;
    for (const XmlNode *property : m.childElements(QStringLiteral("property")))
        names << property->attribute(QStringLiteral("name"));
    if (!names.isEmpty())
        text += QStringLiteral(": ") + names.join(QStringLiteral(", "));
    const QString category = m.attribute(QStringLiteral("category"), QStringLiteral("INFO"));
    if (category != QLatin1String("INFO"))
        text += QStringLiteral(" (%1)").arg(category);
    return text;
}

QString summarizeProperty(const XmlNode &m)
{
    const QString name = m.attribute(QStringLiteral("name"));
    const QString scope = m.attribute(QStringLiteral("scope"), QStringLiteral("default"));
    const QString scoped =
        scope == QLatin1String("default") ? QString() : QStringLiteral(" (%1)").arg(scope);
    if (m.attribute(QStringLiteral("action")) == QLatin1String("remove"))
        return QStringLiteral("property remove ") + name + scoped;
    return QStringLiteral("property %1 = %2").arg(name, valueOrExpressionText(m)) + scoped;
}

QString summarizeSequence(const XmlNode &m)
{
    if (m.hasAttribute(QStringLiteral("key")))
        return QStringLiteral("sequence") + kArrow + m.attribute(QStringLiteral("key"));
    int count = 0;
    for (const XmlNode *child : m.childElements())
        count += isMediatorElement(*child) ? 1 : 0;
    return QStringLiteral("sequence (%1 mediator%2)")
        .arg(count)
        .arg(count == 1 ? QString() : QStringLiteral("s"));
}

QString summarizeFilter(const XmlNode &m)
{
    if (m.hasAttribute(QStringLiteral("xpath")))
        return QStringLiteral("filter ") + m.attribute(QStringLiteral("xpath"));
    return QStringLiteral("filter %1 ~ /%2/")
        .arg(m.attribute(QStringLiteral("source")), m.attribute(QStringLiteral("regex")));
}

QString summarizeSwitch(const XmlNode &m)
{
    const qsizetype cases = m.childElements(QStringLiteral("case")).size();
    QString text = QStringLiteral("switch %1 (%2 case%3")
                       .arg(m.attribute(QStringLiteral("source")))
                       .arg(cases)
                       .arg(cases == 1 ? QString() : QStringLiteral("s"));
    if (m.firstChildElement(QStringLiteral("default")))
        text += QStringLiteral(", default");
    return text + QLatin1Char(')');
}

QString summarizeSendOrCall(const XmlNode &m)
{
    const QString target = endpointText(m);
    QString text = m.name;
    text += target.isEmpty() ? QStringLiteral(" (to the To address)") : kArrow + target;
    if (m.hasAttribute(QStringLiteral("receive")))
        text += QStringLiteral(", reply to ") + m.attribute(QStringLiteral("receive"));
    return text;
}

QString summarizePayloadFactory(const XmlNode &m)
{
    QString text = QStringLiteral("payloadFactory ") +
                   m.attribute(QStringLiteral("media-type"), QStringLiteral("xml"));
    if (const XmlNode *format = m.firstChildElement(QStringLiteral("format"))) {
        if (format->hasAttribute(QStringLiteral("key"))) {
            text += QStringLiteral(" from ") + format->attribute(QStringLiteral("key"));
        } else if (const XmlNode *element = format->firstChildElement()) {
            text += QStringLiteral(": <") + element->name + QStringLiteral(">\u2026");
        } else {
            text += QStringLiteral(": ") + format->textContent().simplified();
        }
    }
    return text;
}

QString summarizeHeader(const XmlNode &m)
{
    QString name = m.attribute(QStringLiteral("name"));
    if (name.isEmpty()) {
        if (const XmlNode *block = m.firstChildElement())
            name = QLatin1Char('<') + block->name + QLatin1Char('>');
    }
    const QString scope = m.attribute(QStringLiteral("scope")) == QLatin1String("transport")
                              ? QStringLiteral(" (transport)")
                              : QString();
    if (m.attribute(QStringLiteral("action")) == QLatin1String("remove"))
        return QStringLiteral("header remove ") + name + scope;
    const QString value = m.hasAttribute(QStringLiteral("name")) ? valueOrExpressionText(m)
                                                                 : QStringLiteral("\u2026");
    return QStringLiteral("header %1 = %2").arg(name, value) + scope;
}

QString enrichEnd(const XmlNode *end)
{
    if (!end)
        return QStringLiteral("?");
    const QString type = end->attribute(QStringLiteral("type"), QStringLiteral("custom"));
    if (type == QLatin1String("custom"))
        return end->attribute(QStringLiteral("xpath"));
    if (type == QLatin1String("property"))
        return QStringLiteral("property ") + end->attribute(QStringLiteral("property"));
    if (type == QLatin1String("inline") && end->hasAttribute(QStringLiteral("key")))
        return QStringLiteral("inline ") + end->attribute(QStringLiteral("key"));
    return type;
}

QString summarizeEnrich(const XmlNode &m)
{
    const XmlNode *target = m.firstChildElement(QStringLiteral("target"));
    QString text = QStringLiteral("enrich ") +
                   enrichEnd(m.firstChildElement(QStringLiteral("source"))) + kArrow +
                   enrichEnd(target);
    const QString action =
        target ? target->attribute(QStringLiteral("action"), QStringLiteral("replace")) : QString();
    if (!action.isEmpty() && action != QLatin1String("replace"))
        text += QStringLiteral(" (%1)").arg(action);
    return text;
}

QString summarizeMakefault(const XmlNode &m)
{
    QString text = QStringLiteral("makefault ") +
                   m.attribute(QStringLiteral("version"), QStringLiteral("soap11"));
    if (const XmlNode *code = m.firstChildElement(QStringLiteral("code")))
        text += QLatin1Char(' ') + valueOrExpressionText(*code);
    if (const XmlNode *reason = m.firstChildElement(QStringLiteral("reason")))
        text += QStringLiteral(": ") + valueOrExpressionText(*reason);
    return text;
}

} // namespace

const QList<MediatorGroup> &mediatorGroups()
{
    static const QList<MediatorGroup> groups = {MediatorGroup::Core, MediatorGroup::FlowControl,
                                                MediatorGroup::Transformation,
                                                MediatorGroup::Transport};
    return groups;
}

QString mediatorGroupName(MediatorGroup group)
{
    switch (group) {
    case MediatorGroup::Core:
        return QStringLiteral("Core");
    case MediatorGroup::FlowControl:
        return QStringLiteral("Flow control");
    case MediatorGroup::Transformation:
        return QStringLiteral("Transformation");
    case MediatorGroup::Transport:
        return QStringLiteral("Transport");
    }
    return QString();
}

const ParameterSpec *MediatorPartSpec::findAttribute(const QString &name) const
{
    for (const ParameterSpec &spec : attributes) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const ParameterSpec *MediatorDescription::findAttribute(const QString &name) const
{
    for (const ParameterSpec &spec : attributes) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const MediatorPartSpec *MediatorDescription::findPart(const QString &name) const
{
    for (const MediatorPartSpec &spec : parts) {
        if (spec.elementName == name)
            return &spec;
    }
    return nullptr;
}

namespace {

void dropOwnSynapseDeclaration(XmlNode &node)
{
    node.namespaceDeclarations.removeIf([](const XmlNamespaceDeclaration &declaration) {
        return declaration.prefix.isEmpty() && declaration.uri == kSynapseNamespace;
    });
}

void clearLocations(XmlNode &node)
{
    node.location = {};
    for (XmlAttribute &attribute : node.attributes)
        attribute.location = {};
    for (XmlNode &child : node.children)
        clearLocations(child);
}

} // namespace

XmlNode MediatorDescription::createElement() const
{
    // The template is parsed inside an element that declares the Synapse namespace, so the
    // mediator itself carries no declaration and is written without one inside its sequence.
    const QString wrapped =
        QStringLiteral("<sequence xmlns=\"%1\">%2</sequence>").arg(kSynapseNamespace, templateXml);
    Diagnostics diagnostics;
    std::optional<XmlNode> root = parseXml(wrapped.toUtf8(), QString(), diagnostics);
    if (!root || !root->firstChildElement())
        return XmlNode::element(elementName);
    for (XmlNode &child : root->children) {
        if (child.isElement()) {
            XmlNode result = std::move(child);
            dropOwnSynapseDeclaration(result);
            clearLocations(result);
            return result;
        }
    }
    return XmlNode::element(elementName);
}

const QList<MediatorDescription> &mediatorCatalog()
{
    static const QList<MediatorDescription> catalog = [] {
        QList<MediatorDescription> all = buildCatalog();
        QList<MediatorDescription> ordered;
        for (MediatorGroup group : mediatorGroups()) {
            for (const MediatorDescription &description : all) {
                if (description.group == group)
                    ordered.append(description);
            }
        }
        return ordered;
    }();
    return catalog;
}

const MediatorDescription *findMediatorDescription(const QString &elementName)
{
    for (const MediatorDescription &description : mediatorCatalog()) {
        if (description.elementName == elementName)
            return &description;
    }
    return nullptr;
}

QList<const MediatorDescription *> mediatorsInGroup(MediatorGroup group)
{
    QList<const MediatorDescription *> result;
    for (const MediatorDescription &description : mediatorCatalog()) {
        if (description.group == group)
            result.append(&description);
    }
    return result;
}

bool isKnownMediator(const XmlNode &mediator)
{
    return mediator.isElement() && mediator.namespaceUri == kSynapseNamespace &&
           findMediatorDescription(mediator.name) != nullptr;
}

QString mediatorIconName(const XmlNode &mediator)
{
    if (isKnownMediator(mediator))
        return findMediatorDescription(mediator.name)->iconName;
    return QStringLiteral("mediator-unknown");
}

QString mediatorDisplayName(const XmlNode &mediator)
{
    if (isKnownMediator(mediator))
        return findMediatorDescription(mediator.name)->displayName;
    return mediator.name;
}

bool isMediatorElement(const XmlNode &node)
{
    return node.isElement() &&
           !(node.name == QLatin1String("description") && node.namespaceUri == kSynapseNamespace);
}

QString summarize(const XmlNode &m)
{
    if (!isKnownMediator(m)) {
        const QString tag = m.prefix.isEmpty() ? m.name : m.prefix + QLatin1Char(':') + m.name;
        return elided(QStringLiteral("<%1> (not editable in design)").arg(tag));
    }
    const QString &name = m.name;
    QString text;
    if (name == QLatin1String("log"))
        text = summarizeLog(m);
    else if (name == QLatin1String("property"))
        text = summarizeProperty(m);
    else if (name == QLatin1String("sequence"))
        text = summarizeSequence(m);
    else if (name == QLatin1String("filter"))
        text = summarizeFilter(m);
    else if (name == QLatin1String("switch"))
        text = summarizeSwitch(m);
    else if (name == QLatin1String("send") || name == QLatin1String("call"))
        text = summarizeSendOrCall(m);
    else if (name == QLatin1String("payloadFactory"))
        text = summarizePayloadFactory(m);
    else if (name == QLatin1String("header"))
        text = summarizeHeader(m);
    else if (name == QLatin1String("enrich"))
        text = summarizeEnrich(m);
    else if (name == QLatin1String("makefault"))
        text = summarizeMakefault(m);
    else
        text = name; // drop, respond, loopback
    return elided(text);
}

QList<MediatorBranch> mediatorBranches(const XmlNode &mediator)
{
    QList<MediatorBranch> result;
    if (!isKnownMediator(mediator))
        return result;
    const MediatorDescription *description = findMediatorDescription(mediator.name);
    if (mediator.name == QLatin1String("sequence")) {
        if (!mediator.hasAttribute(QStringLiteral("key")))
            result.append({description->displayName, -1});
        return result;
    }
    int index = 0;
    for (const XmlNode &child : mediator.children) {
        if (!child.isElement())
            continue;
        for (const MediatorBranchSpec &spec : description->branches) {
            if (child.name != spec.elementName || child.namespaceUri != kSynapseNamespace)
                continue;
            QString label = spec.displayName;
            if (spec.elementName == QLatin1String("case"))
                label += QLatin1Char(' ') + child.attribute(QStringLiteral("regex"));
            result.append({label, index});
        }
        ++index;
    }
    if (result.isEmpty() && description->holdsMediators)
        result.append({description->branches.isEmpty() ? description->displayName
                                                       : description->branches.first().displayName,
                       -1});
    return result;
}

namespace {

ParameterSpec traceAttribute()
{
    return choice("trace", "", "Message tracing.",
                  {{"enable", "trace messages"}, {"disable", "do not trace"}});
}

ParameterSpec statisticsAttribute()
{
    return choice("statistics", "", "Statistics collection.",
                  {{"enable", "collect statistics"}, {"disable", "do not collect"}});
}

QList<ParameterSpec> specsOf(ArtifactKind kind)
{
    switch (kind) {
    case ArtifactKind::Sequence:
        return {required("name", Kind::Text, "The sequence name."),
                attr("onError", Kind::SequenceReference,
                     "The sequence that runs when a mediator of this one fails."),
                traceAttribute(), statisticsAttribute()};
    case ArtifactKind::InboundEndpoint:
        return {required("name", Kind::Text, "The inbound endpoint name."),
                choice("protocol", "ws", "The transport the endpoint listens on.",
                       {{"ws", "WebSocket"}, {"wss", "WebSocket over TLS"}}),
                required("sequence", Kind::SequenceReference,
                         "The sequence that mediates client messages."),
                attr("onError", Kind::SequenceReference,
                     "The sequence that runs when mediation fails."),
                boolean("suspend", "false", "Deploy the endpoint without starting it."),
                attr("class", Kind::Text, "A custom inbound class (not supported by Sluice)."),
                traceAttribute(),
                statisticsAttribute()};
    case ArtifactKind::Endpoint:
        return {required("name", Kind::Text, "The endpoint name.")};
    case ArtifactKind::ProxyService:
        return {required("name", Kind::Text, "The proxy service name."),
                attr("transports", Kind::Text,
                     "The transports it listens on, separated by spaces or commas.", "http https"),
                boolean("startOnLoad", "true", "Start the proxy when it is deployed."),
                attr("pinnedServers", Kind::Text, "Accepted for compatibility."),
                attr("serviceGroup", Kind::Text, "Accepted for compatibility."),
                traceAttribute(),
                statisticsAttribute()};
    case ArtifactKind::Api:
        return {required("name", Kind::Text, "The API name."),
                required("context", Kind::Text, "The path the API is served under (/orders)."),
                attr("version", Kind::Text, "The API version."),
                choice("version-type", "", "Where the version appears.",
                       {{"context", "in the context path (/orders/1.0.0)"},
                        {"url", "after the context (/orders/1.0.0/...)"}}),
                attr("hostname", Kind::Text, "Serve only requests for this host."),
                attr("port", Kind::Text, "Serve only requests on this port."),
                choice("transports", "", "Restrict the API to one scheme.",
                       {{"http", "http only"}, {"https", "https only"}}),
                traceAttribute(),
                statisticsAttribute()};
    case ArtifactKind::LocalEntry:
        return {required("key", Kind::Text, "The local entry name."),
                attr("src", Kind::Text, "A URL to read the value from.")};
    }
    return {};
}

} // namespace

const QList<ParameterSpec> &artifactAttributeSpecs(ArtifactKind kind)
{
    static const QList<QList<ParameterSpec>> all = [] {
        QList<QList<ParameterSpec>> specs;
        for (const ArtifactKindInfo &info : artifactKinds()) {
            while (specs.size() <= int(info.kind))
                specs.append(QList<ParameterSpec>());
            specs[int(info.kind)] = specsOf(info.kind);
        }
        return specs;
    }();
    return all.at(int(kind));
}

const QList<ParameterSpec> &proxyTargetAttributeSpecs()
{
    static const QList<ParameterSpec> specs = {
        attr("inSequence", Kind::SequenceReference, "The sequence that mediates requests."),
        attr("outSequence", Kind::SequenceReference, "The sequence that mediates replies."),
        attr("faultSequence", Kind::SequenceReference, "The sequence that runs on a fault."),
        attr("endpoint", Kind::EndpointReference, "The endpoint requests are sent to."),
    };
    return specs;
}

const QList<ParameterSpec> &inboundEndpointParameterSpecs(const QString &protocol)
{
    return inboundParameterSpecs(protocol);
}

std::optional<QString> checkAttributeValue(const ParameterSpec &spec, const QString &value)
{
    if (value.trimmed().isEmpty()) {
        if (spec.required)
            return QStringLiteral("'%1' is required").arg(spec.name);
        if (spec.kind != ParameterSpec::Kind::Text && spec.kind != ParameterSpec::Kind::Secret &&
            spec.kind != ParameterSpec::Kind::FilePath)
            return std::nullopt; // empty: the attribute is left out
    }
    return checkParameterValue(spec, value);
}

} // namespace sluice
