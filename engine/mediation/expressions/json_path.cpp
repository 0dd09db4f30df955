// SPDX-License-Identifier: Apache-2.0
#include "json_path.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace sluice {

namespace jsonpath {

struct Filter;

struct Selector {
    enum class Kind { Name, Wildcard, Index, Slice, Filter };
    Kind kind = Kind::Name;
    QString name;
    qint64 index = 0;
    std::optional<qint64> start;
    std::optional<qint64> end;
    qint64 step = 1;
    std::shared_ptr<const Filter> filter;
};

struct Segment {
    bool descendant = false;
    std::vector<Selector> selectors;
};

enum class Function { None, Length, Size, Min, Max, Avg, Sum };

struct Path {
    std::vector<Segment> segments;
    Function function = Function::None;
};

struct Operand {
    enum class Kind { CurrentPath, RootPath, Literal, Regex };
    Kind kind = Kind::Literal;
    Path path;
    QJsonValue literal;
    QRegularExpression regex;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, Match };

struct Filter {
    enum class Kind { Or, And, Not, Compare, Test };
    Kind kind = Kind::Test;
    std::shared_ptr<const Filter> left;
    std::shared_ptr<const Filter> right;
    Operand a;
    Operand b;
    CompareOp op = CompareOp::Eq;
};

using Values = std::vector<QJsonValue>;

namespace {

constexpr int kMaxFilterDepth = 64;

// --- evaluation ----------------------------------------------------------------------------

Values evaluatePath(const Path &path, const QJsonValue &start, const QJsonValue &root);
bool matches(const Filter &filter, const QJsonValue &current, const QJsonValue &root);

void collectDescendants(const QJsonValue &value, Values &out)
{
    out.push_back(value);
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            collectDescendants(it.value(), out);
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectDescendants(item, out);
    }
}

void selectSlice(const Selector &selector, const QJsonArray &array, Values &out)
{
    const qint64 length = array.size();
    const qint64 step = selector.step;
    if (step == 0)
        return;
    auto normalize = [length](qint64 i) { return i >= 0 ? i : length + i; };
    if (step > 0) {
        const qint64 lower = std::clamp<qint64>(normalize(selector.start.value_or(0)), 0, length);
        const qint64 upper =
            std::clamp<qint64>(normalize(selector.end.value_or(length)), 0, length);
        for (qint64 i = lower; i < upper; i += step)
            out.push_back(array.at(i));
    } else {
        const qint64 upper =
            std::clamp<qint64>(normalize(selector.start.value_or(length - 1)), -1, length - 1);
        const qint64 lower =
            selector.end ? std::clamp<qint64>(normalize(*selector.end), -1, length - 1) : -1;
        for (qint64 i = upper; lower < i; i += step)
            out.push_back(array.at(i));
    }
}

void select(const Selector &selector, const QJsonValue &node, const QJsonValue &root,
            bool descendant, Values &out)
{
    switch (selector.kind) {
    case Selector::Kind::Name:
        if (node.isObject()) {
            const QJsonObject object = node.toObject();
            const auto it = object.constFind(selector.name);
            if (it != object.constEnd())
                out.push_back(it.value());
        }
        break;
    case Selector::Kind::Wildcard:
        if (node.isObject()) {
            const QJsonObject object = node.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                out.push_back(it.value());
        } else if (node.isArray()) {
            for (const QJsonValue &item : node.toArray())
                out.push_back(item);
        }
        break;
    case Selector::Kind::Index:
        if (node.isArray()) {
            const QJsonArray array = node.toArray();
            const qint64 i = selector.index < 0 ? array.size() + selector.index : selector.index;
            if (i >= 0 && i < array.size())
                out.push_back(array.at(i));
        }
        break;
    case Selector::Kind::Slice:
        if (node.isArray())
            selectSlice(selector, node.toArray(), out);
        break;
    case Selector::Kind::Filter:
        // As Jayway JsonPath: an array's items are filtered, an object is tested itself. Under
        // recursive descent every object is visited anyway, so arrays are not looked into.
        if (node.isArray() && !descendant) {
            for (const QJsonValue &item : node.toArray()) {
                if (matches(*selector.filter, item, root))
                    out.push_back(item);
            }
        } else if (node.isObject()) {
            if (matches(*selector.filter, node, root))
                out.push_back(node);
        }
        break;
    }
}

Values applyFunction(Function function, const Values &values)
{
    if (function == Function::Length || function == Function::Size) {
        if (values.size() != 1)
            return {QJsonValue(qint64(values.size()))};
        const QJsonValue &v = values.front();
        if (v.isArray())
            return {QJsonValue(qint64(v.toArray().size()))};
        if (v.isObject())
            return {QJsonValue(qint64(v.toObject().size()))};
        if (v.isString())
            return {QJsonValue(qint64(v.toString().size()))};
        return {};
    }
    Values items;
    if (values.size() == 1 && values.front().isArray()) {
        for (const QJsonValue &item : values.front().toArray())
            items.push_back(item);
    } else {
        items = values;
    }
    std::vector<double> numbers;
    for (const QJsonValue &item : items) {
        if (item.isDouble())
            numbers.push_back(item.toDouble());
    }
    if (numbers.empty())
        return {};
    switch (function) {
    case Function::Min:
        return {QJsonValue(*std::min_element(numbers.begin(), numbers.end()))};
    case Function::Max:
        return {QJsonValue(*std::max_element(numbers.begin(), numbers.end()))};
    case Function::Sum:
    case Function::Avg: {
        double sum = 0;
        for (double n : numbers)
            sum += n;
        return {QJsonValue(function == Function::Sum ? sum : sum / double(numbers.size()))};
    }
    default:
        return {};
    }
}

Values evaluatePath(const Path &path, const QJsonValue &start, const QJsonValue &root)
{
    Values current{start};
    for (const Segment &segment : path.segments) {
        Values next;
        for (const QJsonValue &node : current) {
            if (segment.descendant) {
                Values all;
                collectDescendants(node, all);
                for (const QJsonValue &n : all) {
                    for (const Selector &selector : segment.selectors)
                        select(selector, n, root, true, next);
                }
            } else {
                for (const Selector &selector : segment.selectors)
                    select(selector, node, root, false, next);
            }
        }
        current.swap(next);
        if (current.empty())
            break;
    }
    if (path.function != Function::None)
        return applyFunction(path.function, current);
    return current;
}

std::optional<QJsonValue> operandValue(const Operand &operand, const QJsonValue &current,
                                       const QJsonValue &root)
{
    switch (operand.kind) {
    case Operand::Kind::CurrentPath:
    case Operand::Kind::RootPath: {
        const Values values = evaluatePath(
            operand.path, operand.kind == Operand::Kind::CurrentPath ? current : root, root);
        if (values.empty())
            return std::nullopt;
        return values.front();
    }
    case Operand::Kind::Literal:
        return operand.literal;
    case Operand::Kind::Regex:
        break;
    }
    return std::nullopt;
}

bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    return a == b;
}

