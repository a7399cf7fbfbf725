//! Decay: how a rule group's points fade with the age of the event that earned them.
//!
//! Decay is evaluated lazily at `now` (no nightly job): an event `age` days old contributes
//! `points × factor(age)`. A group uses exactly one mode; fit scores never decay.

use serde::{Deserialize, Serialize};

use super::check;
use crate::error::ConfigError;
use crate::time::SECONDS_PER_DAY;

/// How a group's points fade with event age.
///
/// ```
/// use leadcore::score::decay::Decay;
/// let d: Decay = serde_json::from_str(r#"{"type": "half_life", "half_life_days": 30}"#).unwrap();
/// assert_eq!(d.factor(30.0), 0.5);
/// let s: Decay = serde_json::from_str(r#"{"type": "steps", "steps": [
///     {"after_days": 30, "reduce": 0.25}, {"after_days": 60, "reduce": 0.5}]}"#).unwrap();
/// assert_eq!((s.factor(29.0), s.factor(30.0), s.factor(90.0)), (1.0, 0.75, 0.5));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decay {
    /// Points keep their full value forever.
    #[default]
    None,
    /// Exponential: `points × 0.5^(age_days / half_life_days)`.
    HalfLife {
        /// Days after which an event is worth half its points (> 0).
        half_life_days: f64,
    },
    /// A step schedule: from `after_days` on, points are reduced by `reduce` (a fraction of the
    /// original points, not compounded): `[{30, 0.25}, {60, 0.5}]` means ×0.75 from day 30 and
    /// ×0.5 from day 60.
    Steps {
        /// Steps sorted by strictly increasing `after_days`, with non-decreasing `reduce`.
        steps: Vec<DecayStep>,
    },
    /// A cut-off: events older than `days` do not count at all (they are not counted as
    /// events either); younger ones count in full.
    Window {
        /// Window length in days (> 0).
        days: f64,
    },
}

/// One step of a [`Decay::Steps`] schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecayStep {
    /// Age in days from which this step applies (inclusive).
    pub after_days: f64,
    /// Reduction as a fraction of the original points, in [0, 1].
    pub reduce: f64,
}

impl Decay {
    /// Checks the mode's numbers; `path` is the JSON path of the decay object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        match self {
            Self::None => Ok(()),
            Self::HalfLife { half_life_days } => {
                check::days(*half_life_days, &check::at(path, "half_life_days"))
            }
            Self::Window { days } => check::days(*days, &check::at(path, "days")),
            Self::Steps { steps } => {
                let list = check::at(path, "steps");
                if steps.is_empty() {
                    return Err(ConfigError::invalid(
                        "a step schedule needs at least one step",
                        list,
                    ));
                }
                let mut prev: Option<&DecayStep> = None;
                for (i, s) in steps.iter().enumerate() {
                    let p = check::nth(&list, i);
                    check::days(s.after_days, &check::at(&p, "after_days"))?;
                    check::fraction(s.reduce, &check::at(&p, "reduce"))?;
                    if let Some(prev) = prev {
                        if s.after_days <= prev.after_days {
                            return Err(ConfigError::invalid(
                                format!(
                                    "steps must be sorted by strictly increasing `after_days`: \
                                     `{}` follows `{}`",
                                    s.after_days, prev.after_days
                                ),
                                check::at(&p, "after_days"),
                            ));
                        }
                        if s.reduce < prev.reduce {
                            return Err(ConfigError::invalid(
                                format!(
                                    "a later step cannot reduce less (`{}` after `{}`): points \
                                     would grow back with age",
                                    s.reduce, prev.reduce
                                ),
                                check::at(&p, "reduce"),
                            ));
                        }
                    }
                    prev = Some(s);
                }
                Ok(())
            }
        }
    }

    /// The factor applied to points earned `age_days` ago (1 for age ≤ 0). For
    /// [`Decay::Window`] it is 1 inside the window and 0 beyond.
    pub fn factor(&self, age_days: f64) -> f64 {
        self.compile().factor(age_days * SECONDS_PER_DAY)
    }

    pub(crate) fn compile(&self) -> DecayFn {
        match self {
            Self::None => DecayFn::None,
            Self::HalfLife { half_life_days } => DecayFn::HalfLife {
                per_second: 1.0 / (half_life_days * SECONDS_PER_DAY),
            },
            Self::Steps { steps } => DecayFn::Steps(
                steps
                    .iter()
                    .map(|s| (s.after_days * SECONDS_PER_DAY, 1.0 - s.reduce))
                    .collect(),
            ),
            Self::Window { days } => DecayFn::Window {
                seconds: days * SECONDS_PER_DAY,
            },
        }
    }

    /// The window length in seconds for [`Decay::Window`].
    pub(crate) fn window_seconds(&self) -> Option<f64> {
        match self {
            Self::Window { days } => Some(days * SECONDS_PER_DAY),
            _ => None,
        }
    }
}

/// A compiled decay mode: factors from integer ages in seconds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DecayFn {
    None,
    HalfLife {
        per_second: f64,
    },
    /// (age threshold in seconds, factor from there on), ascending.
    Steps(Vec<(f64, f64)>),
    Window {
        seconds: f64,
    },
}

impl DecayFn {
    /// The factor for an age in seconds (ages ≤ 0 are worth full points).
    #[inline]
    pub(crate) fn factor(&self, age_seconds: f64) -> f64 {
        if age_seconds <= 0.0 {
            return 1.0;
        }
        match self {
            Self::None => 1.0,
            Self::HalfLife { per_second } => (-age_seconds * per_second).exp2(),
            Self::Steps(steps) => {
                let mut factor = 1.0;
                for &(after, f) in steps {
                    if age_seconds < after {
                        break;
                    }
                    factor = f;
                }
                factor
            }
            Self::Window { seconds } => {
                if age_seconds <= *seconds {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_life_halves() {
        let d = Decay::HalfLife {
            half_life_days: 7.0,
        };
        assert_eq!(d.factor(0.0), 1.0);
        assert_eq!(d.factor(7.0), 0.5);
        assert_eq!(d.factor(14.0), 0.25);
        assert_eq!(d.factor(-3.0), 1.0);
    }

    #[test]
    fn bad_schedules_name_their_path() {
        let d = Decay::Steps {
            steps: vec![
                DecayStep {
                    after_days: 60.0,
                    reduce: 0.5,
                },
                DecayStep {
                    after_days: 30.0,
                    reduce: 0.25,
                },
            ],
        };
        let e = d.validate_at("g.decay").unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("invalid_value", "g.decay.steps[1].after_days")
        );
        let e = Decay::HalfLife {
            half_life_days: 0.0,
        }
        .validate_at("d")
        .unwrap_err();
        assert_eq!(e.path, "d.half_life_days");
        let e = Decay::HalfLife {
            half_life_days: f64::NAN,
        }
        .validate_at("d")
        .unwrap_err();
        assert_eq!(e.code(), "not_finite");
    }
}
