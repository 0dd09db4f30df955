// SPDX-License-Identifier: Apache-2.0
#include "project.h"
#include "project_trust_store.h"

#include <QRegularExpression>
#include <QSet>
#include <optional>
#include <string_view>
#include <toml++/toml.h>

namespace sluice {

namespace {

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// A key as TOML writes it: bare when it can be, quoted otherwise.
QString keyText(std::string_view key)
{
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_-]+$"));
    const QString text = fromStd(key);
    if (bare.match(text).hasMatch())
        return text;
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString joinKey(const QString &prefix, std::string_view key)
{
    return prefix.isEmpty() ? keyText(key) : prefix + QLatin1Char('.') + keyText(key);
}

QString describeType(toml::node_type type)
{
    switch (type) {
    case toml::node_type::string:
        return QStringLiteral("a string");
    case toml::node_type::integer:
        return QStringLiteral("an integer");
    case toml::node_type::floating_point:
        return QStringLiteral("a floating-point number");
    case toml::node_type::boolean:
        return QStringLiteral("a boolean");
    case toml::node_type::table:
        return QStringLiteral("a table");
    case toml::node_type::array:
        return QStringLiteral("an array");
    case toml::node_type::date:
        return QStringLiteral("a date");
    case toml::node_type::time:
        return QStringLiteral("a time");
    case toml::node_type::date_time:
        return QStringLiteral("a date-time");
    case toml::node_type::none:
        break;
    }
    return QStringLiteral("nothing");
}

// WSO2 MI sections Sluice knows about and deliberately does not use.
const QSet<QString> &ignoredSections()
{
    static const QSet<QString> names = {
        QStringLiteral("analytics"),
        QStringLiteral("custom_message_builders"),
        QStringLiteral("custom_message_formatters"),
        QStringLiteral("dashboard_config"),
        QStringLiteral("database"),
        QStringLiteral("datasource"),
        QStringLiteral("internal_apis"),
        QStringLiteral("management_api"),
        QStringLiteral("mediation"),
        QStringLiteral("message_builders"),
        QStringLiteral("message_formatters"),
        QStringLiteral("opentelemetry"),
        QStringLiteral("opentracing"),
        QStringLiteral("realm_manager"),
        QStringLiteral("registry"),
        QStringLiteral("secrets"),
        QStringLiteral("service_catalog"),
        QStringLiteral("super_admin"),
        QStringLiteral("synapse_properties"),
        QStringLiteral("system"),
        QStringLiteral("task_handling"),
        QStringLiteral("transaction_counter"),
        QStringLiteral("user_store"),
    };
    return names;
}

const QSet<QString> &ignoredTransports()
{
    static const QSet<QString> names = {
        QStringLiteral("blocking_http"), QStringLiteral("fix"),      QStringLiteral("hl7"),
        QStringLiteral("https"),         QStringLiteral("jms"),      QStringLiteral("kafka"),
        QStringLiteral("local"),         QStringLiteral("mail"),     QStringLiteral("mqtt"),
        QStringLiteral("msmq"),          QStringLiteral("rabbitmq"), QStringLiteral("sap"),
        QStringLiteral("sms"),           QStringLiteral("tcp"),      QStringLiteral("udp"),
        QStringLiteral("vfs"),
    };
    return names;
}

const QSet<QString> &ignoredServerKeys()
{
    static const QSet<QString> names = {QStringLiteral("enable_mtom"), QStringLiteral("enable_swa"),
                                        QStringLiteral("node_ip")};
    return names;
}

const QString kParamOutflowSequence = QStringLiteral("ws.outflow.dispatch.sequence");
const QString kParamOutflowFaultSequence = QStringLiteral("ws.outflow.dispatch.fault.sequence");
const QString kParamHostnameVerification = QStringLiteral("ws.client.enable.hostname.verification");
const QString kParamTrustStoreLocation = QStringLiteral("ws.trust.store.location");
const QString kParamTrustStorePassword = QStringLiteral("ws.trust.store.Password");
const QString kParamTrustStoreType = QStringLiteral("ws.trust.store.type");

class TomlConfigReader {
public:
    TomlConfigReader(const toml::table &root, const QString &file, Diagnostics &diagnostics)
        : m_root(root)
        , m_file(file)
        , m_diagnostics(diagnostics)
    {
    }

