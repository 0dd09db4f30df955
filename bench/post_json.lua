-- SPDX-License-Identifier: Apache-2.0
-- wrk script for bench/http_to_ws_compare.py: every request is the same small JSON POST, as a
-- client of the proxy service would send it.
wrk.method = "POST"
wrk.body = '{"hello":"websocket","n":42}'
wrk.headers["Content-Type"] = "application/json"
