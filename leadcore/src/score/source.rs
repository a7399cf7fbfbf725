//! Source-channel quality (seed 003): each source's conversion rate from historical outcomes,
//! smoothed for small samples, ranked into tiers, with the routing the seed describes — high
//! tier → SDR now, low tier → pre-nurture pool, rep referral → the referring rep.
//!
//! ## Smoothing
//! A source with `n` leads of which `c` converted gets the posterior mean of a Beta prior:
//!
//! `rate = (c + m·μ) / (n + m)`
//!
//! where `μ` is the prior mean (by default the pooled rate of all sources, an empirical-Bayes
//! choice) and `m` the prior strength in pseudo-leads (default 20). A source with few leads
//! stays close to `μ`; a large one approaches its own `c / n`. `μ = 0.5, m = 2` is Laplace's
//! add-one rule. The source **score** is `rate × 100` (percent).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::check;
use crate::error::{ConfigError, FieldErrorKind};
use crate::input::Config;
use crate::lead::Lead;

/// The source-quality part of a scoring model: historical counts, prior, tiers and routing.
///
/// ```
/// use leadcore::score::source::{SourceModel, quality};
/// let m: SourceModel = serde_json::from_str(r#"{"counts": {
///     "sem": {"leads": 200, "converted": 30}, "content_download": {"leads": 300, "converted": 6}}}"#).unwrap();
/// let t = quality(&m).unwrap();
/// assert_eq!(t.sources[0].source, "sem");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceModel {
    /// Which source field names a lead's source (default `channel`).
    #[serde(default)]
    pub field: SourceField,
    /// Historical leads and conversions per source (see [`count_outcomes`]).
    pub counts: BTreeMap<String, SourceCount>,
    /// The Beta prior used for smoothing.
    #[serde(default)]
    pub prior: Prior,
    /// How smoothed rates map to tiers.
    #[serde(default)]
    pub tiers: SourceTiers,
    /// Channels that are rep referrals: a lead from one with a `referrer` goes to that rep.
    #[serde(default = "default_referral")]
    pub referral_channels: Vec<String>,
}

fn default_referral() -> Vec<String> {
    vec!["referral".to_string()]
}

/// The source field that identifies a lead's source.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SourceField {
    /// `source.channel`.
    #[default]
    Channel,
    /// `source.campaign`.
    Campaign,
    /// `source.utm_source`.
    UtmSource,
    /// `source.utm_medium`.
    UtmMedium,
}

/// Historical counts of one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceCount {
    /// Leads from the source.
    pub leads: u64,
    /// Of those, leads that converted (≤ `leads`).
    pub converted: u64,
}

/// The Beta prior of the smoothing: mean `mean` (default: the pooled rate) and strength
/// `strength` pseudo-leads (> 0, default 20).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prior {
    /// Pseudo-leads of prior evidence.
    #[serde(default = "default_strength")]
    pub strength: f64,
    /// Prior conversion rate in [0, 1]; `null` for the pooled rate of all sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
}

/// 20 pseudo-leads — assumed (a statistical choice; seed 003 ranks sources by conversion but
/// gives no numbers).
fn default_strength() -> f64 {
    20.0
}

impl Default for Prior {
    fn default() -> Self {
        Self {
            strength: default_strength(),
            mean: None,
        }
    }
}

/// How smoothed rates map to tiers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SourceTiers {
    /// Relative to the prior mean `μ`: high when `rate ≥ high × μ` and above `μ`; low when
    /// `rate < low × μ`; else mid. Defaults 1.25 and 0.75.
    Relative {
        /// Multiple of `μ` from which a source is high (≥ 1).
        high: f64,
        /// Multiple of `μ` below which a source is low (≤ 1).
        low: f64,
    },
    /// Absolute rates: high when `rate ≥ high`, low when `rate < low`.
    Absolute {
        /// Rate from which a source is high.
        high: f64,
        /// Rate below which a source is low (≤ `high`).
        low: f64,
    },
}

/// 1.25 / 0.75 of the prior mean — assumed (seed 003 names high- and low-scoring sources, with
/// no cut-offs).
impl Default for SourceTiers {
    fn default() -> Self {
        Self::Relative {
            high: 1.25,
            low: 0.75,
        }
    }
}

/// A tier: source tiers and the combined score's tiers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "SourceTier")]
pub enum Tier {
    /// Lowest.
    Low,
    /// Middle.
    Mid,
    /// Highest.
    High,
}

/// Where a new lead should go, by its source (seed 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Route {
    /// High-tier source: straight to an SDR.
    SdrNow,
    /// Mid-tier source: the SDR queue at normal priority.
    SdrQueue,
    /// Low-tier source: the pre-nurture pool first.
    PreNurture,
    /// A rep referral: straight to the referring rep.
    ReferringRep {
        /// The referring rep.
        rep: String,
    },
}

