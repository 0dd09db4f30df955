// SPDX-License-Identifier: Apache-2.0
#include "start_page.h"

#include "widgets/icons.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTextStream>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

const QString kRecentKey = QStringLiteral("recentProjects");
constexpr int kMaxRecent = 10;
constexpr int kPathRole = Qt::UserRole + 1;

// The first paragraph of a sample's README (after its title), for the tool tip and the list.
QString sampleDescription(const QString &directory)
{
    QFile readme(QDir(directory).filePath(QStringLiteral("README.md")));
    if (!readme.open(QIODevice::ReadOnly | QIODevice::Text))
        return QString();
    QTextStream stream(&readme);
    QStringList paragraph;
    while (!stream.atEnd()) {
        const QString line = stream.readLine().trimmed();
        if (line.startsWith(QLatin1Char('#')))
            continue;
        if (line.isEmpty()) {
            if (!paragraph.isEmpty())
                break;
            continue;
        }
        paragraph.append(line);
    }
    return paragraph.join(QLatin1Char(' '));
}

QLabel *heading(const QString &text, int pointDelta, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setPointSize(font.pointSize() + pointDelta);
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

QString sampleProjectsDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("SLUICE_PROJECTS_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir::cleanPath(fromEnvironment);
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("../share/sluice/projects"));
    if (QFileInfo(installed).isDir())
        return QDir::cleanPath(installed);
#ifdef SLUICE_SOURCE_PROJECTS_DIR
    return QDir::cleanPath(QStringLiteral(SLUICE_SOURCE_PROJECTS_DIR));
#else
    return QString();
#endif
}

QStringList sampleProjects()
{
    const QString root = sampleProjectsDirectory();
    QStringList projects;
    if (root.isEmpty())
        return projects;
    const QDir dir(root);
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir project(dir.filePath(name));
        if (project.exists(QStringLiteral("deployment.toml")) ||
            project.exists(QStringLiteral("src")))
            projects.append(project.absolutePath());
    }
    return projects;
}

QStringList recentProjects()
{
    QStringList recent = QSettings().value(kRecentKey).toStringList();
    recent.removeAll(QString());
    return recent;
}

void addRecentProject(const QString &path)
{
    QStringList recent = recentProjects();
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    recent.removeAll(clean);
    recent.prepend(clean);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
}

void removeRecentProject(const QString &path)
{
    QStringList recent = recentProjects();
    recent.removeAll(path);
    QSettings().setValue(kRecentKey, recent);
}

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
{
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);

    auto *logo = new QLabel(this);
    logo->setPixmap(studioIcon(QStringLiteral("sluice")).pixmap(48, 48));
    auto *title = heading(tr("Sluice Studio"), 8, this);
    auto *subtitle =
        new QLabel(tr("Edit WSO2 Micro Integrator / Synapse integration projects visually."), this);
    subtitle->setForegroundRole(QPalette::PlaceholderText);

    auto *newButton = new QPushButton(tr("New project\u2026"), this);
    auto *openButton = new QPushButton(tr("Open project\u2026"), this);
    connect(newButton, &QPushButton::clicked, this, &StartPage::newProjectRequested);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openProjectRequested);

    m_samples = new QListWidget(this);
    m_recent = new QListWidget(this);
    for (QListWidget *list : {m_samples, m_recent}) {
        list->setIconSize(QSize(24, 24));
        list->setSpacing(2);
        list->setMinimumWidth(320);
    }
    connect(m_samples, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit openSampleRequested(item->data(kPathRole).toString());
    });
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit openPathRequested(item->data(kPathRole).toString());
    });

    auto *header = new QHBoxLayout;
    header->addWidget(logo);
    auto *titles = new QVBoxLayout;
    titles->addWidget(title);
    titles->addWidget(subtitle);
    header->addLayout(titles, 1);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addStretch(1);

    auto *lists = new QGridLayout;
    lists->setHorizontalSpacing(24);
    lists->addWidget(heading(tr("Samples"), 2, this), 0, 0);
    lists->addWidget(heading(tr("Recent projects"), 2, this), 0, 1);
    lists->addWidget(m_samples, 1, 0);
    lists->addWidget(m_recent, 1, 1);

    auto *column = new QVBoxLayout;
    column->setSpacing(16);
    column->addLayout(header);
    column->addLayout(buttons);
    column->addLayout(lists, 1);

    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(48, 40, 48, 40);
    outer->addStretch(1);
    outer->addLayout(column, 6);
    outer->addStretch(1);
    refresh();
}

StartPage::~StartPage() = default;

void StartPage::refresh()
{
    m_samples->clear();
    for (const QString &path : sampleProjects()) {
        auto *item = new QListWidgetItem(studioIcon(QStringLiteral("artifact-inbound-endpoint")),
                                         QFileInfo(path).fileName(), m_samples);
        item->setData(kPathRole, path);
        item->setToolTip(sampleDescription(path));
    }
    if (m_samples->count() == 0) {
        auto *item =
            new QListWidgetItem(tr("No samples found (set SLUICE_PROJECTS_DIR)"), m_samples);
        item->setFlags(Qt::NoItemFlags);
    }
    m_recent->clear();
    for (const QString &path : recentProjects()) {
        const QFileInfo info(path);
        if (!info.exists())
            continue;
        // The folder name, then where it is: samples copied elsewhere keep their names.
        const QString text =
            QStringLiteral("%1  \u2014  %2")
                .arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath()));
        auto *item =
            new QListWidgetItem(studioIcon(QStringLiteral("artifact-sequence")), text, m_recent);
        item->setData(kPathRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
    }
    if (m_recent->count() == 0) {
        auto *item = new QListWidgetItem(tr("No recent projects"), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

} // namespace sluice::studio
