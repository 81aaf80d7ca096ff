import pytest
from keystoneauth1 import exceptions as ksa
from openstack import exceptions as sdk

from squall.errors import CloudError, ConfigError
from squall.openstack.errors import ResourceNotFound, cloud_errors, translate


def test_http_errors_keep_status_and_request_id():
    exc = ksa.http.Conflict(message="quota exceeded", request_id="req-123", http_status=409)
    err = translate(exc, "nova.boot_server")
    assert isinstance(err, CloudError)
    assert err.status == 409 and err.request_id == "req-123"
    assert err.message.startswith("nova.boot_server: HTTP 409 ")
    assert "quota exceeded" in err.message and "req-123" in err.message


def test_unauthorized_gets_a_credentials_hint():
    err = translate(ksa.http.Unauthorized(message="The request you have made requires auth"))
    assert err.status == 401
    assert err.hint and "password" in err.hint


def test_sdk_wrapper_is_unwrapped_to_the_connection_failure():
    try:
        try:
            raise ksa.connection.ConnectFailure(
                "Unable to establish connection to http://h:5000/v3/auth/tokens: "
                "HTTPConnectionPool(host='h', port=5000): Max retries exceeded "
                "(Caused by NewConnectionError('Connection refused'))"
            )
        except ksa.connection.ConnectFailure as inner:
            raise sdk.SDKException(str(inner)) from inner
    except sdk.SDKException as outer:
        err = translate(outer, "authenticate")
    assert "ConnectFailure" in err.message and "connection refused" in err.message
    assert "HTTPConnectionPool" not in err.message
    assert err.hint and "auth URL" in err.hint


def test_not_found_becomes_resource_not_found():
    err = translate(sdk.NotFoundException(message="no such server"))
    assert isinstance(err, ResourceNotFound)


def test_cloud_errors_translates_sdk_errors_only():
    with pytest.raises(CloudError) as err, cloud_errors("glance.create_image"):
        raise sdk.BadRequestException(message="bad disk_format")
    assert err.value.__cause__ is not None
    with pytest.raises(KeyError), cloud_errors("x"):
        raise KeyError("a bug in squall stays a bug")
    with pytest.raises(ConfigError), cloud_errors("x"):
        raise ConfigError("squall's own errors pass through")


def _ssl_error(reason: str, host: str = "127.0.0.1") -> ksa.connection.SSLError:
    return ksa.connection.SSLError(
        f"SSL exception connecting to https://{host}:5443/v3/auth/tokens: "
        f"HTTPSConnectionPool(host='{host}', port=5443): Max retries exceeded with url: "
        f"/v3/auth/tokens (Caused by SSLError(SSLCertVerificationError(1, {reason!r})))"
    )


@pytest.mark.parametrize(
    ("openssl", "reason"),
    [
        (
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
            "self-signed certificate (_ssl.c:1006)",
            "certificate verify failed: self-signed certificate",
        ),
        (
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address "
            "mismatch, certificate is not valid for '127.0.0.2'. (_ssl.c:1006)",
            "certificate verify failed: IP address mismatch, certificate is not valid "
            "for '127.0.0.2'.",
        ),
        ("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", "wrong version number"),
    ],
)
def test_tls_errors_name_the_certificate_problem_and_the_settings(openssl, reason):
    try:
        try:
            raise _ssl_error(openssl)
        except ksa.connection.SSLError as inner:
            raise sdk.SDKException(str(inner)) from inner
    except sdk.SDKException as outer:
        err = translate(outer, "authenticate admin@admin")
    assert err.message == (
        "authenticate admin@admin: SSLError: SSL exception connecting to "
        f"https://127.0.0.1:5443/v3/auth/tokens ({reason})"
    )
    assert err.hint and "cacert" in err.hint and "verify: false" in err.hint


def test_server_errors_keep_the_request_id_and_point_at_the_service():
    exc = ksa.http.ServiceUnavailable(message="down", request_id="req-9", http_status=503)
    err = translate(exc, "nova.list_servers")
    assert err.status == 503 and "req-9" in err.message
    assert err.hint and "logs" in err.hint
