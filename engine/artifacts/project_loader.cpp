// SPDX-License-Identifier: Apache-2.0
#include "project.h"

#include "artifact_io.h"
#include "car_archive.h"
#include "project_kinds.h"
#include "xml_node.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <optional>

namespace sluice {

namespace {

const QString kSynapseConfigDir = QStringLiteral("src/main/synapse-config");
const QString kEsbConfigDir =
    QStringLiteral("repository/deployment/server/synapse-configs/default");
const QString kDeploymentToml = QStringLiteral("deployment.toml");

// Folders of artifacts that WSO2 MI / ESB deploy and Sluice does not run.
const QStringList &unsupportedFolders()
{
    static const QStringList folders = {
        QStringLiteral("templates"),
        QStringLiteral("tasks"),
        QStringLiteral("message-stores"),
        QStringLiteral("message-processors"),
        QStringLiteral("priority-executors"),
        QStringLiteral("event-sources"),
        QStringLiteral("imports"),
    };
    return folders;
}

const QStringList &axis2Candidates()
{
    static const QStringList files = {QStringLiteral("conf/axis2/axis2.xml"),
                                      QStringLiteral("repository/conf/axis2/axis2.xml"),
                                      QStringLiteral("repository/conf/axis2.xml")};
    return files;
}

QString layoutsLookedFor()
{
    return QStringLiteral(
               "looked for a WSO2 Micro Integrator project (src/main/synapse-config/ with "
               "sequences/, inbound-endpoints/, endpoints/, proxy-services/, api/ and "
               "local-entries/, and an optional deployment.toml), a WSO2 Integration Studio "
               "project (a *Configs/ module with src/main/synapse-config/), an Apache Synapse or "
               "WSO2 ESB configuration (synapse.xml, synapse-config/synapse.xml, "
               "repository/conf/synapse-config/synapse.xml or %1/), a <definitions> .xml file, or "
               "a .car file")
        .arg(kEsbConfigDir);
}

bool isXmlFile(const QString &fileName)
{
    return fileName.endsWith(QLatin1String(".xml"), Qt::CaseInsensitive);
}

QStringList sortedXmlFiles(const QString &directory)
{
    QStringList files;
    const QStringList names = QDir(directory).entryList(QDir::Files, QDir::NoSort);
    for (const QString &name : names) {
        if (isXmlFile(name))
            files.append(name);
    }
    std::sort(files.begin(), files.end());
    return files;
}

class ProjectLoader {
public:
    explicit ProjectLoader(Diagnostics &diagnostics)
        : m_diagnostics(diagnostics)
    {
    }

    Project load(const QString &path)
    {
        const QFileInfo info(path);
        m_project.rootPath = QDir::cleanPath(info.absoluteFilePath());
        if (path.isEmpty() || !info.exists()) {
            m_diagnostics.error({path, 0, 0}, QStringLiteral("no such file or directory"));
            return m_project;
        }
        if (info.isDir()) {
            m_base = QDir(m_project.rootPath);
            loadDirectory(path);
        } else {
            m_base = info.absoluteDir();
            loadFile(info);
        }
        return m_project;
    }

private:
    QString absolute(const QString &relativePath) const
    {
        return QDir::cleanPath(m_base.absoluteFilePath(relativePath));
    }
    QString relative(const QString &absolutePath) const
    {
        return m_base.relativeFilePath(absolutePath);
    }
    bool isDir(const QString &relativePath) const
    {
        return QFileInfo(absolute(relativePath)).isDir();
    }
    bool isFile(const QString &relativePath) const
    {
        return QFileInfo(absolute(relativePath)).isFile();
    }

    void loadFile(const QFileInfo &info)
    {
        const QString display = info.fileName();
        if (info.suffix().compare(QLatin1String("car"), Qt::CaseInsensitive) == 0) {
            m_project.layout = ProjectLayout::CarchiveFile;
            readConfig({kDeploymentToml}, {});
            m_project.artifacts = readCarArchive(info.absoluteFilePath(), display,
                                                 m_project.artifactFiles, m_diagnostics);
            return;
        }
        if (!isXmlFile(display)) {
            m_diagnostics.error({display, 0, 0},
                                QStringLiteral("not a project: ") + layoutsLookedFor());
            return;
        }
        const std::optional<XmlNode> root =
            parseXmlFile(info.absoluteFilePath(), display, m_diagnostics);
        if (!root)
            return;
        if (root->name != QLatin1String("definitions")) {
            m_diagnostics.error(root->location,
                                QStringLiteral("the root element is <%1>, not <definitions>: "
                                               "not a project; ")
                                        .arg(root->name) +
                                    layoutsLookedFor());
            return;
        }
        m_project.layout = ProjectLayout::SynapseDefinitions;
        readConfig({kDeploymentToml}, axis2Candidates());
        m_project.artifacts = readArtifacts(*root, m_diagnostics);
        m_project.artifactFiles.append(display);
    }

