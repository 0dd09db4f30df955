-- SPDX-License-Identifier: Apache-2.0
-- wrk script for tests/e2e/test_http_wrk.py: every request POSTs a unique JSON body
-- {"r":RUN,"t":THREAD,"n":COUNTER} (RUN is the first argument after --, THREAD the wrk thread,
-- COUNTER counts that thread's requests from 0), every response that is not 202 is counted,
-- and done() prints one line "WRK_JSON {...}" with wrk's own totals and, per thread, how many
-- requests it generated and how many answers it read, for the test to compare with what the
-- backend received.

local threads = {}
local next_thread = 0

function setup(thread)
    thread:set("tid", next_thread)
    next_thread = next_thread + 1
    table.insert(threads, thread)
end

function init(args)
    run = tonumber(args[1]) or 0
    sent = 0
    answers = 0
    not_202 = 0
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    local body = string.format('{"r":%d,"t":%d,"n":%d}', run, tid, sent)
    sent = sent + 1
    return wrk.format("POST", nil, nil, body)
end

function response(status, headers, body)
    answers = answers + 1
    if status ~= 202 then
        not_202 = not_202 + 1
    end
end

function done(summary, latency, requests)
    local parts = {}
    for _, thread in ipairs(threads) do
        table.insert(parts, string.format('{"t":%d,"sent":%d,"answers":%d,"not_202":%d}',
            thread:get("tid"), thread:get("sent"), thread:get("answers"), thread:get("not_202")))
    end
    local errors = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,' ..
        '"timeout":%d},"threads":[%s]}\n',
        summary.requests, errors.connect, errors.read, errors.write, errors.status,
        errors.timeout, table.concat(parts, ",")))
end
