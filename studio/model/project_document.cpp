// SPDX-License-Identifier: Apache-2.0
#include "project_document.h"

#include "artifacts/artifact_io.h"
#include "artifacts/car_archive.h"
#include "artifacts/mediator_catalog.h"
#include "artifacts/parameter_spec.h"
#include "file_support.h"
#include "mediation/project_compiler.h"
#include "undo_commands.h"
#include "xml_tree.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QUndoStack>
#include <algorithm>

namespace sluice::studio {

namespace {

const QString kMiConfigDir = QStringLiteral("src/main/synapse-config");

// A new project's deployment.toml: the WebSocket sender on, everything else MI's defaults.
const char kNewProjectToml[] =
    "# Settings of this project; key names as WSO2 Micro Integrator's deployment.toml.\n"
    "# Sluice documents every key it reads, with its default, in resources/deployment.toml.\n"
    "\n"
    "[server]\n"
    "hostname = \"localhost\"\n"
    "\n"
    "[transport.ws]\n"
    "sender.enable = true\n";

bool isCarFile(const QString &file)
{
    return file.contains(QLatin1String("!/"));
}

// The artifact kind whose MI folder holds the file ("sequences/a.xml" -> Sequence).
std::optional<ArtifactKind> kindOfFolder(const QString &file)
{
    const QString folder = file.section(QLatin1Char('/'), -2, -2);
    for (const ArtifactKindInfo &info : artifactKinds()) {
        if (info.folder == folder)
            return info.kind;
    }
    return std::nullopt;
}

bool isSynapseElement(const XmlNode &node, const char *name)
{
    return node.isElement() && node.namespaceUri == kSynapseNamespace &&
           node.name == QLatin1String(name);
}

// An empty artifact of each kind, as addArtifact(kind, name) makes it.
QString artifactTemplate(ArtifactKind kind)
{
    switch (kind) {
    case ArtifactKind::Sequence:
        return QStringLiteral("<sequence name=\"%1\"/>");
    case ArtifactKind::InboundEndpoint:
        return QStringLiteral(
            "<inboundEndpoint name=\"%1\" protocol=\"ws\" suspend=\"false\"><parameters>"
            "<parameter name=\"inbound.ws.port\">9091</parameter>"
            "<parameter name=\"ws.client.side.broadcast.level\">0</parameter>"
            "</parameters></inboundEndpoint>");
    case ArtifactKind::Endpoint:
        return QStringLiteral(
            "<endpoint name=\"%1\"><address uri=\"ws://localhost:8082/websocket\"/></endpoint>");
    case ArtifactKind::ProxyService:
        return QStringLiteral("<proxy name=\"%1\" startOnLoad=\"true\" transports=\"http https\">"
                              "<target><inSequence/><outSequence/></target></proxy>");
    case ArtifactKind::Api:
        return QStringLiteral("<api context=\"/%1\" name=\"%1\"><resource methods=\"GET\" "
                              "uri-template=\"/\"><inSequence/></resource></api>");
    case ArtifactKind::LocalEntry:
        return QStringLiteral("<localEntry key=\"%1\"/>");
    }
    return QString();
}

bool locationBefore(const SourceLocation &a, const SourceLocation &b)
{
    return a.line < b.line || (a.line == b.line && a.column <= b.column);
}

} // namespace

ProjectDocument::ProjectDocument(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
    , m_validationTimer(new QTimer(this))
{
    m_validationTimer->setSingleShot(true);
    m_validationTimer->setInterval(0);
    connect(m_validationTimer, &QTimer::timeout, this, [this] {
        if (m_open)
            validate();
    });
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit dirtyChanged(!clean); });
}

ProjectDocument::~ProjectDocument() = default;

// ----- opening, creating, saving

void ProjectDocument::reset()
{
    m_validationTimer->stop();
    m_undoStack->clear();
    m_open = false;
    m_readOnly = false;
    m_rootPath.clear();
    m_directory.clear();
    m_layout = ProjectLayout::MicroIntegrator;
    m_config = ProjectConfig();
    m_loadDiagnostics = Diagnostics();
    m_projectDiagnostics = Diagnostics();
    m_entries.clear();
    m_definitions.clear();
    m_savedBytes.clear();
    m_savedCanonical.clear();
    m_savedArtifacts.clear();
    m_newArtifactFolder.clear();
    m_newArtifactDefinitions.clear();
    m_problems = Diagnostics();
    m_validatedTrees.clear();
}