/// One source's quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SourceQuality {
    /// The source name.
    pub source: String,
    /// Historical leads.
    pub leads: u64,
    /// Historical conversions.
    pub converted: u64,
    /// `converted / leads` (0 with no leads), rounded to 6 decimals.
    pub raw_rate: f64,
    /// The smoothed rate, rounded to 6 decimals.
    pub rate: f64,
    /// `rate × 100`, rounded to 4 decimals.
    pub score: f64,
    /// Rank by smoothed rate, 1 = best (ties broken by name).
    pub rank: u32,
    /// The tier.
    pub tier: Tier,
    /// The route of a lead from this source (rep referrals without a rep aside).
    pub route: Route,
}

/// Every source's quality, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SourceTable {
    /// The prior mean `μ` used (the pooled rate unless configured), rounded to 6 decimals.
    pub prior_mean: f64,
    /// The prior strength `m`.
    pub prior_strength: f64,
    /// The sources, by rank.
    pub sources: Vec<SourceQuality>,
}

/// A lead's source score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SourceScore {
    /// The lead's source (`null` when the field is empty).
    pub source: Option<String>,
    /// Whether the source has history; unknown sources get the prior mean.
    pub known: bool,
    /// Smoothed conversion rate × 100.
    pub score: f64,
    /// The tier.
    pub tier: Tier,
    /// Where the lead should go.
    pub route: Route,
}

/// A historical lead: its source and the stage it ended in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceOutcome {
    /// The lead's source.
    pub source: String,
    /// The stage the lead ended in (`null` if it never entered the pipeline).
    #[serde(default)]
    pub stage: Option<String>,
}

/// Counts leads and conversions per source; a lead converted when its final stage is one of
/// `converted_stages` (compared exactly).
pub fn count_outcomes(
    converted_stages: &[String],
    outcomes: &[SourceOutcome],
) -> BTreeMap<String, SourceCount> {
    let mut counts: BTreeMap<String, SourceCount> = BTreeMap::new();
    for o in outcomes {
        let c = counts.entry(o.source.clone()).or_insert(SourceCount {
            leads: 0,
            converted: 0,
        });
        c.leads += 1;
        if o.stage
            .as_ref()
            .is_some_and(|s| converted_stages.contains(s))
        {
            c.converted += 1;
        }
    }
    counts
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl SourceModel {
    /// Checks counts, prior and tiers; `path` is the JSON path of the source object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        let counts = check::at(path, "counts");
        for (name, c) in &self.counts {
            if name.trim().is_empty() {
                return Err(ConfigError::invalid("a source name is empty", counts));
            }
            if c.converted > c.leads {
                return Err(ConfigError::invalid(
                    format!("{} converted out of {} leads", c.converted, c.leads),
                    check::at(&check::at(&counts, name), "converted"),
                ));
            }
        }
        let prior = check::at(path, "prior");
        let sp = check::at(&prior, "strength");
        check::points(self.prior.strength, &sp)?;
        if self.prior.strength <= 0.0 {
            return Err(ConfigError::invalid("the prior strength must be > 0", sp));
        }
        if let Some(m) = self.prior.mean {
            check::fraction(m, &check::at(&prior, "mean"))?;
        }
        let tp = check::at(path, "tiers");
        match self.tiers {
            SourceTiers::Relative { high, low } => {
                check::non_negative(high, &check::at(&tp, "high"))?;
                check::non_negative(low, &check::at(&tp, "low"))?;
                if high < 1.0 || low > 1.0 {
                    return Err(ConfigError::invalid(
                        "relative tiers need `high` ≥ 1 and `low` ≤ 1",
                        tp,
                    ));
                }
            }
            SourceTiers::Absolute { high, low } => {
                check::fraction(high, &check::at(&tp, "high"))?;
                check::fraction(low, &check::at(&tp, "low"))?;
                if low > high {
                    return Err(ConfigError::invalid(
                        "`low` is above `high`",
                        check::at(&tp, "low"),
                    ));
                }
            }
        }
        if let Some((i, _)) = self
            .referral_channels
            .iter()
            .enumerate()
            .find(|(_, c)| c.trim().is_empty())
        {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("a channel name is empty".into()),
                check::nth(&check::at(path, "referral_channels"), i),
            ));
        }
        Ok(())
    }

    fn mean(&self) -> f64 {
        self.prior.mean.unwrap_or_else(|| {
            let (n, c) = self
                .counts
                .values()
                .fold((0u64, 0u64), |(n, c), s| (n + s.leads, c + s.converted));
            if n == 0 { 0.0 } else { c as f64 / n as f64 }
        })
    }

    fn tier(&self, rate: f64, mean: f64) -> Tier {
        match self.tiers {
            SourceTiers::Relative { high, low } => {
                if rate > mean && rate >= high * mean {
                    Tier::High
                } else if rate < mean && rate < low * mean {
                    Tier::Low
                } else {
                    Tier::Mid
                }
            }
            SourceTiers::Absolute { high, low } => {
                if rate >= high {
                    Tier::High
                } else if rate < low {
                    Tier::Low
                } else {
                    Tier::Mid
                }
            }
        }
    }
}

fn route_for(tier: Tier) -> Route {
    match tier {
        Tier::High => Route::SdrNow,
        Tier::Mid => Route::SdrQueue,
        Tier::Low => Route::PreNurture,
    }
}

