# offline.py: a Vault that is down for real (POST /_sim/offline): the
# listening socket goes away, so new connections are refused, every open
# connection is closed, and after the given seconds the simulator listens
# again on the same address with its state intact. The listening socket's
# file descriptor is kept (a quiet socketpair end stands in for it, then
# the new listener is dup2'ed onto it), so serve_forever's poll never sees
# a closed descriptor.

import os
import socket
import threading
import time


class Offline:
    def __init__(self, server):
        self.server = server
        self._lock = threading.Lock()
        self._conns = {}          # handler thread id -> its connection socket
        self._quiet = None        # the stand-in socketpair while offline
        self._timer = None
        self.until = 0.0          # monotonic end of the current outage, 0 = online

    # connection tracking (called by SimServer for every accepted connection)
    def track(self, sock):
        with self._lock:
            self._conns[threading.get_ident()] = sock

    def untrack(self):
        with self._lock:
            self._conns.pop(threading.get_ident(), None)

    def start(self, seconds: float) -> None:
        """Stop listening now and close every connection but the caller's
        (which answers, then closes); listen again after `seconds`."""
        with self._lock:
            if self._quiet is None:
                # Stop listening first: a thread in poll() on the listening
                # socket holds it open past the dup2 below, and the kernel
                # would complete connections on it meanwhile.  Linux's
                # shutdown() of a listening socket closes it at once.
                try:
                    self.server.socket.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                # both ends stay open: nothing is ever written, so poll
                # never reports the stand-in readable
                self._quiet = socket.socketpair()
                os.dup2(self._quiet[0].fileno(), self.server.socket.fileno())
            me = threading.get_ident()
            others = [s for t, s in self._conns.items() if t != me]
            if self._timer is not None:
                self._timer.cancel()
            self.until = time.monotonic() + seconds
            self._timer = threading.Timer(seconds, self._listen_again)
            self._timer.daemon = True
            self._timer.start()
        for s in others:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _listen_again(self) -> None:
        server = self.server
        deadline = time.monotonic() + 5
        while True:
            fresh = socket.socket(server.address_family, socket.SOCK_STREAM)
            fresh.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                fresh.bind(server.server_address[:2])
                break
            except OSError:
                fresh.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        fresh.listen(server.request_queue_size)
        with self._lock:
            os.dup2(fresh.fileno(), server.socket.fileno())
            fresh.close()
            for q in self._quiet:
                q.close()
            self._quiet = None
            self._timer = None
            self.until = 0.0
