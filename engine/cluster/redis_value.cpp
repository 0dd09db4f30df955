// SPDX-License-Identifier: Apache-2.0
#include "redis_value.h"

#include <hiredis/hiredis.h>

namespace sluice {

bool RedisValue::isArrayOf(const char *kind) const
{
    return type == Type::Array && !elements.isEmpty() && elements.first().text == kind;
}

RedisValue RedisValue::fromReply(const redisReply &reply)
{
    RedisValue value;
    switch (reply.type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
    case REDIS_REPLY_STRING:
        value.type = reply.type == REDIS_REPLY_STATUS
                         ? Type::Status
                         : (reply.type == REDIS_REPLY_ERROR ? Type::Error : Type::String);
        value.text = QByteArray(reply.str, qsizetype(reply.len));
        break;
    case REDIS_REPLY_INTEGER:
        value.type = Type::Integer;
        value.integer = reply.integer;
        break;
    case REDIS_REPLY_ARRAY:
        value.type = Type::Array;
        value.elements.reserve(qsizetype(reply.elements));
        for (size_t i = 0; i < reply.elements; ++i)
            value.elements.append(fromReply(*reply.element[i]));
        break;
    default:
        break;
    }
    return value;
}

RedisValue RedisValue::error(const QByteArray &message)
{
    RedisValue value;
    value.type = Type::Error;
    value.text = message;
    return value;
}

} // namespace sluice
