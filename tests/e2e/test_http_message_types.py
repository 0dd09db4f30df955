# SPDX-License-Identifier: Apache-2.0
"""messageType / ContentType with MI's meaning: the axis2 property picks the formatter a message
leaves with, so a JSON payload goes out as XML (<jsonObject> mapping) with application/xml and an
XML payload as JSON with application/json, with a Content-Type that matches the body. Checked on
every way out, with peers this project did not write: curl as the HTTP client (`respond`), an
http.server backend (peers/http_echo_backend.py) for `send`, the python3-websockets backend
(peers/ws_backend.py) for a frame to a ws:// endpoint, and a python3-websockets client of an
inbound endpoint for a `respond` on a WebSocket."""
import asyncio
import json
import os
import unittest
import xml.etree.ElementTree as ElementTree

import websockets

from peers.harness import NS, Workdir, free_port, inbound_xml
from peers.http_echo_backend import EchoBackend
from test_http_sender import CONFIG, PROXY, curl

ORDER_JSON = '{"order":{"id":7,"items":["a","b"],"paid":true,"note":"x < y"}}'
ORDER_XML = "<order><id>7</id><item>a</item><item>b</item><note>x &lt; y</note></order>"


def message_type(value):
    return '<property name="messageType" value="%s" scope="axis2"/>' % value


class MessageTypeTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)

    def start(self, proxies, inbound_sequence=None):
        """Runs sluice on a project with `proxies` ({name: inSequence body}) and, when
        `inbound_sequence` is given, a WebSocket inbound endpoint running it; returns the base
        URL of the proxies (and sets self.ws_url)."""
        http_port = free_port()
        project = os.path.join(self.work.path, "project")
        folder = os.path.join(project, CONFIG, "proxy-services")
        os.makedirs(folder)
        for name, body in proxies.items():
            with open(os.path.join(folder, name + ".xml"), "w") as f:
                f.write(PROXY.format(ns=NS, name=name, body=body, out=""))
        listeners = 1
        if inbound_sequence is not None:
            ws_port = free_port()
            for kind, name, xml in (
                    ("sequences", "wsSeq",
                     '<sequence %s name="wsSeq">%s</sequence>' % (NS, inbound_sequence)),
                    ("inbound-endpoints", "wsIn", inbound_xml("wsIn", ws_port, "wsSeq"))):
                os.makedirs(os.path.join(project, CONFIG, kind))
                with open(os.path.join(project, CONFIG, kind, name + ".xml"), "w") as f:
                    f.write(xml)
            self.ws_url = "ws://127.0.0.1:%d/" % ws_port
            listeners = 2
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n\n[transport.ws]\nsender.enable = true\n"
                    % http_port)
        self.sluice = self.work.sluice(project, listeners=listeners)
        return "http://127.0.0.1:%d/services/" % http_port

    def assert_order_xml(self, body):
        """The <jsonObject> mapping of ORDER_JSON: array items repeat their element."""
        root = ElementTree.fromstring(body)
        self.assertEqual(root.tag, "jsonObject")
        order = root.find("order")
        self.assertEqual(order.findtext("id"), "7")
        self.assertEqual([e.text for e in order.findall("items")], ["a", "b"])
        self.assertEqual((order.findtext("paid"), order.findtext("note")), ("true", "x < y"))

    def assert_order_json(self, body):
        self.assertEqual(json.loads(body),
                         {"order": {"id": 7, "item": ["a", "b"], "note": "x < y"}})

    # --- respond back to the HTTP client ------------------------------------------------------

    def test_respond_writes_json_as_xml(self):
        base = self.start({"toXml": message_type("application/xml") + "<respond/>"})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", ORDER_JSON, base + "toXml")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "application/xml")
        self.assert_order_xml(body)

    def test_respond_writes_xml_as_json(self):
        base = self.start({"toJson": message_type("application/json") + "<respond/>"})
        status, headers, body = curl("-H", "Content-Type: application/xml",
                                     "--data-binary", ORDER_XML, base + "toJson")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "application/json")
        self.assert_order_json(body)

    def test_content_type_property_chooses_too(self):
        base = self.start({"ct": '<property name="ContentType" value="text/xml" scope="axis2"/>'
                                 '<respond/>'})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", ORDER_JSON, base + "ct")
        self.assertEqual((status, headers["content-type"]), (200, "text/xml"), body)
        self.assert_order_xml(body)

    def test_the_formatter_applies_to_a_payload_built_after_the_property(self):
        """MI picks the formatter when the message leaves: a payloadFactory that runs after the
        property still leaves as XML."""
        base = self.start({"late": message_type("application/xml") + """
            <payloadFactory media-type="json">
                <format>{"greeting":"hello $1"}</format>
                <args><arg evaluator="json" expression="$.name"/></args>
            </payloadFactory>
            <respond/>"""})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", '{"name":"sluice"}', base + "late")
        self.assertEqual((status, headers["content-type"]), (200, "application/xml"), body)
        self.assertEqual(body, b"<jsonObject><greeting>hello sluice</greeting></jsonObject>")

    def test_text_plain_writes_the_text_of_the_wrapper(self):
        base = self.start({"text": """
            <payloadFactory media-type="xml">
                <format><text xmlns="http://ws.apache.org/commons/ns/payload">id=$1 &amp; done</text></format>
                <args><arg evaluator="json" expression="$.order.id"/></args>
            </payloadFactory>""" + message_type("text/plain") + "<respond/>"})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", ORDER_JSON, base + "text")
        self.assertEqual((status, headers["content-type"]), (200, "text/plain"), body)
        self.assertEqual(body, b"id=7 & done")

    # --- send to an HTTP backend -------------------------------------------------------------

    def test_http_backend_receives_json_as_xml(self):
        backend = EchoBackend(self)
        base = self.start({"out": message_type("application/xml") +
                           '<send><endpoint><address uri="%s/in"/></endpoint></send>'
                           % backend.url})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", ORDER_JSON, base + "out")
        self.assertEqual(status, 201, body)
        self.assertEqual(headers["content-type"], "application/json")  # the backend's answer
        seen = json.loads(body)
        self.assertEqual(seen["headers"]["content-type"], "application/xml")
        self.assert_order_xml(seen["body"])

    def test_http_backend_receives_xml_as_json(self):
        backend = EchoBackend(self)
        base = self.start({"out": message_type("application/json") +
                           '<send><endpoint><address uri="%s/in"/></endpoint></send>'
                           % backend.url})
        status, _, body = curl("-H", "Content-Type: application/xml",
                               "--data-binary", ORDER_XML, base + "out")
        self.assertEqual(status, 201, body)
        seen = json.loads(body)
        self.assertEqual(seen["headers"]["content-type"], "application/json")
        self.assert_order_json(seen["body"])

    def test_backend_answer_goes_back_in_the_chosen_format(self):
        """The echo backend answers JSON; an outSequence that sets messageType hands it to the
        client as XML."""
        backend = EchoBackend(self)
        base = self.start({"round": """
            <call><endpoint><address uri="%s/r"/></endpoint></call>
            %s
            <respond/>""" % (backend.url, message_type("application/xml"))})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", '{"x":1}', base + "round")
        self.assertEqual((status, headers["content-type"]), (201, "application/xml"), body)
        root = ElementTree.fromstring(body)
        self.assertEqual((root.tag, root.findtext("method"), root.findtext("path")),
                         ("jsonObject", "POST", "/r"))

    # --- WebSocket ---------------------------------------------------------------------------

    def test_ws_backend_receives_json_as_an_xml_frame(self):
        backend = self.work.backend("--mode", "silent")
        base = self.start({"ws": """
            <property name="OUT_ONLY" value="true"/>
            <property name="FORCE_SC_ACCEPTED" value="true" scope="axis2"/>
            %s
            <send><endpoint><address uri="%s"/></endpoint></send>"""
                           % (message_type("application/xml"), backend.url)})
        status, _, body = curl("-H", "Content-Type: application/json",
                               "--data-binary", ORDER_JSON, base + "ws")
        self.assertEqual(status, 202, body)
        frame = backend.wait_event("message")
        self.assertEqual(frame["kind"], "text")
        self.assert_order_xml(frame["data"])

    def test_respond_to_a_websocket_client_writes_the_chosen_format(self):
        self.start({"unused": "<respond/>"},
                   inbound_sequence=message_type("application/json") + "<respond/>")

        async def exchange():
            async with websockets.connect(self.ws_url, open_timeout=5) as ws:
                await ws.send(ORDER_XML)
                return await asyncio.wait_for(ws.recv(), 5)

        answer = asyncio.run(exchange())
        self.assertIsInstance(answer, str)  # one text frame
        self.assert_order_json(answer)


if __name__ == "__main__":
    unittest.main()
