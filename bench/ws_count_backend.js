// SPDX-License-Identifier: Apache-2.0
// The WebSocket backend of bench/http_to_ws_compare.py: counts the frames it receives and nothing
// else (no echo, no per-frame output), so the backend costs as little CPU as possible while the
// servers under test are measured. Uses the `ws` package Node-RED installs (bench/node-red).
// Prints {"port": N} once listening on 127.0.0.1; each line "count" on stdin gets {"frames": N};
// stdin closing (the script exiting) stops it.
"use strict";
const path = require("path");
const WebSocket = require(path.join(__dirname, "node-red", "node_modules", "ws"));

const server = new WebSocket.Server({ host: "127.0.0.1", port: 0 });
let frames = 0;
server.on("connection", (socket) => {
    socket.on("message", () => { frames += 1; });
});
server.on("listening", () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
        const command = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (command === "count") {
            process.stdout.write(JSON.stringify({ frames: frames }) + "\n");
        }
    }
});
process.stdin.on("end", () => process.exit(0));
