//! The segment table (号段): which carrier and plan each 3- to 5-digit prefix of an 11-digit
//! number was allocated to (the module docs of [`super`] show it as a table).

use super::{Carrier, Plan};

/// What a segment table entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Subscriber numbers of a carrier.
    Assigned(Carrier, Plan),
    /// 13-digit IoT numbers: never a valid 11-digit number.
    Iot,
    /// Maritime satellite / emergency communications.
    Special,
}

use Carrier::{ChinaBroadnet as B, ChinaMobile as M, ChinaTelecom as T, ChinaUnicom as U};
use Plan::{DataCard as D, Mobile as P, Satellite as S, Virtual as V};

const fn a(carrier: Carrier, plan: Plan) -> Class {
    Class::Assigned(carrier, plan)
}

/// The segment table, sorted by prefix (a unit test checks the order). Lookups try the 5-, 4-
/// and 3-digit prefix of a number, in that order.
pub(super) const SEGMENTS: &[(&str, Class)] = &[
    ("130", a(U, P)),
    ("131", a(U, P)),
    ("132", a(U, P)),
    ("133", a(T, P)),
    ("1340", a(M, P)),
    ("1341", a(M, P)),
    ("1342", a(M, P)),
    ("1343", a(M, P)),
    ("1344", a(M, P)),
    ("1345", a(M, P)),
    ("1346", a(M, P)),
    ("1347", a(M, P)),
    ("1348", a(M, P)),
    ("1349", a(T, S)),
    ("135", a(M, P)),
    ("136", a(M, P)),
    ("137", a(M, P)),
    ("138", a(M, P)),
    ("139", a(M, P)),
    ("141", Class::Iot),
    ("144", Class::Iot),
    ("145", a(U, D)),
    ("146", Class::Iot),
    ("147", a(M, D)),
    ("148", Class::Iot),
    ("149", a(T, D)),
    ("150", a(M, P)),
    ("151", a(M, P)),
    ("152", a(M, P)),
    ("153", a(T, P)),
    ("155", a(U, P)),
    ("156", a(U, P)),
    ("157", a(M, P)),
    ("158", a(M, P)),
    ("159", a(M, P)),
    ("162", a(T, V)),
    ("165", a(M, V)),
    ("166", a(U, P)),
    ("167", a(U, V)),
    ("1700", a(T, V)),
    ("1701", a(T, V)),
    ("1702", a(T, V)),
    ("1703", a(M, V)),
    ("1704", a(U, V)),
    ("1705", a(M, V)),
    ("1706", a(M, V)),
    ("1707", a(U, V)),
    ("1708", a(U, V)),
    ("1709", a(U, V)),
    ("171", a(U, V)),
    ("172", a(M, P)),
    ("173", a(T, P)),
    ("17400", a(T, S)),
    ("17401", a(T, S)),
    ("17402", a(T, S)),
    ("17403", a(T, S)),
    ("17404", a(T, S)),
    ("17405", a(T, S)),
    ("17406", Class::Special),
    ("17407", Class::Special),
    ("17408", Class::Special),
    ("17409", Class::Special),
    ("17410", Class::Special),
    ("17411", Class::Special),
    ("17412", Class::Special),
    ("1749", Class::Special),
    ("175", a(U, P)),
    ("176", a(U, P)),
    ("177", a(T, P)),
    ("178", a(M, P)),
    ("180", a(T, P)),
    ("181", a(T, P)),
    ("182", a(M, P)),
    ("183", a(M, P)),
    ("184", a(M, P)),
    ("185", a(U, P)),
    ("186", a(U, P)),
    ("187", a(M, P)),
    ("188", a(M, P)),
    ("189", a(T, P)),
    ("190", a(T, P)),
    ("191", a(T, P)),
    ("192", a(B, P)),
    ("193", a(T, P)),
    ("195", a(M, P)),
    ("196", a(U, P)),
    ("197", a(M, P)),
    ("198", a(M, P)),
    ("199", a(T, P)),
];

/// The most specific table entry for an 11-digit national number.
pub(super) fn lookup_segment(national: &str) -> Option<(&'static str, Class)> {
    [5, 4, 3].iter().find_map(|&len| {
        let prefix = national.get(..len)?;
        let i = SEGMENTS.binary_search_by(|(p, _)| (*p).cmp(prefix)).ok()?;
        SEGMENTS.get(i).copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unambiguous() {
        assert!(SEGMENTS.windows(2).all(|w| w[0].0 < w[1].0));
        // No 3-digit entry is also split into longer entries.
        for (p, _) in SEGMENTS.iter().filter(|(p, _)| p.len() == 3) {
            assert!(
                !SEGMENTS
                    .iter()
                    .any(|(q, _)| q.len() > 3 && q.starts_with(p)),
                "{p}"
            );
        }
    }
}
