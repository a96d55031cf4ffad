//! Money: exact decimals with an ISO 4217 currency, and the derived figures of a project.

use rust_decimal::Decimal;

use crate::ValidationError;

/// Active ISO 4217 currency codes.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// An ISO 4217 currency code, upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Currency(String);

impl Currency {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let code = raw.trim().to_uppercase();
        if ISO_4217.binary_search(&code.as_str()).is_ok() {
            Ok(Self(code))
        } else {
            Err(ValidationError::new(
                field,
                format!("{raw:?} is not an ISO 4217 currency code such as USD or PEN"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The largest amount or indicator value cmnp records: a trillion, far above any
/// project's figures and far below where sums or ratios could overflow.
pub const LARGEST: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// A positive or zero amount, with at most two decimal places.
pub fn amount(field: &str, value: Decimal) -> Result<Decimal, ValidationError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ValidationError::new(field, "must not be negative"));
    }
    if value > LARGEST {
        return Err(ValidationError::new(field, "must be at most 1000000000000"));
    }
    if value.scale() > 2 && value.normalize().scale() > 2 {
        return Err(ValidationError::new(
            field,
            "has more than two decimal places",
        ));
    }
    Ok(value)
}

/// A percentage `part / whole * 100` to two decimals (halves away from zero), or `None`
/// when `whole` is zero or the result would not fit.
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    let mut value = part
        .checked_div(whole)?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    value.rescale(2);
    Some(value)
}

/// Sums amounts that must share `currency`; a different one is refused, never converted.
pub fn sum<'a>(
    currency: &str,
    amounts: impl IntoIterator<Item = (&'a str, Decimal)>,
) -> Result<Decimal, MixedCurrencies> {
    let mut total = Decimal::ZERO;
    for (item_currency, value) in amounts {
        if item_currency != currency {
            return Err(MixedCurrencies {
                expected: currency.to_owned(),
                found: item_currency.to_owned(),
            });
        }
        // Inputs are capped at a trillion, so this sum cannot overflow in practice; the
        // check keeps it that way whatever the inputs.
        total = total.checked_add(value).unwrap_or(Decimal::MAX);
    }
    Ok(total)
}

/// Amounts in different currencies were about to be added up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("amounts in {found} cannot be added to a total in {expected}")]
pub struct MixedCurrencies {
    pub expected: String,
    pub found: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_code_list_is_sorted_for_binary_search() {
        assert!(ISO_4217.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(
            Currency::parse("currency", " usd ").unwrap().as_str(),
            "USD"
        );
        assert_eq!(
            Currency::parse("currency", "XYZ").unwrap_err().field,
            "currency"
        );
    }

    #[test]
    fn amounts_are_exact_and_not_negative() {
        assert_eq!(
            sum("USD", [("USD", d("0.10")), ("USD", d("0.20"))]).unwrap(),
            d("0.30")
        );
        assert!(sum("USD", [("USD", d("1")), ("PEN", d("1"))]).is_err());
        assert_eq!(amount("amount", d("-0.01")).unwrap_err().field, "amount");
        assert_eq!(amount("amount", d("1.005")).unwrap_err().field, "amount");
        assert!(amount("amount", d("125000.50")).is_ok());
        assert_eq!(LARGEST, d("1000000000000"));
        assert_eq!(
            amount("amount", d("1000000000000.01")).unwrap_err().field,
            "amount"
        );
        assert_eq!(percent(d("1"), d("3")), Some(d("33.33")));
        assert_eq!(percent(d("1"), d("8")).unwrap().to_string(), "12.50");
        assert_eq!(percent(d("1"), d("0")), None);
        assert_eq!(percent(Decimal::MAX, d("0.0000000001")), None);
    }
}
