"""The quick answer for plain e-mail addresses is email_validator's answer.

text.validation answers "valid" for an everyday ASCII address without asking
email_validator (an import of 100,000 rows spent half its checking there);
every other address, and every invalid one, still goes to the library. These
tests hold the quick answer to the library's on a corpus of valid, invalid and
odd addresses and on generated ones: whenever it answers, it is what the library
would say.
"""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmdesk.core.text import validation
from crmdesk.core.text.validation import _plain_valid, normalize_email


def library(address: str) -> str | None:
    """What normalize_email took from email_validator before the quick path: the
    normalised address in lower case, or None when it is not valid."""
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


PLAIN = [
    "ann@example.com", "Ann.Lee@Example.COM", "p123@example.lt", "p9@example.ru",
    "first.last+tag@mail.example.co.uk", "o'brien@example.ie", "x_y-z@sub-domain.example.org",
    "a!#$%&'*+/=?^_`{|}~-b@example.com", "1234@example.com", "info@example.com",
    "WEBMASTER@EXAMPLE.COM", "a@b.cd", "a@1.example.com", "a@example.c0m",
    "a@a-b.example.com", "a@" + "x" * 63 + ".com", "a@xy.com", "ab--c@example.com",
    "a@ab-cd.com", "a@a.museum", "a@example.xn", "a@example.abc-d",
]

NOT_PLAIN_OR_INVALID = [
    # invalid, every reason the library gives
    "", "plain", "@example.com", "ann@", "ann@@example.com", "ann@example", "ann@.com",
    "ann@example..com", ".ann@example.com", "ann.@example.com", "an..n@example.com",
    "ann@-example.com", "ann@example-.com", "ann@example.com.", "ann@example.123",
    "ann@localhost", "ann@host.local", "ann@example.test", "ann@x.invalid",
    "ann@1.168.192.in-addr.arpa", "ann@site.onion", "ann@a" + "b" * 63 + ".com",
    "a" * 250 + "@example.com", "ann@" + ".".join(["abcdefghi"] * 30) + ".com",
    "ann@ab--cd.com", "ann@a---b.com", "ann@sub.ab--cd.com", "ann@XN--abc.com",
    "ann@xn--zz.com", "ann lee@example.com", "ann@exa mple.com", "ann@exam_ple.com",
    "ann(comment)@example.com", "ann@[127.0.0.1]", "Ann <ann@example.com>",
    '"ann lee"@example.com', '"ann"@example.com', "ann\\@example.com",
    "ann@example.com\n", "ann@example.com\x00", "ann@example。com", "ann@example．com",
    # valid, but not plain: Unicode, Punycode
    "иван@пример.рф", "ann@bücher.de", "ann@xn--bcher-kva.de", "ann@EXAMPLE.XN--P1AI",
    "josé@example.com", "ann@example.com\u0301", "ann@ＥＸＡＭＰＬＥ.com", "李@例子.中国",
    "ann@straße.de", "ann@x.xn--p1ai",
]


@pytest.mark.parametrize("address", PLAIN)
def test_plain_addresses_are_answered_quickly_as_the_library_does(address):
    assert library(address) is not None, address
    assert _plain_valid(address) == library(address)


@pytest.mark.parametrize("address", NOT_PLAIN_OR_INVALID)
def test_other_addresses_go_to_the_library(address):
    fast = _plain_valid(address)
    assert fast is None or fast == library(address), address


@pytest.mark.parametrize("address", NOT_PLAIN_OR_INVALID)
def test_invalid_addresses_keep_the_library_s_reason(address):
    expected = library(address.strip())  # normalize_email strips what was typed
    normalized, problem = normalize_email(address)
    if not address.strip():
        assert problem is not None and "empty" in problem.message
    elif expected is None:
        assert problem is not None and "is not a valid e-mail address" in problem.message
        with pytest.raises(EmailNotValidError) as why:
            validate_email(address.strip(), check_deliverability=False)
        assert str(why.value) in problem.message
    else:
        assert problem is None and normalized == expected


def test_special_use_domains_follow_the_library_s_list(monkeypatch):
    import email_validator

    assert _plain_valid("ann@example.com") == "ann@example.com"
    monkeypatch.setattr(email_validator, "SPECIAL_USE_DOMAIN_NAMES",
                        [*email_validator.SPECIAL_USE_DOMAIN_NAMES, "example.com"])
    assert _plain_valid("ann@example.com") is None
    assert _plain_valid("ann@mail.example.com") is None
    assert library("ann@example.com") is None


_LOCAL = st.text(alphabet="abcXYZ019._+-!#'\"%~ @<>()\\é", min_size=0, max_size=12)
_LABELS = st.sampled_from(["example", "EXAMPLE", "ex-ample", "-ex", "ex-", "ab--cd", "xn--p1ai",
                           "XN--P1AI", "xn--zz", "a", "1", "123", "a1", "c0m", "com", "lt", "ru",
                           "local", "localhost", "test", "invalid", "arpa", "onion", "b" * 63,
                           "b" * 64, "", "a_b", "bücher", "пример", "рф", "ex ample", "x．y"])


@settings(max_examples=1500, deadline=None)
@given(local=_LOCAL, labels=st.lists(_LABELS, min_size=0, max_size=5),
       at=st.sampled_from(["@", "@@", "", "＠"]))
@example(local="ann", labels=["example", "com"], at="@")
@example(local="a" * 60, labels=["b" * 63, "b" * 63, "b" * 63, "com"], at="@")
def test_generated_addresses_agree(local, labels, at):
    address = local + at + ".".join(labels)
    fast = _plain_valid(address)
    if fast is not None:
        assert fast == library(address), address


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_any_ascii_text_agrees(text):
    fast = _plain_valid(text)
    if fast is not None:
        assert fast == library(text), text


def test_normalize_email_gives_the_same_with_or_without_the_quick_path(monkeypatch):
    addresses = PLAIN + NOT_PLAIN_OR_INVALID
    quick = [normalize_email(a) for a in addresses]
    validation._parse_email.cache_clear()
    monkeypatch.setattr(validation, "_plain_valid", lambda _typed: None)
    try:
        slow = [normalize_email(a) for a in addresses]
    finally:
        validation._parse_email.cache_clear()
    assert quick == slow
