import pytest

from squall.errors import CloudError
from squall.openstack.errors import ResourceNotFound, sdk_http_error
from squall.openstack.ratelimit import Api, RateLimiter


def test_calls_are_spaced_by_the_rate_and_counted():
    slept = []
    limiter = RateLimiter(rate=10.0, sleep=slept.append)
    for _ in range(5):
        limiter.wait()
    assert limiter.calls == 5
    # five calls at once: the first goes now, the others 0.1 s apart (a schedule, not a timing)
    assert len(slept) == 4
    assert sorted(slept) == pytest.approx([0.1, 0.2, 0.3, 0.4], abs=0.05)


def test_unlimited_never_sleeps_but_still_counts():
    slept = []
    limiter = RateLimiter(rate=0, sleep=slept.append)
    limiter.wait()
    limiter.wait()
    assert slept == [] and limiter.calls == 2


def test_every_api_call_takes_a_slot_and_errors_are_translated():
    limiter = RateLimiter(rate=0)
    api = Api(object(), limiter)
    assert api("add", lambda a, b: a + b, 1, b=2) == 3

    def missing():
        raise sdk_http_error(404, "no such thing")

    def refused():
        raise sdk_http_error(409, "in use")

    with pytest.raises(ResourceNotFound):
        api("get thing", missing)
    with pytest.raises(CloudError) as caught:
        api("delete thing", refused)
    assert caught.value.status == 409 and caught.value.message.startswith("delete thing:")
    assert limiter.calls == 3
