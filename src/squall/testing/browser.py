"""Headless Chromium from Debian (scripts/browser-deps), driven by its chromedriver via selenium.

For tests that look at what squall shows a person: the HTML report, the web UI.
selenium is a development dependency; import this module only from tests.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)


class BrowserMissing(RuntimeError):
    """Chromium or its driver is not installed."""


def require_chromium() -> None:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        raise BrowserMissing("chromium is missing: run scripts/browser-deps")


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    require_chromium()
    profile = tempfile.mkdtemp(prefix="squall-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_rendered(driver: webdriver.Chrome, timeout: float = 60) -> str:
    """Wait until the report's script says it is done; return its state."""
    return wait_for(driver, "state", ("rendered", "failed"), timeout)


def wait_for(
    driver: webdriver.Chrome, key: str, values: tuple[str, ...], timeout: float = 60
) -> str:
    """Wait until ``document.body.dataset[key]`` is one of ``values``; return it."""
    script = f"return document.body.dataset.{key} || ''"
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script) in values)
    return str(driver.execute_script(script))


def console_errors(driver: webdriver.Chrome) -> list[str]:
    entries: list[dict[str, str]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [e["message"] for e in entries if e["level"] in ("SEVERE", "ERROR")]


def full_page_screenshot(driver: webdriver.Chrome, path: Path) -> None:
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1400, min(max(height, 800), 16000))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
