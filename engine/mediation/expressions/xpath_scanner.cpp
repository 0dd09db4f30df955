// SPDX-License-Identifier: Apache-2.0
#include "xpath_scanner.h"

namespace sluice {

namespace {

enum class Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Dot,
    DotDot,
    At,
    Comma,
    ColonColon,
    Slash,
    DoubleSlash,
    Pipe,
    Plus,
    Minus,
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    Star,
    Literal,
    Number,
    Variable,
    Name, // QName, NCName or prefix:*
};

struct Token {
    Tok kind;
    qsizetype position;
    QString prefix;
    QString local;
};

bool isNameStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') ||
           (c.unicode() >= 0x80 && !c.isSpace() && !c.isPunct() && !c.isSymbol());
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit() || c == QLatin1Char('.') || c == QLatin1Char('-') ||
           c.isMark();
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

class Lexer {
public:
    explicit Lexer(QStringView text)
        : m_text(text)
    {
    }

    bool run(std::vector<Token> &tokens, QString *error)
    {
        for (;;) {
            while (m_pos < m_text.size() && m_text[m_pos].isSpace())
                ++m_pos;
            if (m_pos >= m_text.size())
                return true;
            Token token{Tok::Name, m_pos, {}, {}};
            if (!next(token)) {
                if (error) {
                    *error = QStringLiteral("%1 at position %2").arg(m_error).arg(m_errorPos + 1);
                }
                return false;
            }
            tokens.push_back(std::move(token));
        }
    }

private:
    QChar peek(qsizetype ahead = 0) const
    {
        const qsizetype at = m_pos + ahead;
        return at < m_text.size() ? m_text[at] : QChar();
    }

    bool fail(const QString &message)
    {
        m_error = message;
        m_errorPos = m_pos;
        return false;
    }

    bool simple(Token &token, Tok kind, int length)
    {
        token.kind = kind;
        m_pos += length;
        return true;
    }

    QString readNCName()
    {
        const qsizetype start = m_pos;
        ++m_pos;
        while (m_pos < m_text.size() && isNameChar(m_text[m_pos]))
            ++m_pos;
        return m_text.mid(start, m_pos - start).toString();
    }

    // QName or prefix:* at m_pos (which is a name start).
    void readQName(Token &token)
    {
        token.local = readNCName();
        if (peek() == QLatin1Char(':') && peek(1) != QLatin1Char(':')) {
            if (peek(1) == QLatin1Char('*')) {
                token.prefix = token.local;
                token.local = QStringLiteral("*");
                m_pos += 2;
            } else if (isNameStart(peek(1))) {
                token.prefix = token.local;
                ++m_pos;
                token.local = readNCName();
            }
        }
    }

    bool next(Token &token)
    {
        const QChar c = peek();
        switch (c.unicode()) {
        case '(':
            return simple(token, Tok::LParen, 1);
        case ')':
            return simple(token, Tok::RParen, 1);
        case '[':
            return simple(token, Tok::LBracket, 1);
        case ']':
            return simple(token, Tok::RBracket, 1);
        case '@':
            return simple(token, Tok::At, 1);
        case ',':
            return simple(token, Tok::Comma, 1);
        case '|':
            return simple(token, Tok::Pipe, 1);
        case '+':
            return simple(token, Tok::Plus, 1);
        case '-':
            return simple(token, Tok::Minus, 1);
        case '=':
            return simple(token, Tok::Eq, 1);
        case '*':
            return simple(token, Tok::Star, 1);
        case '!':
            if (peek(1) == QLatin1Char('='))
                return simple(token, Tok::Neq, 2);
            return fail(QStringLiteral("'!' must be followed by '='"));
        case '<':
            return peek(1) == QLatin1Char('=') ? simple(token, Tok::Le, 2)
                                               : simple(token, Tok::Lt, 1);
        case '>':
            return peek(1) == QLatin1Char('=') ? simple(token, Tok::Ge, 2)
                                               : simple(token, Tok::Gt, 1);
        case '/':
            return peek(1) == QLatin1Char('/') ? simple(token, Tok::DoubleSlash, 2)
                                               : simple(token, Tok::Slash, 1);
        case ':':
            if (peek(1) == QLatin1Char(':'))
                return simple(token, Tok::ColonColon, 2);
            return fail(QStringLiteral("unexpected ':'"));
        case '.':
            if (peek(1) == QLatin1Char('.'))
                return simple(token, Tok::DotDot, 2);
            if (isDigit(peek(1)))
                return number(token);
            return simple(token, Tok::Dot, 1);
        case '\'':
        case '"': {
            const qsizetype end = m_text.indexOf(c, m_pos + 1);
            if (end < 0)
                return fail(QStringLiteral("unterminated string literal"));
            token.kind = Tok::Literal;
            token.local = m_text.mid(m_pos + 1, end - m_pos - 1).toString();
            m_pos = end + 1;
            return true;
        }
        case '$':
            ++m_pos;
            if (!isNameStart(peek()))
                return fail(QStringLiteral("expected a variable name after '$'"));
            token.kind = Tok::Variable;
            readQName(token);
            return true;
        default:
            break;
        }
        if (isDigit(c))
            return number(token);
        if (isNameStart(c)) {
            token.kind = Tok::Name;
            readQName(token);
            return true;
        }
        return fail(QStringLiteral("unexpected character '%1'").arg(c));
    }

