// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "execution_state.h"
#include "property_map.h"

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QString>
#include <QVariant>
#include <functional>
#include <memory>
#include <optional>

using xmlDocPtr = struct _xmlDoc *;

namespace sluice {

class MediationEnvironment;
class MessageContext;

// Property scopes of Synapse: default (synapse), axis2, transport (headers), axis2-client,
// operation. Transport-scope properties are the transport headers.
enum class PropertyScope { Default, Axis2, Transport, Axis2Client, Operation };
std::optional<PropertyScope> parsePropertyScope(QStringView text);
QString propertyScopeName(PropertyScope scope);

enum class Direction { Inflow, Outflow };
enum class FrameKind { Text, Binary };

// Where `respond` sends a message: set by the transport that accepted it.
class ResponseChannel {
public:
    // Which transport made the channel: a transport tells its own channels by this compare
    // instead of a dynamic_cast, a call into libstdc++ on every message sent to a backend
    // (docs/performance.md, "Code per message").
    enum class Kind { Other, WebSocketClient };

    explicit ResponseChannel(Kind kind = Kind::Other)
        : m_kind(kind)
    {
    }
    virtual ~ResponseChannel() = default;
    virtual void respond(MessageContext &message) = 0;
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

// The standard Synapse error properties.
inline const QString kErrorCode = QStringLiteral("ERROR_CODE");
inline const QString kErrorMessage = QStringLiteral("ERROR_MESSAGE");
inline const QString kErrorDetail = QStringLiteral("ERROR_DETAIL");
inline const QString kErrorException = QStringLiteral("ERROR_EXCEPTION");

// One message on its way through mediation. The payload is kept as the bytes received and
// parsed only when a mediator asks for XML or JSON; an untouched payload leaves as the same bytes.
class MessageContext : public std::enable_shared_from_this<MessageContext> {
public:
    explicit MessageContext(std::shared_ptr<const MediationEnvironment> environment);
    // A new message, its memory taken from the thread's recycled blocks (RecyclingAllocator):
    // what the transports use for every message they take up.
    static std::shared_ptr<MessageContext>
    create(std::shared_ptr<const MediationEnvironment> environment);
    ~MessageContext();
    MessageContext(const MessageContext &) = delete;
    MessageContext &operator=(const MessageContext &) = delete;

    // A copy of the message and its properties (not of the execution state), e.g. for clone.
    std::shared_ptr<MessageContext> clone() const;

    quint64 messageId() const { return m_messageId; }
    // The id of a new message: what a transport that forwards a message without a message
    // object (forward_plan.h) names it by in its events.
    static quint64 newMessageId();
    const MediationEnvironment &environment() const { return *m_environment; }
    const std::shared_ptr<const MediationEnvironment> &environmentPointer() const
    {
        return m_environment;
    }

    // --- payload -------------------------------------------------------------------------
    // The payload bytes; if a mediator changed the XML or JSON view they are serialized anew.
    const QByteArray &payload() const;
    // The payload as the transport received it: not counted as a modification.
    void setReceivedPayload(const QByteArray &bytes, const QString &contentType, FrameKind kind);
    // For a message object a transport keeps to run planned flows through
    // (ForwardPlan::Mode::Observed): it becomes the next message, with these bytes, no
    // properties and a new id (unless it is new itself: ids count messages, as the executor's
    // path does); releasePayload() ends the message and lets go of the bytes (the frame reader
    // reuses their buffer when nobody holds it).
    void reuseFor(const QByteArray &bytes, const QString &contentType, FrameKind kind,
                  Direction direction);
    void releasePayload()
    {
        m_payload = QByteArray();
        m_idSpent = true;
    }
    QString payloadText() const { return QString::fromUtf8(payload()); }
    void setPayload(const QByteArray &bytes, const QString &contentType = QString());
    void setPayload(const QByteArray &bytes, const QString &contentType, FrameKind kind);
    const QString &contentType() const { return m_contentType; }
    void setContentType(const QString &contentType) { m_contentType = contentType; }
    FrameKind frameKind() const { return m_frameKind; }
    void setFrameKind(FrameKind kind) { m_frameKind = kind; }
    // True once any mediator replaced or edited the payload: senders forward untouched
    // payloads as the received bytes.
    bool payloadModified() const { return m_payloadModified; }

    bool isJson() const; // by content type, or by the first byte when the type says nothing
    bool isXml() const;

    // The payload parsed as XML (libxml2; no network, no DTD, no entities). JSON payloads are
    // presented as Synapse does: <jsonObject> with one element per member. The document stays
    // owned by the context. Returns nullptr and sets *error when the payload is not XML.
    xmlDocPtr xmlDocument(QString *error = nullptr);
    // Mediators that edit the document in place call this so that payload() is re-serialized.
    void markXmlChanged();
    // Replace the payload with a new document (takes ownership).
    void setXmlDocument(xmlDocPtr document, const QString &contentType = QString());

