# clikit.py: what the command-line tests share: a free loopback port, and
# running acmetop with a clean environment (no VAULT_* or ACMETOP_* of the
# caller's, a private HOME, config and cache) plus what the test sets.
import os
import socket
import subprocess
import tempfile


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_acmetop(argv, env_extra, timeout=120, text=True):
    """text=False: stdout and stderr as bytes (line ends as written)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VAULT_") and not k.startswith("ACMETOP_")}
    home = tempfile.mkdtemp(prefix="acmetop-home-")
    env.update({"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                "XDG_CACHE_HOME": os.path.join(home, ".cache")})
    env.update(env_extra)
    return subprocess.run(argv, env=env, capture_output=True, text=text, timeout=timeout)
