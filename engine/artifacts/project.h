// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts.h"
#include "diagnostics.h"

#include <QMap>
#include <QString>

namespace sluice {

// deployment.toml [server]; names and defaults as WSO2 MI.
struct ServerConfig {
    QString hostname = QStringLiteral("localhost");
    int offset = 0; // added to every listener port, as MI's [server] offset
    QString bindAddress = QStringLiteral("127.0.0.1"); // Sluice: where listeners bind
    int httpListenerPort = 8290;
    int httpsListenerPort = 8253;
    int workerThreads = 0;   // 0: one per core
    SourceLocation location; // the [server] table, when there is one
};

// [transport.ws] and [transport.wss]: the WebSocket transport sender. The key names are MI's
// (and the axis2.xml transportSender parameters of EI 6.x map onto the same fields).
struct WebSocketSenderConfig {
    bool enabled = false;
    QString outflowDispatchSequence = QStringLiteral("outflowDispatchSeq");
    QString outflowFaultSequence = QStringLiteral("outflowFaultSeq");
    // wss only
    QString trustStoreLocation;
    QString trustStorePassword;
    QString trustStoreType; // PEM, PKCS12, JKS (refused at validation with a hint)
    bool hostnameVerification = true;
    QMap<QString, QString> parameters; // sender.parameter."<name>"
    SourceLocation location;           // where it was configured, for messages
    SourceLocation trustStoreSource;   // where trustStoreLocation was set
    QString trustStoreFile; // trustStoreLocation made absolute against the project by loadProject
};

// [truststore]: MI's client trust store, the CAs the HTTPS sender trusts (MI's pass-through
// HTTPS sender reads the same store). No [truststore]: the system CA bundle.
struct TrustStoreConfig {
    QString fileName;              // file_name, as written
    QString password;              // may come from $env:NAME; never shown
    QString type;                  // PEM or PKCS12; JKS: a warning, https:// sends then fail
    SourceLocation location;       // the [truststore] table
    SourceLocation fileNameSource; // where file_name was set
    QString file;                  // fileName made absolute against the project by loadProject
};

// [transport.http]: limits of the HTTP listener (proxy services and APIs), see docs/http.md.
// idle_timeout_ms may also be given as MI's socket_timeout.
struct HttpTransportConfig {
    qint64 maxRequestBytes = 10 * 1024 * 1024; // request body bytes; beyond: 413
    int headerTimeoutMs = 30000;               // request line + headers must arrive within it
    int drainTimeoutMs = 10000; // on shutdown: requests in mediation get this long to be answered
    int idleTimeoutMs = 180000; // MI's socket_timeout default
    SourceLocation location;
};

// [keystore.tls] (MI 4.2 and later) or [keystore.primary]: the certificate and private key of
// the HTTPS listener, with MI's keys. Passwords may be "$env:NAME"; they are never logged.
struct KeyStoreConfig {
    QString table; // "keystore.tls", "keystore.primary", "transport.http"; empty: none configured
    QString keyPrefix; // how its keys are named in messages: "[keystore.tls] ", ...
    QString fileName;  // file_name, relative to the project (PEM or PKCS#12; JKS is refused)
    QString password;
    QString keyPassword;         // key_password; empty: the store password
    QString alias;               // accepted; the store's one key entry is used
    QString type;                // accepted; the file's content decides
    SourceLocation location;     // the table
    SourceLocation fileLocation; // file_name
};

// [transport.http] listener.*: MI's keys for the HTTPS listener beside its key store (which
// listener.keystore.* may give instead of [keystore.tls]). Empty: the defaults.
struct HttpsListenerTlsConfig {
    QString trustStoreFile; // listener.truststore.file_name: CAs for client certificates
    QString trustStorePassword;
    QString verifyClient; // listener.verify_client: none | optional | require
    QString protocols;    // listener.secured_protocols (MI's list; TLSv1.1 and older refused)
    QString ciphers;      // listener.preferred_ciphers
    SourceLocation trustStoreLocation;
    SourceLocation verifyClientLocation;
    SourceLocation protocolsLocation;
    SourceLocation ciphersLocation;
};

// [management]: Sluice's management API (REST + event stream), see docs/management-api.md.
struct ManagementConfig {
    bool enabled = true;
    QString host = QStringLiteral("127.0.0.1");
    int port = 9164;   // WSO2 MI's management port
    QString tokenFile; // empty: the default file (SLUICE_MANAGEMENT_TOKEN_FILE or config dir)
    SourceLocation location;
};

// [events]: message events recorded for the studio, `sluice logs` and the management API.
// `record` applies only when the project has an [events] table: without one the runtime keeps
// its default, recording off (it costs more than the 3% budget, docs/events.md).
struct EventsConfig {
    bool record = true;
    int capacity = 2048; // records kept per emitting (worker) thread: MessageEventHub's default
    int capturePayloadBytes = 4096; // payload prefix kept per frame event
    SourceLocation location;
};

// [cluster]: several runtimes share broadcasts and presence through Redis (docs/cluster.md).
// Off unless the table is there. The password is never in the file: `password_env` names the
// environment variable that holds it, read when the file is.
struct ClusterConfig {
    bool enabled = false;
    QString host = QStringLiteral("127.0.0.1");
    int port = 6379;
    QString node; // empty: the machine's host name
    QString keyPrefix = QStringLiteral("sluice");
    QString username;         // Redis 6 ACL user; empty: the default user
    QString passwordVariable; // the environment variable named by password_env
    QByteArray password;      // its value (never logged, never in events)
    bool tls = false;
    QString tlsCaFile;   // PEM CAs that sign Redis' certificate; empty: the system CA bundle
    QString tlsCertFile; // client certificate (PEM), for a Redis with tls-auth-clients yes
    QString tlsKeyFile;
    bool tlsVerifyHostname = true;
    int heartbeatMs = 1000; // presence refresh; a node is gone after 3 missed heartbeats
    SourceLocation location;
};

struct ProjectConfig {
    ServerConfig server;
    WebSocketSenderConfig ws;
    WebSocketSenderConfig wss;
    TrustStoreConfig truststore;
    HttpTransportConfig http;
    KeyStoreConfig httpsKeyStore;
    HttpsListenerTlsConfig httpsListener;
    ManagementConfig management;
    EventsConfig events;
    ClusterConfig cluster;
    QString sourceFile; // deployment.toml or conf/axis2/axis2.xml, relative to the project
};

// How a project was found on disk.
enum class ProjectLayout {
    MicroIntegrator,    // deployment.toml + src/main/synapse-config/<kind>/*.xml
    SynapseDefinitions, // one synapse.xml / <definitions> file
    IntegrationStudio,  // *Configs/src/main/synapse-config beside a Composite Exporter
    CarchiveFile,       // a .car file
};

struct Project {
    // The absolute project directory, or the .car / <definitions> .xml file that was loaded.
    // File names (artifactFiles, messages, ProjectConfig::sourceFile) are relative to the
    // directory, or for a single file to the directory that holds it; files inside a CAR are
    // named "name.car!/x_1.0.0/x-1.0.0.xml".
    QString rootPath;
    ProjectLayout layout = ProjectLayout::MicroIntegrator;
    ProjectConfig config;
    ArtifactSet artifacts;
    QStringList artifactFiles; // every artifact file that was read, in reading order
};

QString layoutName(ProjectLayout layout);

// Reads a project from a directory or a .car file: finds the layout, reads deployment.toml (or
// conf/axis2/axis2.xml) and every artifact. Does not validate references; see validator.h.
// A path that matches no layout is an error listing the layouts that were looked for.
Project loadProject(const QString &path, Diagnostics &diagnostics);

// deployment.toml on its own (text, display name for messages); unknown keys are warnings.
// "$env:NAME" (or MI's "$env{NAME}") values are read from the environment; "$ref{a.b}" refers to
// another key of the same file. Trust store files are not looked for here (loadProject does).
ProjectConfig readDeploymentToml(const QByteArray &text, const QString &displayName,
                                 Diagnostics &diagnostics);
// The <transportSender name="ws|wss"> blocks of an EI 6.x axis2.xml, into the same settings.
void readAxis2Senders(const QByteArray &xml, const QString &displayName, ProjectConfig &config,
                      Diagnostics &diagnostics);

} // namespace sluice