    void loadDirectory(const QString &path)
    {
        if (isDir(kSynapseConfigDir)) {
            m_project.layout = ProjectLayout::MicroIntegrator;
            readConfig({kDeploymentToml, QStringLiteral("deployment/deployment.toml")},
                       axis2Candidates());
            readSynapseConfigDir(absolute(kSynapseConfigDir), false, true);
            return;
        }

        QStringList modules;
        const QStringList subdirectories =
            m_base.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::NoSort);
        for (const QString &name : subdirectories) {
            if (name.endsWith(QLatin1String("Configs")) &&
                isDir(name + QLatin1Char('/') + kSynapseConfigDir))
                modules.append(name);
        }
        std::sort(modules.begin(), modules.end());
        if (!modules.isEmpty()) {
            m_project.layout = ProjectLayout::IntegrationStudio;
            QStringList tomlFiles = {kDeploymentToml};
            for (const QString &module : modules)
                tomlFiles.append(module + QLatin1Char('/') + kDeploymentToml);
            tomlFiles.append(QStringLiteral("deployment/deployment.toml"));
            readConfig(tomlFiles, axis2Candidates());
            for (const QString &module : modules)
                readSynapseConfigDir(absolute(module + QLatin1Char('/') + kSynapseConfigDir), false,
                                     true);
            return;
        }

        const QStringList synapseDirs = {QString(), QStringLiteral("synapse-config"),
                                         QStringLiteral("repository/conf/synapse-config")};
        std::optional<QString> configDir;
        for (const QString &dir : synapseDirs) {
            const QString synapseXml = dir.isEmpty() ? QStringLiteral("synapse.xml")
                                                     : dir + QStringLiteral("/synapse.xml");
            if (!configDir && isFile(synapseXml))
                configDir = dir;
        }
        if (!configDir && isDir(kEsbConfigDir))
            configDir = kEsbConfigDir;
        if (configDir) {
            m_project.layout = ProjectLayout::SynapseDefinitions;
            readConfig({kDeploymentToml, QStringLiteral("conf/deployment.toml")},
                       axis2Candidates());
            readSynapseConfigDir(
                configDir->isEmpty() ? m_base.absolutePath() : absolute(*configDir), true, false);
            return;
        }
        m_diagnostics.error({path, 0, 0},
                            QStringLiteral("no project found: ") + layoutsLookedFor());
    }

    void readFile(const QString &absolutePath, std::optional<ArtifactKind> expected)
    {
        const QString display = relative(absolutePath);
        ArtifactSet set = readArtifactFile(absolutePath, display, m_diagnostics);
        m_project.artifactFiles.append(display);
        if (expected) {
            const ArtifactKindInfo &info = artifactKindInfo(*expected);
            checkArtifactKinds(set, *expected, QStringLiteral("found in %1/").arg(info.folder),
                               true, display, m_diagnostics);
        }
        m_project.artifacts.append(std::move(set));
    }

    // One synapse-config folder: synapse.xml (Apache Synapse / ESB) and the per-kind folders.
    // strict: every other .xml file below is reported; otherwise only those in the folders of
    // unsupported artifact kinds (an ESB home holds many unrelated files).
    void readSynapseConfigDir(const QString &directory, bool withSynapseXml, bool strict)
    {
        const QDir dir(directory);
        if (withSynapseXml && QFileInfo(dir.filePath(QStringLiteral("synapse.xml"))).isFile())
            readFile(dir.filePath(QStringLiteral("synapse.xml")), std::nullopt);
        for (const ArtifactKindInfo &kind : artifactKinds()) {
            const QString folder = dir.filePath(kind.folder);
            for (const QString &name : sortedXmlFiles(folder))
                readFile(QDir(folder).filePath(name), kind.kind);
        }

        QStringList stray;
        if (strict) {
            QDirIterator it(directory, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                const QString inside = dir.relativeFilePath(file);
                if (!isXmlFile(file))
                    continue;
                const QString folder = inside.section(QLatin1Char('/'), 0, -2);
                const bool known = std::any_of(
                    artifactKinds().begin(), artifactKinds().end(),
                    [&](const ArtifactKindInfo &kind) { return kind.folder == folder; });
                if (!known)
                    stray.append(file);
            }
        } else {
            for (const QString &folder : unsupportedFolders()) {
                QDirIterator it(dir.filePath(folder), QDir::Files, QDirIterator::Subdirectories);
                while (it.hasNext()) {
                    const QString file = it.next();
                    if (isXmlFile(file))
                        stray.append(file);
                }
            }
        }
        std::sort(stray.begin(), stray.end());
        for (const QString &file : stray) {
            const QString top = dir.relativeFilePath(file).section(QLatin1Char('/'), 0, 0);
            QString message;
            if (unsupportedFolders().contains(top))
                message =
                    QStringLiteral("not read: %1/ artifacts are not supported by Sluice").arg(top);
            else
                message = QStringLiteral("not read: artifact files belong in sequences/, "
                                         "inbound-endpoints/, endpoints/, proxy-services/, api/ "
                                         "or local-entries/");
            m_diagnostics.warning({relative(file), 0, 0}, message);
        }
    }