impl Config for SourceModel {
    fn validate(&self) -> Result<(), ConfigError> {
        self.validate_at("$")
    }
}

/// Computes every source's smoothed rate, rank, tier and route.
pub fn quality(model: &SourceModel) -> Result<SourceTable, ConfigError> {
    model.validate_at("$")?;
    Ok(SourceEngine::new(model).table)
}

/// A compiled source model.
#[derive(Debug, Clone)]
pub(crate) struct SourceEngine {
    model: SourceModel,
    mean: f64,
    table: SourceTable,
    /// (source name, row in `table.sources`), sorted by name.
    index: Vec<(String, usize)>,
}

impl SourceEngine {
    /// Builds the table of a validated model.
    pub(crate) fn new(model: &SourceModel) -> Self {
        let mean = model.mean();
        let m = model.prior.strength;
        let mut rows: Vec<(f64, &String, &SourceCount)> = model
            .counts
            .iter()
            .map(|(name, c)| {
                let rate = (c.converted as f64 + m * mean) / (c.leads as f64 + m);
                (rate, name, c)
            })
            .collect();
        rows.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let sources: Vec<SourceQuality> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (rate, name, c))| {
                let tier = model.tier(rate, mean);
                SourceQuality {
                    source: name.clone(),
                    leads: c.leads,
                    converted: c.converted,
                    raw_rate: if c.leads == 0 {
                        0.0
                    } else {
                        round6(c.converted as f64 / c.leads as f64)
                    },
                    rate: round6(rate),
                    score: check::round(rate * 100.0),
                    rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    tier,
                    route: route_for(tier),
                }
            })
            .collect();
        let mut index: Vec<(String, usize)> = sources
            .iter()
            .enumerate()
            .map(|(i, r): (usize, &SourceQuality)| (r.source.clone(), i))
            .collect();
        index.sort();
        Self {
            model: model.clone(),
            mean,
            index,
            table: SourceTable {
                prior_mean: round6(mean),
                prior_strength: m,
                sources,
            },
        }
    }

    fn name<'a>(&self, lead: &'a Lead) -> Option<&'a str> {
        let s = &lead.source;
        match self.model.field {
            SourceField::Channel => &s.channel,
            SourceField::Campaign => &s.campaign,
            SourceField::UtmSource => &s.utm_source,
            SourceField::UtmMedium => &s.utm_medium,
        }
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    }

    fn row(&self, name: Option<&str>) -> Option<&SourceQuality> {
        let n = name?;
        self.index
            .binary_search_by(|(k, _)| k.as_str().cmp(n))
            .ok()
            .and_then(|i| self.index.get(i))
            .and_then(|(_, r)| self.table.sources.get(*r))
    }

    /// The lead's source score only (the fast path of [`SourceEngine::score`]).
    pub(crate) fn points(&self, lead: &Lead) -> f64 {
        self.row(self.name(lead))
            .map_or_else(|| check::round(self.mean * 100.0), |r| r.score)
    }

    /// The lead's source score and route.
    pub(crate) fn score(&self, lead: &Lead) -> SourceScore {
        let s = &lead.source;
        let name = self.name(lead);
        let row = self.row(name);
        let (score, tier) = match row {
            Some(r) => (r.score, r.tier),
            None => (
                check::round(self.mean * 100.0),
                self.model.tier(self.mean, self.mean),
            ),
        };
        let referral = s.channel.as_deref().is_some_and(|c| {
            self.model
                .referral_channels
                .iter()
                .any(|r| r.as_str() == c.trim())
        });
        let route = match s.referrer.as_deref().map(str::trim) {
            Some(rep) if referral && !rep.is_empty() => Route::ReferringRep {
                rep: rep.to_string(),
            },
            _ => route_for(tier),
        };
        SourceScore {
            source: name.map(str::to_string),
            known: row.is_some(),
            score,
            tier,
            route,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_pulls_small_sources_to_the_mean() {
        let m: SourceModel = serde_json::from_value(serde_json::json!({
            "counts": {"sem": {"leads": 180, "converted": 36}, "event": {"leads": 2, "converted": 2},
                       "content": {"leads": 18, "converted": 0}},
            "prior": {"strength": 20}
        }))
        .unwrap();
        let t = quality(&m).unwrap();
        // pooled: 38 / 200 = 0.19
        assert_eq!(t.prior_mean, 0.19);
        let sem = t.sources.iter().find(|s| s.source == "sem").unwrap();
        assert_eq!((sem.rate, sem.tier), (0.199, Tier::Mid)); // (36 + 3.8) / 200
        let event = t.sources.iter().find(|s| s.source == "event").unwrap();
        // (2 + 3.8) / 22 = 0.263636…
        assert_eq!(
            (event.rate, event.rank, event.tier),
            (0.263636, 1, Tier::High)
        );
        let content = &t.sources[2];
        assert_eq!(
            (content.source.as_str(), content.tier),
            ("content", Tier::Low)
        );
    }
}
