"""Settings as a user gives them: declared once, and every misreadable value refused with a reason."""
from __future__ import annotations

import math
from dataclasses import fields

import pytest

from dedup.config import (
    SETTINGS,
    STAGES,
    Config,
    ConfigError,
    parse_settings,
    saved_config,
)


def test_every_setting_declares_stage_type_range_unit_and_help():
    assert list(SETTINGS) == [f.name for f in fields(Config)]
    for s in SETTINGS.values():
        assert s.stage in STAGES, s.name
        assert s.kind in (int, float) and type(s.default) is s.kind, s.name
        assert s.low <= s.default <= s.high and s.low < s.high, s.name
        assert s.unit and len(s.help) > 20, s.name
        assert f"``{s.name}`` = {s.default!r} ({s.range} {s.unit})" in Config.__doc__


def test_defaults_validate_and_survive_a_round_trip():
    config = Config()
    assert config.to_dict() == {name: s.default for name, s in SETTINGS.items()}
    assert Config(**config.to_dict()) == config == config.replace()
    # all similarities and ratios are 0-1, rapidfuzz ratios included
    assert (config.verbatim_ratio, config.near_verbatim_ratio, config.lexical_match, config.lexical_override) == (
        0.98, 0.75, 0.72, 0.9)


def test_only_relation_and_family_settings_can_be_rethresholded():
    assert {name for name, s in SETTINGS.items() if s.rethreshold} == {
        "link_confidence", "related_min_confidence", "duplicate_coverage", "near_duplicate_coverage",
        "family_anchor", "family_link", "also_min_sentences", "related_group_link", "date_window_days", "keep_share"}


def test_whole_number_settings_take_integral_floats_but_not_fractions():
    config = Config().replace(num_perm=128.0)
    assert config.num_perm == 128 and type(config.num_perm) is int
    assert parse_settings(["num_perm=128.0"]) == {"num_perm": 128}
    with pytest.raises(ConfigError, match=r"num_perm is a whole number of permutations, got 128\.5"):
        Config().replace(num_perm=128.5)
    assert type(Config(summary_ratio=3).summary_ratio) is float


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(value):
    with pytest.raises(ConfigError, match="family_link must be a finite number in 0-1"):
        Config().replace(family_link=value)
    with pytest.raises(ConfigError, match="num_perm must be a finite number"):
        Config().replace(num_perm=value)
    with pytest.raises(ConfigError, match="family_link must be a finite number"):
        parse_settings([f"family_link={value}"])


@pytest.mark.parametrize("value", [True, "0.3", None])
def test_non_numbers_are_refused(value):
    with pytest.raises(ConfigError, match="family_link must be a number in 0-1"):
        Config().replace(family_link=value)


def test_ranges_come_from_the_declarations():
    with pytest.raises(ConfigError, match=r"num_perm must be in 16-4096 \(permutations\), got 100000000"):
        Config().replace(num_perm=100_000_000)
    with pytest.raises(ConfigError, match="num_perm must be in 16-4096"):
        Config().replace(num_perm=8)
    with pytest.raises(ConfigError, match="summary_ratio must be in 1-1000"):
        Config().replace(summary_ratio=0.5)
    with pytest.raises(ConfigError, match="date_window_days must be in 0-3650"):
        Config().replace(date_window_days=-1)


def test_a_ratio_on_the_old_0_100_scale_is_refused_naming_the_0_1_unit():
    with pytest.raises(ConfigError, match=r"lexical_match must be in 0-1 \(rapidfuzz ratio\), got 72; "
                                          r"on the 0-1 scale 72% is 0\.72"):
        Config().replace(lexical_match=72)
    with pytest.raises(ConfigError, match=r"verbatim_ratio must be in 0-1"):
        parse_settings(["verbatim_ratio=98"])


@pytest.mark.parametrize(("changes", "message"), [
    ({"semantic_strong": 0.4}, r"semantic_match \(0\.5\) must be at most semantic_strong \(0\.4\)"),
    ({"near_verbatim_ratio": 0.99}, r"near_verbatim_ratio \(0\.99\) must be at most verbatim_ratio \(0\.98\)"),
    ({"support_full": 0.45}, r"support_floor \(0\.45\) must be below support_full \(0\.45\)"),
    ({"duplicate_coverage": 0.7}, r"near_duplicate_coverage \(0\.8\) must be at most duplicate_coverage \(0\.7\)"),
])
def test_related_thresholds_must_keep_their_order(changes, message):
    with pytest.raises(ConfigError, match=message):
        Config().replace(**changes)


def test_orders_that_are_not_implied_are_allowed():
    # one cosine for both semantic rules, and strict lexical matching above the number-contradiction override
    config = Config(semantic_match=0.99, semantic_strong=0.99, lexical_match=0.99)
    assert config.lexical_match > config.lexical_override


def test_unknown_names_suggest_the_closest_setting():
    with pytest.raises(ConfigError, match=r"unknown setting 'lexical_mach'; did you mean lexical_match\?"):
        Config().replace(lexical_mach=0.7)
    with pytest.raises(ConfigError, match=r"did you mean family_link\?"):
        parse_settings(["famly_link=0.2"])
    with pytest.raises(ConfigError, match=r"unknown setting 'bogus'; `dedup settings` lists them all"):
        Config().replace(bogus=1)


@pytest.mark.parametrize(("item", "message"), [
    ("family_link", "expected NAME=VALUE, got 'family_link'"),
    ("family_link=abc", "family_link: 'abc' is not a number"),
    ("family_link=", "family_link: '' is not a number"),
])
def test_malformed_assignments_say_what_is_wrong(item, message):
    with pytest.raises(ConfigError, match=message):
        parse_settings([item])


def test_saved_settings_are_read_in_today_s_units():
    saved = {**Config().to_dict(), "lexical_match": 72.0, "verbatim_ratio": 98.0, "family_link": 0.25,
             "retired_setting": 3}
    config = saved_config(saved)
    assert (config.lexical_match, config.verbatim_ratio, config.family_link) == (0.72, 0.98, 0.25)
    with pytest.raises(ConfigError, match="semantic_match must be in 0-1"):
        saved_config({"semantic_match": 50})
