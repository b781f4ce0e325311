# domains.py: does a role allow an identifier? Vault-PKI-like rules over the
# role's allowed_domains and allowed_domain_options:
#   bare_domains  "example.com" allows exactly example.com
#   subdomains    "example.com" allows any name below it (a.b.example.com)
#   wildcards     "*.X" is allowed when X itself would be allowed
#   globs         an allowed domain containing * or ? is an fnmatch pattern
# An empty allowed_domains list allows every name (simulator convenience).

import fnmatch
import re

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)


def identifier_syntax_error(ident) -> str | None:
    """Why ident is not a DNS name (optionally "*." first), or None when it is."""
    if not isinstance(ident, str) or not ident:
        return "identifier must be a non-empty string"
    name = ident[2:] if ident.startswith("*.") else ident
    name = name[:-1] if name.endswith(".") else name
    if len(name) > 253 or not name:
        return f"identifier {ident!r} is not a valid DNS name"
    for label in name.split("."):
        if not _LABEL.match(label):
            return f"identifier {ident!r} is not a valid DNS name"
    return None


def _plain_allowed(name: str, domains, options) -> bool:
    for d in domains:
        d = d.lower().rstrip(".")
        if "*" in d or "?" in d:
            if "globs" in options and fnmatch.fnmatchcase(name, d):
                return True
            continue
        if "bare_domains" in options and name == d:
            return True
        if "subdomains" in options and name.endswith("." + d):
            return True
    return False


def role_allows(role, ident: str) -> str | None:
    """None when the role allows ident, else the reason (for a 400)."""
    if not role.allowed_domains:
        return None
    name = ident.lower().rstrip(".")
    options = set(role.allowed_domain_options)
    if name.startswith("*."):
        if "wildcards" not in options:
            return (f"identifier {ident!r} not allowed by role {role.name!r}: wildcard "
                    f"identifiers need the \"wildcards\" domain option")
        if _plain_allowed(name[2:], role.allowed_domains, options) or (
                "globs" in options and _plain_allowed(name, role.allowed_domains, options)):
            return None
    elif _plain_allowed(name, role.allowed_domains, options):
        return None
    return (f"identifier {ident!r} not allowed by role {role.name!r}: allowed_domains "
            f"{role.allowed_domains} with options {sorted(options)}")
