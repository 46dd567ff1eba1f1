"""`sitegen edit` on the command line: what it refuses before it starts a server."""

from __future__ import annotations

from sitegen.cli import main
from sitegen.edit.accounts import load_accounts, verify_password


def test_refuses_an_outside_address_without_accounts(mini, capsys):
    assert main(["edit", str(mini), "--branch", "b1", "--host", "0.0.0.0", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "没有配置账号" in err and "--add-account" in err


def test_unknown_branch_is_said_in_chinese(mini, capsys):
    assert main(["edit", str(mini), "--branch", "b9", "--no-browser"]) == 2
    assert "没有编号为“b9”的支部" in capsys.readouterr().err


def test_add_account(tmp_path, monkeypatch, capsys):
    answers = iter(["a-long-password", "a-long-password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    path = tmp_path / "accounts.json"
    args = ["edit", "--accounts", str(path), "--add-account", "wang", "--branch", "b1", "--name", "王书记"]
    assert main(args) == 0
    assert "已建立账号 wang" in capsys.readouterr().out
    account = load_accounts(path)["wang"]
    assert account.branch == "b1" and account.name == "王书记"
    assert verify_password(account.password, "a-long-password")


def test_add_account_refuses_a_short_or_mistyped_password(tmp_path, monkeypatch, capsys):
    answers = iter(["short", "short"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    path = tmp_path / "accounts.json"
    assert main(["edit", "--accounts", str(path), "--add-account", "wang", "--branch", "b1"]) == 2
    assert not path.exists()
