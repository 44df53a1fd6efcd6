"""The allocation contract and its schedule printed as a PDF, read back with pdftotext.

Worked by hand: an estate in county 2301 (set less-developed: cash share 15%), two plots
1,200 m² × 2,500,000 = 3,000,000,000 and 800 m² × 3,000,000 = 2,400,000,000 rials, Σ 5,400,000,000;
discount 10%: fee 4,860,000,000; cash share 15% = 729,000,000; the rest 4,131,000,000 in 12
instalments of 344,250,000, every three Solar Hijri months from signing on 1401/01/12.
Paid 829,000,000 on 1401/02/01: the cash share, and 100,000,000 of the first instalment
(outstanding 244,250,000).
"""

import re
import shutil
import subprocess

import pytest

from shahrak.core.jalali import format_jalali
from shahrak.core.jalali import parse_jalali as j
from shahrak.core.text import to_persian_digits
from shahrak.land import actions
from shahrak.land.printing import render_contract_html, write_contract_pdf

from .conftest import english
from .fixtures import deprived_county, make_application, make_estate, make_plot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"),
]
FEE = 4_860_000_000
INSTALMENT = 344_250_000


@pytest.fixture
def contract(admin_user):
    estate = make_estate(county=deprived_county("2301").sci_code, name_fa="شهرک صنعتی نمونه")
    plots = [
        make_plot(estate, "A-01", area=1200, price=2_500_000),
        make_plot(estate, "A-02", area=800, price=3_000_000),
    ]
    application = make_application(estate, admin_user, day=j("1401-01-12"))
    application.name = "شرکت صنایع نمونه"
    application.save()
    actions.approve(application, plots, day=j("1401-01-12"), actor=admin_user)
    signed = actions.sign_contract(application, signed=j("1401-01-12"), discount_percent=10, actor=admin_user)
    actions.record_payment(signed, date=j("1401-02-01"), amount_rials=829_000_000, actor=admin_user)
    # A price changed after signing does not change the printed computation of a signed fee.
    plots[0].price_per_m2_rials = 9_000_000
    plots[0].save()
    return signed


def text_of(pdf_path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    )
    # pdftotext marks embedded directions (U+202A–U+202E); the words are in reading order.
    return "".join(char for char in out.stdout if not "\u202a" <= char <= "\u202e")


def grouped(number: int, lang: str) -> str:
    text = f"{number:,}"
    return to_persian_digits(text.replace(",", "٬")) if lang == "fa" else text


def test_the_persian_pdf_has_the_code_the_fee_and_every_instalment(contract, tmp_path):
    assert contract.fee_rials == FEE and contract.cash_share_rials == 729_000_000
    target = tmp_path / "contract.pdf"
    fonts = write_contract_pdf(contract, target, day=j("1401-03-01"), lang="fa")
    assert fonts == ["Vazirmatn", "Vazirmatn-Bold"]
    text = text_of(target)
    assert contract.number in text
    assert grouped(FEE, "fa") in text
    assert grouped(5_400_000_000, "fa") in text  # Σ area × price at the prices of signing
    assert grouped(3_000_000_000, "fa") in text and "۲٬۵۰۰٬۰۰۰" in text
    assert not re.search(r"(?<![۰-۹٬])۹٬۰۰۰٬۰۰۰(?![۰-۹٬])", text)  # the price typed after signing
    assert re.search("۱۵٪|٪۱۵", text) and "کمتر توسعه" in text  # pdftotext drops the ZWNJ
    instalments = list(contract.instalments.order_by("number"))
    assert len(instalments) == 13
    for instalment in instalments:
        row = [
            line
            for line in text.splitlines()
            if format_jalali(instalment.due_date, persian_digits=True) in line
        ]
        assert row, f"no row for instalment {instalment.number}"
        assert grouped(instalment.amount_rials, "fa") in row[0]
    assert grouped(244_250_000, "fa") in text  # the first instalment's outstanding part
    codes = (
        contract.number,
        contract.estate.code,
        contract.application.applicant_id,
        "A-01",
        "A-02",
    )  # codes, IDs
    for code in codes:
        text = text.replace(code, "")
    assert not re.search(r"[0-9]", text), "a Latin digit outside the codes"


def test_the_english_pdf(contract, tmp_path):
    target = tmp_path / "contract-en.pdf"
    write_contract_pdf(contract, target, day=j("1401-03-01"), lang="en")
    text = text_of(target)
    assert f"Right-of-use allocation contract no. {contract.number}" in text
    assert "4,860,000,000" in text and "cash share (15%" in text
    for instalment in contract.instalments.all():
        assert format_jalali(instalment.due_date) in text
    assert f"{INSTALMENT:,}" in text


def test_the_html_names_the_parties_and_the_deadline(contract):
    html = render_contract_html(contract, j("1401-03-01"), "fa")
    assert contract.holder.name in html and contract.application.applicant_id in html
    assert format_jalali(contract.construction_deadline, persian_digits=True) in html  # 1403/01/12


def test_the_pdf_link_serves_whoever_reads_the_contract(contract, client, officer):
    english(client, officer)
    page = client.get(f"/land/contracts/{contract.pk}/").content.decode()
    assert f'href="/land/contracts/{contract.pk}/pdf/"' in page
    response = client.get(f"/land/contracts/{contract.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    client.logout()
    assert client.get(f"/land/contracts/{contract.pk}/pdf/").status_code == 302  # to the login page
