"""The web UI in real headless Chromium against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from squall.dataplane.store import DataplaneStore
from squall.testing.browser import (
    chromium,
    console_errors,
    full_page_screenshot,
    wait_for,
    wait_rendered,
)

from .conftest import ARTIFACTS, SAMPLES, TOKEN, serve
from .test_dataplane import stored_run

pytestmark = [pytest.mark.integration, pytest.mark.browser]


@pytest.fixture(scope="module")
def served(app) -> Iterator[str]:
    with serve(app) as url:
        yield url


def test_the_ui_lists_runs_and_follows_a_started_task(served, stored):
    _, runs = stored
    with chromium() as driver:
        driver.get(f"{served}/ui/")
        assert "valid bearer token" in driver.page_source  # no cookie yet: refused
        console_errors(driver)  # drains the log of that expected 401
        driver.get(f"{served}/ui/login?token={TOKEN}")
        assert wait_for(driver, "ready", ("yes", "failed")) == "yes"
        ids = driver.execute_script(
            "return [...document.querySelectorAll('#runs tbody tr')].map(r => r.dataset.id)"
        )
        assert set(runs.values()) <= set(ids)
        task = (SAMPLES / "dummy-constant.yaml").read_text()
        driver.execute_script(
            "document.getElementById('task-text').value = arguments[0];"
            "document.getElementById('task-args').value = 'times=400,concurrency=4,sleep=0.02';",
            task,
        )
        before = driver.execute_script("return document.body.dataset.following")
        driver.find_element("id", "start").click()
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return document.body.dataset.following") != before
        )
        assert wait_for(driver, "progress", ("finished",), timeout=60) == "finished"
        points = driver.execute_script(
            "return document.getElementById('live-chart').data[0].x.length"
        )
        assert points >= 2  # drawn while it ran, from the event stream
        iterations = driver.execute_script(
            "return document.querySelector('#workloads tbody tr').cells[3].textContent"
        )
        assert iterations == "400"  # the results once it ended
        driver.execute_script("window.scrollTo(0, 0)")
        assert console_errors(driver) == []
        full_page_screenshot(driver, ARTIFACTS / "server-ui.png")


def test_the_ui_lists_data_plane_runs_with_their_reports(served, stored):
    store, _ = stored
    run = stored_run()
    DataplaneStore(store).save(run)
    with chromium() as driver:
        driver.get(f"{served}/ui/login?token={TOKEN}")
        assert wait_for(driver, "ready", ("yes", "failed")) == "yes"
        WebDriverWait(driver, 10).until(
            lambda d: d.execute_script("return !document.getElementById('dataplane').hidden")
        )
        rows = driver.execute_script(
            "return [...document.querySelectorAll('#dataplane-runs tbody tr')]"
            ".map(r => [r.dataset.id, r.querySelector('a').href])"
        )
        assert [run["run"], f"{served}/api/v1/dataplane/runs/{run['run']}/report"] in rows
        driver.execute_script(
            "document.querySelector(`#dataplane-runs tr[data-id='${arguments[0]}']`).click()",
            run["run"],
        )
        assert wait_for(driver, "dataplane", ("finished",)) == "finished"
        facts = driver.find_element("id", "dp-facts").text
        assert facts.startswith("finished") and "1 test repetitions stored" in facts
        assert console_errors(driver) == []
        driver.get(f"{served}/api/v1/dataplane/runs/{run['run']}/report")
        assert wait_rendered(driver) == "rendered"
        assert console_errors(driver) == []