    std::optional<QByteArray> readBytes(const QString &relativePath)
    {
        QFile file(absolute(relativePath));
        if (!file.open(QIODevice::ReadOnly)) {
            m_diagnostics.error({relativePath, 0, 0},
                                QStringLiteral("cannot read file: %1").arg(file.errorString()));
            return std::nullopt;
        }
        return file.readAll();
    }

    void readConfig(const QStringList &tomlCandidates, const QStringList &axis2Files)
    {
        QStringList tomlFiles;
        for (const QString &candidate : tomlCandidates) {
            if (isFile(candidate))
                tomlFiles.append(candidate);
        }
        QString axis2;
        for (const QString &candidate : axis2Files) {
            if (axis2.isEmpty() && isFile(candidate))
                axis2 = candidate;
        }
        if (!tomlFiles.isEmpty()) {
            const QString toml = tomlFiles.takeFirst();
            if (const std::optional<QByteArray> text = readBytes(toml))
                m_project.config = readDeploymentToml(*text, toml, m_diagnostics);
            for (const QString &other : tomlFiles)
                m_diagnostics.warning({other, 0, 0},
                                      QStringLiteral("not read: %1 is used").arg(toml));
            if (!axis2.isEmpty())
                m_diagnostics.warning({axis2, 0, 0},
                                      QStringLiteral("not read: both %1 and %2 configure the "
                                                     "WebSocket senders; %1 wins")
                                          .arg(toml, axis2));
        } else if (!axis2.isEmpty()) {
            if (const std::optional<QByteArray> xml = readBytes(axis2))
                readAxis2Senders(*xml, axis2, m_project.config, m_diagnostics);
        }
        resolveTrustStore(m_project.config.ws);
        resolveTrustStore(m_project.config.wss);
        resolveClientTrustStore(m_project.config.truststore);
    }

    void resolveClientTrustStore(TrustStoreConfig &store)
    {
        if (store.fileName.isEmpty() || store.type == QLatin1String("JKS"))
            return;
        store.file = absolute(store.fileName);
        if (QFileInfo(store.file).isFile())
            return;
        m_diagnostics.error(store.fileNameSource.isValid()
                                ? store.fileNameSource
                                : SourceLocation{m_project.config.sourceFile, 0, 0},
                            QStringLiteral("[truststore] file_name: the trust store file %1 does "
                                           "not exist (relative paths are relative to the "
                                           "project directory)")
                                .arg(store.fileName));
    }

    void resolveTrustStore(WebSocketSenderConfig &sender)
    {
        if (sender.trustStoreLocation.isEmpty())
            return;
        sender.trustStoreFile = absolute(sender.trustStoreLocation);
        if (QFileInfo(sender.trustStoreFile).isFile())
            return;
        const SourceLocation where = sender.trustStoreSource.isValid()
                                         ? sender.trustStoreSource
                                         : SourceLocation{m_project.config.sourceFile, 0, 0};
        m_diagnostics.error(where, QStringLiteral("the trust store file %1 does not exist "
                                                  "(relative paths are relative to the project "
                                                  "directory)")
                                       .arg(sender.trustStoreLocation));
    }

    Diagnostics &m_diagnostics;
    Project m_project;
    QDir m_base; // file names are relative to this directory
};

} // namespace

QString layoutName(ProjectLayout layout)
{
    switch (layout) {
    case ProjectLayout::MicroIntegrator:
        return QStringLiteral("WSO2 Micro Integrator project");
    case ProjectLayout::SynapseDefinitions:
        return QStringLiteral("Apache Synapse configuration");
    case ProjectLayout::IntegrationStudio:
        return QStringLiteral("WSO2 Integration Studio project");
    case ProjectLayout::CarchiveFile:
        return QStringLiteral("Carbon application (.car)");
    }
    return QStringLiteral("unknown layout");
}

Project loadProject(const QString &path, Diagnostics &diagnostics)
{
    return ProjectLoader(diagnostics).load(path);
}

} // namespace sluice
