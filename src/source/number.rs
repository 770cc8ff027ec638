//! Exact decimal numbers as people write them in evidence: `63`, `63%`, `"63%"`, `64.72`.
//! Never through a float: the text goes straight to [`Decimal`].

use rust_decimal::Decimal;

use crate::source::limits::{MAX_MAGNITUDE, MAX_MAGNITUDE_WORDS};

/// A number read from text, remembering whether it carried a `%` sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub value: Decimal,
    pub percent_sign: bool,
}

/// Why a piece of text is not a number, as a message and an optional help line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotANumber {
    pub message: String,
    pub help: Option<String>,
}

/// Reads a plain decimal with an optional sign and an optional trailing `%`.
pub fn parse_quantity(text: &str) -> Result<Quantity, NotANumber> {
    let trimmed = text.trim();
    let (digits, percent_sign) = match trimmed.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (trimmed, false),
    };
    let unsigned = digits.strip_prefix(['-', '+']).unwrap_or(digits);
    let well_formed = {
        let mut parts = unsigned.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        let fraction = parts.next();
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    };
    if !well_formed {
        return Err(NotANumber {
            message: format!("`{trimmed}` is not a number"),
            help: Some(help_for(unsigned)),
        });
    }
    let value = Decimal::from_str_exact(digits).map_err(|_| NotANumber {
        message: format!("`{trimmed}` has more digits than can be held exactly"),
        help: Some("numbers have at most 28 significant digits".to_string()),
    })?;
    if let Some(problem) = too_large(value) {
        return Err(problem);
    }
    Ok(Quantity {
        value,
        percent_sign,
    })
}

/// Why a number is too large to work with exactly, if it is (see [`MAX_MAGNITUDE`]).
pub fn too_large(value: Decimal) -> Option<NotANumber> {
    (value.abs() >= MAX_MAGNITUDE).then(|| NotANumber {
        message: format!("`{value}` is too large: numbers are held below {MAX_MAGNITUDE_WORDS}"),
        help: Some(
            "rules subtract numbers and take percentages of them, and below this every result is exact; is a unit or a separator wrong?"
                .to_string(),
        ),
    })
}

/// Halfway between two numbers, for an example value. Numbers are read below
/// [`MAX_MAGNITUDE`], far from the ends of the decimal range, so this is exact; it
/// saturates rather than panic if ever asked more.
pub(crate) fn midpoint(a: Decimal, b: Decimal) -> Decimal {
    half(a.saturating_add(b))
}

/// Half a number (exact, and never a panic).
pub(crate) fn half(a: Decimal) -> Decimal {
    a.checked_div(Decimal::TWO).unwrap_or(a)
}

fn help_for(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains('e') && lower.chars().any(|c| c.is_ascii_digit()) {
        "write the number out in full; exponents such as `1e3` are not accepted".to_string()
    } else if text.contains(',') {
        "write the number without thousands separators, e.g. `1234.5`".to_string()
    } else {
        "write a decimal number such as `63`, `63%` or `64.72`".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Decimal {
        parse_quantity(text)
            .map(|q| q.value)
            .unwrap_or(Decimal::MIN)
    }

    #[test]
    fn reads_exact_decimals() {
        assert_eq!(value("63"), Decimal::new(63, 0));
        assert_eq!(value("63%"), Decimal::new(63, 0));
        assert_eq!(value(" 63 % "), Decimal::new(63, 0));
        assert_eq!(value("64.72"), Decimal::new(6472, 2));
        assert_eq!(value("-3"), Decimal::new(-3, 0));
        assert!(parse_quantity("63%").is_ok_and(|q| q.percent_sign));
        assert_eq!(
            value("999999999999.99"),
            Decimal::new(99_999_999_999_999, 2)
        );
    }

    #[test]
    fn refuses_what_is_not_a_plain_number() {
        for bad in [
            "1e400",
            "NaN",
            "inf",
            "",
            "%",
            "1,234",
            "12.",
            ".5",
            "0x1F",
            "1234567890123456789012345678901234567890",
            "9999999999999999999999999999",
            "1000000000000",
            "-1000000000000.5",
        ] {
            assert!(parse_quantity(bad).is_err(), "{bad} should be refused");
        }
    }
}
