// SPDX-License-Identifier: Apache-2.0
// A WebSocket client on Node.js and the npm `ws` package, driven by Sluice's end-to-end tests.
//   node ws_client.js URL LIFETIME_SECONDS
// Reads commands as JSON lines on stdin:
//   {"send": "text", "data": "..."}   {"send": "binary", "data": "<base64>"}
//   {"send": "text", "data": "...", "fin": false}   (a fragment; the message goes on)
//   {"ping": "..."}   {"close": 1000, "reason": "..."}
// Writes events as JSON lines on stdout:
//   {"event": "open", "protocol": "..."}
//   {"event": "message", "kind": "text"|"binary", "size": N, "data": text or base64}
//   {"event": "pong", "data": "..."}
//   {"event": "close", "code": N, "reason": "..."}   {"event": "error", "message": "..."}
// Exits when the connection is closed, or after LIFETIME_SECONDS whatever happens.
'use strict';

const readline = require('readline');
const WebSocket = require('ws');

const [url, lifetime] = process.argv.slice(2);
const emit = (record) => process.stdout.write(JSON.stringify(record) + '\n');

setTimeout(() => {
    emit({event: 'error', message: 'lifetime over'});
    process.exit(3);
}, Number(lifetime || 60) * 1000).unref();

const socket = new WebSocket(url, {maxPayload: 64 * 1024 * 1024});
socket.on('open', () => emit({event: 'open', protocol: socket.protocol}));
socket.on('message', (data, isBinary) => {
    emit(isBinary ? {event: 'message', kind: 'binary', size: data.length,
                     data: data.toString('base64')}
                  : {event: 'message', kind: 'text', size: data.length,
                     data: data.toString('utf8')});
});
socket.on('pong', (data) => emit({event: 'pong', data: data.toString('utf8')}));
socket.on('error', (error) => emit({event: 'error', message: String(error.message)}));
socket.on('close', (code, reason) => {
    emit({event: 'close', code, reason: reason.toString('utf8')});
    process.exit(0);
});

readline.createInterface({input: process.stdin}).on('line', (line) => {
    if (!line.trim())
        return;
    const command = JSON.parse(line);
    const fin = command.fin !== false;
    if (command.send === 'text')
        socket.send(command.data, {binary: false, fin});
    else if (command.send === 'binary')
        socket.send(Buffer.from(command.data, 'base64'), {binary: true, fin});
    else if (command.ping !== undefined)
        socket.ping(command.ping);
    else if (command.close !== undefined)
        socket.close(command.close, command.reason || '');
});
