# errors.py: VaultError, the one exception request handlers raise to answer
# with a Vault-shaped error ({"errors":[...]}, a status, optional headers).


class VaultError(Exception):
    def __init__(self, status: int, *messages: str, headers=None):
        super().__init__(f"{status}: {'; '.join(messages)}")
        self.status = status
        self.messages = list(messages)
        self.headers = dict(headers or {})


def bad_request(msg: str) -> VaultError:
    return VaultError(400, msg)


def not_found(msg: str) -> VaultError:
    return VaultError(404, msg)


PERMISSION_DENIED = "permission denied"
