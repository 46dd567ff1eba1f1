"""A real spreadsheet program opens every kind of file we export: LibreOffice (Debian's
libreoffice-calc, headless) converts each to PDF without error, and the PDF has the
form's title in it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from sitegen.xlsxio import template
from tests.xlsx.helpers import REPORT_DATE, demo

pytestmark = pytest.mark.office

KINDS = [
    f"{scope}-stats{form}-{period}"
    for scope in ("district", "c/qsjd", "b/jdjg")
    for form in (1, 2)
    for period in ("h1", "year")
]


@pytest.fixture(scope="module")
def soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.fail("LibreOffice is not installed: run scripts/setup.sh (Debian package libreoffice-calc)")
    return exe


def test_every_kind_converts_to_pdf(soffice, tmp_path):
    from sitegen.render.xlsx import xlsx_files

    report = demo()
    files = xlsx_files(report.loaded.district, {2025: report.years[2025]}, REPORT_DATE)
    names = []
    for kind in KINDS:
        name = kind.replace("/", "-") + ".xlsx"
        (tmp_path / name).write_bytes(files[f"2025/xlsx/{kind}.xlsx"])
        names.append(name)
    (tmp_path / "ledger-template.xlsx").write_bytes(
        template(report.loaded.district, "jdjg", 2026, [e for _, e in report.loaded.ledgers[("qsjd", "jdjg", 2026)]])
    )
    names.append("ledger-template.xlsx")
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *names,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Error" not in done.stderr, done.stderr
    for name in names:
        pdf = tmp_path / "pdf" / name.replace(".xlsx", ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, name
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        if name.startswith(("district", "c-", "b-")):
            title = "统计表（一）" if "stats1" in name else "统计表（二）"
            period = "年上半年" if name.endswith("-h1.xlsx") else "年度"  # the title names the period
            assert re.search(f"青松区\\d{{4}}{period}党员积分管理情况{title}", text), name
        else:
            assert "党员积分台账" in text
