# http01_answers.py: a tiny http-01 server that the pebble tests and the demo
# use to deploy challenges for pebble: it answers
# GET /.well-known/acme-challenge/<token> with the key authorization put in
# its `answers` dict, 404 for everything else. (acmetop's own responder is C;
# this one only prepares test and demo state.)

import http.server
import threading

PREFIX = "/.well-known/acme-challenge/"


class Http01Answers:
    """Serves answers[token] on 127.0.0.1:port until close(). OSError if the port is taken."""

    def __init__(self, port: int):
        answers = self.answers = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                token = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else None
                body = answers.get(token)
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode("ascii")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
