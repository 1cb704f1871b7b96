"""The rules a server's settings keep, tested directly: no bot, no Discord, plain values."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from economy.catalog import default_catalog
from economy.errors import AlreadyExists, EconomyError, InvalidValue, Label, NotFound, Quantity
from economy.guild_settings import (
    BOUNDS,
    FX_SPREAD,
    OTHER_BOUND,
    PERCENT_FIGURES,
    VIEW_FIGURES,
    BadGiftName,
    Bounds,
    FigureOutOfRange,
    FxOutOfRange,
    GiftCoinsOutOfRange,
    LowAboveHigh,
    NotANumber,
    ResetBreaksOrder,
    SettingRefused,
    TooManyGifts,
    check_fx,
    check_order,
    check_reset,
    check_room_for_gift,
    figure_in_force,
    figure_unit,
    figure_value,
    fx_bounds,
    new_custom_gift,
    plain,
    replaced,
    to_decimal,
    would_be_profile,
)
from economy.limits import MAX_CUSTOM_GIFTS, MAX_GIFT_COINS
from economy.profiles import custom_gift
from economy.rates import (
    DEFAULT_PRESET,
    FX_CURRENCIES,
    OVERRIDABLE_FIGURES,
    RateCard,
    default_presets,
)
from economy.storage import GuildSettings

D = Decimal


@pytest.fixture
def seed() -> RateCard:
    return default_presets()[DEFAULT_PRESET]


def profile_of(before: GuildSettings, settings: GuildSettings, customs=(), before_customs=()):
    return would_be_profile(
        before,
        list(before_customs),
        settings,
        list(customs),
        catalog=default_catalog(),
        presets=default_presets(),
    )


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "exact"),
    [(0.1, "0.1"), (40, "40"), (0.005, "0.005"), (1e-7, "1E-7"), (-2.5, "-2.5")],
)
def test_to_decimal_keeps_the_number_as_typed(entered: float, exact: str) -> None:
    assert to_decimal(entered) == D(exact)
    assert to_decimal(0.1) != D(0.1)  # not the binary expansion of the float


@pytest.mark.parametrize("entered", [math.nan, math.inf, -math.inf])
def test_to_decimal_refuses_nan_and_infinity(entered: float) -> None:
    with pytest.raises(NotANumber) as caught:
        to_decimal(entered)
    assert caught.value.key == "settings.error.not_a_number"
    assert isinstance(caught.value, EconomyError)


@pytest.mark.parametrize(
    ("value", "stored"),
    [(D("0.40"), "0.4"), (D("100"), "100"), (D("1E+2"), "100"), (D("0.0050"), "0.005")],
)
def test_plain_is_the_stored_text(value: Decimal, stored: str) -> None:
    assert plain(value) == stored
    assert D(plain(value)) == value


# -- figure bounds ----------------------------------------------------------------------------


def test_every_overridable_figure_has_bounds_and_the_presets_keep_them() -> None:
    assert set(BOUNDS) == set(OVERRIDABLE_FIGURES)
    for name, card in default_presets().items():
        for figure in OVERRIDABLE_FIGURES:
            value, _ = figure_in_force(card, figure)
            assert BOUNDS[figure].holds(value), (name, figure, value)


@pytest.mark.parametrize(
    ("bounds", "inside", "outside"),
    [
        (Bounds(D(0), D(1), low_open=True), [D("0.0001"), D(1)], [D(0), D("1.0001")]),
        (Bounds(D(0), D(1), high_open=True), [D(0), D("0.9999")], [D(1), D("-0.0001")]),
        (Bounds(D(0), D(100)), [D(0), D(100)], [D("-0.01"), D("100.01")]),
    ],
)
def test_bounds_edges(bounds: Bounds, inside: list[Decimal], outside: list[Decimal]) -> None:
    assert all(bounds.holds(v) for v in inside)
    assert not any(bounds.holds(v) for v in outside)


@pytest.mark.parametrize(
    ("figure", "entered", "stored"),
    [
        ("cashout_cut", D(40), D("0.4")),
        ("cashout_cut", D(0), D(0)),
        ("agency_cut_default", D("99.5"), D("0.995")),
        ("diamonds_per_coin", D(1), D(1)),
        ("usd_per_diamond", D("0.05"), D("0.05")),
        ("minimum_withdrawal_usd", D(0), D(0)),
        ("minimum_withdrawal_usd", D(10_000), D(10_000)),
        ("daily_cap_usd", D(1_000_000), D(1_000_000)),
        ("creator_fund_low", D(0), D(0)),
        ("creator_rewards_high", D(100), D(100)),
    ],
)
def test_figure_value_accepts_the_edges_in_stored_units(
    figure: str, entered: Decimal, stored: Decimal
) -> None:
    assert figure_value(figure, entered) == stored


@pytest.mark.parametrize(
    ("figure", "entered", "stored"),
    [
        ("cashout_cut", D(100), D(1)),  # a cut of 100% would leave nothing: open at the top
        ("agency_cut_default", D(-1), D("-0.01")),
        ("diamonds_per_coin", D(0), D(0)),  # open at the bottom
        ("diamonds_per_coin", D(2), D(2)),
        ("usd_per_diamond", D(5), D(5)),
        ("daily_cap_usd", D(0), D(0)),
        ("minimum_withdrawal_usd", D(10**7), D(10**7)),
        ("creator_fund_high", D("100.01"), D("100.01")),
    ],
)
def test_figure_value_refuses_out_of_bounds(figure: str, entered: Decimal, stored: Decimal) -> None:
    with pytest.raises(FigureOutOfRange) as caught:
        figure_value(figure, entered)
    err = caught.value
    assert err.key == "settings.error.range"
    assert (err.figure, err.value, err.bounds) == (figure, stored, BOUNDS[figure])
    assert err.params == {
        "figure": Label(f"settings.figure.{figure}"),
        "range": BOUNDS[figure].span(figure_unit(figure)),
    }


def test_only_cuts_are_entered_as_percent() -> None:
    assert sorted(PERCENT_FIGURES) == ["agency_cut_default", "cashout_cut"]
    assert figure_value("usd_per_diamond", D("0.04")) == D("0.04")
    with pytest.raises(NotFound):
        figure_value("nonsense", D(1))


def test_a_range_refusal_reads_as_english_without_the_bot() -> None:
    with pytest.raises(FigureOutOfRange) as caught:
        figure_value("diamonds_per_coin", D(2))
    assert str(caught.value) == "diamonds_per_coin must be above 0 and at most 1 (got 2)."


# -- views ranges -----------------------------------------------------------------------------


def test_view_figures_pair_up_low_with_high(seed: RateCard) -> None:
    assert set(VIEW_FIGURES) == set(OTHER_BOUND)
    for figure, other in OTHER_BOUND.items():
        assert OTHER_BOUND[other] == figure
        assert {figure.rsplit("_", 1)[1], other.rsplit("_", 1)[1]} == {"low", "high"}
    assert figure_in_force(seed, "creator_fund_low")[0] == D("0.02")
    assert figure_in_force(seed, "creator_fund_high")[0] == D("0.03")


@pytest.mark.parametrize(
    ("figure", "value"),
    [
        ("creator_fund_low", D("0.03")),  # equal to the high bound is fine
        ("creator_fund_low", D(0)),
        ("creator_fund_high", D("0.02")),
        ("creator_rewards_high", D(50)),
        ("cashout_cut", D("0.9")),  # not a views figure: no order to keep
    ],
)
def test_check_order_accepts_ordered_ranges(seed: RateCard, figure: str, value: Decimal) -> None:
    check_order(seed, figure, value)


def test_check_order_refuses_low_above_high(seed: RateCard) -> None:
    with pytest.raises(LowAboveHigh) as caught:
        check_order(seed, "creator_fund_low", D("0.5"))
    err = caught.value
    assert err.key == "settings.error.low_above_high"
    assert (err.low, err.low_value, err.high, err.high_value) == (
        "creator_fund_low",
        D("0.5"),
        "creator_fund_high",
        D("0.03"),
    )
    assert err.params["low_value"] == Quantity(D("0.5"), "usd")
    assert err.params["high_value"] == Quantity(D("0.03"), "usd")


def test_check_order_refuses_high_below_low(seed: RateCard) -> None:
    with pytest.raises(LowAboveHigh) as caught:
        check_order(seed, "creator_rewards_high", D("0.1"))
    err = caught.value
    assert (err.low, err.low_value) == ("creator_rewards_low", D("0.40"))
    assert (err.high, err.high_value) == ("creator_rewards_high", D("0.1"))


def test_check_order_reads_the_other_bound_from_the_card_given(seed: RateCard) -> None:
    lowered = seed.with_override("creator_fund_low", D("0.001"), "test", seed.cashout_cut.as_of)
    lowered = lowered.with_override(
        "creator_fund_high", D("0.002"), "test", lowered.views_range("creator-fund").as_of
    )
    check_order(lowered, "creator_fund_low", D("0.002"))
    with pytest.raises(LowAboveHigh):
        check_order(lowered, "creator_fund_low", D("0.0021"))


# -- exchange rates ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", FX_CURRENCIES)
def test_fx_may_move_a_fifth_to_five_times_the_shipped_rate(seed: RateCard, code: str) -> None:
    shipped = seed.fx[code].value
    low, high = shipped / FX_SPREAD, shipped * FX_SPREAD
    for rate in (low, shipped, high):
        check_fx(code, rate, shipped)
    for rate in (low * D("0.999"), high * D("1.001"), D(0), -shipped):
        with pytest.raises(FxOutOfRange) as caught:
            check_fx(code, rate, shipped)
        err = caught.value
        assert err.key == "settings.error.fx_range"
        assert (err.currency, err.rate, err.shipped) == (code, rate, shipped)
        assert (err.bounds.low, err.bounds.high) == (low, high)


def test_fx_range_params_for_idr() -> None:
    with pytest.raises(FxOutOfRange) as caught:
        check_fx("IDR", D(166_000), D(16_600))
    assert caught.value.params == {
        "currency": "IDR",
        "low": D(3320),
        "high": D(83000),
        "shipped": D(16600),
    }


def test_fx_without_a_shipped_rate_is_only_positive_and_below_a_billion() -> None:
    bounds = fx_bounds(None)
    assert bounds == Bounds(D(0), D(10) ** 9, low_open=True)
    check_fx("XYZ", D("0.000001"), None)
    check_fx("XYZ", D(10) ** 9, None)
    for rate in (D(0), D(10) ** 9 + 1):
        with pytest.raises(FxOutOfRange) as caught:
            check_fx("XYZ", rate, None)
        assert caught.value.shipped is None and caught.value.params["shipped"] == "-"


def test_usd_has_no_exchange_rate_to_set() -> None:
    assert "USD" not in FX_CURRENCIES
    assert {"IDR", "BRL"} <= set(FX_CURRENCIES)


# -- custom gifts -----------------------------------------------------------------------------


@pytest.mark.parametrize("coins", [1, 499, MAX_GIFT_COINS])
def test_a_custom_gift_costs_one_to_a_million_coins(coins: int) -> None:
    gift = new_custom_gift("  Pizza Party ", coins)
    assert gift == custom_gift("Pizza Party", coins)
    assert gift.custom and gift.coins == coins


@pytest.mark.parametrize("coins", [0, -5, MAX_GIFT_COINS + 1, 10**7])
def test_a_custom_gift_outside_the_coin_range_is_refused(coins: int) -> None:
    with pytest.raises(GiftCoinsOutOfRange) as caught:
        new_custom_gift("Pizza", coins)
    err = caught.value
    assert err.key == "settings.error.gift_coins"
    assert (err.coins, err.low, err.high) == (coins, 1, 1_000_000)
    assert err.params == {"low": 1, "high": Quantity(1_000_000, "coins")}


def test_coins_are_checked_before_the_name() -> None:
    with pytest.raises(GiftCoinsOutOfRange):
        new_custom_gift("!!!", 0)


def test_a_custom_gift_name_needs_a_letter_or_digit() -> None:
    with pytest.raises(BadGiftName) as caught:
        new_custom_gift(" !!! ", 10)
    assert caught.value.key == "settings.error.gift_name"
    assert caught.value.name == "!!!"
    with pytest.raises(InvalidValue, match="must not be empty"):
        new_custom_gift("   ", 10)


def test_a_server_holds_at_most_a_hundred_custom_gifts() -> None:
    assert MAX_CUSTOM_GIFTS == 100
    check_room_for_gift(0)
    check_room_for_gift(MAX_CUSTOM_GIFTS - 1)
    for existing in (MAX_CUSTOM_GIFTS, MAX_CUSTOM_GIFTS + 5):
        with pytest.raises(TooManyGifts) as caught:
            check_room_for_gift(existing)
        assert caught.value.key == "settings.error.too_many_gifts"
        assert caught.value.params == {"limit": 100}


# -- would-be profiles ------------------------------------------------------------------------


def test_replaced_freezes_mappings_like_stored_configs() -> None:
    settings = replaced(GuildSettings(), overrides={"cashout_cut": "0.4"}, currency="BRL")
    assert settings.overrides == {"cashout_cut": "0.4"} and settings.currency == "BRL"
    with pytest.raises(TypeError):
        settings.overrides["cashout_cut"] = "0.1"  # type: ignore[index]


def test_the_would_be_profile_applies_the_change() -> None:
    before = GuildSettings()
    after = replaced(before, overrides={"cashout_cut": "0.4"}, fx_overrides={"BRL": "5"})
    profile = profile_of(before, after, customs=[custom_gift("Pizza", 500)])
    assert profile.rates.cashout_cut.value == D("0.4")
    assert profile.rates.fx_rate("BRL") == D(5)
    assert profile.catalog.get("pizza").coins == 500
    assert profile.ignored == ()


def test_a_change_that_breaks_the_profile_is_refused() -> None:
    before = GuildSettings()
    with pytest.raises(AlreadyExists):
        profile_of(before, before, customs=[custom_gift("Rose", 5)])
    with pytest.raises(NotFound):
        profile_of(before, replaced(before, preset="nope"))
    with pytest.raises(InvalidValue):  # the rate card's own check still applies
        profile_of(before, replaced(before, overrides={"cashout_cut": "1"}))


def test_a_stale_stored_setting_does_not_block_an_unrelated_change() -> None:
    stale_gift = custom_gift("Rose", 5)  # a name the shipped catalog now uses
    before = replaced(  # the cut no longer applies
        GuildSettings(), preset="guides", overrides={"cashout_cut": "7"}
    )
    after = replaced(before, currency="BRL")
    profile = profile_of(before, after, customs=[stale_gift], before_customs=[stale_gift])
    assert profile.currency == "BRL"
    assert profile.rates.cashout_cut.value == D("0.5")  # the preset's, as before the change


def test_a_change_to_a_stale_setting_is_checked() -> None:
    before = replaced(GuildSettings(), overrides={"cashout_cut": "7"})
    with pytest.raises(InvalidValue, match="got 8"):
        profile_of(before, replaced(before, overrides={"cashout_cut": "8"}))


def test_resetting_one_bound_that_would_invert_its_range_names_the_other() -> None:
    both_low = replaced(
        GuildSettings(), overrides={"creator_fund_low": "0.005", "creator_fund_high": "0.01"}
    )
    with pytest.raises(ResetBreaksOrder) as caught:
        check_reset(
            both_low,
            [],
            "creator_fund_low",
            catalog=default_catalog(),
            presets=default_presets(),
        )
    err = caught.value
    assert err.key == "settings.error.reset_order"
    assert err.params == {
        "setting": Label("settings.figure.creator_fund_low"),
        "other": Label("settings.figure.creator_fund_high"),
    }
    assert isinstance(err.__cause__, EconomyError)
    profile = check_reset(
        both_low, [], "creator_fund_high", catalog=default_catalog(), presets=default_presets()
    )
    assert profile.rates.views_range("creator-fund").high_per_1000 == D("0.03")


def test_resetting_an_ordinary_figure_keeps_the_rest() -> None:
    before = replaced(
        GuildSettings(), preset="guides", overrides={"cashout_cut": "0.4", "daily_cap_usd": "500"}
    )
    profile = check_reset(
        before, [], "cashout_cut", catalog=default_catalog(), presets=default_presets()
    )
    assert profile.rates.cashout_cut.value == D("0.5")
    assert profile.rates.daily_cap_usd.value == D(500)


# -- the module stays domain ------------------------------------------------------------------


def test_every_refusal_is_an_economy_error_with_a_settings_key() -> None:
    refusals = [
        NotANumber,
        FigureOutOfRange,
        LowAboveHigh,
        ResetBreaksOrder,
        FxOutOfRange,
        GiftCoinsOutOfRange,
        BadGiftName,
        TooManyGifts,
    ]
    for refusal in refusals:
        assert issubclass(refusal, SettingRefused) and issubclass(refusal, EconomyError)
        assert refusal.key.startswith("settings.error.")
    assert len({refusal.key for refusal in refusals}) == len(refusals)


def test_every_overridable_figure_has_bounds_and_views_bounds_pair_up() -> None:
    assert set(BOUNDS) == set(OVERRIDABLE_FIGURES)
    assert set(VIEW_FIGURES) == set(OTHER_BOUND) <= set(OVERRIDABLE_FIGURES)
