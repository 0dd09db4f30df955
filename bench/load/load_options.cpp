// SPDX-License-Identifier: Apache-2.0
#include "load_options.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace sluice_bench {

namespace {

bool parseUrl(std::string_view url, LoadOptions &options, std::string &error)
{
    constexpr std::string_view scheme = "ws://";
    if (url.substr(0, scheme.size()) != scheme) {
        error = "--url must start with ws:// (got " + std::string(url) + ")";
        return false;
    }
    url.remove_prefix(scheme.size());
    const auto slash = url.find('/');
    const std::string_view authority = url.substr(0, slash);
    options.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == authority.size()) {
        error = "--url needs a port (ws://HOST:PORT/PATH)";
        return false;
    }
    options.host = std::string(authority.substr(0, colon));
    options.port = std::string(authority.substr(colon + 1));
    return true;
}

template <typename T> bool number(std::string_view text, T &out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

bool LoadOptions::parse(int argc, char **argv, std::string &error)
{
    bool haveUrl = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (name == "--binary") {
            binary = true;
            continue;
        }
        if (i + 1 >= argc) {
            error = "missing value after " + std::string(name);
            return false;
        }
        const std::string_view value = argv[++i];
        bool ok = true;
        if (name == "--url") {
            if (!parseUrl(value, *this, error))
                return false;
            haveUrl = true;
        } else if (name == "--mode") {
            if (value == "closed")
                mode = Mode::Closed;
            else if (value == "rate")
                mode = Mode::Rate;
            else if (value == "connect")
                mode = Mode::Connect;
            else
                ok = false;
        } else if (name == "--threads") {
            ok = number(value, threads) && threads > 0;
        } else if (name == "--connections") {
            ok = number(value, connections) && connections > 0;
        } else if (name == "--in-flight") {
            ok = number(value, inFlight) && inFlight > 0;
        } else if (name == "--rate") {
            ok = number(value, rate) && rate > 0;
        } else if (name == "--size") {
            ok = number(value, size) && size > 0;
        } else if (name == "--warmup") {
            ok = number(value, warmupSeconds) && warmupSeconds >= 0;
        } else if (name == "--duration") {
            ok = number(value, durationSeconds) && durationSeconds > 0;
        } else if (name == "--drain") {
            ok = number(value, drainSeconds) && drainSeconds > 0;
        } else if (name == "--connect-concurrency") {
            ok = number(value, connectConcurrency) && connectConcurrency > 0;
        } else if (name == "--hold") {
            ok = number(value, holdSeconds) && holdSeconds >= 0;
        } else if (name == "--checks") {
            ok = number(value, checks) && checks >= 0;
        } else {
            error = "unknown option " + std::string(name);
            return false;
        }
        if (!ok) {
            error = "bad value for " + std::string(name) + ": " + std::string(value);
            return false;
        }
    }
    if (!haveUrl) {
        error = "--url ws://HOST:PORT/PATH is required";
        return false;
    }
    if (threads > connections)
        threads = connections;
    return true;
}

} // namespace sluice_bench