    bool number(Token &token)
    {
        token.kind = Tok::Number;
        while (isDigit(peek()))
            ++m_pos;
        if (peek() == QLatin1Char('.')) {
            ++m_pos;
            while (isDigit(peek()))
                ++m_pos;
        }
        return true;
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    QString m_error;
    qsizetype m_errorPos = 0;
};

bool isOperatorToken(Tok kind)
{
    switch (kind) {
    case Tok::Slash:
    case Tok::DoubleSlash:
    case Tok::Pipe:
    case Tok::Plus:
    case Tok::Minus:
    case Tok::Eq:
    case Tok::Neq:
    case Tok::Lt:
    case Tok::Le:
    case Tok::Gt:
    case Tok::Ge:
    case Tok::At:
    case Tok::ColonColon:
    case Tok::LParen:
    case Tok::LBracket:
    case Tok::Comma:
        return true;
    default:
        return false;
    }
}

bool isNodeType(const QString &name)
{
    return name == QLatin1String("node") || name == QLatin1String("text") ||
           name == QLatin1String("comment") || name == QLatin1String("processing-instruction");
}

// Functions that read the context node when called without arguments.
bool readsContextWithoutArguments(const QString &name)
{
    static const char *const names[] = {"string", "number",     "string-length", "normalize-space",
                                        "name",   "local-name", "namespace-uri"};
    for (const char *n : names) {
        if (name == QLatin1String(n))
            return true;
    }
    return false;
}

// Functions that depend on the context (node, position or size) whatever their arguments.
bool alwaysReadsContext(const QString &name)
{
    return name == QLatin1String("position") || name == QLatin1String("last") ||
           name == QLatin1String("id") || name == QLatin1String("lang");
}

} // namespace

std::optional<XPathScan> scanXPath(QStringView text, QString *error)
{
    std::vector<Token> tokens;
    if (!Lexer(text).run(tokens, error))
        return std::nullopt;

    XPathScan scan;
    // Whether the previous token leaves us expecting an operand (XPath 1.0, 3.7): true at the
    // start and after @ :: ( [ , and operators.
    bool expectOperand = true;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const Token &token = tokens[i];
        const Tok nextKind = i + 1 < tokens.size() ? tokens[i + 1].kind : Tok::Comma;
        bool isOperator = isOperatorToken(token.kind);
        switch (token.kind) {
        case Tok::Slash:
        case Tok::DoubleSlash:
        case Tok::Dot:
        case Tok::DotDot:
        case Tok::At:
        case Tok::ColonColon:
            scan.needsDocument = true;
            break;
        case Tok::Star:
            if (expectOperand)
                scan.needsDocument = true; // a name test
            else
                isOperator = true; // multiplication
            break;
        case Tok::Variable:
            scan.variables.push_back({token.prefix, token.local, token.position});
            if (token.prefix.isEmpty() && token.local == QLatin1String("body"))
                scan.needsDocument = true;
            break;
        case Tok::Name:
            if (!expectOperand) {
                isOperator = true; // and, or, mod, div
                break;
            }
            if (nextKind == Tok::LParen) {
                if (token.prefix.isEmpty() && isNodeType(token.local)) {
                    scan.needsDocument = true;
                    break;
                }
                scan.functions.push_back({token.prefix, token.local, token.position});
                const bool noArguments =
                    i + 2 < tokens.size() && tokens[i + 2].kind == Tok::RParen; // name ( )
                if (token.prefix.isEmpty() &&
                    (alwaysReadsContext(token.local) ||
                     (noArguments && readsContextWithoutArguments(token.local))))
                    scan.needsDocument = true;
                break;
            }
            // An axis name or a name test.
            scan.needsDocument = true;
            if (!token.prefix.isEmpty())
                scan.nameTests.push_back({token.prefix, token.local, token.position});
            break;
        default:
            break;
        }
        expectOperand = isOperator;
    }
    return scan;
}

} // namespace sluice
