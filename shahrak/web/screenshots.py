"""Screenshots of the main pages in Persian and English, for the README (docs/screenshots/).

    python -m shahrak.web.screenshots --url http://127.0.0.1:8000 --out docs/screenshots

against a running `make run` (demo data; signs in as admin / shahrak-admin unless told otherwise).
The browser tests take the same pictures of their own small dataset.
"""

import argparse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}

# name, path ({estate} = an estate's page), what shows the page is ready, height (None: the viewport's)
PAGES = [
    ("dashboard", "/", ("[data-testid=map][data-ready='1']", "#chart-yearly[data-ready='1']"), 2000),
    ("balance", "/balance/", ("[data-testid=lorenz][data-ready='1']",), 1500),
    ("estate", "{estate}", ("h1",), None),
    ("units-list", "/units/", ("table.records",), None),
]


def sign_in(page, base_url: str, username: str, password: str, then: str = "/") -> None:
    page.goto(base_url + then)
    if "/accounts/login/" in page.url:
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")


def direction(page) -> tuple[str, str]:
    return page.get_attribute("html", "lang"), page.get_attribute("html", "dir")


def take(page, base_url: str, folder: Path, estate_path: str, query: str = "") -> list[Path]:
    """Every page of PAGES and a form with errors, in Persian then English; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for lang, expected in (("fa", "rtl"), ("en", "ltr")):
        if direction(page)[0] != lang:
            page.click("[data-testid=language-switch]")
            page.wait_for_load_state("load")
        for name, path, ready, height in PAGES:
            target = path.format(estate=estate_path)
            page.goto(base_url + target + (query if target in ("/", "/balance/") else ""))
            for selector in ready:
                page.wait_for_selector(selector)
            if direction(page) != (lang, expected):
                raise AssertionError(f"{target} is {direction(page)}, not {(lang, expected)}")
            files.append(folder / f"{name}-{lang}.png")
            if height is None:
                page.screenshot(path=files[-1])
            else:
                # The page down to `height`: the figures and charts, not every row of a long table.
                whole = page.evaluate("document.documentElement.scrollHeight")
                clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, whole)}
                page.screenshot(path=files[-1], full_page=True, clip=clip)
        # A form with errors: an estate whose allocated land exceeds its industrial land.
        page.goto(base_url + "/estates/add/")
        page.fill("#id_code", "TH-09")
        page.fill("#id_industrial_area_ha", "10")
        page.fill("#id_allocated_area_ha", "12")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=form-errors]")
        files.append(folder / f"form-errors-{lang}.png")
        page.screenshot(path=files[-1])
    return files


def main(argv=None) -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="shahrak-admin")
    parser.add_argument("--query", default="", help="period of the figure pages, e.g. ?period=year&year=1401")
    args = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORT, locale="fa-IR").new_page()
        sign_in(page, args.url, args.username, args.password, "/estates/?sort=-industrial_area_ha")
        estate_path = page.get_attribute("table.records tbody tr td a", "href")
        for file in take(page, args.url, args.out, estate_path, args.query):
            print(file)  # noqa: T201
        browser.close()


if __name__ == "__main__":
    main()
