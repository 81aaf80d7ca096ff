import pytest

from squall.api.cleanup import CleanupRequest, cleanup, parse_age, resolve_run
from squall.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("30m", 1800),
        ("2h", 7200),
        ("1d", 86400),
        ("1w", 604800),
        ("1.5h", 5400),
    ],
)
def test_ages(text, seconds):
    assert parse_age(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "-1h", "2 days", "1y"])
def test_bad_ages(text):
    with pytest.raises(ConfigError):
        parse_age(text)


def test_a_full_run_id_is_accepted_without_results():
    run = "0ba66765-58a9-444e-a6e2-b324faca2a50"
    assert resolve_run(None, run) == run.replace("-", "")
    with pytest.raises(ConfigError):
        resolve_run(None, "0ba66765")


def test_cleanup_needs_a_run_or_all():
    with pytest.raises(ConfigError, match="--run ID or --all"):
        cleanup(CleanupRequest(), None, None)
