// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>

struct redisReply;

namespace sluice {

// A Redis reply as plain Qt values: hiredis frees its own reply object right after reading, and
// callbacks may keep what they need.
struct RedisValue {
    enum class Type { Nil, Status, Error, Integer, String, Array };
    Type type = Type::Nil;
    QByteArray text; // Status, Error, String
    qint64 integer = 0;
    QList<RedisValue> elements; // Array

    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
    // An array whose first element is `kind` ("pmessage", "psubscribe", ...).
    bool isArrayOf(const char *kind) const;

    static RedisValue fromReply(const redisReply &reply);
    static RedisValue error(const QByteArray &message);
};

} // namespace sluice