    // The payload parsed as JSON; nullopt and *error when it is not JSON.
    std::optional<QJsonDocument> jsonDocument(QString *error = nullptr);
    void setJsonDocument(const QJsonDocument &document);

    // --- properties ----------------------------------------------------------------------
    QVariant property(const QString &name, PropertyScope scope = PropertyScope::Default) const;
    bool hasProperty(const QString &name, PropertyScope scope = PropertyScope::Default) const;
    void setProperty(const QString &name, const QVariant &value,
                     PropertyScope scope = PropertyScope::Default);
    // The same, taking a value built for it (a transport's) without copying it.
    void setProperty(const QString &name, QVariant &&value,
                     PropertyScope scope = PropertyScope::Default);
    void removeProperty(const QString &name, PropertyScope scope = PropertyScope::Default);
    const PropertyMap &properties(PropertyScope scope) const;
    // Properties every message of a connection carries, shared rather than set one by one
    // (PropertyMap's base); for a message that has none in `scope` yet.
    void setBaseProperties(PropertyScope scope, PropertyMap::Base base);
    // The value the newest setProperty() stored when that call set `name` (the same string
    // data, as a mediator's own copy of its property name has) in `scope`, else null: message
    // events read what a mediator just set without a hash lookup.
    const QVariant *lastSetProperty(const QString &name, PropertyScope scope) const
    {
        // Checked against the map: a walk over a scope with a base (PropertyMap) moves its
        // values without a change the message would see.
        return m_lastSet.value && m_lastSet.name == name.constData() &&
                       m_lastSet.nameSize == name.size() && m_lastSet.scope == scope &&
                       properties(scope).holds(m_lastSet.value)
                   ? m_lastSet.value
                   : nullptr;
    }
    // The string value of a property as get-property() and the log mediator show it.
    static QString propertyText(const QVariant &value);

    // --- routing ---------------------------------------------------------------------------
    Direction direction() const { return m_direction; }
    void setDirection(Direction direction) { m_direction = direction; }
    // The connection the message came from (e.g. "ws-7"), empty for internal messages.
    const QString &channelId() const { return m_channelId; }
    void setChannelId(const QString &id) { m_channelId = id; }
    // The artifact that accepted the message (inbound endpoint, proxy or API name).
    const QString &artifactName() const { return m_artifactName; }
    void setArtifactName(const QString &name) { m_artifactName = name; }
    // Where the message was addressed (set by send / the transport), e.g. ws://host:port/path.
    const QString &toAddress() const { return m_toAddress; }
    void setToAddress(const QString &address) { m_toAddress = address; }

    const std::shared_ptr<ResponseChannel> &responseChannel() const { return m_responseChannel; }
    void setResponseChannel(std::shared_ptr<ResponseChannel> channel)
    {
        m_responseChannel = std::move(channel);
    }

    // The sequence `loopback` (and a proxy's responses) continue with, if the artifact has one.
    std::shared_ptr<const struct CompiledSequence> outSequence() const { return m_outSequence; }
    void setOutSequence(std::shared_ptr<const struct CompiledSequence> sequence)
    {
        m_outSequence = std::move(sequence);
    }

    // --- faults ----------------------------------------------------------------------------
    // Records ERROR_CODE / ERROR_MESSAGE / ERROR_DETAIL as Synapse does.
    void setFault(int code, const QString &message, const QString &detail = QString());
    bool hasFault() const { return m_hasFault; }
    void clearFault() { m_hasFault = false; }

    // --- execution -------------------------------------------------------------------------
    ExecutionState &execution() { return m_execution; }
    // Called each time a flow over this message ends (not when it is only suspended).
    void setCompletionHandler(std::function<void(MessageContext &)> handler)
    {
        m_completion = std::move(handler);
    }
    void complete();

private:
    void dropParsedViews();

    std::shared_ptr<const MediationEnvironment> m_environment;
    quint64 m_messageId;
    mutable QByteArray m_payload;
    QString m_contentType;
    FrameKind m_frameKind = FrameKind::Text;
    bool m_payloadModified = false;
    enum class Authority { Bytes, Xml, Json };
    mutable Authority m_authority = Authority::Bytes;
    xmlDocPtr m_xml = nullptr;
    std::optional<QJsonDocument> m_json;
    PropertyMap m_properties[5];
    // Where setProperty() put its value; valid until the next change of any property map
    // (setProperty overwrites it, removeProperty clears it).
    struct LastSet {
        const QVariant *value = nullptr;
        const QChar *name = nullptr;
        qsizetype nameSize = 0;
        PropertyScope scope{};
    } m_lastSet;
    Direction m_direction = Direction::Inflow;
    QString m_channelId;
    QString m_artifactName;
    QString m_toAddress;
    std::shared_ptr<ResponseChannel> m_responseChannel;
    std::shared_ptr<const CompiledSequence> m_outSequence;
    bool m_hasFault = false;
    bool m_idSpent = false; // reuseFor() takes a new id
    ExecutionState m_execution;
    std::function<void(MessageContext &)> m_completion;
};

} // namespace sluice
