// SPDX-License-Identifier: Apache-2.0
#include "synapse_xpath_functions.h"

#include "artifacts/xml_node.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"

#include <QTimeZone>
#include <QUuid>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

namespace sluice {

namespace {

const xmlChar *xc(const char *text)
{
    return reinterpret_cast<const xmlChar *>(text);
}

const xmlChar *xc(const QByteArray &bytes)
{
    return reinterpret_cast<const xmlChar *>(bytes.constData());
}

QString fromXml(const xmlChar *text)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(text));
}

struct VariablePrefix {
    const char *prefix;
    const char *uri;
};

constexpr VariablePrefix kVariablePrefixes[] = {
    {"ctx", "urn:sluice:xpath:variables:ctx"},   {"axis2", "urn:sluice:xpath:variables:axis2"},
    {"trp", "urn:sluice:xpath:variables:trp"},   {"url", "urn:sluice:xpath:variables:url"},
    {"func", "urn:sluice:xpath:variables:func"}, {"env", "urn:sluice:xpath:variables:env"},
};

const char *const kCoreFunctions[] = {
    "last",
    "position",
    "count",
    "id",
    "local-name",
    "namespace-uri",
    "name",
    "string",
    "concat",
    "starts-with",
    "contains",
    "substring-before",
    "substring-after",
    "substring",
    "string-length",
    "normalize-space",
    "translate",
    "lang",
    "boolean",
    "not",
    "true",
    "false",
    "number",
    "sum",
    "floor",
    "ceiling",
    "round",
};

XPathCallState *stateOf(xmlXPathParserContextPtr parser)
{
    return static_cast<XPathCallState *>(parser->context->userData);
}

QString popString(xmlXPathParserContextPtr parser)
{
    xmlChar *value = xmlXPathPopString(parser);
    QString text = fromXml(value);
    xmlFree(value);
    return text;
}

void pushString(xmlXPathParserContextPtr parser, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    valuePush(parser, xmlXPathNewString(xc(utf8)));
}

bool checkArity(xmlXPathParserContextPtr parser, int nargs, int min, int max, const char *name)
{
    if (nargs >= min && nargs <= max)
        return true;
    stateOf(parser)->fail(min == max ? QStringLiteral("%1() takes %2 argument(s), not %3")
                                           .arg(QLatin1String(name))
                                           .arg(min)
                                           .arg(nargs)
                                     : QStringLiteral("%1() takes %2 or %3 arguments, not %4")
                                           .arg(QLatin1String(name))
                                           .arg(min)
                                           .arg(max)
                                           .arg(nargs));
    xmlXPathErr(parser, XPATH_INVALID_ARITY);
    return false;
}

bool isLatin1Charset(const QString &charset)
{
    return charset.compare(QLatin1String("ISO-8859-1"), Qt::CaseInsensitive) == 0 ||
           charset.compare(QLatin1String("latin1"), Qt::CaseInsensitive) == 0 ||
           charset.compare(QLatin1String("US-ASCII"), Qt::CaseInsensitive) == 0;
}

QByteArray encodeText(const QString &text, const QString &charset)
{
    return isLatin1Charset(charset) ? text.toLatin1() : text.toUtf8();
}

QString decodeText(const QByteArray &bytes, const QString &charset)
{
    return isLatin1Charset(charset) ? QString::fromLatin1(bytes) : QString::fromUtf8(bytes);
}

QString percentEncode(const QByteArray &bytes)
{
    static const char hex[] = "0123456789ABCDEF";
    QString out;
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '*' || c == '_') {
            out += QLatin1Char(ch);
        } else if (c == ' ') {
            out += QLatin1Char('+');
        } else {
            out += QLatin1Char('%');
            out += QLatin1Char(hex[c >> 4]);
            out += QLatin1Char(hex[c & 0xF]);
        }
    }
    return out;
}