    ProjectConfig read()
    {
        m_config.sourceFile = m_file;
        struct Ignored {
            QString name;
            const toml::key *key;
            const toml::node *node;
        };
        QList<Ignored> ignored;
        for (auto &&[key, node] : m_root) {
            const QString name = fromStd(key.str());
            if (name == QLatin1String("server"))
                readServer(node);
            else if (name == QLatin1String("transport"))
                readTransport(node);
            else if (name == QLatin1String("management"))
                readManagement(node);
            else if (name == QLatin1String("events"))
                readEvents(node);
            else if (name == QLatin1String("cluster"))
                readCluster(node);
            else if (name == QLatin1String("truststore"))
                readTrustStore(node);
            else if (name == QLatin1String("keystore"))
                readKeyStores(key, node);
            else if (ignoredSections().contains(name))
                ignored.append({name, &key, &node});
            else if (node.is_table() || node.is_array_of_tables())
                warn(key.source(), QStringLiteral("unknown section [%1]").arg(keyText(key.str())));
            else
                warn(key.source(), QStringLiteral("unknown key '%1'").arg(keyText(key.str())));
        }
        // After the rest: a section that a $ref{} used is not "ignored".
        for (const Ignored &section : ignored) {
            if (!m_referenced.contains(section.name))
                warnIgnored(*section.key, *section.node, keyText(section.key->str()));
        }
        return m_config;
    }

private:
    SourceLocation at(const toml::source_region &region) const
    {
        return {m_file, int(region.begin.line), int(region.begin.column)};
    }
    void warn(const toml::source_region &region, const QString &message)
    {
        m_diagnostics.warning(at(region), message);
    }
    void error(const toml::source_region &region, const QString &message)
    {
        m_diagnostics.error(at(region), message);
    }
    void typeError(const toml::node &node, const QString &what, const QString &expected)
    {
        error(node.source(), QStringLiteral("%1: expected %2, found %3")
                                 .arg(what, expected, describeType(node.type())));
    }

    void warnIgnored(const toml::key &key, const toml::node &node, const QString &name)
    {
        const QString suffix = QStringLiteral(" is recognised but ignored by Sluice");
        if (node.is_array_of_tables()) {
            warn(key.source(), QStringLiteral("[[%1]]").arg(name) + suffix);
            return;
        }
        const toml::table *table = node.as_table();
        bool allTables = table && !table->empty();
        if (table) {
            for (auto &&[childKey, child] : *table)
                allTables = allTables && (child.is_table() || child.is_array_of_tables());
        }
        if (!allTables) {
            warn(key.source(), QStringLiteral("[%1]").arg(name) + suffix);
            return;
        }
        for (auto &&[childKey, child] : *table)
            warnIgnored(childKey, child, joinKey(name, childKey.str()));
    }

    // A value, after $env / $ref substitution. An environment value arrives as text and is
    // converted by the typed getters below; its content never appears in a message.
    struct Resolved {
        bool ok = true;
        const toml::node *node = nullptr;
        std::optional<QString> environmentText;
        QString variable;
    };

