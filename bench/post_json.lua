-- wrk script: every request is the same small JSON POST, as a client of the proxy service would send.
wrk.method = "POST"
wrk.body = '{"hello":"websocket","n":42}'
wrk.headers["Content-Type"] = "application/json"