// get-property(name) / get-property(scope, name)
void getPropertyFunction(xmlXPathParserContextPtr parser, int nargs)
{
    if (!checkArity(parser, nargs, 1, 2, "get-property"))
        return;
    const QString second = nargs == 2 ? popString(parser) : QString();
    const QString first = popString(parser);
    if (parser->error != XPATH_EXPRESSION_OK)
        return;
    const MessageContext *message = stateOf(parser)->message;
    pushString(parser, nargs == 1 ? synapseProperty(message, first)
                                  : synapseScopedProperty(message, first, second));
}

// base64Encode(text[, charset])
void base64EncodeFunction(xmlXPathParserContextPtr parser, int nargs)
{
    if (!checkArity(parser, nargs, 1, 2, "base64Encode"))
        return;
    const QString charset = nargs == 2 ? popString(parser) : QString();
    const QString text = popString(parser);
    if (parser->error != XPATH_EXPRESSION_OK)
        return;
    pushString(parser, QString::fromLatin1(encodeText(text, charset).toBase64()));
}

// base64Decode(text[, charset]); text that is not base64 decodes to ''.
void base64DecodeFunction(xmlXPathParserContextPtr parser, int nargs)
{
    if (!checkArity(parser, nargs, 1, 2, "base64Decode"))
        return;
    const QString charset = nargs == 2 ? popString(parser) : QString();
    const QString text = popString(parser);
    if (parser->error != XPATH_EXPRESSION_OK)
        return;
    const auto decoded = QByteArray::fromBase64Encoding(text.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    pushString(parser, decoded ? decodeText(*decoded, charset) : QString());
}

// url-encode(text[, charset])
void urlEncodeFunction(xmlXPathParserContextPtr parser, int nargs)
{
    if (!checkArity(parser, nargs, 1, 2, "url-encode"))
        return;
    const QString charset = nargs == 2 ? popString(parser) : QString();
    const QString text = popString(parser);
    if (parser->error != XPATH_EXPRESSION_OK)
        return;
    pushString(parser, percentEncode(encodeText(text, charset)));
}

struct FunctionEntry {
    const char *name;
    xmlXPathFunction function;
};

constexpr FunctionEntry kSynapseFunctions[] = {
    {"get-property", getPropertyFunction},
    {"base64Encode", base64EncodeFunction},
    {"base64Decode", base64DecodeFunction},
    {"url-encode", urlEncodeFunction},
};

QString transportHeader(const MessageContext &message, const QString &name)
{
    const PropertyMap &headers = message.properties(PropertyScope::Transport);
    auto it = headers.constFind(name);
    if (it != headers.constEnd())
        return MessageContext::propertyText(it.value());
    for (it = headers.constBegin(); it != headers.constEnd(); ++it) {
        if (it.key().compare(name, Qt::CaseInsensitive) == 0)
            return MessageContext::propertyText(it.value());
    }
    return QString();
}

QString queryParameter(const MessageContext &message, const QString &name)
{
    const QString key = QStringLiteral("query.param.") + name;
    if (message.hasProperty(key, PropertyScope::Default))
        return MessageContext::propertyText(message.property(key, PropertyScope::Default));
    return MessageContext::propertyText(message.property(key, PropertyScope::Transport));
}

xmlXPathObjectPtr stringObject(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    return xmlXPathNewString(xc(utf8));
}

// Resolves $body, $header and the prefixed Synapse variables. Returns nullptr for a variable
// that does not exist (libxml2 then reports "Undefined variable").
xmlXPathObjectPtr lookupVariable(void *data, const xmlChar *name, const xmlChar *nsUri)
{
    auto *state = static_cast<XPathCallState *>(data);
    const QString local = fromXml(name);
    if (!nsUri) {
        if (local == QLatin1String("body")) {
            if (!state->document && state->message) {
                QString why;
                state->document = state->message->xmlDocument(&why);
                if (!state->document) {
                    state->fail(QStringLiteral("$body needs an XML or JSON payload: %1").arg(why));
                    return nullptr;
                }
            }
            return xmlXPathNewNodeSet(reinterpret_cast<xmlNodePtr>(state->document));
        }
        if (local == QLatin1String("header"))
            return xmlXPathNewNodeSet(nullptr);
        return nullptr;
    }
    const char *uri = reinterpret_cast<const char *>(nsUri);
    const char *prefix = nullptr;
    for (const VariablePrefix &entry : kVariablePrefixes) {
        if (qstrcmp(entry.uri, uri) == 0)
            prefix = entry.prefix;
    }
    if (!prefix)
        return nullptr;
    const MessageContext *message = state->message;
    if (qstrcmp(prefix, "env") == 0)
        return stringObject(qEnvironmentVariable(local.toLocal8Bit().constData()));
    if (!message || qstrcmp(prefix, "func") == 0)
        return stringObject(QString());
    if (qstrcmp(prefix, "ctx") == 0)
        return stringObject(MessageContext::propertyText(message->property(local)));
    if (qstrcmp(prefix, "axis2") == 0)
        return stringObject(
            MessageContext::propertyText(message->property(local, PropertyScope::Axis2)));
    if (qstrcmp(prefix, "trp") == 0)
        return stringObject(transportHeader(*message, local));
    if (qstrcmp(prefix, "url") == 0)
        return stringObject(queryParameter(*message, local));
    return nullptr;
}

// libxml2 does not fill in the message of the errors it hands to an XPath context's handler.
QString xpathErrorText(int code)
{
    switch (code - XML_XPATH_EXPRESSION_OK) {
    case XPATH_NUMBER_ERROR:
        return QStringLiteral("bad number");
    case XPATH_UNFINISHED_LITERAL_ERROR:
        return QStringLiteral("unfinished literal");
    case XPATH_START_LITERAL_ERROR:
        return QStringLiteral("expected a literal");
    case XPATH_VARIABLE_REF_ERROR:
        return QStringLiteral("expected a variable name after '$'");
    case XPATH_UNDEF_VARIABLE_ERROR:
        return QStringLiteral("undefined variable");
    case XPATH_INVALID_PREDICATE_ERROR:
        return QStringLiteral("invalid predicate");
    case XPATH_EXPR_ERROR:
        return QStringLiteral("invalid expression");
    case XPATH_UNCLOSED_ERROR:
        return QStringLiteral("missing closing bracket or parenthesis");
    case XPATH_UNKNOWN_FUNC_ERROR:
        return QStringLiteral("unknown function");
    case XPATH_INVALID_OPERAND:
        return QStringLiteral("invalid operand");
    case XPATH_INVALID_TYPE:
        return QStringLiteral("invalid type (e.g. a path applied to a string)");
    case XPATH_INVALID_ARITY:
        return QStringLiteral("invalid number of arguments");
    case XPATH_INVALID_CTXT_SIZE:
        return QStringLiteral("invalid context size");
    case XPATH_INVALID_CTXT_POSITION:
        return QStringLiteral("invalid context position");
    case XPATH_MEMORY_ERROR:
        return QStringLiteral("out of memory");
    case XPATH_UNDEF_PREFIX_ERROR:
        return QStringLiteral("undefined namespace prefix");
    case XPATH_ENCODING_ERROR:
        return QStringLiteral("encoding error");
    case XPATH_INVALID_CHAR_ERROR:
        return QStringLiteral("character out of the XML range");
    case XPATH_INVALID_CTXT:
        return QStringLiteral("invalid context");
    case XPATH_STACK_ERROR:
        return QStringLiteral("stack usage error");
    case XPATH_FORBID_VARIABLE_ERROR:
        return QStringLiteral("variable not allowed here");
    default:
        return QStringLiteral("XPath error %1").arg(code);
    }
}

void recordError(void *userData, xmlErrorPtr error)
{
    auto *state = static_cast<XPathCallState *>(userData);
    if (!state || !error || state->libxmlCode != 0)
        return;
    state->libxmlCode = error->code;
    state->libxmlOffset = error->int1;
    state->libxmlMessage =
        error->message ? QString::fromUtf8(error->message).trimmed() : xpathErrorText(error->code);
}

QString messageIdOf(const MessageContext &message)
{
    for (PropertyScope scope : {PropertyScope::Default, PropertyScope::Axis2}) {
        if (message.hasProperty(QStringLiteral("MessageID"), scope))
            return MessageContext::propertyText(
                message.property(QStringLiteral("MessageID"), scope));
    }
    // Stable for the message, unique across the process and its restarts.
    static const QUuid processSeed = QUuid::createUuid();
    const QUuid id = QUuid::createUuidV5(processSeed, QByteArray::number(message.messageId()));
    return QStringLiteral("urn:uuid:") + id.toString(QUuid::WithoutBraces);
}

QString messageFormatOf(const MessageContext &message)
{
    const QString &type = message.contentType();
    if (type.contains(QLatin1String("soap+xml"), Qt::CaseInsensitive))
        return QStringLiteral("soap12");
    return QStringLiteral("pox");
}

QString zoneOffset(int seconds, bool colon, bool minutes, bool zForZero)
{
    if (seconds == 0 && zForZero)
        return QStringLiteral("Z");
    const QChar sign = seconds < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int total = std::abs(seconds) / 60;
    QString out = sign + QStringLiteral("%1").arg(total / 60, 2, 10, QLatin1Char('0'));
    if (minutes) {
        if (colon)
            out += QLatin1Char(':');
        out += QStringLiteral("%1").arg(total % 60, 2, 10, QLatin1Char('0'));
    }
    return out;
}

QString padded(qint64 value, qsizetype width)
{
    return QStringLiteral("%1").arg(value, int(width), 10, QLatin1Char('0'));
}

QString formatField(const QDateTime &time, QChar letter, qsizetype count)
{
    const QDate date = time.date();
    const QTime clock = time.time();
    const QLocale c = QLocale::c();
    switch (letter.unicode()) {
    case 'G':
        return date.year() > 0 ? QStringLiteral("AD") : QStringLiteral("BC");
    case 'y':
    case 'Y':
        return count == 2 ? padded(date.year() % 100, 2) : padded(date.year(), count);
    case 'M':
    case 'L':
        if (count >= 4)
            return c.monthName(date.month(), QLocale::LongFormat);
        if (count == 3)
            return c.monthName(date.month(), QLocale::ShortFormat);
        return padded(date.month(), count);
    case 'd':
        return padded(date.day(), count);
    case 'D':
        return padded(date.dayOfYear(), count);
    case 'E': {
        const QLocale::FormatType form = count >= 4 ? QLocale::LongFormat : QLocale::ShortFormat;
        return c.dayName(date.dayOfWeek(), form);
    }
    case 'u':
        return padded(date.dayOfWeek(), count);
    case 'a':
        return clock.hour() < 12 ? QStringLiteral("AM") : QStringLiteral("PM");
    case 'H':
        return padded(clock.hour(), count);
    case 'k':
        return padded(clock.hour() == 0 ? 24 : clock.hour(), count);
    case 'K':
        return padded(clock.hour() % 12, count);
    case 'h':
        return padded(clock.hour() % 12 == 0 ? 12 : clock.hour() % 12, count);
    case 'm':
        return padded(clock.minute(), count);
    case 's':
        return padded(clock.second(), count);
    case 'S':
        return padded(clock.msec(), count);
    case 'z':
        return time.timeZoneAbbreviation();
    case 'Z':
        return zoneOffset(time.offsetFromUtc(), false, true, false);
    case 'X':
        return zoneOffset(time.offsetFromUtc(), count >= 3, count >= 2, true);
    default:
        return QString(count, letter);
    }
}

} // namespace

