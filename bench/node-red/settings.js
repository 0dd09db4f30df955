// SPDX-License-Identifier: Apache-2.0
// Node-RED settings for bench/http_to_ws_compare.py: headless (no editor, no admin API), bound
// to 127.0.0.1 on the port the script picked, quiet logs so logging does not cost CPU in the run.
module.exports = {
    uiHost: "127.0.0.1",
    uiPort: parseInt(process.env.BENCH_NODE_RED_PORT, 10),
    httpAdminRoot: false,
    httpNodeRoot: "/",
    flowFile: "flows.json",
    credentialSecret: false,
    logging: { console: { level: "warn", metrics: false, audit: false } },
    editorTheme: { tours: false },
    diagnostics: { enabled: false },
    runtimeState: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
};