    Resolved resolve(const toml::node &node, const QString &what, int depth = 0)
    {
        const toml::value<std::string> *string = node.as_string();
        if (!string)
            return {true, &node, {}, {}};
        const QString text = fromStd(string->get());
        static const QRegularExpression reference(
            QStringLiteral("^\\$(env|ref|sys|secret)(?::(.*)|\\{(.*)\\})$"),
            QRegularExpression::DotMatchesEverythingOption);
        const QRegularExpressionMatch match = reference.match(text);
        if (!match.hasMatch())
            return {true, &node, {}, {}};
        const QString kind = match.captured(1);
        const bool colonForm = match.capturedStart(2) >= 0;
        const QString name = colonForm ? match.captured(2) : match.captured(3);
        if (kind == QLatin1String("env")) {
            static const QRegularExpression valid(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
            if (!valid.match(name).hasMatch()) {
                error(node.source(),
                      QStringLiteral("%1: '%2' is not a valid environment variable name")
                          .arg(what, name));
                return {false, nullptr, {}, {}};
            }
            if (!qEnvironmentVariableIsSet(name.toLocal8Bit().constData())) {
                error(node.source(),
                      QStringLiteral("%1: environment variable %2 is not set").arg(what, name));
                return {false, nullptr, {}, {}};
            }
            return {true, nullptr, qEnvironmentVariable(name.toLocal8Bit().constData()), name};
        }
        if (kind == QLatin1String("ref") && !colonForm) {
            const toml::node *target = m_root.at_path(std::string_view(name.toStdString())).node();
            if (!target) {
                error(node.source(),
                      QStringLiteral("%1: $ref{%2} names no key of this file").arg(what, name));
                return {false, nullptr, {}, {}};
            }
            m_referenced.insert(name.section(QLatin1Char('.'), 0, 0));
            if (depth >= 8) {
                error(node.source(), QStringLiteral("%1: $ref{} nested too deeply").arg(what));
                return {false, nullptr, {}, {}};
            }
            return resolve(*target, what, depth + 1);
        }
        if (colonForm) // "$ref:x", "$sys:x": plain text, as MI reads it
            return {true, &node, {}, {}};
        error(node.source(), QStringLiteral("%1: $%2{} values are not supported by Sluice; use "
                                            "$env:NAME")
                                 .arg(what, kind));
        return {false, nullptr, {}, {}};
    }

    std::optional<QString> stringValue(const toml::node &node, const QString &what)
    {
        const Resolved value = resolve(node, what);
        if (!value.ok)
            return std::nullopt;
        if (value.environmentText)
            return value.environmentText;
        if (const toml::value<std::string> *s = value.node->as_string())
            return fromStd(s->get());
        typeError(*value.node, what, QStringLiteral("a string"));
        return std::nullopt;
    }

    std::optional<qint64> integerValue(const toml::node &node, const QString &what)
    {
        const Resolved value = resolve(node, what);
        if (!value.ok)
            return std::nullopt;
        if (value.environmentText) {
            bool ok = false;
            const qint64 number = value.environmentText->trimmed().toLongLong(&ok);
            if (ok)
                return number;
            error(node.source(), QStringLiteral("%1: environment variable %2 does not hold an "
                                                "integer")
                                     .arg(what, value.variable));
            return std::nullopt;
        }
        if (const toml::value<int64_t> *i = value.node->as_integer())
            return qint64(i->get());
        typeError(*value.node, what, QStringLiteral("an integer"));
        return std::nullopt;
    }

    std::optional<int> integerInRange(const toml::node &node, const QString &what, int minimum,
                                      int maximum)
    {
        const std::optional<qint64> number = integerValue(node, what);
        if (!number)
            return std::nullopt;
        if (*number < minimum || *number > maximum) {
            error(node.source(), QStringLiteral("%1: must be between %2 and %3")
                                     .arg(what)
                                     .arg(minimum)
                                     .arg(maximum));
            return std::nullopt;
        }
        return int(*number);
    }

    std::optional<bool> booleanValue(const toml::node &node, const QString &what)
    {
        const Resolved value = resolve(node, what);
        if (!value.ok)
            return std::nullopt;
        if (value.environmentText) {
            const QString text = value.environmentText->trimmed().toLower();
            if (text == QLatin1String("true") || text == QLatin1String("false"))
                return text == QLatin1String("true");
            error(node.source(), QStringLiteral("%1: environment variable %2 does not hold true "
                                                "or false")
                                     .arg(what, value.variable));
            return std::nullopt;
        }
        if (const toml::value<bool> *b = value.node->as_boolean())
            return b->get();
        typeError(*value.node, what, QStringLiteral("a boolean"));
        return std::nullopt;
    }

    // Parameter values are kept as text: strings, numbers and booleans are accepted.
    std::optional<QString> parameterText(const toml::node &node, const QString &what)
    {
        const Resolved value = resolve(node, what);
        if (!value.ok)
            return std::nullopt;
        if (value.environmentText)
            return value.environmentText;
        const toml::node &n = *value.node;
        if (const toml::value<std::string> *s = n.as_string())
            return fromStd(s->get());
        if (const toml::value<int64_t> *i = n.as_integer())
            return QString::number(i->get());
        if (const toml::value<double> *d = n.as_floating_point())
            return QString::number(d->get());
        if (const toml::value<bool> *b = n.as_boolean())
            return b->get() ? QStringLiteral("true") : QStringLiteral("false");
        typeError(n, what, QStringLiteral("a string, a number or a boolean"));
        return std::nullopt;
    }

    template <typename T> static void assign(T &field, const std::optional<T> &value)
    {
        if (value)
            field = *value;
    }

    void readServer(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("server"), QStringLiteral("a table"));
            return;
        }
        ServerConfig &server = m_config.server;
        server.location = at(node.source());
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = QStringLiteral("[server] ") + keyText(key.str());
            if (name == QLatin1String("hostname"))
                assign(server.hostname, stringValue(value, what));
            else if (name == QLatin1String("offset"))
                assign(server.offset, integerInRange(value, what, 0, 65535));
            else if (name == QLatin1String("bind_address"))
                assign(server.bindAddress, stringValue(value, what));
            else if (name == QLatin1String("http_listener_port"))
                assign(server.httpListenerPort, integerInRange(value, what, 0, 65535));
            else if (name == QLatin1String("https_listener_port"))
                assign(server.httpsListenerPort, integerInRange(value, what, 0, 65535));
            else if (name == QLatin1String("worker_threads"))
                assign(server.workerThreads, integerInRange(value, what, 0, 1024));
            else if (ignoredServerKeys().contains(name))
                warn(key.source(), what + QStringLiteral(" is recognised but ignored by Sluice"));
            else
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [server]").arg(keyText(key.str())));
        }
    }