QString XPathCallState::describe() const
{
    if (!failure.isEmpty())
        return failure;
    if (!libxmlMessage.isEmpty())
        return libxmlMessage;
    return QStringLiteral("evaluation failed");
}

bool isSynapseVariablePrefix(QStringView prefix)
{
    for (const VariablePrefix &entry : kVariablePrefixes) {
        if (prefix == QLatin1String(entry.prefix))
            return true;
    }
    return false;
}

bool isSynapseXPathFunction(QStringView name)
{
    for (const FunctionEntry &entry : kSynapseFunctions) {
        if (name == QLatin1String(entry.name))
            return true;
    }
    return false;
}

bool isCoreXPathFunction(QStringView name)
{
    for (const char *core : kCoreFunctions) {
        if (name == QLatin1String(core))
            return true;
    }
    return false;
}

void prepareXPathContext(xmlXPathContextPtr context, XPathCallState *state,
                         const std::vector<std::pair<QByteArray, QByteArray>> &namespaces)
{
    context->userData = state;
    context->error = recordError;
    for (const auto &[prefix, uri] : namespaces)
        xmlXPathRegisterNs(context, xc(prefix), xc(uri));
    for (const VariablePrefix &entry : kVariablePrefixes)
        xmlXPathRegisterNs(context, xc(entry.prefix), xc(entry.uri));
    static const QByteArray synapseNamespace = kSynapseNamespace.toUtf8();
    for (const FunctionEntry &entry : kSynapseFunctions) {
        xmlXPathRegisterFunc(context, xc(entry.name), entry.function);
        xmlXPathRegisterFuncNS(context, xc(entry.name), xc(synapseNamespace), entry.function);
    }
    xmlXPathRegisterVariableLookup(context, lookupVariable, state);
}

