//! Letter grades for fit: a Pardot-style ladder moved by thirds of a letter, or thresholds on
//! the fit score.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::check;
use crate::error::ConfigError;

/// A letter grade, worst to best: `F`, `D`, `D+`, `C-`, `C`, `C+`, `B-`, `B`, `B+`, `A-`, `A`,
/// `A+`. Each step is a third of a letter; `D` is the Pardot starting grade.
///
/// ```
/// use leadcore::score::grade::Grade;
/// assert_eq!(Grade::D.moved(2), Grade::CMinus);
/// assert_eq!(Grade::D.moved(-5), Grade::F);
/// assert_eq!(serde_json::to_string(&Grade::BPlus).unwrap(), r#""B+""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Grade {
    /// F: poor.
    F,
    /// D: below average (the starting grade).
    D,
    /// D+.
    DPlus,
    /// C-.
    CMinus,
    /// C: average.
    C,
    /// C+.
    CPlus,
    /// B-.
    BMinus,
    /// B: good.
    B,
    /// B+.
    BPlus,
    /// A-.
    AMinus,
    /// A: great.
    A,
    /// A+.
    APlus,
}

impl Grade {
    /// Every grade, worst first.
    pub const ALL: [Grade; 12] = [
        Self::F,
        Self::D,
        Self::DPlus,
        Self::CMinus,
        Self::C,
        Self::CPlus,
        Self::BMinus,
        Self::B,
        Self::BPlus,
        Self::AMinus,
        Self::A,
        Self::APlus,
    ];

    /// The grade's text (`C-` uses an ASCII hyphen).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::F => "F",
            Self::D => "D",
            Self::DPlus => "D+",
            Self::CMinus => "C-",
            Self::C => "C",
            Self::CPlus => "C+",
            Self::BMinus => "B-",
            Self::B => "B",
            Self::BPlus => "B+",
            Self::AMinus => "A-",
            Self::A => "A",
            Self::APlus => "A+",
        }
    }

    /// Position on the ladder, 0 (`F`) to 11 (`A+`).
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The grade `thirds` thirds of a letter up (down when negative), kept within `F..=A+`.
    pub fn moved(self, thirds: i32) -> Grade {
        let i = (i32::from(self.index()) + thirds).clamp(0, 11);
        Self::ALL
            .get(usize::try_from(i).unwrap_or(0))
            .copied()
            .unwrap_or(self)
    }

    /// Parses a grade; the Unicode minus `−` is accepted for `-`.
    pub fn parse(text: &str) -> Option<Grade> {
        let t = text.trim().replace('−', "-");
        Self::ALL.iter().copied().find(|g| g.as_str() == t)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Grade {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Grade::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown variant `{text}`, expected a grade from `F` to `A+`"
            ))
        })
    }
}

impl schemars::JsonSchema for Grade {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Grade".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = Self::ALL.iter().map(|g| g.as_str()).collect();
        schemars::json_schema!({
            "description": "A fit grade, `F` (poor) to `A+` (excellent), in thirds.",
            "type": "string",
            "enum": names,
        })
    }
}

/// How the fit grade is computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GradeModel {
    /// Pardot-style: start at `start` (default `D`); each fit rule that matches moves the grade
    /// up by its `grade` thirds, each that does not match moves it down; missing attributes
    /// leave it unchanged (unless the rule treats missing as a mismatch).
    Ladder {
        /// The starting grade.
        #[serde(default = "default_start")]
        start: Grade,
    },
    /// The first threshold (highest `min` first) at or below the fit score gives the grade.
    Thresholds {
        /// Thresholds by strictly decreasing `min` and grade.
        grades: Vec<GradeThreshold>,
        /// Grade below every threshold (default `F`).
        #[serde(default = "default_below")]
        otherwise: Grade,
    },
}

fn default_start() -> Grade {
    Grade::D
}

fn default_below() -> Grade {
    Grade::F
}

impl Default for GradeModel {
    fn default() -> Self {
        Self::Ladder { start: Grade::D }
    }
}

/// A fit-score threshold for a grade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeThreshold {
    /// The grade given.
    pub grade: Grade,
    /// Lowest fit score (inclusive) for this grade.
    pub min: f64,
}

impl GradeModel {
    /// Checks the thresholds; `path` is the JSON path of the grade object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        let Self::Thresholds { grades, otherwise } = self else {
            return Ok(());
        };
        let list = check::at(path, "grades");
        if grades.is_empty() {
            return Err(ConfigError::invalid(
                "at least one threshold is needed",
                list,
            ));
        }
        for (i, g) in grades.iter().enumerate() {
            let p = check::nth(&list, i);
            check::points(g.min, &check::at(&p, "min"))?;
            if let Some(prev) = i.checked_sub(1).and_then(|j| grades.get(j))
                && (g.min >= prev.min || g.grade >= prev.grade)
            {
                return Err(ConfigError::invalid(
                    "thresholds must go from the best grade and highest `min` down",
                    p,
                ));
            }
        }
        if grades.last().is_some_and(|g| *otherwise >= g.grade) {
            return Err(ConfigError::invalid(
                "`otherwise` must be below the lowest threshold's grade",
                check::at(path, "otherwise"),
            ));
        }
        Ok(())
    }

    /// The grade for a fit score and the net thirds moved by the rules.
    pub(crate) fn grade(&self, score: f64, thirds: i32) -> Grade {
        match self {
            Self::Ladder { start } => start.moved(thirds),
            Self::Thresholds { grades, otherwise } => grades
                .iter()
                .find(|g| score >= g.min)
                .map_or(*otherwise, |g| g.grade),
        }
    }
}