bool ProjectDocument::open(const QString &path, Diagnostics *diagnostics)
{
    Diagnostics loaded;
    const Project project = loadProject(path, loaded);
    const QFileInfo info(path);
    if (project.artifactFiles.isEmpty() && loaded.hasErrors() &&
        !(info.isDir() && QDir(path).exists(kMiConfigDir))) {
        if (diagnostics)
            diagnostics->append(loaded);
        return false;
    }
    const bool wasOpen = m_open;
    reset();
    if (wasOpen)
        emit projectClosed();
    m_rootPath = project.rootPath;
    m_directory = info.isDir() ? project.rootPath : info.absolutePath();
    m_layout = project.layout;
    m_readOnly = project.layout == ProjectLayout::CarchiveFile;
    m_config = project.config;
    m_loadDiagnostics = loaded;
    const QSet<QString> artifactFiles(project.artifactFiles.begin(), project.artifactFiles.end());
    for (const Diagnostic &diagnostic : loaded.items()) {
        if (!artifactFiles.contains(diagnostic.location.file))
            m_projectDiagnostics.add(diagnostic);
    }

    ZipReader car;
    if (m_readOnly) {
        Diagnostics ignored; // the loader has reported what is wrong with the archive
        car.open(m_rootPath, info.fileName(), ignored);
    }
    for (const QString &file : project.artifactFiles) {
        std::optional<QByteArray> bytes;
        if (isCarFile(file)) {
            Diagnostics ignored; // the loader has reported it
            bytes = car.read(file.section(QStringLiteral("!/"), 1), ignored);
        } else {
            QFile input(QDir(m_directory).filePath(file));
            if (input.open(QIODevice::ReadOnly))
                bytes = input.readAll();
        }
        if (bytes)
            addFile(file, *bytes);
    }

    // Where new artifacts go: the synapse-config folder the project's files are in, or its one
    // <definitions> file.
    for (const ArtifactState &entry : m_entries) {
        if (!isCarFile(entry.file) && !isDefinitionsFile(entry.file) && kindOfFolder(entry.file)) {
            m_newArtifactFolder = entry.file.section(QLatin1Char('/'), 0, -3);
            break;
        }
    }
    if (m_newArtifactFolder.isEmpty() && !m_definitions.isEmpty()) {
        m_newArtifactDefinitions = m_definitions.keys().constFirst();
        for (const ArtifactState &entry : m_entries) {
            if (isDefinitionsFile(entry.file)) {
                m_newArtifactDefinitions = entry.file;
                break;
            }
        }
    }
    if (m_newArtifactFolder.isEmpty() && m_newArtifactDefinitions.isEmpty()) {
        m_newArtifactFolder = kMiConfigDir;
        if (m_layout == ProjectLayout::IntegrationStudio) {
            QStringList modules = QDir(m_directory).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            modules.sort();
            for (const QString &module : modules) {
                if (module.endsWith(QLatin1String("Configs"))) {
                    m_newArtifactFolder = module + QLatin1Char('/') + kMiConfigDir;
                    break;
                }
            }
        }
    }

    m_open = true;
    if (diagnostics)
        diagnostics->append(loaded);
    validate();
    emit projectOpened();
    emit dirtyChanged(false);
    return true;
}

void ProjectDocument::addFile(const QString &file, const QByteArray &bytes)
{
    m_savedBytes.insert(file, bytes);
    const QString baseName = QFileInfo(file).completeBaseName();
    Diagnostics parseDiagnostics;
    std::optional<XmlNode> root = parseXml(bytes, file, parseDiagnostics);
    auto addEntry = [&](ArtifactState state) {
        state.uid = newUid();
        state.id = uniqueId(state.id, state.uid);
        state.file = file;
        m_entries.push_back(std::move(state));
        return m_entries.back().uid;
    };
    if (!root) {
        ArtifactState state;
        state.id = {kindOfFolder(file).value_or(ArtifactKind::Sequence), baseName};
        state.brokenText = bytes;
        state.parseDiagnostics = parseDiagnostics;
        const int uid = addEntry(std::move(state));
        m_savedCanonical.insert(file, bytes);
        m_savedArtifacts.insert(uid, {file, bytes});
        return;
    }
    if (isSynapseElement(*root, "definitions")) {
        DefinitionsFile definitions;
        definitions.prolog = prologOf(QString::fromUtf8(bytes), *root);
        definitions.root = *root;
        definitions.root.children.clear();
        for (XmlNode &child : root->children) {
            const std::optional<ArtifactKind> kind = child.namespaceUri == kSynapseNamespace
                                                         ? artifactKindOfElement(child.name)
                                                         : std::nullopt;
            if (!child.isElement() || !kind) {
                definitions.items.push_back({0, std::move(child)});
                continue;
            }
            ArtifactState state;
            QString name = child.attribute(artifactNameAttribute(*kind));
            state.id = {*kind, name.isEmpty() ? artifactElementName(*kind) : name};
            state.tree = std::move(child);
            const int uid = addEntry(std::move(state));
            definitions.items.push_back({uid, XmlNode()});
        }
        m_definitions.insert(file, std::move(definitions));
        m_savedCanonical.insert(file, fileContent(file));
        for (const ArtifactState &entry : m_entries) {
            if (entry.file == file)
                m_savedArtifacts.insert(entry.uid, {file, artifactCanonical(entry)});
        }
        return;
    }
    std::optional<ArtifactKind> kind =
        root->namespaceUri == kSynapseNamespace ? artifactKindOfElement(root->name) : std::nullopt;
    if (!kind)
        kind = kindOfFolder(file).value_or(ArtifactKind::Sequence);
    ArtifactState state;
    const QString name = root->attribute(artifactNameAttribute(*kind));
    state.id = {*kind, name.isEmpty() ? baseName : name};
    state.prolog = prologOf(QString::fromUtf8(bytes), *root);
    state.tree = std::move(*root);
    const QByteArray canonical = artifactCanonical(state);
    const int uid = addEntry(std::move(state));
    m_savedCanonical.insert(file, canonical);
    m_savedArtifacts.insert(uid, {file, canonical});
}

