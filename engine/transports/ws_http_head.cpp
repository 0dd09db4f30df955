// SPDX-License-Identifier: Apache-2.0
#include "ws_http_head.h"

#include <QCryptographicHash>
#include <http_parser.h>

namespace sluice {

namespace {

struct Parse {
    WsHttpHead *head;
    bool inValue = false;
};

WsHttpHead &headOf(http_parser *parser)
{
    return *static_cast<Parse *>(parser->data)->head;
}

int onUrl(http_parser *parser, const char *at, size_t length)
{
    headOf(parser).target.append(at, qsizetype(length));
    return 0;
}

int onHeaderField(http_parser *parser, const char *at, size_t length)
{
    auto *parse = static_cast<Parse *>(parser->data);
    auto &headers = parse->head->headers;
    if (parse->inValue || headers.isEmpty())
        headers.emplaceBack();
    parse->inValue = false;
    headers.last().first.append(at, qsizetype(length));
    return 0;
}

int onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    auto *parse = static_cast<Parse *>(parser->data);
    parse->inValue = true;
    parse->head->headers.last().second.append(at, qsizetype(length));
    return 0;
}

// The head is all that is parsed: what follows belongs to the WebSocket frames.
int onHeadersComplete(http_parser *)
{
    return 1; // "no body": http_parser stops after the head of a response too
}

const http_parser_settings &settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings result;
        http_parser_settings_init(&result);
        result.on_url = onUrl;
        result.on_header_field = onHeaderField;
        result.on_header_value = onHeaderValue;
        result.on_headers_complete = onHeadersComplete;
        return result;
    }();
    return s;
}

} // namespace

QByteArray WsHttpHead::header(const char *name) const
{
    QByteArray value;
    for (const auto &[key, v] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!value.isEmpty())
            value += ", ";
        value += v.trimmed();
    }
    return value;
}

bool WsHttpHead::headerHasToken(const char *name, const char *token) const
{
    const QList<QByteArray> tokens = header(name).split(',');
    for (const QByteArray &t : tokens) {
        if (t.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool parseWsHttpHead(const QByteArray &head, bool response, WsHttpHead *out, QString *error)
{
    http_parser parser;
    http_parser_init(&parser, response ? HTTP_RESPONSE : HTTP_REQUEST);
    Parse parse{out};
    parser.data = &parse;
    const size_t parsed =
        http_parser_execute(&parser, &settings(), head.constData(), size_t(head.size()));
    const auto code = http_errno(parser.http_errno);
    if (code != HPE_OK) {
        *error = QStringLiteral("malformed HTTP head: %1 (%2) at byte %3")
                     .arg(QLatin1String(http_errno_name(code)),
                          QLatin1String(http_errno_description(code)))
                     .arg(parsed);
        return false;
    }
    out->httpMajor = parser.http_major;
    out->httpMinor = parser.http_minor;
    if (response)
        out->status = int(parser.status_code);
    else
        out->method = http_method_str(http_method(parser.method));
    return true;
}

QByteArray wsAcceptFor(const QByteArray &key)
{
    return QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                    QCryptographicHash::Sha1)
        .toBase64();
}

} // namespace sluice
