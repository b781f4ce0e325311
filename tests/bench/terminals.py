# terminals.py: how the bench runs acmetop's console and watches it.
#   - TmuxServer: consoles in detached tmux sessions at 200x60 (one private
#     server, no status line); the screen is read with capture-pane (the order
#     count in the header), keys are not needed there. Used for start times,
#     idle windows and the 50-console fan-in.
#   - PtyConsole: one console on a pseudo-terminal of our own (pty.fork) whose
#     output is drained by a thread that timestamps every chunk, so the time
#     from writing a key to the end of the frame it causes can be measured
#     (keystroke latency), also under valgrind (callgrind).
#   - proc_cpu_seconds / proc_vmhwm_kib: /proc/PID/stat utime+stime and
#     /proc/PID/status VmHWM of a running process.

import fcntl
import os
import pty
import re
import shlex
import signal
import struct
import subprocess
import tempfile
import termios
import threading
import time

COLS, ROWS = 200, 60
_CLK_TCK = os.sysconf("SC_CLK_TCK")
_COUNT_RX = re.compile(r"(\d[\d,]*)\s+orders\b")


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def proc_vmhwm_kib(pid: int) -> int:
    """Peak resident set size of a live process, KiB (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def header_order_count(screen: str):
    """The 'N orders' of the header (first three lines of the screen), or None."""
    for line in screen.splitlines()[:3]:
        m = _COUNT_RX.search(line)
        if m:
            return int(m.group(1).replace(",", ""))
    return None


def pid_alive(pid: int) -> bool:
    """Running (a zombie that its parent has not reaped yet counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def stop_process(pid: int, quit_key=None, write=None, grace: float = 5.0,
                 alive=None) -> None:
    """Quit a console we started: the quit key first (so it can write its cache
    as it would for an operator), then SIGTERM, then SIGKILL. alive() tells
    whether it still runs (default: kill(pid, 0), right for processes that are
    not our children)."""
    if alive is None:
        def alive():
            return pid_alive(pid)
    if quit_key is not None and write is not None and alive():
        try:
            write(quit_key)
        except OSError:
            pass
        end = time.monotonic() + grace
        while alive() and time.monotonic() < end:
            time.sleep(0.05)
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        if not alive():
            return
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        end = time.monotonic() + wait
        while alive() and time.monotonic() < end:
            time.sleep(0.05)


class TmuxServer:
    """A private tmux server (its own socket) holding one session per console."""

    def __init__(self, tag: str):
        self.socket = f"acmetop-bench-{os.getpid()}-{tag}"
        self._conf = tempfile.NamedTemporaryFile("w", prefix="acmetop-bench-tmux-",
                                                 suffix=".conf", delete=False)
        self._conf.write("set -g status off\nset -g history-limit 0\n"
                         f"set -g default-size {COLS}x{ROWS}\n"
                         "set -g remain-on-exit off\nset -g exit-empty off\n")
        self._conf.close()
        self.sessions = {}        # name -> pid

    def _tmux(self, *args, check=True, capture=False):
        return subprocess.run(["tmux", "-u", "-L", self.socket, "-f", self._conf.name, *args],
                              check=check, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
                              text=True)

    def start(self, name: str, argv, env: dict) -> int:
        """Start argv in a new detached 200x60 session with exactly env; its pid."""
        env = dict(env, TERM="tmux-256color")
        cmd = "exec env -i " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) \
            + " " + " ".join(shlex.quote(a) for a in argv)
        self._tmux("new-session", "-d", "-s", name, "-x", str(COLS), "-y", str(ROWS), cmd)
        out = self._tmux("list-panes", "-t", name, "-F", "#{pane_pid}", capture=True).stdout
        pid = int(out.split()[0])
        self.sessions[name] = pid
        return pid

    def capture(self, name: str) -> str:
        r = self._tmux("capture-pane", "-p", "-t", name, check=False, capture=True)
        return r.stdout if r.returncode == 0 else ""

    def order_count(self, name: str):
        return header_order_count(self.capture(name))

    def send(self, name: str, key: str) -> None:
        self._tmux("send-keys", "-t", name, "-l", key, check=False)

    def stop(self, name: str) -> None:
        pid = self.sessions.pop(name, None)
        if pid is not None:
            stop_process(pid, "q", lambda k: self.send(name, k))
        self._tmux("kill-session", "-t", name, check=False)

    def close(self) -> None:
        for name in list(self.sessions):
            self.stop(name)
        self._tmux("kill-server", check=False)
        try:
            os.unlink(self._conf.name)
        except OSError:
            pass


class PtyConsole:
    """argv on a 200x60 pseudo-terminal; every output chunk is timestamped."""

    def __init__(self, argv, env: dict):
        env = dict(env, TERM="xterm-256color")
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status = None        # wait status once it exited
        self._cv = threading.Condition()
        self._chunks = []         # (monotonic time, byte count) of every read
        self._tail = b""          # last 64 KiB of output
        self._eof = False
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self._cv:
                if not data:
                    self._eof = True
                    self._cv.notify_all()
                    return
                self._chunks.append((now, len(data)))
                if len(self._chunks) > 100000:
                    del self._chunks[:50000]
                self._tail = (self._tail + data)[-65536:]
                self._cv.notify_all()

    def write(self, key: str) -> float:
        """Write key to the terminal; the monotonic time just before writing."""
        t = time.monotonic()
        os.write(self.fd, key.encode())
        return t

    def last_output(self) -> float:
        with self._cv:
            return self._chunks[-1][0] if self._chunks else 0.0

    def wait_quiet(self, quiet: float, timeout: float) -> bool:
        """Until no output came for `quiet` seconds (False on timeout)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            last = self.last_output()
            left = last + quiet - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(left, 0.01))
        return False

    def frame_after(self, t0: float, gap: float, timeout: float):
        """Seconds from t0 to the end of the first burst of output after t0 (a
        burst ends at a silence of `gap`), or None when nothing came."""
        end = t0 + timeout
        while True:
            with self._cv:
                times = [t for t, _ in self._chunks[-2000:] if t >= t0]
                eof = self._eof
            now = time.monotonic()
            if times:
                last, closed = times[0], False
                for t in times[1:]:
                    if t - last > gap:
                        closed = True
                        break
                    last = t
                if closed or now - last >= gap or now >= end:
                    return last - t0
            elif eof or now >= end:
                return None
            time.sleep(0.0005)

    def alive(self) -> bool:
        if self.status is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True
        self.status = status
        return False

    def stop(self, grace: float = 5.0) -> None:
        stop_process(self.pid, "q", self.write, grace, alive=self.alive)
        self.alive()
        try:
            os.close(self.fd)
        except OSError:
            pass
