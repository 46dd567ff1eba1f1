"""Accounts on a shared server: login, one branch's files only, CSRF, slowed-down guessing."""

from __future__ import annotations

import pytest

from sitegen.edit.accounts import FREE_TRIES, LoginLimiter, add_account, load_accounts, verify_password
from sitegen.edit.server import Editor, make_server
from tests.edit.support import running, snapshot
from tests.support import B1_2026

B2_FILE = "committees/c1/branches/b2/2026/roster.yaml"


@pytest.fixture
def accounts(tmp_path):
    path = tmp_path / "secrets" / "accounts.json"
    path.parent.mkdir()
    add_account(path, "wang", "b1-password", "b1", "王书记", "wang@example.org")
    add_account(path, "li", "b2-password", "b2", "李书记", "li@example.org")
    return path


@pytest.fixture
def editor(mini, accounts):
    return Editor(mini, None, accounts=accounts)


def login(c, user, password):
    token = c.csrf("/login")
    return c.post("/login", {"csrf": token, "user": user, "password": password})


def test_passwords_are_salted_hashes(accounts):
    text = accounts.read_text("utf-8")
    assert "b1-password" not in text
    found = load_accounts(accounts)
    assert found["wang"].password.startswith("scrypt$")
    assert found["wang"].password != found["li"].password
    assert verify_password(found["wang"].password, "b1-password")
    assert not verify_password(found["wang"].password, "b2-password")
    assert oct(accounts.stat().st_mode & 0o777) == "0o600"


def test_beyond_loopback_with_accounts_is_allowed(editor):
    server = make_server(editor, "0.0.0.0", 0)
    server.server_close()


def test_no_access_without_login(mini, editor):
    before = snapshot(mini)
    with running(editor) as c:
        for path in ("/", "/entry", "/roster", "/quarter", f"/file?path={B1_2026}/roster.yaml", "/api/item?code=B01"):
            status, _, headers = c.request(path)
            assert status == 303 and headers["Location"] == "/login", path
        status, _ = c.post("/entry", {"csrf": "x", "date": "2026-07-02", "item": "B02", "members": ["M1"]})
        assert status == 403
        status, _ = login(c, "wang", "wrong")
        assert status == 401
        assert c.get("/")[0] == 303
    assert snapshot(mini) == before


def test_each_person_sees_only_their_branch(editor):
    with running(editor) as c:
        status, _ = login(c, "wang", "b1-password")
        assert status == 303
        assert c.get("/")[0] == 200
        assert "甲支部" in c.get("/entry")[1]
        assert c.get(f"/file?path={B1_2026}/roster.yaml")[0] == 200
        assert c.get("/file?path=restricted/b1/2026.yaml")[0] == 200
        assert c.get(f"/file?path={B2_FILE}")[0] == 403
        assert c.get("/file?path=restricted/b2/2026.yaml")[0] == 403
        assert c.get(f"/file?path={B1_2026}/../../b2/2026/roster.yaml")[0] == 403
        assert c.get("/file?path=site.yaml")[0] == 403
    with running(editor) as c:
        login(c, "li", "b2-password")
        assert "乙支部" in c.get("/entry")[1]
        assert c.get(f"/file?path={B2_FILE}")[0] == 200
        assert c.get("/file?path=restricted/b1/2026.yaml")[0] == 403


def test_csrf_token_is_required(mini, editor):
    with running(editor) as c:
        login(c, "wang", "b1-password")
        before = snapshot(mini)
        data = {"date": "2026-07-02", "item": "B02", "members": ["M1"]}
        assert c.post("/entry", data)[0] == 403
        assert c.post("/entry", {**data, "csrf": "forged"})[0] == 403
        assert snapshot(mini) == before
        assert c.post("/entry", {**data, "csrf": c.csrf()})[0] == 200
        assert snapshot(mini) != before


def test_login_form_needs_its_own_token(editor):
    with running(editor) as c:
        status, _ = c.post("/login", {"user": "wang", "password": "b1-password"})
        assert status == 403


def test_repeated_wrong_passwords_are_slowed_down(editor):
    with running(editor) as c:
        for _ in range(FREE_TRIES):
            assert login(c, "wang", "guess")[0] == 401
        status, body = login(c, "wang", "b1-password")  # even the right one must wait now
        assert status == 429 and "秒后再试" in body
        assert c.get("/")[0] == 303


def test_limiter_waits_grow_and_end():
    now = [1000.0]
    limiter = LoginLimiter(clock=lambda: now[0])
    keys = ["user:wang", "addr:10.0.0.9"]
    for _ in range(FREE_TRIES):
        assert limiter.wait(keys) == 0
        limiter.failed(keys)
    assert limiter.wait(keys) == pytest.approx(2.0)
    now[0] += 2.0
    assert limiter.wait(keys) == 0
    limiter.failed(keys)
    assert limiter.wait(keys) == pytest.approx(4.0)
    limiter.succeeded(keys)
    assert limiter.wait(keys) == 0
    assert limiter.wait(["addr:10.0.0.10"]) == 0
