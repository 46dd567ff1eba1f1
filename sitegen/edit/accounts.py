"""Accounts for an editor shared on an intranet server (`--host` beyond 127.0.0.1).

The accounts file lives outside the content repository (a JSON file the administrator
keeps): per user the branch they may edit, their name and e-mail for the commits, and
the password as a salted scrypt hash. Sessions are random tokens in an HttpOnly cookie,
each with its own CSRF token; wrong passwords are slowed down per user and per address.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_N, _R, _P = 2**14, 8, 1
SESSION_SECONDS = 8 * 3600
FREE_TRIES = 3  # wrong passwords before the waits begin
MAX_WAIT = 300.0


class AccountsError(Exception):
    """The accounts file cannot be used; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Account:
    user: str
    branch: str
    name: str
    email: str
    password: str  # scrypt$n$r$p$salt-hex$hash-hex


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(stored: str, password: str) -> bool:
    try:
        kind, n, r, p, salt, want = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(want) // 2
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), want)


def load_accounts(path: Path) -> dict[str, Account]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise AccountsError(f"账号文件“{path}”不存在。用 sitegen edit --add-account 建立账号。") from None
    except (OSError, ValueError) as exc:
        raise AccountsError(f"账号文件“{path}”读不出来（{exc}）。") from None
    out = {}
    for user, v in (data.get("accounts") or {}).items():
        if not isinstance(v, dict) or not v.get("branch") or not v.get("password"):
            raise AccountsError(f"账号文件“{path}”里的账号“{user}”缺少 branch 或 password。")
        out[user] = Account(user, v["branch"], v.get("name") or user, v.get("email") or "", v["password"])
    return out


def add_account(path: Path, user: str, password: str, branch: str, name: str = "", email: str = "") -> None:
    """Add or replace one account (the file is created, readable by its owner only)."""
    path = Path(path)
    data: dict = {"accounts": {}}
    if path.exists():
        data = json.loads(path.read_text("utf-8"))
        data.setdefault("accounts", {})
    data["accounts"][user] = {
        "branch": branch,
        "name": name or user,
        "email": email,
        "password": hash_password(password),
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


@dataclass
class Session:
    user: str
    csrf: str
    expires: float


class Sessions:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, user: str) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(user, secrets.token_urlsafe(32), self.clock() + SESSION_SECONDS)
        with self._lock:
            self._by_token[token] = session
        return token, session

    def get(self, token: str) -> Session | None:
        with self._lock:
            s = self._by_token.get(token)
            if s is not None and s.expires < self.clock():
                del self._by_token[token]
                return None
            return s

    def end(self, token: str) -> None:
        with self._lock:
            self._by_token.pop(token, None)


class LoginLimiter:
    """After FREE_TRIES wrong passwords for a user or from an address, each further try
    must wait 2, 4, 8 … seconds (up to MAX_WAIT) after the last failure."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, keys: list[str]) -> float:
        """Seconds still to wait before another try (0: may try now)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                count, last = self._fails.get(key, (0, 0.0))
                if count >= FREE_TRIES:
                    delay = min(MAX_WAIT, 2.0 ** (count - FREE_TRIES + 1))
                    longest = max(longest, last + delay - now)
        return max(0.0, longest)

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                count, _ = self._fails.get(key, (0, 0.0))
                self._fails[key] = (count + 1, now)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._fails.pop(key, None)