bool truthy(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    return !value.isNull() && !value.isUndefined();
}

bool compare(const Filter &filter, const QJsonValue &current, const QJsonValue &root)
{
    const std::optional<QJsonValue> a = operandValue(filter.a, current, root);
    if (filter.op == CompareOp::Match) {
        return a && a->isString() && filter.b.regex.match(a->toString()).hasMatch();
    }
    const std::optional<QJsonValue> b = operandValue(filter.b, current, root);
    if (!a || !b) {
        // A path that selects nothing equals only another path that selects nothing.
        if (filter.op == CompareOp::Eq)
            return !a && !b;
        if (filter.op == CompareOp::Ne)
            return bool(a) != bool(b);
        return false;
    }
    switch (filter.op) {
    case CompareOp::Eq:
        return sameValue(*a, *b);
    case CompareOp::Ne:
        return !sameValue(*a, *b);
    default:
        break;
    }
    int order = 0;
    if (a->isDouble() && b->isDouble()) {
        const double x = a->toDouble();
        const double y = b->toDouble();
        if (std::isnan(x) || std::isnan(y))
            return false;
        order = x < y ? -1 : (x > y ? 1 : 0);
    } else if (a->isString() && b->isString()) {
        order = a->toString().compare(b->toString());
    } else {
        return false;
    }
    switch (filter.op) {
    case CompareOp::Lt:
        return order < 0;
    case CompareOp::Le:
        return order <= 0;
    case CompareOp::Gt:
        return order > 0;
    case CompareOp::Ge:
        return order >= 0;
    default:
        return false;
    }
}

bool matches(const Filter &filter, const QJsonValue &current, const QJsonValue &root)
{
    switch (filter.kind) {
    case Filter::Kind::Or:
        return matches(*filter.left, current, root) || matches(*filter.right, current, root);
    case Filter::Kind::And:
        return matches(*filter.left, current, root) && matches(*filter.right, current, root);
    case Filter::Kind::Not:
        return !matches(*filter.left, current, root);
    case Filter::Kind::Compare:
        return compare(filter, current, root);
    case Filter::Kind::Test:
        if (filter.a.kind == Operand::Kind::Literal)
            return truthy(filter.a.literal);
        return operandValue(filter.a, current, root).has_value();
    }
    return false;
}

