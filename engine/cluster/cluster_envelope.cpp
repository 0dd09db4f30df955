// SPDX-License-Identifier: Apache-2.0
#include "cluster_envelope.h"

#include <QtEndian>

namespace sluice {

namespace {

constexpr char kMagic[] = "SLB1";
constexpr qsizetype kMagicSize = 4;

void appendField(QByteArray &out, const QByteArray &field)
{
    const quint32 length = qToBigEndian(quint32(field.size()));
    out.append(reinterpret_cast<const char *>(&length), sizeof length);
    out.append(field);
}

// Reads fields off the front of an envelope; any short read leaves it failed.
class FieldReader {
public:
    FieldReader(const QByteArray &bytes, qsizetype offset)
        : m_bytes(bytes)
        , m_offset(offset)
    {
    }
    std::optional<QByteArray> next()
    {
        if (m_failed || m_bytes.size() - m_offset < qsizetype(sizeof(quint32))) {
            m_failed = true;
            return std::nullopt;
        }
        const quint32 length = qFromBigEndian<quint32>(m_bytes.constData() + m_offset);
        m_offset += qsizetype(sizeof(quint32));
        if (qsizetype(length) > m_bytes.size() - m_offset) {
            m_failed = true;
            return std::nullopt;
        }
        const QByteArray field = m_bytes.mid(m_offset, qsizetype(length));
        m_offset += qsizetype(length);
        return field;
    }
    bool atEnd() const { return !m_failed && m_offset == m_bytes.size(); }

private:
    const QByteArray &m_bytes;
    qsizetype m_offset;
    bool m_failed = false; // a short field: every later one fails too
};

} // namespace

QByteArray ClusterEnvelope::encode() const
{
    const QByteArray node = originNode.toUtf8();
    const QByteArray endpointBytes = endpoint.toUtf8();
    const QByteArray pathBytes = path.toUtf8();
    const QByteArray except = exceptId.toUtf8();
    QByteArray out;
    out.reserve(kMagicSize + 1 + 6 * 4 + originInstance.size() + node.size() +
                endpointBytes.size() + pathBytes.size() + except.size() + payload.size());
    out.append(kMagic, kMagicSize);
    out.append(kind == FrameKind::Binary ? 'b' : 't');
    appendField(out, originInstance);
    appendField(out, node);
    appendField(out, endpointBytes);
    appendField(out, pathBytes);
    appendField(out, except);
    appendField(out, payload);
    return out;
}

std::optional<ClusterEnvelope> ClusterEnvelope::decode(const QByteArray &bytes)
{
    if (bytes.size() < kMagicSize + 1 || !bytes.startsWith(kMagic))
        return std::nullopt;
    const char kind = bytes.at(kMagicSize);
    if (kind != 't' && kind != 'b')
        return std::nullopt;
    FieldReader reader(bytes, kMagicSize + 1);
    const auto instance = reader.next();
    const auto node = reader.next();
    const auto endpoint = reader.next();
    const auto path = reader.next();
    const auto except = reader.next();
    const auto payload = reader.next();
    if (!payload || !reader.atEnd())
        return std::nullopt;
    ClusterEnvelope envelope;
    envelope.originInstance = *instance;
    envelope.originNode = QString::fromUtf8(*node);
    envelope.endpoint = QString::fromUtf8(*endpoint);
    envelope.path = QString::fromUtf8(*path);
    envelope.kind = kind == 'b' ? FrameKind::Binary : FrameKind::Text;
    envelope.exceptId = QString::fromUtf8(*except);
    envelope.payload = *payload;
    return envelope;
}

QByteArray broadcastChannel(const QString &prefix, const QString &endpoint, const QString &path)
{
    return (prefix + QStringLiteral(":bc:") + endpoint + QLatin1Char(':') + path).toUtf8();
}

QByteArray broadcastPattern(const QString &prefix)
{
    // Glob characters cannot occur in a prefix (deployment.toml allows [A-Za-z0-9._-]).
    return (prefix + QStringLiteral(":bc:*")).toUtf8();
}

} // namespace sluice
