"""API tokens: obtained with an email and password, revoked with DELETE; sessions work too."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.authentication import TokenAuthentication
from accounts.models import User
from tests.conftest import PASSWORD, ClientFor

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/organizations/me/"


def test_token_create_returns_a_token_that_authenticates(alice: User) -> None:
    # given
    client = APIClient()

    # when
    response = client.post(TOKEN_URL, {"email": "alice@yihe.example.com", "password": PASSWORD})

    # then
    assert response.status_code == 200
    token = Token.objects.get(user=alice)
    assert response.json() == {"token": token.key}
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    me = client.get(ME_URL)
    assert me.status_code == 200
    assert me.json()["name"] == "颐和苑养老中心"


def test_token_create_returns_the_existing_token_and_ignores_email_case(alice: User) -> None:
    # given
    existing = Token.objects.create(user=alice)

    # when
    response = APIClient().post(
        TOKEN_URL, {"email": " Alice@YIHE.example.com ", "password": PASSWORD}
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"token": existing.key}
    assert Token.objects.count() == 1


def test_wrong_password_gets_no_token(alice: User) -> None:
    # when
    response = APIClient().post(
        TOKEN_URL, {"email": "alice@yihe.example.com", "password": "wrong-password"}
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "无效的输入。",
            "fields": {"non_field_errors": ["邮箱或密码不正确，或账号已停用。"]},
        }
    }
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(alice: User) -> None:
    # given
    alice.is_active = False
    alice.save()

    # when
    response = APIClient().post(
        TOKEN_URL, {"email": "alice@yihe.example.com", "password": PASSWORD}
    )

    # then
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_missing_credentials_are_named_in_english_when_asked(db: None) -> None:
    # when
    response = APIClient().post(TOKEN_URL, {}, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Invalid input.",
            "fields": {
                "email": ["This field is required."],
                "password": ["This field is required."],
            },
        }
    }


def test_token_revoke_deletes_the_token_so_it_no_longer_works(
    alice: User, client_for: ClientFor
) -> None:
    # given
    client = client_for(alice)

    # when
    response = client.delete(TOKEN_URL)

    # then
    assert response.status_code == 204
    assert not Token.objects.filter(user=alice).exists()
    after = client.get(ME_URL)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "authentication_failed"


def test_anonymous_request_is_challenged_for_a_token(db: None) -> None:
    # when
    response = APIClient().get(ME_URL)

    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "身份认证信息未提供。", "fields": {}}
    }


def test_a_logged_in_browser_session_authenticates_too(alice: User) -> None:
    # given
    client = APIClient()
    client.force_login(alice)

    # when
    response = client.get(ME_URL)

    # then
    assert response.status_code == 200
    assert response.json()["id"] == alice.organization_id
    assert not Token.objects.exists()


def test_a_token_of_a_deactivated_user_no_longer_works(alice: User, client_for: ClientFor) -> None:
    # given
    client = client_for(alice)
    alice.is_active = False
    alice.save()

    # when
    response = client.get(ME_URL)

    # then
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": "用户未激活或者已删除。",
        "fields": {},
    }


def test_an_unknown_token_is_refused_in_chinese(db: None) -> None:
    # given
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    # when
    response = client.get(ME_URL)

    # then
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "认证令牌无效。"


def test_a_token_reads_its_user_with_the_organisation_in_one_query(alice: User) -> None:
    # given
    token = Token.objects.create(user=alice)

    # when
    with CaptureQueriesContext(connection) as queries:
        user, found = TokenAuthentication().authenticate_credentials(token.key)
        kind = user.organization.kind if user.organization else None

    # then
    assert found == token
    assert user == alice
    assert kind == "demand"
    assert len(queries) == 1