    // [truststore]: MI's client trust store (file_name, password, type). alias and algorithm
    // name MI's secure vault key, which Sluice does not use.
    void readTrustStore(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("truststore"), QStringLiteral("a table"));
            return;
        }
        TrustStoreConfig &store = m_config.truststore;
        store.location = at(node.source());
        SourceLocation typeSource;
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = QStringLiteral("[truststore] ") + keyText(key.str());
            if (name == QLatin1String("file_name")) {
                assign(store.fileName, stringValue(value, what));
                store.fileNameSource = at(value.source());
            } else if (name == QLatin1String("password")) {
                assign(store.password, stringValue(value, what));
            } else if (name == QLatin1String("type")) {
                assign(store.type, stringValue(value, what));
                typeSource = at(value.source());
            } else if (name == QLatin1String("alias") || name == QLatin1String("algorithm")) {
                warn(key.source(), what + QStringLiteral(" is recognised but ignored by Sluice"));
            } else {
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [truststore]").arg(keyText(key.str())));
            }
        }
        if (store.fileName.isEmpty()) {
            if (!store.type.isEmpty() || !store.password.isEmpty())
                error(node.source(), QStringLiteral("[truststore] has no file_name"));
            return;
        }
        const SourceLocation where = typeSource.isValid() ? typeSource : store.fileNameSource;
        Diagnostics type;
        checkTrustStoreType(store.type, store.fileName, where, type);
        // MI's own deployment.toml names client-truststore.jks: such a project still deploys,
        // and its https:// sends fail with this hint (they never fall back to other CAs).
        if (store.type == QLatin1String("JKS"))
            m_diagnostics.warning(where, QStringLiteral("[truststore] %1; until then https:// "
                                                        "endpoints fail")
                                             .arg(jksConversionHint(store.fileName)));
        else
            m_diagnostics.append(type);
    }

    // Sluice's own sections (MI has no equivalent keys): see docs/management-api.md.
    void readManagement(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("management"), QStringLiteral("a table"));
            return;
        }
        ManagementConfig &management = m_config.management;
        management.location = at(node.source());
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = QStringLiteral("[management] ") + keyText(key.str());
            if (name == QLatin1String("enabled"))
                assign(management.enabled, booleanValue(value, what));
            else if (name == QLatin1String("host"))
                assign(management.host, stringValue(value, what));
            else if (name == QLatin1String("port"))
                assign(management.port, integerInRange(value, what, 0, 65535));
            else if (name == QLatin1String("token_file"))
                assign(management.tokenFile, stringValue(value, what));
            else
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [management]").arg(keyText(key.str())));
        }
    }

    // [transport.http] listener.*: the HTTPS listener's TLS, with MI's keys (MI's defaults refer
    // to [keystore.tls] and [truststore]; here an unset key keeps Sluice's default).
    void readHttpListenerKeys(const toml::table &listener)
    {
        HttpsListenerTlsConfig &tls = m_config.httpsListener;
        const QString prefix = QStringLiteral("[transport.http] listener.");
        for (auto &&[key, value] : listener) {
            const QString name = fromStd(key.str());
            const QString what = prefix + keyText(key.str());
            if (name == QLatin1String("keystore")) {
                // Same keys as [keystore.tls]; it wins over the [keystore.*] tables.
                m_config.httpsKeyStore = readKeyStore(QStringLiteral("transport.http"), value,
                                                      prefix + QStringLiteral("keystore."));
                m_listenerKeyStore = true;
            } else if (name == QLatin1String("truststore") && value.is_table()) {
                for (auto &&[trustKey, trustValue] : *value.as_table()) {
                    const QString trustName = fromStd(trustKey.str());
                    const QString trustWhat =
                        prefix + QStringLiteral("truststore.") + keyText(trustKey.str());
                    if (trustName == QLatin1String("file_name")) {
                        assign(tls.trustStoreFile, stringValue(trustValue, trustWhat));
                        tls.trustStoreLocation = at(trustValue.source());
                    } else if (trustName == QLatin1String("password")) {
                        assign(tls.trustStorePassword, stringValue(trustValue, trustWhat));
                    } else if (trustName != QLatin1String("type")) { // the content decides
                        warn(trustKey.source(), trustWhat + QStringLiteral(" is recognised but "
                                                                           "ignored by Sluice"));
                    }
                }
            } else if (name == QLatin1String("verify_client")) {
                assign(tls.verifyClient, stringValue(value, what));
                tls.verifyClientLocation = at(value.source());
            } else if (name == QLatin1String("secured_protocols")) {
                assign(tls.protocols, stringValue(value, what));
                tls.protocolsLocation = at(value.source());
            } else if (name == QLatin1String("preferred_ciphers")) {
                assign(tls.ciphers, stringValue(value, what));
                tls.ciphersLocation = at(value.source());
            } else if (name == QLatin1String("secured_port")) {
                assign(m_config.server.httpsListenerPort, integerInRange(value, what, 0, 65535));
            } else {
                warn(key.source(), what + QStringLiteral(" is recognised but ignored by Sluice"));
            }
        }
    }

    // [keystore.tls] wins over [keystore.primary] for the HTTPS listener (as in MI 4.2+); MI's
    // other key stores (internal, ...) have no use here.
    void readKeyStores(const toml::key &key, const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("keystore"), QStringLiteral("a table"));
            return;
        }
        for (auto &&[childKey, child] : *table) {
            const QString name = fromStd(childKey.str());
            if (name == QLatin1String("tls") || name == QLatin1String("primary")) {
                const QString tableName = QStringLiteral("keystore.") + name;
                KeyStoreConfig store =
                    readKeyStore(tableName, child, QStringLiteral("[%1] ").arg(tableName));
                if (!m_listenerKeyStore &&
                    (name == QLatin1String("tls") ||
                     m_config.httpsKeyStore.table != QLatin1String("keystore.tls")))
                    m_config.httpsKeyStore = store;
            } else {
                warnIgnored(childKey, child, joinKey(fromStd(key.str()), childKey.str()));
            }
        }
    }

    KeyStoreConfig readKeyStore(const QString &tableName, const toml::node &node,
                                const QString &keyPrefix)
    {
        KeyStoreConfig store;
        store.table = tableName;
        store.keyPrefix = keyPrefix;
        store.location = at(node.source());
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, tableName, QStringLiteral("a table"));
            return store;
        }
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = keyPrefix + keyText(key.str());
            if (name == QLatin1String("file_name")) {
                assign(store.fileName, stringValue(value, what));
                store.fileLocation = at(value.source());
            } else if (name == QLatin1String("password")) {
                assign(store.password, stringValue(value, what));
            } else if (name == QLatin1String("key_password")) {
                assign(store.keyPassword, stringValue(value, what));
            } else if (name == QLatin1String("alias")) {
                assign(store.alias, stringValue(value, what));
            } else if (name == QLatin1String("type")) {
                assign(store.type, stringValue(value, what));
            } else {
                warn(key.source(), QStringLiteral("unknown key %1").arg(what));
            }
        }
        return store;
    }

    void readEvents(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("events"), QStringLiteral("a table"));
            return;
        }
        EventsConfig &events = m_config.events;
        events.location = at(node.source());
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = QStringLiteral("[events] ") + keyText(key.str());
            if (name == QLatin1String("record"))
                assign(events.record, booleanValue(value, what));
            else if (name == QLatin1String("capacity"))
                assign(events.capacity, integerInRange(value, what, 1, 10000000));
            else if (name == QLatin1String("capture_payload_bytes"))
                assign(events.capturePayloadBytes,
                       integerInRange(value, what, 0, 16 * 1024 * 1024));
            else
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [events]").arg(keyText(key.str())));
        }
    }

    // [cluster]: Sluice's own (docs/cluster.md). Present means on unless enabled = false.
    void readCluster(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("cluster"), QStringLiteral("a table"));
            return;
        }
        ClusterConfig &cluster = m_config.cluster;
        cluster.enabled = true;
        cluster.location = at(node.source());
        const toml::node *tlsOnlyKey = nullptr;
        const toml::node *certKey = nullptr;
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = QStringLiteral("[cluster] ") + keyText(key.str());
            if (name == QLatin1String("enabled")) {
                assign(cluster.enabled, booleanValue(value, what));
            } else if (name == QLatin1String("redis")) {
                if (const std::optional<QString> address = stringValue(value, what))
                    readRedisAddress(*address, value, what, cluster);
            } else if (name == QLatin1String("node")) {
                if (const std::optional<QString> nodeName = stringValue(value, what))
                    checkedName(*nodeName, value, what, cluster.node);
            } else if (name == QLatin1String("key_prefix")) {
                if (const std::optional<QString> prefix = stringValue(value, what))
                    checkedName(*prefix, value, what, cluster.keyPrefix);
            } else if (name == QLatin1String("username")) {
                assign(cluster.username, stringValue(value, what));
            } else if (name == QLatin1String("password_env")) {
                if (const std::optional<QString> variable = stringValue(value, what))
                    readPasswordVariable(*variable, value, what, cluster);
            } else if (name == QLatin1String("password")) {
                // A secret in a file that is copied, uploaded and versioned: refused.
                error(key.source(), QStringLiteral("[cluster] password is not read from the file; "
                                                   "put it in an environment variable and name "
                                                   "that with password_env"));
            } else if (name == QLatin1String("tls")) {
                assign(cluster.tls, booleanValue(value, what));
            } else if (name == QLatin1String("tls_ca_file")) {
                assign(cluster.tlsCaFile, stringValue(value, what));
                tlsOnlyKey = &value;
            } else if (name == QLatin1String("tls_cert_file")) {
                assign(cluster.tlsCertFile, stringValue(value, what));
                tlsOnlyKey = certKey = &value;
            } else if (name == QLatin1String("tls_key_file")) {
                assign(cluster.tlsKeyFile, stringValue(value, what));
                tlsOnlyKey = certKey = &value;
            } else if (name == QLatin1String("tls_verify_hostname")) {
                assign(cluster.tlsVerifyHostname, booleanValue(value, what));
                tlsOnlyKey = &value;
            } else if (name == QLatin1String("heartbeat_ms")) {
                assign(cluster.heartbeatMs, integerInRange(value, what, 100, 60000));
            } else {
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [cluster]").arg(keyText(key.str())));
            }
        }
        if (tlsOnlyKey && !cluster.tls)
            warn(tlsOnlyKey->source(), QStringLiteral("[cluster] tls_* keys are ignored without "
                                                      "tls = true"));
        if (certKey && cluster.tlsCertFile.isEmpty() != cluster.tlsKeyFile.isEmpty())
            error(certKey->source(), QStringLiteral("[cluster] tls_cert_file and tls_key_file "
                                                    "go together"));
    }

    // "host:port", "[v6]:port" or "host" (port 6379).
    void readRedisAddress(const QString &address, const toml::node &value, const QString &what,
                          ClusterConfig &cluster)
    {
        static const QRegularExpression form(
            QStringLiteral("^(?:\\[([0-9A-Fa-f:.]+)\\]|([A-Za-z0-9.-]+))(?::([0-9]{1,5}))?$"));
        const QRegularExpressionMatch match = form.match(address);
        const int port =
            match.hasMatch() && match.capturedLength(3) > 0 ? match.captured(3).toInt() : 6379;
        if (!match.hasMatch() || port < 1 || port > 65535) {
            error(value.source(),
                  QStringLiteral("%1: '%2' is not host:port (port 1-65535)").arg(what, address));
            return;
        }
        cluster.host = match.capturedLength(1) > 0 ? match.captured(1) : match.captured(2);
        cluster.port = port;
    }

    // Node names and key prefixes become parts of Redis keys and channel names.
    void checkedName(const QString &text, const toml::node &value, const QString &what,
                     QString &field)
    {
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
        if (!valid.match(text).hasMatch()) {
            error(value.source(), QStringLiteral("%1: '%2' must be 1-64 letters, digits, '.', "
                                                 "'_' or '-'")
                                      .arg(what, text));
            return;
        }
        field = text;
    }

    void readPasswordVariable(const QString &variable, const toml::node &value, const QString &what,
                              ClusterConfig &cluster)
    {
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!valid.match(variable).hasMatch()) {
            error(value.source(),
                  QStringLiteral("%1: '%2' is not a valid environment variable name")
                      .arg(what, variable));
            return;
        }
        const QByteArray name = variable.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData())) {
            error(value.source(),
                  QStringLiteral("%1: environment variable %2 is not set").arg(what, variable));
            return;
        }
        cluster.passwordVariable = variable;
        cluster.password = qgetenv(name.constData());
    }

    void readTransport(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("transport"), QStringLiteral("a table"));
            return;
        }
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            if (name == QLatin1String("ws"))
                readSender(value, QStringLiteral("transport.ws"), m_config.ws, false);
            else if (name == QLatin1String("wss"))
                readSender(value, QStringLiteral("transport.wss"), m_config.wss, true);
            else if (name == QLatin1String("http"))
                readHttpTransport(value);
            else if (ignoredTransports().contains(name))
                warnIgnored(key, value, joinKey(QStringLiteral("transport"), key.str()));
            else if (value.is_table() || value.is_array_of_tables())
                warn(key.source(), QStringLiteral("unknown section [%1]")
                                       .arg(joinKey(QStringLiteral("transport"), key.str())));
            else
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [transport]").arg(keyText(key.str())));
        }
    }

    // [transport.http]: the listener's limits. MI's socket_timeout is the idle timeout; MI's
    // thread-pool and buffer keys have no meaning here and are reported as ignored.
    void readHttpTransport(const toml::node &node)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, QStringLiteral("transport.http"), QStringLiteral("a table"));
            return;
        }
        HttpTransportConfig &http = m_config.http;
        http.location = at(node.source());
        constexpr int kHour = 3600 * 1000;
        for (auto &&[key, value] : *table) {
            const QString name = fromStd(key.str());
            const QString what = QStringLiteral("[transport.http] ") + keyText(key.str());
            if (name == QLatin1String("max_request_bytes")) {
                const std::optional<qint64> bytes = integerValue(value, what);
                if (bytes && *bytes < 1)
                    error(value.source(), QStringLiteral("%1: must be at least 1").arg(what));
                else if (bytes)
                    http.maxRequestBytes = *bytes;
            } else if (name == QLatin1String("header_timeout_ms")) {
                assign(http.headerTimeoutMs, integerInRange(value, what, 1, kHour));
            } else if (name == QLatin1String("drain_timeout_ms")) {
                assign(http.drainTimeoutMs, integerInRange(value, what, 0, kHour));
            } else if (name == QLatin1String("idle_timeout_ms") ||
                       name == QLatin1String("socket_timeout")) {
                assign(http.idleTimeoutMs, integerInRange(value, what, 1, kHour));
            } else if (name == QLatin1String("listener") && value.is_table()) {
                readHttpListenerKeys(*value.as_table());
            } else {
                warn(key.source(), QStringLiteral("[transport.http] %1 is recognised but ignored "
                                                  "by Sluice")
                                       .arg(keyText(key.str())));
            }
        }
    }

    struct SenderSettings {
        WebSocketSenderConfig &config;
        QString section; // "transport.ws"
        bool secure = false;
        QSet<QString> directKeys; // keys given as sender.<key>, which win over parameters
        QList<std::pair<const toml::key *, const toml::node *>> parameters;
        SourceLocation typeLocation;
    };

    void readSender(const toml::node &node, const QString &section, WebSocketSenderConfig &config,
                    bool secure)
    {
        const toml::table *table = node.as_table();
        if (!table) {
            typeError(node, section, QStringLiteral("a table"));
            return;
        }
        config.location = at(node.source());
        SenderSettings settings{config, section, secure, {}, {}, {}};
        for (auto &&[key, value] : *table) {
            if (key.str() == "sender") {
                if (const toml::table *sender = value.as_table())
                    readSenderKeys(*sender, settings);
                else
                    typeError(value, QStringLiteral("[%1] sender").arg(section),
                              QStringLiteral("a table"));
            } else {
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [%2]").arg(keyText(key.str()), section));
            }
        }
        for (const auto &[key, value] : settings.parameters)
            readSenderParameter(*key, *value, fromStd(key->str()), settings);
        if (!config.trustStoreLocation.isEmpty() || !config.trustStoreType.isEmpty()) {
            const SourceLocation where =
                settings.typeLocation.isValid() ? settings.typeLocation : config.trustStoreSource;
            checkTrustStoreType(config, where, m_diagnostics);
        }
    }

    void readSenderKeys(const toml::table &sender, SenderSettings &settings)
    {
        WebSocketSenderConfig &config = settings.config;
        for (auto &&[key, value] : sender) {
            const QString name = fromStd(key.str());
            const QString keyName = joinKey(QStringLiteral("sender"), key.str());
            const QString what = QStringLiteral("[%1] %2").arg(settings.section, keyName);
            const bool secureOnly = name == QLatin1String("truststore_location") ||
                                    name == QLatin1String("truststore_password") ||
                                    name == QLatin1String("truststore_type") ||
                                    name == QLatin1String("hostname_verification");
            if (secureOnly && !settings.secure) {
                warn(key.source(), QStringLiteral("%1 applies to [transport.wss] only; ignored in "
                                                  "[%2]")
                                       .arg(keyName, settings.section));
                continue;
            }
            if (name == QLatin1String("enable")) {
                assign(config.enabled, booleanValue(value, what));
            } else if (name == QLatin1String("outflow_dispatch_sequence")) {
                assign(config.outflowDispatchSequence, stringValue(value, what));
                settings.directKeys.insert(kParamOutflowSequence);
            } else if (name == QLatin1String("outflow_dispatch_fault_sequence")) {
                assign(config.outflowFaultSequence, stringValue(value, what));
                settings.directKeys.insert(kParamOutflowFaultSequence);
            } else if (name == QLatin1String("hostname_verification")) {
                assign(config.hostnameVerification, booleanValue(value, what));
                settings.directKeys.insert(kParamHostnameVerification);
            } else if (name == QLatin1String("truststore_location")) {
                assign(config.trustStoreLocation, stringValue(value, what));
                config.trustStoreSource = at(value.source());
                settings.directKeys.insert(kParamTrustStoreLocation);
            } else if (name == QLatin1String("truststore_password")) {
                assign(config.trustStorePassword, stringValue(value, what));
                settings.directKeys.insert(kParamTrustStorePassword);
            } else if (name == QLatin1String("truststore_type")) {
                assign(config.trustStoreType, stringValue(value, what));
                settings.typeLocation = at(value.source());
                settings.directKeys.insert(kParamTrustStoreType);
            } else if (name == QLatin1String("parameter")) {
                if (const toml::table *parameters = value.as_table()) {
                    for (auto &&[parameterKey, parameterValue] : *parameters)
                        settings.parameters.append({&parameterKey, &parameterValue});
                } else {
                    typeError(value, what, QStringLiteral("a table"));
                }
            } else {
                warn(key.source(),
                     QStringLiteral("unknown key '%1' in [%2]").arg(keyName, settings.section));
            }
        }
    }

    // sender.parameter."<name>" = value; an unquoted dotted name arrives as nested tables and is
    // joined back into one name.
    void readSenderParameter(const toml::key &key, const toml::node &value, const QString &name,
                             SenderSettings &settings)
    {
        if (const toml::table *nested = value.as_table()) {
            for (auto &&[childKey, child] : *nested)
                readSenderParameter(childKey, child,
                                    name + QLatin1Char('.') + fromStd(childKey.str()), settings);
            return;
        }
        const QString what =
            QStringLiteral("[%1] sender.parameter.\"%2\"").arg(settings.section, name);
        WebSocketSenderConfig &config = settings.config;
        const std::optional<QString> text = parameterText(value, what);
        if (!text)
            return;
        if (settings.directKeys.contains(name)) {
            warn(key.source(), QStringLiteral("%1 is overridden by the sender key of the same "
                                              "meaning")
                                   .arg(what));
            return;
        }
        if (name == kParamOutflowSequence) {
            config.outflowDispatchSequence = *text;
        } else if (name == kParamOutflowFaultSequence) {
            config.outflowFaultSequence = *text;
        } else if (name == kParamHostnameVerification) {
            const QString flag = text->trimmed().toLower();
            if (flag == QLatin1String("true") || flag == QLatin1String("false"))
                config.hostnameVerification = flag == QLatin1String("true");
            else
                error(value.source(), QStringLiteral("%1: expected true or false").arg(what));
        } else if (name == kParamTrustStoreLocation) {
            config.trustStoreLocation = *text;
            config.trustStoreSource = at(value.source());
        } else if (name == kParamTrustStorePassword) {
            config.trustStorePassword = *text;
        } else if (name == kParamTrustStoreType) {
            config.trustStoreType = *text;
            settings.typeLocation = at(value.source());
        } else {
            config.parameters.insert(name, *text);
        }
    }

    const toml::table &m_root;
    QString m_file;
    Diagnostics &m_diagnostics;
    ProjectConfig m_config;
    QSet<QString> m_referenced;      // top-level sections used through $ref{}
    bool m_listenerKeyStore = false; // [transport.http] listener.keystore.* was given
};

} // namespace

ProjectConfig readDeploymentToml(const QByteArray &text, const QString &displayName,
                                 Diagnostics &diagnostics)
{
    const std::string_view document(text.constData(), size_t(text.size()));
    const std::string path = displayName.toStdString();
    toml::table root;
#if TOML_EXCEPTIONS
    try {
        root = toml::parse(document, std::string_view(path));
    } catch (const toml::parse_error &e) {
        const toml::source_position begin = e.source().begin;
        diagnostics.error({displayName, int(begin.line), int(begin.column)},
                          fromStd(e.description()));
        ProjectConfig config;
        config.sourceFile = displayName;
        return config;
    }
#else
    toml::parse_result result = toml::parse(document, std::string_view(path));
    if (!result) {
        const toml::source_position begin = result.error().source().begin;
        diagnostics.error({displayName, int(begin.line), int(begin.column)},
                          fromStd(result.error().description()));
        ProjectConfig config;
        config.sourceFile = displayName;
        return config;
    }
    root = std::move(result).table();
#endif
    return TomlConfigReader(root, displayName, diagnostics).read();
}

} // namespace sluice
