"""A webhook receiver for the tests: verifies every delivery with the Standard Webhooks
reference library, drops what it has seen by `webhook-id`, and logs each request as a
JSON line.

    python webhook_receiver.py <port file> <log file> <secrets file> <down file> [delay ms]

It listens on a free loopback port, which it writes to <port file>. <secrets file> maps
each path to its endpoint's secret (JSON) and is read at each request, so the test can
write it once the endpoints exist. While <down file> exists every request gets 503, as
from a receiver that is down. Each accepted request waits [delay ms] before answering.
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT_FILE, LOG_FILE, SECRETS_FILE, DOWN_FILE = sys.argv[1:5]
DELAY = int(sys.argv[5]) / 1000 if len(sys.argv) > 5 else 0.0

seen = set()
lock = threading.Lock()


def log(entry):
    with lock:
        with open(LOG_FILE, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        message_id = self.headers.get("webhook-id")
        entry = {"path": self.path, "id": message_id, "at": time.time()}
        if os.path.exists(DOWN_FILE):
            log({**entry, "status": 503})
            return self.answer(503)
        with open(SECRETS_FILE, encoding="utf-8") as secrets:
            secret = json.load(secrets).get(self.path)
        try:
            payload = Webhook(secret).verify(body, dict(self.headers.items()))
        except (WebhookVerificationError, TypeError, ValueError) as error:
            log({**entry, "status": 400, "invalid": str(error)})
            return self.answer(400)
        time.sleep(DELAY)
        with lock:
            duplicate = message_id in seen
            seen.add(message_id)
        log({**entry, "status": 200, "duplicate": duplicate, "payload": payload})
        self.answer(200)

    def answer(self, status):
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(PORT_FILE + ".tmp", "w", encoding="utf-8") as port:
    port.write(str(server.server_address[1]))
os.replace(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