// --- parsing -------------------------------------------------------------------------------

Selector makeSelector(Selector::Kind kind, const QString &name = QString())
{
    Selector selector;
    selector.kind = kind;
    selector.name = name;
    return selector;
}

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-') ||
           c.unicode() >= 0x80;
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

class Parser {
public:
    explicit Parser(QStringView text)
        : m_text(text)
    {
    }

    std::shared_ptr<const Path> parseRoot()
    {
        auto path = std::make_shared<Path>();
        skipSpace();
        if (peek() != QLatin1Char('$')) {
            fail(QStringLiteral("a JSONPath starts with '$'"), m_pos);
            return nullptr;
        }
        ++m_pos;
        if (!parseSegments(*path))
            return nullptr;
        skipSpace();
        if (!atEnd()) {
            fail(QStringLiteral("unexpected '%1'").arg(peek()), m_pos);
            return nullptr;
        }
        return path;
    }

    const QString &error() const { return m_error; }
    qsizetype errorPosition() const { return m_errorPos; }

private:
    QChar peek(qsizetype ahead = 0) const
    {
        const qsizetype at = m_pos + ahead;
        return at < m_text.size() ? m_text[at] : QChar();
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    void skipSpace()
    {
        while (!atEnd() && peek().isSpace())
            ++m_pos;
    }
    bool fail(const QString &message, qsizetype at)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorPos = at;
        }
        return false;
    }

    bool parseSegments(Path &path)
    {
        for (;;) {
            const qsizetype at = m_pos;
            const QChar c = peek();
            if (c != QLatin1Char('.') && c != QLatin1Char('['))
                return true;
            if (path.function != Function::None)
                return fail(QStringLiteral("a function such as length() must end the path"), at);
            Segment segment;
            if (c == QLatin1Char('[')) {
                if (!parseBracket(segment))
                    return false;
            } else if (peek(1) == QLatin1Char('.')) {
                m_pos += 2;
                segment.descendant = true;
                if (peek() == QLatin1Char('[')) {
                    if (!parseBracket(segment))
                        return false;
                } else if (peek() == QLatin1Char('*')) {
                    ++m_pos;
                    segment.selectors.push_back(makeSelector(Selector::Kind::Wildcard));
                } else if (isNameChar(peek())) {
                    segment.selectors.push_back(makeSelector(Selector::Kind::Name, parseName()));
                } else {
                    return fail(QStringLiteral("expected a name, '*' or '[' after '..'"), m_pos);
                }
            } else {
                ++m_pos;
                if (peek() == QLatin1Char('*')) {
                    ++m_pos;
                    segment.selectors.push_back(makeSelector(Selector::Kind::Wildcard));
                } else if (isNameChar(peek())) {
                    const qsizetype nameAt = m_pos;
                    const QString name = parseName();
                    if (peek() == QLatin1Char('(')) {
                        if (!parseFunction(path, name, nameAt))
                            return false;
                        continue;
                    }
                    segment.selectors.push_back(makeSelector(Selector::Kind::Name, name));
                } else {
                    return fail(QStringLiteral("expected a member name or '*' after '.'"), m_pos);
                }
            }
            path.segments.push_back(std::move(segment));
        }
    }

    bool parseFunction(Path &path, const QString &name, qsizetype at)
    {
        static const QHash<QString, Function> functions{
            {QStringLiteral("length"), Function::Length}, {QStringLiteral("size"), Function::Size},
            {QStringLiteral("min"), Function::Min},       {QStringLiteral("max"), Function::Max},
            {QStringLiteral("avg"), Function::Avg},       {QStringLiteral("sum"), Function::Sum},
        };
        const auto it = functions.constFind(name);
        if (it == functions.constEnd())
            return fail(QStringLiteral("unknown function '%1()'").arg(name), at);
        ++m_pos;
        skipSpace();
        if (peek() != QLatin1Char(')'))
            return fail(QStringLiteral("expected ')': %1() takes no arguments").arg(name), m_pos);
        ++m_pos;
        path.function = it.value();
        return true;
    }

    QString parseName()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isNameChar(peek()))
            ++m_pos;
        return m_text.mid(start, m_pos - start).toString();
    }

    bool parseBracket(Segment &segment)
    {
        ++m_pos; // '['
        for (;;) {
            skipSpace();
            Selector selector;
            if (!parseSelector(selector))
                return false;
            segment.selectors.push_back(std::move(selector));
            skipSpace();
            if (peek() == QLatin1Char(',')) {
                ++m_pos;
                continue;
            }
            if (peek() == QLatin1Char(']')) {
                ++m_pos;
                return true;
            }
            if (atEnd())
                return fail(QStringLiteral("missing ']'"), m_pos);
            return fail(QStringLiteral("expected ',' or ']'"), m_pos);
        }
    }

    bool parseSelector(Selector &selector)
    {
        const QChar c = peek();
        if (c == QLatin1Char('*')) {
            ++m_pos;
            selector.kind = Selector::Kind::Wildcard;
            return true;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            selector.kind = Selector::Kind::Name;
            return parseQuoted(selector.name);
        }
        if (c == QLatin1Char('?')) {
            ++m_pos;
            selector.kind = Selector::Kind::Filter;
            selector.filter = parseOr();
            return selector.filter != nullptr;
        }
        if (isDigit(c) || c == QLatin1Char('-') || c == QLatin1Char(':'))
            return parseIndexOrSlice(selector);
        if (atEnd())
            return fail(QStringLiteral("missing ']'"), m_pos);
        return fail(QStringLiteral("expected a quoted name, an index, a slice, '*' or a filter "
                                   "'?(...)' in brackets"),
                    m_pos);
    }

    bool parseIndexOrSlice(Selector &selector)
    {
        std::optional<qint64> first;
        if (peek() != QLatin1Char(':')) {
            qint64 value = 0;
            if (!parseInteger(value))
                return false;
            first = value;
            skipSpace();
        }
        if (peek() != QLatin1Char(':')) {
            selector.kind = Selector::Kind::Index;
            selector.index = *first;
            return true;
        }
        selector.kind = Selector::Kind::Slice;
        selector.start = first;
        ++m_pos;
        skipSpace();
        if (isDigit(peek()) || peek() == QLatin1Char('-')) {
            qint64 value = 0;
            if (!parseInteger(value))
                return false;
            selector.end = value;
            skipSpace();
        }
        if (peek() == QLatin1Char(':')) {
            ++m_pos;
            skipSpace();
            if (isDigit(peek()) || peek() == QLatin1Char('-')) {
                if (!parseInteger(selector.step))
                    return false;
            }
        }
        return true;
    }

    // An optional minus sign and digits; returns how many digits there were.
    qsizetype scanSignedDigits()
    {
        if (peek() == QLatin1Char('-'))
            ++m_pos;
        const qsizetype digits = m_pos;
        while (isDigit(peek()))
            ++m_pos;
        return m_pos - digits;
    }

    bool parseInteger(qint64 &out)
    {
        const qsizetype start = m_pos;
        const qsizetype digits = scanSignedDigits();
        if (digits == 0)
            return fail(QStringLiteral("expected an integer"), start);
        if (digits > 15)
            return fail(QStringLiteral("integer out of range"), start);
        out = m_text.mid(start, m_pos - start).toLongLong();
        return true;
    }

    bool parseQuoted(QString &out)
    {
        const qsizetype start = m_pos;
        const QChar quote = peek();
        ++m_pos;
        out.clear();
        for (;;) {
            if (atEnd())
                return fail(QStringLiteral("unterminated string"), start);
            const QChar c = peek();
            ++m_pos;
            if (c == quote)
                return true;
            if (c != QLatin1Char('\\')) {
                out.append(c);
                continue;
            }
            const QChar e = peek();
            ++m_pos;
            switch (e.unicode()) {
            case 'b':
                out.append(QLatin1Char('\b'));
                break;
            case 'f':
                out.append(QLatin1Char('\f'));
                break;
            case 'n':
                out.append(QLatin1Char('\n'));
                break;
            case 'r':
                out.append(QLatin1Char('\r'));
                break;
            case 't':
                out.append(QLatin1Char('\t'));
                break;
            case 'u': {
                bool ok = false;
                const ushort code = m_text.mid(m_pos, 4).toUShort(&ok, 16);
                if (!ok || m_pos + 4 > m_text.size())
                    return fail(QStringLiteral("bad \\u escape"), m_pos - 2);
                out.append(QChar(code));
                m_pos += 4;
                break;
            }
            case '\\':
            case '/':
            case '\'':
            case '"':
                out.append(e);
                break;
            default:
                return fail(QStringLiteral("bad escape '\\%1'").arg(e), m_pos - 2);
            }
        }
    }

    // filter := or; or := and ('||' and)*; and := unary ('&&' unary)*;
    // unary := '!' unary | '(' or ')' | operand [op operand]
    std::shared_ptr<const Filter> parseOr()
    {
        return parseBinary(QLatin1Char('|'), Filter::Kind::Or, &Parser::parseAnd);
    }

    std::shared_ptr<const Filter> parseAnd()
    {
        return parseBinary(QLatin1Char('&'), Filter::Kind::And, &Parser::parseUnary);
    }

    // One left-associative level of the grammar: operand (op op operand)*, op doubled ("||").
    std::shared_ptr<const Filter> parseBinary(QChar op, Filter::Kind kind,
                                              std::shared_ptr<const Filter> (Parser::*operand)())
    {
        auto left = (this->*operand)();
        while (left) {
            skipSpace();
            if (peek() != op || peek(1) != op)
                break;
            m_pos += 2;
            auto right = (this->*operand)();
            if (!right)
                return nullptr;
            auto node = std::make_shared<Filter>();
            node->kind = kind;
            node->left = std::move(left);
            node->right = std::move(right);
            left = std::move(node);
        }
        return left;
    }

    std::shared_ptr<const Filter> parseUnary()
    {
        skipSpace();
        if (++m_depth > kMaxFilterDepth) {
            fail(QStringLiteral("filter nested too deeply"), m_pos);
            return nullptr;
        }
        std::shared_ptr<const Filter> result;
        if (peek() == QLatin1Char('!') && peek(1) != QLatin1Char('=')) {
            ++m_pos;
            auto inner = parseUnary();
            if (inner) {
                auto node = std::make_shared<Filter>();
                node->kind = Filter::Kind::Not;
                node->left = std::move(inner);
                result = std::move(node);
            }
        } else if (peek() == QLatin1Char('(')) {
            const qsizetype open = m_pos;
            ++m_pos;
            result = parseOr();
            skipSpace();
            if (result && peek() != QLatin1Char(')')) {
                fail(atEnd()
                         ? QStringLiteral("missing ')' for the '(' at position %1").arg(open + 1)
                         : QStringLiteral("expected ')'"),
                     m_pos);
                result = nullptr;
            } else if (result) {
                ++m_pos;
            }
        } else {
            result = parseComparison();
        }
        --m_depth;
        return result;
    }

    std::shared_ptr<const Filter> parseComparison()
    {
        auto node = std::make_shared<Filter>();
        if (!parseOperand(node->a))
            return nullptr;
        skipSpace();
        const qsizetype at = m_pos;
        const QChar c = peek();
        const QChar d = peek(1);
        if (c == QLatin1Char('=') && d == QLatin1Char('=')) {
            node->op = CompareOp::Eq;
        } else if (c == QLatin1Char('!') && d == QLatin1Char('=')) {
            node->op = CompareOp::Ne;
        } else if (c == QLatin1Char('<')) {
            node->op = d == QLatin1Char('=') ? CompareOp::Le : CompareOp::Lt;
        } else if (c == QLatin1Char('>')) {
            node->op = d == QLatin1Char('=') ? CompareOp::Ge : CompareOp::Gt;
        } else if (c == QLatin1Char('=') && d == QLatin1Char('~')) {
            node->op = CompareOp::Match;
        } else if (c == QLatin1Char('=')) {
            fail(QStringLiteral("use '==' to compare"), at);
            return nullptr;
        } else {
            node->kind = Filter::Kind::Test;
            return node;
        }
        node->kind = Filter::Kind::Compare;
        const bool twoChars = d == QLatin1Char('=') || d == QLatin1Char('~');
        m_pos += twoChars ? 2 : 1;
        skipSpace();
        if (node->op == CompareOp::Match) {
            if (!parseRegex(node->b))
                return nullptr;
        } else if (!parseOperand(node->b)) {
            return nullptr;
        }
        return node;
    }

    bool parseOperand(Operand &operand)
    {
        const qsizetype at = m_pos;
        const QChar c = peek();
        if (c == QLatin1Char('@') || c == QLatin1Char('$')) {
            ++m_pos;
            operand.kind =
                c == QLatin1Char('@') ? Operand::Kind::CurrentPath : Operand::Kind::RootPath;
            return parseSegments(operand.path);
        }
        operand.kind = Operand::Kind::Literal;
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            QString text;
            if (!parseQuoted(text))
                return false;
            operand.literal = text;
            return true;
        }
        if (isDigit(c) || c == QLatin1Char('-'))
            return parseNumber(operand.literal);
        if (c.isLetter()) {
            const QString word = parseName();
            if (word == QLatin1String("true")) {
                operand.literal = true;
                return true;
            }
            if (word == QLatin1String("false")) {
                operand.literal = false;
                return true;
            }
            if (word == QLatin1String("null")) {
                operand.literal = QJsonValue(QJsonValue::Null);
                return true;
            }
            return fail(QStringLiteral("unknown word '%1' (strings need quotes)").arg(word), at);
        }
        if (atEnd())
            return fail(QStringLiteral("the filter is not complete"), at);
        return fail(QStringLiteral("expected @, $, a number, a string, true, false or null"), at);
    }

    bool parseNumber(QJsonValue &out)
    {
        const qsizetype start = m_pos;
        if (scanSignedDigits() == 0)
            return fail(QStringLiteral("expected a number"), start);
        if (peek() == QLatin1Char('.') && isDigit(peek(1))) {
            ++m_pos;
            while (isDigit(peek()))
                ++m_pos;
        }
        if (peek() == QLatin1Char('e') || peek() == QLatin1Char('E')) {
            qsizetype at = m_pos + 1;
            if (at < m_text.size() &&
                (m_text[at] == QLatin1Char('+') || m_text[at] == QLatin1Char('-')))
                ++at;
            if (at < m_text.size() && isDigit(m_text[at])) {
                m_pos = at;
                while (isDigit(peek()))
                    ++m_pos;
            }
        }
        bool ok = false;
        const double value = m_text.mid(start, m_pos - start).toDouble(&ok);
        if (!ok)
            return fail(QStringLiteral("bad number"), start);
        out = value;
        return true;
    }

    bool parseRegex(Operand &operand)
    {
        const qsizetype start = m_pos;
        if (peek() != QLatin1Char('/'))
            return fail(QStringLiteral("expected a /regular expression/ after '=~'"), start);
        ++m_pos;
        QString pattern;
        for (;;) {
            if (atEnd())
                return fail(QStringLiteral("unterminated regular expression"), start);
            const QChar c = peek();
            ++m_pos;
            if (c == QLatin1Char('/'))
                break;
            if (c == QLatin1Char('\\') && peek() == QLatin1Char('/')) {
                pattern.append(QLatin1Char('/'));
                ++m_pos;
                continue;
            }
            pattern.append(c);
        }
        QRegularExpression::PatternOptions options;
        while (peek().isLetter()) {
            const QChar flag = peek();
            if (flag == QLatin1Char('i'))
                options |= QRegularExpression::CaseInsensitiveOption;
            else if (flag == QLatin1Char('m'))
                options |= QRegularExpression::MultilineOption;
            else if (flag == QLatin1Char('s'))
                options |= QRegularExpression::DotMatchesEverythingOption;
            else if (flag == QLatin1Char('x'))
                options |= QRegularExpression::ExtendedPatternSyntaxOption;
            else
                return fail(QStringLiteral("unknown regular expression flag '%1'").arg(flag),
                            m_pos);
            ++m_pos;
        }
        // As Jayway (Java's Matcher.matches()): the whole string must match.
        operand.kind = Operand::Kind::Regex;
        operand.regex = QRegularExpression(QRegularExpression::anchoredPattern(pattern), options);
        if (!operand.regex.isValid()) {
            return fail(
                QStringLiteral("bad regular expression: %1").arg(operand.regex.errorString()),
                start);
        }
        return true;
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    int m_depth = 0;
    QString m_error;
    qsizetype m_errorPos = 0;
};

} // namespace

} // namespace jsonpath

std::optional<JsonPath> JsonPath::parse(QStringView text, QString *error, qsizetype *errorPosition)
{
    jsonpath::Parser parser(text);
    std::shared_ptr<const jsonpath::Path> path = parser.parseRoot();
    if (!path) {
        if (error)
            *error = parser.error();
        if (errorPosition)
            *errorPosition = parser.errorPosition();
        return std::nullopt;
    }
    JsonPath result;
    result.m_text = text.toString();
    result.m_path = std::move(path);
    return result;
}

std::vector<QJsonValue> JsonPath::evaluate(const QJsonValue &root) const
{
    if (!m_path)
        return {};
    return jsonpath::evaluatePath(*m_path, root, root);
}

} // namespace sluice
