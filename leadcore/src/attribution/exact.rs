//! Exact, order-independent sums of real numbers for mergeable accumulators.
//!
//! Floating-point addition is not associative: summing the same credits in another order (or
//! in another split of a distributed job) can change the last bits. [`Exact`] stores a sum as a
//! signed 128-bit integer count of 2⁻⁶⁴ units. Each added number is rounded once to the nearest
//! unit (≈ 5.4 × 10⁻²⁰: far below a cent or a millionth of a conversion) and integer addition is
//! exact, so any split and any merge order gives the same bits. Single values up to 2⁶² ≈ 4.6 × 10¹⁸
//! and sums up to 2⁶³ ≈ 9.2 × 10¹⁸ fit; beyond that adding reports an overflow instead of wrapping.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// 2⁶⁴ as an `f64` (exact).
const SCALE: f64 = 18_446_744_073_709_551_616.0;

/// A real number held exactly as a multiple of 2⁻⁶⁴.
///
/// In JSON it is written as a decimal string of the integer unit count (JavaScript numbers
/// cannot hold 128-bit integers); in binary forms as a 128-bit integer.
///
/// ```
/// use leadcore::attribution::exact::Exact;
/// let third = Exact::from_f64(1.0 / 3.0).unwrap();
/// let mut sum = Exact::ZERO;
/// for _ in 0..3 {
///     sum = sum.checked_add(third).unwrap();
/// }
/// assert_eq!(sum.to_f64(), 1.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exact(i128);

impl Exact {
    /// Zero.
    pub const ZERO: Exact = Exact(0);

    /// The nearest multiple of 2⁻⁶⁴ to `x`, or `None` when `x` is not finite or |x| ≥ 2⁶².
    pub fn from_f64(x: f64) -> Option<Exact> {
        // x = ±m · 2^e exactly, so x · 2⁶⁴ = ±m · 2^(e + 64): a shift of the integer m, rounded
        // half away from zero (as `f64::round`) when it goes right. Integer work only: the same
        // result as `(x * 2⁶⁴).round() as i128`, without a float rounding call and a 128-bit
        // float-to-integer conversion (the hot path of every credited touch).
        let bits = x.to_bits();
        // Zero (most rows' value) without the shifts below.
        if bits << 1 == 0 {
            return Some(Exact::ZERO);
        }
        let exp = ((bits >> 52) & 0x7ff) as i32;
        if exp == 0x7ff {
            return None;
        }
        let frac = bits & ((1 << 52) - 1);
        let (m, e) = if exp == 0 {
            (frac, -1074)
        } else {
            (frac | 1 << 52, exp - 1075)
        };
        let shift = e + 64;
        let magnitude: u128 = if shift >= 0 {
            // m ≥ 2⁵² when it is this large, so a shift beyond 73 is ≥ 2¹²⁶ anyway.
            if shift > 73 {
                return None;
            }
            u128::from(m) << shift
        } else if shift > -64 {
            let k = -shift;
            u128::from((m + (1 << (k - 1))) >> k)
        } else {
            // m < 2⁵³, so m / 2⁶⁴ < ½ rounds to zero.
            0
        };
        if magnitude >= 1 << 126 {
            return None;
        }
        let units = magnitude as i128;
        Some(Exact(if bits >> 63 == 1 { -units } else { units }))
    }

    /// An integer count (conversions, leads) as an exact sum.
    pub fn from_count(n: u64) -> Exact {
        Exact(i128::from(n) << 64)
    }

    /// The sum of `self` and `other`, or `None` on overflow.
    pub fn checked_add(self, other: Exact) -> Option<Exact> {
        self.0
            .checked_add(other.0)
            .filter(|s| s.unsigned_abs() < 1u128 << 127)
            .map(Exact)
    }

    /// The nearest `f64` (one rounding, so sums of many terms are correctly rounded).
    pub fn to_f64(self) -> f64 {
        (self.0 as f64) / SCALE
    }

    /// The raw count of 2⁻⁶⁴ units.
    pub fn units(self) -> i128 {
        self.0
    }

    /// A sum from its raw count of 2⁻⁶⁴ units.
    pub fn from_units(units: i128) -> Exact {
        Exact(units)
    }

    /// Whether this sum is zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(&self.0)
        } else {
            s.serialize_i128(self.0)
        }
    }
}

impl schemars::JsonSchema for Exact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Exact".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact sum: a decimal integer string of 2^-64 units.",
            "type": "string",
            "pattern": "^-?[0-9]+$",
        })
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Exact;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an exact sum: a decimal integer string of 2^-64 units")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Exact, E> {
                s.parse::<i128>()
                    .map(Exact)
                    .map_err(|_| E::custom(format!("invalid exact sum `{s}`")))
            }
            fn visit_i128<E: de::Error>(self, n: i128) -> Result<Exact, E> {
                Ok(Exact(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Exact, E> {
                Ok(Exact(i128::from(n)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Exact, E> {
                Ok(Exact(i128::from(n)))
            }
        }
        if d.is_human_readable() {
            d.deserialize_str(V)
        } else {
            d.deserialize_i128(V)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trips_common_values() {
        for x in [0.0, 1.0, 0.1, 1.0 / 3.0, 123_456.789, -2.5, 1e15] {
            assert_eq!(Exact::from_f64(x).unwrap().to_f64(), x);
        }
        assert_eq!(Exact::from_f64(f64::NAN), None);
        assert_eq!(Exact::from_f64(1e30), None);
        assert_eq!(Exact::from_count(7).to_f64(), 7.0);
    }

    #[test]
    fn json_is_a_string_of_units() {
        let e = Exact::from_f64(0.5).unwrap();
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(text, "\"9223372036854775808\"");
        assert_eq!(serde_json::from_str::<Exact>(&text).unwrap(), e);
    }

    /// The definition [`Exact::from_f64`] computes with integers.
    fn from_f64_by_rounding(x: f64) -> Option<Exact> {
        if !x.is_finite() {
            return None;
        }
        let units = (x * SCALE).round();
        if units.abs() >= 2f64.powi(126) {
            return None;
        }
        Some(Exact(units as i128))
    }

    #[test]
    fn integer_conversion_matches_rounding_at_the_edges() {
        let mut xs = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
        ];
        for p in [-66, -65, -64, -63, -62, -11, 0, 52, 53, 61, 62, 63] {
            let b = 2f64.powi(p);
            for x in [b, b * 1.5, b * 0.75, b.next_up(), b.next_down()] {
                xs.extend([x, -x]);
            }
        }
        for x in xs {
            assert_eq!(Exact::from_f64(x), from_f64_by_rounding(x), "{x:e}");
        }
    }

    proptest! {
        #[test]
        fn integer_conversion_matches_rounding(bits in any::<u64>(), y in -1e19f64..1e19, z in -1e-15f64..1e-15) {
            for x in [f64::from_bits(bits), y, z] {
                prop_assert_eq!(Exact::from_f64(x), from_f64_by_rounding(x), "{:e}", x);
            }
        }

        #[test]
        fn sums_do_not_depend_on_order(xs in proptest::collection::vec(-1e9f64..1e9, 0..50), rot in 0usize..50) {
            let a = xs.iter().fold(Exact::ZERO, |s, &x| s.checked_add(Exact::from_f64(x).unwrap()).unwrap());
            let mut ys = xs.clone();
            if !ys.is_empty() { let n = ys.len(); ys.rotate_left(rot % n); ys.reverse(); }
            let b = ys.iter().fold(Exact::ZERO, |s, &x| s.checked_add(Exact::from_f64(x).unwrap()).unwrap());
            prop_assert_eq!(a, b);
        }
    }
}
