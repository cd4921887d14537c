"""XAPI errors as the simulator raises them: a code and its string parameters."""

from __future__ import annotations


class XapiError(Exception):
    """A XenAPI failure. On the wire it becomes ``ErrorDescription = [code, *params]``."""

    def __init__(self, code: str, *params: object) -> None:
        self.code = code
        self.params = [str(p) for p in params]
        super().__init__(code, *self.params)

    @property
    def description(self) -> list[str]:
        return [self.code, *self.params]


def handle_invalid(cls: str, ref: str) -> XapiError:
    return XapiError("HANDLE_INVALID", cls, ref)


def uuid_invalid(cls: str, uuid: str) -> XapiError:
    return XapiError("UUID_INVALID", cls, uuid)
