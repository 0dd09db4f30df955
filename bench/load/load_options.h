// SPDX-License-Identifier: Apache-2.0
// The command line of sluice_loadgen, parsed into one struct (see load_generator.cpp's usage).
#pragma once

#include <cstdint>
#include <string>

namespace sluice_bench {

struct LoadOptions {
    enum class Mode { Closed, Rate, Connect };
    Mode mode = Mode::Closed;
    std::string host = "127.0.0.1";
    std::string port;
    std::string path = "/";
    int threads = 1;
    int connections = 1;
    int inFlight = 1;      // closed loop: messages outstanding per connection
    double rate = 1000;    // fixed rate: messages per second over all connections
    std::size_t size = 64; // payload bytes
    bool binary = false;
    double warmupSeconds = 1;
    double durationSeconds = 5;
    double drainSeconds = 5;      // after the last send: how long echoes may take to come back
    int connectConcurrency = 256; // connect mode: handshakes in flight at once
    double holdSeconds = 10;      // connect mode: how long the idle connections are held
    int checks = 2;               // connect mode: alive checks during the hold

    // Fills the options from argv; on a bad argument returns false with `error` set.
    bool parse(int argc, char **argv, std::string &error);
};

} // namespace sluice_bench