QString synapseProperty(const MessageContext *message, const QString &name)
{
    if (!message)
        return QString();
    if (name == QLatin1String("SYSTEM_DATE"))
        return formatJavaDate(QDateTime::currentDateTime(), u"yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    if (name == QLatin1String("SYSTEM_TIME"))
        return QString::number(QDateTime::currentMSecsSinceEpoch());
    if (name == QLatin1String("To"))
        return message->toAddress();
    if (name == QLatin1String("MessageID"))
        return messageIdOf(*message);
    if (name == QLatin1String("MESSAGE_FORMAT"))
        return messageFormatOf(*message);
    if (name == QLatin1String("OPERATION_NAME"))
        return QString();
    if (message->hasProperty(name))
        return MessageContext::propertyText(message->property(name));
    // As Synapse: a name that is not a property may be a local entry.
    if (const LocalEntry *entry = message->environment().localEntry(name))
        return entry->text;
    return QString();
}

QString synapseScopedProperty(const MessageContext *message, const QString &scope,
                              const QString &name)
{
    if (!message)
        return QString();
    // get-property('SYSTEM_DATE', format)
    if (scope == QLatin1String("SYSTEM_DATE"))
        return formatJavaDate(QDateTime::currentDateTime(), name);
    if (scope == QLatin1String("env"))
        return qEnvironmentVariable(name.toLocal8Bit().constData());
    if (scope == QLatin1String("registry") || scope == QLatin1String("system") ||
        scope == QLatin1String("func"))
        return QString(); // not supported: no registry, no Java system properties
    const std::optional<PropertyScope> parsed = parsePropertyScope(scope);
    if (!parsed)
        return QString();
    switch (*parsed) {
    case PropertyScope::Default:
        return synapseProperty(message, name);
    case PropertyScope::Transport:
        return transportHeader(*message, name);
    default:
        return MessageContext::propertyText(message->property(name, *parsed));
    }
}

QString formatJavaDate(const QDateTime &time, QStringView pattern)
{
    QString out;
    qsizetype i = 0;
    while (i < pattern.size()) {
        const QChar c = pattern[i];
        if (c == QLatin1Char('\'')) {
            if (i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char('\'')) {
                out += QLatin1Char('\'');
                i += 2;
                continue;
            }
            // Quoted text up to the closing quote; '' inside stands for one quote.
            ++i;
            while (i < pattern.size()) {
                if (pattern[i] == QLatin1Char('\'')) {
                    if (i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char('\'')) {
                        out += QLatin1Char('\'');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                out += pattern[i++];
            }
            continue;
        }
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
            (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))) {
            qsizetype count = 1;
            while (i + count < pattern.size() && pattern[i + count] == c)
                ++count;
            out += formatField(time, c, count);
            i += count;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

QString javaUrlEncode(const QString &text)
{
    return percentEncode(text.toUtf8());
}

} // namespace sluice
