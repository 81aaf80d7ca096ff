"""The NAT rules a netns router gets for floating IPs (pure text)."""

from __future__ import annotations

from squall.dataplane.providers.netns import nat_rules, prefix_for


def test_nft_rules_dnat_both_hooks_and_snat_back():
    text = nat_rules("nft", ["10.64.0.0/24"], "10.255.0.2", [("10.255.1.0", "10.64.0.10")])
    assert "ip daddr 10.255.1.0 dnat to 10.64.0.10" in text
    assert text.count("dnat to 10.64.0.10") == 2  # prerouting and output
    assert 'oifname "qg0" ip saddr 10.64.0.10 snat to 10.255.1.0' in text
    assert 'oifname "qg0" ip saddr 10.64.0.0/24 snat to 10.255.0.2' in text


def test_iptables_rules_are_a_restore_file():
    text = nat_rules("iptables", ["10.64.0.0/24"], "10.255.0.2", [("10.255.1.0", "10.64.0.10")])
    lines = text.splitlines()
    assert lines[0] == "*nat" and lines[-1] == "COMMIT"
    assert "-A PREROUTING -d 10.255.1.0/32 -j DNAT --to-destination 10.64.0.10" in lines


def test_prefix_is_short_and_from_the_run():
    assert prefix_for("0123456789abcdef") == "sq01234567"
