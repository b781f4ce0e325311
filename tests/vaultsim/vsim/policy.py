# policy.py: the simulator's tokens and what each may do.
# Spec syntax (command line --token): TOKEN or TOKEN:OPT[,OPT...] with OPT one of
#   deny=GLOB    fnmatch GLOB against the path after /v1/ (no query, no trailing
#                slash); a match is 403 permission denied. Repeatable.
#   readonly     only GET/LIST/HEAD are allowed
#   ttl=SECONDS  the token expires SECONDS (simulated) after start; then 403
#   ns=NS        the token only works in namespace NS (and its children)
#   policy=NAME  policy name reported by lookup-self (default "limited")
# A token without options is a root token: policies ["root"].
# The token text itself is never logged; hashes identify it in the request log.

import fnmatch
import hashlib


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


class Token:
    def __init__(self, secret: str, deny=(), readonly=False, ttl=None, namespace=None,
                 policy=None, default_ttl=0):
        self.secret = secret
        self.deny = list(deny)
        self.readonly = readonly
        self.ttl = default_ttl if ttl is None else ttl
        self.namespace = namespace
        self.restricted = bool(self.deny or readonly or namespace is not None or policy)
        self.policies = ["default", policy or "limited"] if self.restricted else ["root"]
        self.sha256 = token_sha256(secret)
        self.display_name = "token-" + self.sha256[:4]
        self.accessor = self.sha256[8:32]

    def remaining_ttl(self, start: float, now: float) -> int:
        """Seconds left (0 = no expiry); negative when expired."""
        if not self.ttl:
            return 0
        left = int(self.ttl - (now - start))
        return left if left > 0 else -1

    def allows(self, method: str, rel_path: str, namespace: str) -> bool:
        if self.namespace is not None:
            ns = self.namespace.strip("/")
            if ns and namespace != ns and not namespace.startswith(ns + "/"):
                return False
        if self.readonly and method not in ("GET", "LIST", "HEAD"):
            return False
        path = rel_path.rstrip("/")
        return not any(fnmatch.fnmatchcase(path, g) for g in self.deny)

    def sees_mount(self, mount_name: str, namespace: str) -> bool:
        """Any capability under the mount (sys/internal/ui/mounts): some path
        below it is not denied (probed with a path one and two levels down)."""
        return any(self.allows("GET", f"{mount_name}/{p}", namespace) or
                   self.allows("LIST", f"{mount_name}/{p}", namespace) for p in ("x", "x/y"))

    @property
    def is_root(self) -> bool:
        return not self.restricted


def token_parse(spec: str, default_ttl: int = 0) -> Token:
    """Parse one --token argument; ValueError with a readable message when malformed."""
    secret, sep, opts = spec.partition(":")
    if not secret:
        raise ValueError(f"--token {spec!r}: empty token")
    deny, readonly, ttl, ns, policy = [], False, None, None, None
    if sep:
        for opt in opts.split(","):
            key, eq, value = opt.partition("=")
            if key == "deny" and eq and value:
                deny.append(value)
            elif key == "readonly" and not eq:
                readonly = True
            elif key == "ttl" and eq:
                ttl = int(value)
            elif key == "ns" and eq:
                ns = value
            elif key == "policy" and eq and value:
                policy = value
            else:
                raise ValueError(f"--token option {opt!r}: expected deny=GLOB, readonly, "
                                 "ttl=SECONDS, ns=NS or policy=NAME")
    return Token(secret, deny, readonly, ttl, ns, policy, default_ttl)


class TokenStore:
    def __init__(self, tokens, start: float):
        self._by_secret = {t.secret: t for t in tokens}
        self.start = start

    def put(self, token: Token):
        """Add a token, or replace the one with the same secret (a policy
        changed while clients run)."""
        self._by_secret[token.secret] = token

    def revoke(self, secret) -> bool:
        """Forget a token (as if revoked): 403 from then on, until put again."""
        return self._by_secret.pop(secret, None) is not None

    def find(self, secret):
        if not secret:
            return None
        return self._by_secret.get(secret)