bool ProjectDocument::createNew(const QString &directory, Diagnostics *diagnostics)
{
    const QDir dir(directory);
    const SourceLocation where{directory, 0, 0};
    auto fail = [&](const QString &message) {
        if (diagnostics)
            diagnostics->error(where, message);
        return false;
    };
    if (dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return fail(QStringLiteral("the folder is not empty; a new project needs an empty one"));
    for (const ArtifactKindInfo &info : artifactKinds()) {
        if (!QDir().mkpath(dir.filePath(kMiConfigDir + QLatin1Char('/') + info.folder)))
            return fail(QStringLiteral("cannot create %1/%2").arg(kMiConfigDir, info.folder));
    }
    QString error;
    if (!writeFileAtomically(dir.filePath(QStringLiteral("deployment.toml")),
                             QByteArray(kNewProjectToml), &error))
        return fail(error);
    return open(directory, diagnostics);
}

QStringList ProjectDocument::currentFiles() const
{
    QStringList files;
    QSet<QString> seen;
    for (const ArtifactState &entry : m_entries) {
        if (!seen.contains(entry.file)) {
            seen.insert(entry.file);
            files.append(entry.file);
        }
    }
    QStringList definitions = m_definitions.keys();
    definitions.sort();
    for (const QString &file : definitions) {
        if (!seen.contains(file))
            files.append(file);
    }
    return files;
}

std::vector<ProjectDocument::DefinitionsItem>
ProjectDocument::arrangedItems(const QString &file) const
{
    const DefinitionsFile &definitions = m_definitions[file];
    QList<int> order; // the file's artifacts, in document order
    for (const ArtifactState &entry : m_entries) {
        if (entry.file == file && entry.tree)
            order.append(entry.uid);
    }
    std::vector<DefinitionsItem> items;
    QSet<int> placed;
    for (const DefinitionsItem &item : definitions.items) {
        if (item.uid == 0) {
            items.push_back(item);
        } else if (order.contains(item.uid) && !placed.contains(item.uid)) {
            items.push_back({item.uid, XmlNode()});
            placed.insert(item.uid);
        }
    }
    // Artifacts new to the file go before the next artifact (in document order) that has its
    // place, so that a duplicate follows its original and an undone delete returns where it
    // was; else at the end.
    for (qsizetype i = 0; i < order.size(); ++i) {
        const int uid = order.at(i);
        if (placed.contains(uid))
            continue;
        auto at = items.end();
        for (qsizetype j = i + 1; j < order.size() && at == items.end(); ++j) {
            if (!placed.contains(order.at(j)))
                continue;
            at = std::find_if(items.begin(), items.end(),
                              [&](const DefinitionsItem &item) { return item.uid == order.at(j); });
        }
        items.insert(at, {uid, XmlNode()});
        placed.insert(uid);
    }
    return items;
}

XmlNode ProjectDocument::assembleDefinitions(const QString &file, QList<int> *uids) const
{
    XmlNode root = m_definitions[file].root;
    for (const DefinitionsItem &item : arrangedItems(file)) {
        if (item.uid == 0) {
            root.children.push_back(item.node);
        } else if (const ArtifactState *entry = findEntryByUid(item.uid)) {
            root.children.push_back(*entry->tree);
            if (uids)
                uids->append(item.uid);
        }
    }
    return root;
}

QByteArray ProjectDocument::artifactCanonical(const ArtifactState &state) const
{
    return state.tree ? withProlog(canonicalXml(*state.tree), state.prolog) : state.brokenText;
}

QByteArray ProjectDocument::fileContent(const QString &file) const
{
    if (isDefinitionsFile(file))
        return withProlog(canonicalXml(assembleDefinitions(file)), m_definitions[file].prolog);
    for (const ArtifactState &entry : m_entries) {
        if (entry.file == file)
            return artifactCanonical(entry);
    }
    return QByteArray();
}

bool ProjectDocument::isFileModified(const QString &file) const
{
    const auto saved = m_savedCanonical.constFind(file);
    return saved == m_savedCanonical.constEnd() || *saved != fileContent(file);
}

bool ProjectDocument::save(Diagnostics *diagnostics)
{
    Diagnostics problems;
    if (!m_open) {
        problems.error({}, QStringLiteral("no project is open"));
    } else if (m_readOnly) {
        problems.error({QFileInfo(m_rootPath).fileName(), 0, 0},
                       QStringLiteral("a .car file is read-only: export the project as a folder "
                                      "or an archive instead"));
    }
    if (problems.hasErrors()) {
        if (diagnostics)
            diagnostics->append(problems);
        return false;
    }
    const QDir base(m_directory);
    const QStringList files = currentFiles();
    for (const QString &file : files) {
        if (!isFileModified(file))
            continue;
        const QByteArray content = fileContent(file);
        QString error;
        if (!writeFileAtomically(base.filePath(file), content, &error)) {
            problems.error({file, 0, 0}, error);
            continue;
        }
        m_savedBytes.insert(file, content);
        m_savedCanonical.insert(file, content);
    }
    // Files whose artifacts were deleted, renamed or moved away.
    const QSet<QString> current(files.begin(), files.end());
    const QStringList known = m_savedBytes.keys();
    for (const QString &file : known) {
        if (current.contains(file) || isDefinitionsFile(file))
            continue;
        if (QFileInfo::exists(base.filePath(file)) && !QFile::remove(base.filePath(file))) {
            problems.error({file, 0, 0}, QStringLiteral("cannot delete the file"));
            continue;
        }
        m_savedBytes.remove(file);
        m_savedCanonical.remove(file);
    }
    // <definitions> files now hold exactly the current artifacts, in the written order.
    for (auto it = m_definitions.begin(); it != m_definitions.end(); ++it)
        it->items = arrangedItems(it.key());
    if (diagnostics)
        diagnostics->append(problems);
    if (problems.hasErrors())
        return false;
    markSaved();
    m_undoStack->setClean();
    emit saved();
    return true;
}

void ProjectDocument::markSaved()
{
    m_savedArtifacts.clear();
    for (const ArtifactState &entry : m_entries)
        m_savedArtifacts.insert(entry.uid, {entry.file, artifactCanonical(entry)});
}

void ProjectDocument::close()
{
    if (!m_open)
        return;
    reset();
    emit projectClosed();
    emit problemsChanged();
}

QString ProjectDocument::projectName() const
{
    const QFileInfo info(m_rootPath);
    return info.isDir() ? info.fileName() : info.completeBaseName();
}

bool ProjectDocument::isDirty() const
{
    return !m_undoStack->isClean();
}

// ----- artifacts

ArtifactState *ProjectDocument::findEntry(const ArtifactId &id)
{
    for (ArtifactState &entry : m_entries) {
        if (entry.id == id)
            return &entry;
    }
    return nullptr;
}

const ArtifactState *ProjectDocument::findEntry(const ArtifactId &id) const
{
    for (const ArtifactState &entry : m_entries) {
        if (entry.id == id)
            return &entry;
    }
    return nullptr;
}

const ArtifactState *ProjectDocument::findEntryByUid(int uid) const
{
    for (const ArtifactState &entry : m_entries) {
        if (entry.uid == uid)
            return &entry;
    }
    return nullptr;
}

ArtifactId ProjectDocument::uniqueId(ArtifactId id, int ignoreUid) const
{
    const QString name = id.name;
    for (int n = 2;; ++n) {
        const ArtifactState *other = findEntry(id);
        if (!other || other->uid == ignoreUid)
            return id;
        id.name = name + QStringLiteral(" #%1").arg(n);
    }
}

QList<ArtifactId> ProjectDocument::artifactIds() const
{
    QList<ArtifactId> ids;
    for (const ArtifactState &entry : m_entries)
        ids.append(entry.id);
    return ids;
}

QList<ArtifactId> ProjectDocument::artifactIds(ArtifactKind kind) const
{
    QList<ArtifactId> ids;
    for (const ArtifactState &entry : m_entries) {
        if (entry.id.kind == kind)
            ids.append(entry.id);
    }
    std::sort(ids.begin(), ids.end(), [](const ArtifactId &a, const ArtifactId &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return ids;
}

QStringList ProjectDocument::artifactNames(ArtifactKind kind) const
{
    QStringList names;
    for (const ArtifactId &id : artifactIds(kind))
        names.append(id.name);
    return names;
}

bool ProjectDocument::contains(const ArtifactId &id) const
{
    return findEntry(id) != nullptr;
}

const ArtifactState *ProjectDocument::artifact(const ArtifactId &id) const
{
    return findEntry(id);
}

const XmlNode *ProjectDocument::artifactXml(const ArtifactId &id) const
{
    const ArtifactState *entry = findEntry(id);
    return entry && entry->tree ? &*entry->tree : nullptr;
}

const XmlNode *ProjectDocument::element(const ArtifactId &id, const MediatorPath &path) const
{
    const XmlNode *root = artifactXml(id);
    return root ? elementAt(*root, path) : nullptr;
}

QString ProjectDocument::artifactFile(const ArtifactId &id) const
{
    const ArtifactState *entry = findEntry(id);
    return entry ? entry->file : QString();
}

bool ProjectDocument::isArtifactModified(const ArtifactId &id) const
{
    const ArtifactState *entry = findEntry(id);
    if (!entry)
        return false;
    const auto saved = m_savedArtifacts.constFind(entry->uid);
    return saved == m_savedArtifacts.constEnd() || saved->file != entry->file ||
           saved->canonical != artifactCanonical(*entry);
}

QString ProjectDocument::artifactSource(const ArtifactId &id) const
{
    const ArtifactState *entry = findEntry(id);
    if (!entry)
        return QString();
    if (!entry->tree)
        return QString::fromUtf8(entry->brokenText);
    if (!isArtifactModified(id) && !isDefinitionsFile(entry->file) &&
        m_savedBytes.contains(entry->file))
        return QString::fromUtf8(m_savedBytes.value(entry->file));
    if (isDefinitionsFile(entry->file))
        return QString::fromUtf8(canonicalXml(*entry->tree));
    return QString::fromUtf8(artifactCanonical(*entry));
}

QList<MediatorListRef> ProjectDocument::mediatorLists(const ArtifactId &id) const
{
    QList<MediatorListRef> lists;
    const XmlNode *root = artifactXml(id);
    if (!root)
        return lists;
    static const char *const roles[] = {"inSequence", "outSequence", "faultSequence"};
    // The roles of a proxy's <target> or an API <resource> at `path`.
    auto addRoles = [&](const XmlNode &owner, const MediatorPath &path, const QString &prefix) {
        for (const char *role : roles) {
            const QString label = prefix + QLatin1String(role);
            int index = 0;
            bool found = false;
            for (const XmlNode &child : owner.children) {
                if (!child.isElement())
                    continue;
                if (isSynapseElement(child, role)) {
                    lists.append({label, path.child(index), std::nullopt});
                    found = true;
                    break;
                }
                ++index;
            }
            const QString key = owner.attribute(QLatin1String(role));
            if (!found && !key.isEmpty())
                lists.append({label, MediatorPath(), ArtifactId{ArtifactKind::Sequence, key}});
        }
    };
    switch (id.kind) {
    case ArtifactKind::Sequence:
        lists.append({QStringLiteral("sequence"), MediatorPath(), std::nullopt});
        break;
    case ArtifactKind::ProxyService: {
        int index = 0;
        for (const XmlNode &child : root->children) {
            if (!child.isElement())
                continue;
            if (isSynapseElement(child, "target"))
                addRoles(child, MediatorPath{index}, QString());
            ++index;
        }
        break;
    }
    case ArtifactKind::Api: {
        int index = 0;
        for (const XmlNode &child : root->children) {
            if (!child.isElement())
                continue;
            if (isSynapseElement(child, "resource")) {
                QString where = child.attribute(QStringLiteral("uri-template"));
                if (where.isEmpty())
                    where = child.attribute(QStringLiteral("url-mapping"));
                const QString prefix = QStringLiteral("%1 %2 ").arg(
                    child.attribute(QStringLiteral("methods"), QStringLiteral("*")),
                    where.isEmpty() ? QStringLiteral("/") : where);
                addRoles(child, MediatorPath{index}, prefix);
            }
            ++index;
        }
        break;
    }
    case ArtifactKind::InboundEndpoint: {
        for (const char *attribute : {"sequence", "onError"}) {
            const QString key = root->attribute(QLatin1String(attribute));
            if (!key.isEmpty())
                lists.append({QLatin1String(attribute), MediatorPath(),
                              ArtifactId{ArtifactKind::Sequence, key}});
        }
        const QString protocol = root->attribute(QStringLiteral("protocol"));
        if (const XmlNode *parameters = root->firstChildElement(QStringLiteral("parameters"))) {
            for (const XmlNode *parameter :
                 parameters->childElements(QStringLiteral("parameter"))) {
                const QString name = parameter->attribute(QStringLiteral("name"));
                const ParameterSpec *spec = findInboundParameterSpec(protocol, name);
                const QString key = parameter->textContent().trimmed();
                if (spec && spec->kind == ParameterSpec::Kind::SequenceReference && !key.isEmpty())
                    lists.append({name, MediatorPath(), ArtifactId{ArtifactKind::Sequence, key}});
            }
        }
        break;
    }
    case ArtifactKind::Endpoint:
    case ArtifactKind::LocalEntry:
        break;
    }
    return lists;
}

bool ProjectDocument::isMediatorContainer(const ArtifactId &id, const MediatorPath &path) const
{
    const XmlNode *node = element(id, path);
    if (!node || !node->isElement())
        return false;
    if (path.isRoot())
        return id.kind == ArtifactKind::Sequence && isSynapseElement(*node, "sequence");
    for (const char *name :
         {"inSequence", "outSequence", "faultSequence", "then", "else", "case", "default"}) {
        if (isSynapseElement(*node, name))
            return true;
    }
    if (isSynapseElement(*node, "sequence"))
        return !node->hasAttribute(QStringLiteral("key"));
    if (isSynapseElement(*node, "filter"))
        return !node->firstChildElement(QStringLiteral("then")) &&
               !node->firstChildElement(QStringLiteral("else"));
    return false;
}

QList<ArtifactReference> ProjectDocument::references() const
{
    QList<ArtifactReference> all;
    for (const ArtifactState &entry : m_entries) {
        if (entry.tree)
            all.append(findReferences(entry.id, *entry.tree));
    }
    return all;
}

QList<ArtifactReference> ProjectDocument::referencesTo(const ArtifactId &target) const
{
    QList<ArtifactReference> found;
    const ArtifactState *targetEntry = findEntry(target);
    // An id with a " #2" suffix is named in XML without it.
    const QString name =
        targetEntry && targetEntry->tree
            ? targetEntry->tree->attribute(artifactNameAttribute(target.kind), target.name)
            : target.name;
    for (const ArtifactReference &reference : references()) {
        if (reference.target.kind == target.kind && reference.target.name == name)
            found.append(reference);
    }
    return found;
}

// ----- validation

Diagnostics ProjectDocument::validate()
{
    m_validationTimer->stop();
    Diagnostics diagnostics;
    m_validatedTrees.clear();
    if (!m_open) {
        m_problems = diagnostics;
        emit problemsChanged();
        return diagnostics;
    }
    diagnostics.append(m_projectDiagnostics);
    Project project;
    project.rootPath = m_rootPath;
    project.layout = m_layout;
    project.config = m_config;
    for (const QString &file : currentFiles()) {
        project.artifactFiles.append(file);
        const bool modified = isFileModified(file);
        if (isDefinitionsFile(file)) {
            QList<int> uids;
            const XmlNode assembled = assembleDefinitions(file, &uids);
            const QByteArray bytes =
                modified ? withProlog(canonicalXml(assembled), m_definitions[file].prolog)
                         : m_savedBytes.value(file);
            const std::optional<XmlNode> root = parseXml(bytes, file, diagnostics);
            if (!root)
                continue;
            project.artifacts.append(readArtifacts(*root, diagnostics));
            qsizetype next = 0;
            for (const XmlNode &child : root->children) {
                if (child.isElement() && child.namespaceUri == kSynapseNamespace &&
                    artifactKindOfElement(child.name) && next < uids.size())
                    m_validatedTrees.insert(uids.at(next++), child);
            }
            continue;
        }
        const ArtifactState *entry = nullptr;
        for (const ArtifactState &candidate : m_entries) {
            if (candidate.file == file)
                entry = &candidate;
        }
        if (!entry)
            continue;
        if (!entry->tree) {
            diagnostics.append(entry->parseDiagnostics);
            continue;
        }
        const QByteArray bytes = modified ? fileContent(file) : m_savedBytes.value(file);
        const std::optional<XmlNode> root = parseXml(bytes, file, diagnostics);
        if (!root)
            continue;
        ArtifactSet set = readArtifacts(*root, diagnostics);
        const std::optional<ArtifactKind> folderKind = kindOfFolder(file);
        if (folderKind && !isCarFile(file)) {
            checkArtifactKinds(
                set, *folderKind,
                QStringLiteral("found in %1/").arg(artifactKindInfo(*folderKind).folder), true,
                file, diagnostics);
        }
        project.artifacts.append(std::move(set));
        m_validatedTrees.insert(entry->uid, *root);
    }
    if (!diagnostics.hasErrors())
        compileProject(project, diagnostics);
    m_problems = diagnostics;
    emit problemsChanged();
    return diagnostics;
}

std::optional<ProblemLocation> ProjectDocument::locateProblem(const SourceLocation &location) const
{
    const ArtifactState *best = nullptr;
    const XmlNode *bestTree = nullptr;
    for (const ArtifactState &entry : m_entries) {
        if (entry.file != location.file)
            continue;
        const auto tree = m_validatedTrees.constFind(entry.uid);
        if (tree == m_validatedTrees.constEnd()) {
            if (!best)
                best = &entry; // a file that does not parse: the artifact, no element
            continue;
        }
        if (location.line > 0 && !locationBefore(tree->location, location))
            continue;
        if (!bestTree || locationBefore(bestTree->location, tree->location)) {
            best = &entry;
            bestTree = &*tree;
        }
    }
    if (!best)
        return std::nullopt;
    ProblemLocation result{best->id, MediatorPath()};
    if (!bestTree || location.line <= 0)
        return result;
    const XmlNode *node = bestTree;
    for (;;) {
        int index = 0;
        int chosen = -1;
        const XmlNode *next = nullptr;
        for (const XmlNode &child : node->children) {
            if (!child.isElement())
                continue;
            if (locationBefore(child.location, location)) {
                chosen = index;
                next = &child;
            }
            ++index;
        }
        if (!next)
            break;
        result.path.indices.append(chosen);
        node = next;
    }
    return result;
}

void ProjectDocument::setAutoValidate(bool enabled)
{
    m_autoValidate = enabled;
    if (!enabled)
        m_validationTimer->stop();
}

void ProjectDocument::scheduleValidation()
{
    if (m_autoValidate && m_open)
        m_validationTimer->start();
}

// ----- used by the commands

std::optional<ArtifactState> ProjectDocument::artifactState(const ArtifactId &id) const
{
    const ArtifactState *entry = findEntry(id);
    return entry ? std::optional<ArtifactState>(*entry) : std::nullopt;
}

std::optional<ArtifactState> ProjectDocument::artifactStateByUid(int uid) const
{
    const ArtifactState *entry = findEntryByUid(uid);
    return entry ? std::optional<ArtifactState>(*entry) : std::nullopt;
}

int ProjectDocument::artifactPosition(int uid) const
{
    for (size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].uid == uid)
            return int(i);
    }
    return -1;
}

void ProjectDocument::restoreArtifact(int uid, const std::optional<ArtifactState> &state,
                                      int position)
{
    const int current = artifactPosition(uid);
    if (current < 0 && !state)
        return;
    if (!state) {
        const ArtifactId removed = m_entries[size_t(current)].id;
        m_entries.erase(m_entries.begin() + current);
        emit artifactRemoved(removed);
    } else if (current < 0) {
        const int at =
            std::clamp(position < 0 ? int(m_entries.size()) : position, 0, int(m_entries.size()));
        m_entries.insert(m_entries.begin() + at, *state);
        emit artifactAdded(state->id);
    } else {
        const ArtifactId before = m_entries[size_t(current)].id;
        m_entries[size_t(current)] = *state;
        if (before != state->id)
            emit artifactRenamed(before, state->id);
        emit artifactChanged(state->id);
    }
    scheduleValidation();
}

bool ProjectDocument::isFileTaken(const QString &file, int uid) const
{
    for (const ArtifactState &entry : m_entries) {
        if (entry.file == file && entry.uid != uid)
            return true;
    }
    return !m_savedBytes.contains(file) && QFileInfo::exists(QDir(m_directory).filePath(file));
}

QString ProjectDocument::fileForArtifact(const ArtifactId &id, int uid) const
{
    if (!m_newArtifactDefinitions.isEmpty())
        return m_newArtifactDefinitions;
    QString folder = artifactKindInfo(id.kind).folder;
    if (!m_newArtifactFolder.isEmpty())
        folder = m_newArtifactFolder + QLatin1Char('/') + folder;
    const QString base = folder + QLatin1Char('/') + safeFileName(id.name);
    QString file = base + QStringLiteral(".xml");
    for (int n = 2; isFileTaken(file, uid); ++n)
        file = base + QStringLiteral("_%1.xml").arg(n);
    return file;
}

QString ProjectDocument::renamedFile(const ArtifactState &state, const QString &newName) const
{
    if (isDefinitionsFile(state.file) || isCarFile(state.file))
        return state.file;
    const QFileInfo info(state.file);
    const QString oldName =
        state.tree ? state.tree->attribute(artifactNameAttribute(state.id.kind)) : state.id.name;
    if (info.completeBaseName() != safeFileName(oldName))
        return state.file;
    const QString folder = state.file.section(QLatin1Char('/'), 0, -2);
    const QString base =
        (folder.isEmpty() || folder == state.file ? QString() : folder + QLatin1Char('/')) +
        safeFileName(newName);
    QString file = base + QStringLiteral(".xml");
    for (int n = 2; isFileTaken(file, state.uid); ++n)
        file = base + QStringLiteral("_%1.xml").arg(n);
    return file;
}

std::optional<QString> ProjectDocument::checkNewName(ArtifactKind kind, const QString &name,
                                                     int ignoreUid) const
{
    const QString what = artifactKindInfo(kind).description;
    if (name.isEmpty())
        return QStringLiteral("a %1 needs a name").arg(what);
    for (const QChar c : name) {
        if (c.isSpace() || QStringLiteral("/\\<>\"'&{}?*|").contains(c))
            return QStringLiteral("a %1 name cannot contain '%2'")
                .arg(what, c.isSpace() ? QStringLiteral(" ") : QString(c));
    }
    for (const ArtifactState &entry : m_entries) {
        if (entry.uid == ignoreUid || entry.id.kind != kind)
            continue;
        const QString existing =
            entry.tree ? entry.tree->attribute(artifactNameAttribute(kind), entry.id.name)
                       : entry.id.name;
        if (entry.id.name == name || existing == name)
            return QStringLiteral("a %1 named '%2' already exists").arg(what, name);
    }
    return std::nullopt;
}

void ProjectDocument::fitToFile(XmlNode &root, const QString &file) const
{
    if (!isDefinitionsFile(file))
        return;
    const XmlNode &container = m_definitions[file].root;
    root.namespaceDeclarations.removeIf([&](const XmlNamespaceDeclaration &declaration) {
        return container.namespacesInScope.contains(declaration.prefix) &&
               container.namespacesInScope.value(declaration.prefix) == declaration.uri;
    });
    adoptNamespaceScope(root, container.namespacesInScope);
}

// ----- edits

namespace {

// A refused command sets *error; a command with nothing to do returns nullptr and no error.
template <typename Command>
bool pushOrReport(ProjectDocument *document, std::unique_ptr<Command> command,
                  const QString &reason, QString *error)
{
    if (!command) {
        if (error)
            *error = reason;
        return reason.isEmpty();
    }
    document->undoStack()->push(command.release());
    return true;
}

} // namespace

bool ProjectDocument::insertMediator(const ArtifactId &id, const MediatorPath &parent, int index,
                                     const XmlNode &mediator, QString *error)
{
    QString reason;
    auto command = InsertMediatorCommand::create(this, id, parent, index, mediator, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::insertMediator(const ArtifactId &id, const MediatorPath &parent, int index,
                                     const QString &elementName, QString *error)
{
    const MediatorDescription *description = findMediatorDescription(elementName);
    if (!description) {
        if (error)
            *error = QStringLiteral("there is no built-in mediator <%1>").arg(elementName);
        return false;
    }
    return insertMediator(id, parent, index, description->createElement(), error);
}

bool ProjectDocument::removeMediator(const ArtifactId &id, const MediatorPath &path, QString *error)
{
    QString reason;
    auto command = RemoveMediatorCommand::create(this, id, path, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::moveMediator(const ArtifactId &id, const MediatorPath &from,
                                   const MediatorPath &toParent, int toIndex, QString *error)
{
    QString reason;
    auto command = MoveMediatorCommand::create(this, id, from, toParent, toIndex, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::setAttribute(const ArtifactId &id, const MediatorPath &path,
                                   const QString &name, const QString &value, QString *error)
{
    if (path.isRoot() && name == artifactNameAttribute(id.kind))
        return renameArtifact(id, value, error);
    QString reason;
    auto command = SetAttributeCommand::create(this, id, path, name, value, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::removeAttribute(const ArtifactId &id, const MediatorPath &path,
                                      const QString &name, QString *error)
{
    QString reason;
    auto command = RemoveAttributeCommand::create(this, id, path, name, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::setText(const ArtifactId &id, const MediatorPath &path, const QString &text,
                              QString *error)
{
    QString reason;
    auto command = SetTextCommand::create(this, id, path, text, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::replaceChildElement(const ArtifactId &id, const MediatorPath &path,
                                          const QString &elementName,
                                          const std::optional<XmlNode> &element, bool merge,
                                          QString *error)
{
    QString reason;
    auto command =
        ReplaceChildElementCommand::create(this, id, path, elementName, element, merge, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::setInboundParameter(const ArtifactId &id, const QString &name,
                                          const QString &value, QString *error)
{
    QString reason;
    auto command = SetInboundParameterCommand::create(this, id, name, value, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::removeInboundParameter(const ArtifactId &id, const QString &name,
                                             QString *error)
{
    QString reason;
    auto command = SetInboundParameterCommand::create(this, id, name, std::nullopt, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::replaceArtifactSource(const ArtifactId &id, const QString &xml,
                                            Diagnostics *diagnostics)
{
    Diagnostics problems;
    auto command = ReplaceSourceCommand::create(this, id, xml, &problems);
    if (diagnostics)
        diagnostics->append(problems);
    if (!command)
        return !problems.hasErrors();
    m_undoStack->push(command.release());
    return true;
}

std::optional<ArtifactId> ProjectDocument::addArtifact(ArtifactKind kind, const QString &name,
                                                       QString *error)
{
    if (const auto problem = checkNewName(kind, name)) {
        if (error)
            *error = *problem;
        return std::nullopt;
    }
    const QString xml = artifactTemplate(kind).arg(name.toHtmlEscaped());
    Diagnostics diagnostics;
    std::optional<XmlNode> root =
        parseXml(QStringLiteral("<definitions xmlns=\"%1\">%2</definitions>")
                     .arg(kSynapseNamespace, xml)
                     .toUtf8(),
                 QString(), diagnostics);
    if (!root || !root->firstChildElement()) {
        if (error)
            *error = diagnostics.toString();
        return std::nullopt;
    }
    XmlNode element = *root->firstChildElement();
    element.namespaceDeclarations.append({QString(), kSynapseNamespace});
    return addArtifact(element, error);
}

std::optional<ArtifactId> ProjectDocument::addArtifact(const XmlNode &root, QString *error)
{
    QString reason;
    auto command = AddArtifactCommand::create(this, root, &reason);
    if (!command) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    const ArtifactId id = command->addedId();
    m_undoStack->push(command.release());
    return id;
}

std::optional<ArtifactId> ProjectDocument::duplicateArtifact(const ArtifactId &id,
                                                             const QString &newName, QString *error)
{
    QString reason;
    auto command = DuplicateArtifactCommand::create(this, id, newName, &reason);
    if (!command) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    const ArtifactId added = command->addedId();
    m_undoStack->push(command.release());
    return added;
}

bool ProjectDocument::deleteArtifact(const ArtifactId &id, QList<ArtifactReference> *stillReferring,
                                     QString *error)
{
    QString reason;
    auto command = DeleteArtifactCommand::create(this, id, &reason);
    if (command && stillReferring)
        *stillReferring = command->danglingReferences();
    return pushOrReport(this, std::move(command), reason, error);
}

bool ProjectDocument::renameArtifact(const ArtifactId &id, const QString &newName, QString *error)
{
    QString reason;
    auto command = RenameArtifactCommand::create(this, id, newName, &reason);
    return pushOrReport(this, std::move(command), reason, error);
}

} // namespace sluice::studio
