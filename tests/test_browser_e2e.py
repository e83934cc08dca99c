"""End to end in a real browser: `streamlit run app.py` on 127.0.0.1 over a tmp store,
driven by headless Chromium (Debian's chromium with Playwright). Screenshots of each page
are saved under test-artifacts/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port
from tests.factories import MARKDOWN_NOTE
from tests.net_guard import NetGuard

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def guard(tmp_path: Path) -> NetGuard:
    return NetGuard.install(tmp_path)


@pytest.fixture
def app_url(tmp_path: Path, guard: NetGuard) -> Iterator[str]:
    """The app, run with the network guard: its sockets reach 127.0.0.1 only."""
    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    with running_app([note], tmp_path, guard.env()) as url:
        yield url


@contextmanager
def running_app(
    documents: list[Path], tmp_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """The app on 127.0.0.1 over a store holding `documents`."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    from advisor.composition import build_ingestor
    from core.settings import Settings

    store = tmp_path / "store"
    build_ingestor(Settings(store_dir=store)).ingest_paths(documents)
    port = free_port()
    env = {
        **os.environ,
        "CXA_STORE_DIR": str(store),
        "CXA_LLM": "none",
        "CXA_ANALYST_PASSWORD": "analyst-pass",
        "HF_HUB_OFFLINE": "1",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_ask_and_upload_in_a_browser(app_url: str, guard: NetGuard, tmp_path: Path) -> None:
    """Ask, sign in and upload in the page; the app process never reaches past
    127.0.0.1 while doing so (the network guard was on, and logged nothing)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=120_000)  # ingestion and answers are slow on a busy CI box
    ARTIFACTS.mkdir(exist_ok=True)
    upload = tmp_path / "churn-memo.md"
    upload.write_text(
        "# Churn memo\n\nMobile churn rose to 1.3% a month after the July price rise.\n"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1200})
        page.set_default_timeout(120_000)

        page.goto(app_url)
        box = page.get_by_placeholder("Ask about CX strategy...")
        box.fill("Who leads CX transformation according to the study?")
        box.press("Enter")
        expect(page.get_by_text("chief marketing officer", exact=False).first).to_be_visible()
        expect(page.get_by_text("[1] Test study on CX ownership", exact=False)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "ask.png"), full_page=True)

        page.goto(f"{app_url}/library")
        expect(page.get_by_text("1 documents", exact=False)).to_be_visible()
        page.get_by_label("Analyst password").fill("analyst-pass")
        page.get_by_label("Analyst password").press("Enter")
        expect(page.get_by_text("Add documents")).to_be_visible()
        page.locator("input[type=file]").set_input_files(str(upload))
        page.get_by_role("button", name="Ingest", exact=True).click()
        expect(page.get_by_text("churn-memo.md: ingested", exact=False)).to_be_visible()
        page.reload()
        expect(page.get_by_text("2 documents", exact=False)).to_be_visible()
        expect(page.locator("[data-testid=stDataFrame]")).to_be_visible()
        expect(page.get_by_label("Analyst password")).to_be_visible()
        page.wait_for_timeout(1500)  # let the data grid paint before the screenshot
        page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)
        browser.close()
    assert guard.processes() >= 1
    assert guard.attempts() == "", f"outbound attempts:\n{guard.attempts()}"


def test_a_document_cannot_make_the_page_fetch_anything(tmp_path: Path) -> None:
    """Markdown and HTML inside a quoted sentence are shown as text: the browser requests
    no image, and no planted link or tag reaches the page."""
    from playwright.sync_api import expect, sync_playwright

    beacon_port = free_port()
    beacon = f"http://127.0.0.1:{beacon_port}/beacon.png"
    memo = tmp_path / "memo.md"
    memo.write_text(
        "# Churn memo\n\n"
        f"Mobile churn rose to 1.4% in October ![status]({beacon}) after the July price "
        f'rise <img src="{beacon}?html"> and the [new bill layout]({beacon}?link).\n'
    )
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with running_app([memo], tmp_path) as url:
            page = browser.new_page(viewport={"width": 1280, "height": 1200})
            page.set_default_timeout(120_000)
            page.on("request", lambda request: requests.append(request.url))
            page.goto(url)
            box = page.get_by_placeholder("Ask about CX strategy...")
            box.fill("What did mobile churn rise to in October?")
            box.press("Enter")
            expect(page.get_by_text("1.4%", exact=False).first).to_be_visible(timeout=120_000)
            expect(page.get_by_text("![status]", exact=False).first).to_be_visible()
            page.wait_for_timeout(1500)
            assert not page.locator(f'img[src*="{beacon_port}"]').count()
            assert not page.locator(f'a[href*="{beacon_port}"]').count()
        browser.close()
    assert not [r for r in requests if str(beacon_port) in r]
