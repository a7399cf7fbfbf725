//! Capacity planning: how many leads a revenue target needs, and how many people handle them.
//!
//! **Volumes.** Stages carry the conversion rate from the previous stage (seed 003's MLG
//! funnel: leads → MQL 10% → opportunity 50% → deal 60%; seed 000: leads → order 2.46%). Given
//! leads, each stage's expected volume is leads × the product of rates. Given a revenue target,
//! deals needed = ⌈target ÷ deal size⌉ and leads needed = ⌈deals ÷ product of rates⌉ (seed 000:
//! 1 000 000 ÷ 20 000 = 50 orders ÷ 2.46% → 2 033 leads).
//!
//! **Headcount.** Each role handles one stage's volume at a capacity per head per period:
//! heads = ⌈volume ÷ capacity⌉. Seed 003: SDRs handle 500 leads and reps 10 opportunities each,
//! so 1 000 leads need 2 SDRs + 5 reps; without SDRs, reps handling raw leads at 125 each need 8.
//!
//! **Provenance of these figures.** Quoted: the rates 10% / 50% / 60% (seed 003:
//! 「转化率为10%」, 「从MQL到商机有50%的转化率」, 「再到最初有60%的成交转化」), 2.46% (seed 000:
//! 「从Leads到订单的转化率是2.46%」), 150 RMB a lead (seed 000: 「每个leads的成本在150元左右」) and
//! the head counts (seed 003: 「以1000个线索为例,就需要2个SDR共同5个销售」,
//! 「1000个线索要占用8个销售的全数的时间」).
//! Derived by assumption: the per-head capacities — 500 = 1 000 ÷ 2; 10 assumes the 5 reps work
//! the 50 opportunities (the seed does not say which stage they work); 125 = 1 000 ÷ 8. Assumed:
//! the 1 000 000 target and the 20 000 deal size of the worked example (seed 000 gives neither).
//!
//! **Ratios.** A plan reports heads of one role per head of another and whether the ratio
//! is inside its band. Seed 003 measures reps per SDR and puts it at 2 to 3 (「一个SDR配2-3个
//! 销售」): the 2 SDRs + 5 reps above are 2.5 reps per SDR.
//!
//! **Monte Carlo.** A stage given as observed counts (`{"converted": 100, "of": 1000}`) has an
//! uncertain rate: each run draws it from Beta(converted + 1, of − converted + 1) (uniform
//! prior). With leads given, each run also draws every stage's volume as Binomial(previous
//! volume, rate) — the period-to-period noise of a real funnel; with a target, each run's leads
//! needed = ⌈deals needed ÷ product of drawn rates⌉ (rate uncertainty only). Percentiles
//! interpolate linearly between order statistics (numpy's default).

use serde::{Deserialize, Serialize};

use super::error::FunnelError;
use crate::error::{ConfigError, Error, FieldErrorKind};
use crate::input::Config;
use crate::rng::SplitMix64;

/// Observed conversions from which a rate is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// How many converted.
    pub converted: u64,
    /// Out of how many.
    pub of: u64,
}

/// One stage of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanStage {
    /// Stage id.
    pub id: String,
    /// Conversion rate from the previous stage (fraction in (0, 1]); not on the first stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// Observed counts instead of a rate (their ratio is the rate; Monte Carlo draws around it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observed>,
}

/// A team role and its capacity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRole {
    /// Role name (`SDR`, `Rep`).
    pub id: String,
    /// The stage whose volume the role works.
    pub handles: String,
    /// Units of that volume one person handles per period.
    pub capacity: f64,
}

/// A head-count ratio to report: heads of `role` per head of `per`, with an optional band.
///
/// Seed 003: `{"role": "Rep", "per": "SDR", "min": 2, "max": 3}` (「一个SDR配2-3个销售」).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRatio {
    /// The role counted (a `roles` id).
    pub role: String,
    /// The role it is counted per (a `roles` id).
    pub per: String,
    /// Lowest acceptable ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest acceptable ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Capacity-plan configuration.
///
/// ```json
/// {"stages": [{"id": "Leads"}, {"id": "MQL", "rate": 0.1}, {"id": "Opportunity", "rate": 0.5},
///             {"id": "Deal", "rate": 0.6}],
///  "roles": [{"id": "SDR", "handles": "Leads", "capacity": 500},
///            {"id": "Rep", "handles": "Opportunity", "capacity": 10}],
///  "ratios": [{"role": "Rep", "per": "SDR", "min": 2, "max": 3}],
///  "deal_size": 20000, "cost_per_lead": 150}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityConfig {
    /// Stages from leads to deals.
    pub stages: Vec<PlanStage>,
    /// Roles and capacities.
    #[serde(default)]
    pub roles: Vec<PlanRole>,
    /// Head-count ratios to report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratios: Vec<PlanRatio>,
    /// Average deal size (currency), needed for revenue targets and revenue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_size: Option<f64>,
    /// Cost per lead (currency; seed 000: about 150 RMB), for the lead budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_lead: Option<f64>,
}

fn positive(x: f64, path: &str) -> Result<(), ConfigError> {
    if !x.is_finite() {
        return Err(ConfigError::new(
            FieldErrorKind::NotFinite,
            path.to_string(),
        ));
    }
    if x <= 0.0 {
        return Err(ConfigError::new(
            FieldErrorKind::InvalidValue(format!("`{x}` must be positive")),
            path.to_string(),
        ));
    }
    Ok(())
}

impl Config for CapacityConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.stages.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("at least one stage is needed".into()),
                "stages",
            ));
        }
        for (i, s) in self.stages.iter().enumerate() {
            let path = format!("stages[{i}]");
            if self.stages.iter().take(i).any(|p| p.id == s.id) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(s.id.clone()),
                    format!("{path}.id"),
                ));
            }
            match (i, s.rate, s.observed) {
                (0, None, None) => {}
                (0, _, _) => {
                    return Err(ConfigError::new(
                        FieldErrorKind::InvalidValue("the first stage has no rate".into()),
                        path,
                    ));
                }
                (_, Some(r), None) => {
                    positive(r, &format!("{path}.rate"))?;
                    if r > 1.0 {
                        return Err(ConfigError::new(
                            FieldErrorKind::InvalidValue(format!("rate `{r}` is above 1")),
                            format!("{path}.rate"),
                        ));
                    }
                }
                (_, None, Some(o)) => {
                    if o.of == 0 || o.converted == 0 || o.converted > o.of {
                        return Err(ConfigError::new(
                            FieldErrorKind::InvalidValue(
                                "observed needs 0 < converted ≤ of".into(),
                            ),
                            format!("{path}.observed"),
                        ));
                    }
                }
                _ => {
                    return Err(ConfigError::new(
                        FieldErrorKind::InvalidValue(
                            "give exactly one of `rate` and `observed`".into(),
                        ),
                        path,
                    ));
                }
            }
        }
        for (i, r) in self.roles.iter().enumerate() {
            if !self.stages.iter().any(|s| s.id == r.handles) {
                return Err(ConfigError::new(
                    FieldErrorKind::UnknownReference(r.handles.clone()),
                    format!("roles[{i}].handles"),
                ));
            }
            positive(r.capacity, &format!("roles[{i}].capacity"))?;
            if self.roles.iter().take(i).any(|p| p.id == r.id) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(r.id.clone()),
                    format!("roles[{i}].id"),
                ));
            }
        }
        for (i, r) in self.ratios.iter().enumerate() {
            let path = format!("ratios[{i}]");
            for (id, field) in [(&r.role, "role"), (&r.per, "per")] {
                if !self.roles.iter().any(|x| x.id == *id) {
                    return Err(ConfigError::new(
                        FieldErrorKind::UnknownReference(id.clone()),
                        format!("{path}.{field}"),
                    ));
                }
            }
            if r.role == r.per {
                return Err(ConfigError::invalid(
                    "a ratio is between two roles",
                    format!("{path}.per"),
                ));
            }
            for (bound, field) in [(r.min, "min"), (r.max, "max")] {
                if let Some(b) = bound {
                    positive(b, &format!("{path}.{field}"))?;
                }
            }
            if let (Some(lo), Some(hi)) = (r.min, r.max)
                && lo > hi
            {
                return Err(ConfigError::invalid(
                    format!("min `{lo}` is above max `{hi}`"),
                    format!("{path}.min"),
                ));
            }
        }
        if let Some(d) = self.deal_size {
            positive(d, "deal_size")?;
        }
        if let Some(c) = self.cost_per_lead
            && !(c.is_finite() && c >= 0.0)
        {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("cost per lead must be a non-negative number".into()),
                "cost_per_lead",
            ));
        }
        Ok(())
    }
}

impl CapacityConfig {
    fn rates(&self) -> Vec<f64> {
        self.stages
            .iter()
            .skip(1)
            .map(|s| match (s.rate, s.observed) {
                (Some(r), _) => r,
                (None, Some(o)) => o.converted as f64 / o.of as f64,
                (None, None) => 1.0,
            })
            .collect()
    }
}

/// What to plan for: exactly one of `leads` and `revenue_target`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// Leads per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads: Option<u64>,
    /// Revenue target per period (currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_target: Option<f64>,
}

/// One stage's volume.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StageVolume {
    /// Stage id.
    pub stage: String,
    /// Rate from the previous stage (fraction), none for the first.
    pub rate: Option<f64>,
    /// Expected volume.
    pub volume: f64,
}

/// One role's headcount.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Headcount {
    /// Role.
    pub role: String,
    /// Stage it handles.
    pub handles: String,
    /// Volume of that stage.
    pub volume: f64,
    /// Capacity per head.
    pub capacity: f64,
    /// ⌈volume ÷ capacity⌉.
    pub heads: u64,
    /// volume ÷ (heads × capacity) (fraction).
    pub utilization: f64,
}

/// A head-count ratio of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RoleRatio {
    /// The role counted.
    pub role: String,
    /// The role it is counted per.
    pub per: String,
    /// Heads of `role`.
    pub heads: u64,
    /// Heads of `per`.
    pub per_heads: u64,
    /// heads ÷ per_heads; none when `per` needs no one.
    pub value: Option<f64>,
    /// The band's low end, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The band's high end, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Whether the value is inside the band (none without a value or a band).
    pub within: Option<bool>,
}

/// A deterministic capacity plan.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CapacityPlan {
    /// Leads: as given, or needed for the target.
    pub leads: u64,
    /// Deals needed for the revenue target, when one was given.
    pub deals_needed: Option<u64>,
    /// Product of the rates: leads → last stage (fraction).
    pub overall_rate: f64,
    /// Expected volume of every stage.
    pub stages: Vec<StageVolume>,
    /// Expected revenue (last stage volume × deal size), when the deal size is known.
    pub revenue: Option<f64>,
    /// Leads × cost per lead, when the cost is known.
    pub lead_cost: Option<f64>,
    /// Heads per role.
    pub headcount: Vec<Headcount>,
    /// The configured ratios, in config order.
    pub ratios: Vec<RoleRatio>,
}

/// Most values a Monte Carlo plan keeps: runs × simulated quantities (80 MB of samples).
pub const MAX_SIMULATION_VALUES: u64 = 10_000_000;

/// ⌈x⌉ as a count (`None` when it is not finite or not below 2⁶⁴).
fn ceil(x: f64) -> Option<u64> {
    if !x.is_finite() {
        return None;
    }
    // Guard against 2.0000000000000004 from rounding: a relative tolerance of 1e-12.
    let v = (x - 1e-12 * x.abs().max(1.0)).ceil();
    if v <= 0.0 {
        Some(0)
    } else if v < 18_446_744_073_709_551_616.0 {
        Some(v as u64)
    } else {
        None
    }
}

/// ⌈x⌉ as a count, or an error naming `path` when the count does not fit.
fn count(x: f64, what: &str, path: &str) -> Result<u64, FunnelError> {
    ceil(x).ok_or_else(|| FunnelError::OutOfRange {
        reason: format!("the {what} needed (`{x}`) is not a count below 2^64"),
        path: path.to_string(),
    })
}

/// `x`, or an error naming `path` when it is not finite.
fn finite(x: f64, what: &str, path: &str) -> Result<f64, FunnelError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(FunnelError::OutOfRange {
            reason: format!("the {what} is not a finite number"),
            path: path.to_string(),
        })
    }
}

fn leads_for(
    config: &CapacityConfig,
    input: &PlanInput,
    rates: &[f64],
) -> Result<(u64, Option<u64>), FunnelError> {
    match (input.leads, input.revenue_target) {
        (Some(l), None) => Ok((l, None)),
        (None, Some(t)) => {
            if !(t.is_finite() && t > 0.0) {
                return Err(FunnelError::OutOfRange {
                    reason: "revenue target must be a positive number".into(),
                    path: "plan.revenue_target".into(),
                });
            }
            let size = config
                .deal_size
                .ok_or_else(|| FunnelError::DealSizeRequired {
                    path: "plan.revenue_target".into(),
                })?;
            let deals = count(t / size, "deals", "plan.revenue_target")?;
            let overall: f64 = rates.iter().product();
            let leads = count(deals as f64 / overall, "leads", "plan.revenue_target")?;
            Ok((leads, Some(deals)))
        }
        _ => Err(FunnelError::PlanTarget {
            path: "plan".into(),
        }),
    }
}

fn volumes(leads: f64, rates: &[f64]) -> Vec<f64> {
    let mut v = vec![leads];
    let mut x = leads;
    for r in rates {
        x *= r;
        v.push(x);
    }
    v
}

fn heads(config: &CapacityConfig, vols: &[f64]) -> Result<Vec<Headcount>, FunnelError> {
    config
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let volume = config
                .stages
                .iter()
                .position(|s| s.id == r.handles)
                .and_then(|i| vols.get(i))
                .copied()
                .unwrap_or(0.0);
            let heads = count(
                volume / r.capacity,
                "heads",
                &format!("roles[{i}].capacity"),
            )?;
            Ok(Headcount {
                role: r.id.clone(),
                handles: r.handles.clone(),
                volume,
                capacity: r.capacity,
                heads,
                utilization: if heads > 0 {
                    volume / (heads as f64 * r.capacity)
                } else {
                    0.0
                },
            })
        })
        .collect()
}

/// The deterministic plan (errors name `plan`).
///
/// ```
/// use leadcore::funnel::{capacity_plan, CapacityConfig, PlanInput};
/// use leadcore::input::Config;
/// let config = CapacityConfig::from_json(r#"{"stages": [{"id": "Leads"}, {"id": "Order", "rate": 0.0246}],
///   "deal_size": 20000, "cost_per_lead": 150}"#).unwrap();
/// let plan = capacity_plan(&config, &PlanInput { revenue_target: Some(1e6), ..Default::default() }).unwrap();
/// assert_eq!((plan.deals_needed, plan.leads), (Some(50), 2033));
/// ```
pub fn capacity_plan(config: &CapacityConfig, input: &PlanInput) -> Result<CapacityPlan, Error> {
    config.validate()?;
    let rates = config.rates();
    let (leads, deals_needed) = leads_for(config, input, &rates)?;
    let vols = volumes(leads as f64, &rates);
    let last = vols.last().copied().unwrap_or(0.0);
    let headcount = heads(config, &vols)?;
    Ok(CapacityPlan {
        leads,
        deals_needed,
        overall_rate: rates.iter().product(),
        stages: config
            .stages
            .iter()
            .zip(&vols)
            .enumerate()
            .map(|(i, (s, &v))| StageVolume {
                stage: s.id.clone(),
                rate: i.checked_sub(1).and_then(|j| rates.get(j)).copied(),
                volume: v,
            })
            .collect(),
        revenue: config
            .deal_size
            .map(|d| finite(last * d, "revenue", "deal_size"))
            .transpose()?,
        lead_cost: config
            .cost_per_lead
            .map(|c| finite(leads as f64 * c, "lead cost", "cost_per_lead"))
            .transpose()?,
        ratios: ratios(config, &headcount),
        headcount,
    })
}

fn ratios(config: &CapacityConfig, headcount: &[Headcount]) -> Vec<RoleRatio> {
    let heads = |id: &str| {
        headcount
            .iter()
            .find(|h| h.role == id)
            .map_or(0, |h| h.heads)
    };
    config
        .ratios
        .iter()
        .map(|r| {
            let (n, d) = (heads(&r.role), heads(&r.per));
            let value = (d > 0).then(|| n as f64 / d as f64);
            let banded = r.min.is_some() || r.max.is_some();
            RoleRatio {
                role: r.role.clone(),
                per: r.per.clone(),
                heads: n,
                per_heads: d,
                value,
                min: r.min,
                max: r.max,
                within: value
                    .filter(|_| banded)
                    .map(|v| r.min.is_none_or(|lo| v >= lo) && r.max.is_none_or(|hi| v <= hi)),
            }
        })
        .collect()
}

fn default_runs() -> u32 {
    10_000
}

fn default_percentiles() -> Vec<f64> {
    vec![5.0, 50.0, 95.0]
}

/// Monte Carlo settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    /// Runs (1 to 1 000 000, default 10 000; runs × simulated quantities at most
    /// [`MAX_SIMULATION_VALUES`]).
    #[serde(default = "default_runs")]
    pub runs: u32,
    /// Seed of the generator.
    #[serde(default)]
    pub seed: u64,
    /// Percentiles to report, 0–100 (default 5, 50, 95).
    #[serde(default = "default_percentiles")]
    pub percentiles: Vec<f64>,
}

impl Default for Simulation {
    fn default() -> Self {
        Self {
            runs: default_runs(),
            seed: 0,
            percentiles: default_percentiles(),
        }
    }
}

/// Percentiles of one simulated quantity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Distribution {
    /// What it is: `leads`, `stage:<id>`, `revenue`, `lead_cost`, `heads:<role>`.
    pub quantity: String,
    /// Mean over the runs.
    pub mean: f64,
    /// One value per requested percentile, in the requested order.
    pub values: Vec<f64>,
}

/// The Monte Carlo plan.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CapacitySimulation {
    /// Runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// The requested percentiles.
    pub percentiles: Vec<f64>,
    /// Distributions, in the order: leads, stages, revenue, lead cost, heads per role.
    pub distributions: Vec<Distribution>,
}

/// One draw of Binomial(n, p): exact inversion when the smaller tail's mean is below 30, a
/// rounded normal approximation otherwise.
fn binomial(rng: &mut SplitMix64, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let (q, flip) = if p > 0.5 { (1.0 - p, true) } else { (p, false) };
    let nf = n as f64;
    let k = if nf * q < 30.0 {
        // Inversion: walk the pmf from 0; P(0) = (1-q)^n ≥ e^-60 here. The walk stops 12
        // standard deviations past the mean (a tail below 1e-30): when rounding leaves the
        // summed pmf short of u, it must not walk on to n.
        let u = rng.next_f64();
        let ratio = q / (1.0 - q);
        let mut pmf = (nf * (-q).ln_1p()).exp();
        let mut cdf = pmf;
        let mut k = 0u64;
        let end = n.min((nf * q + 12.0 * (nf * q).sqrt() + 30.0) as u64);
        while u > cdf && k < end {
            pmf *= ratio * (n - k) as f64 / (k + 1) as f64;
            k += 1;
            cdf += pmf;
        }
        k
    } else {
        let x = nf * q + (nf * q * (1.0 - q)).sqrt() * rng.normal();
        x.round().clamp(0.0, nf) as u64
    };
    if flip { n - k } else { k }
}

/// Linear interpolation between order statistics (numpy's default), `sorted` ascending.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    let h = (n - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (
        sorted.get(lo).copied().unwrap_or(0.0),
        sorted.get(hi).copied().unwrap_or(0.0),
    );
    a + (h - lo as f64) * (b - a)
}

/// The plan as percentiles over seeded Monte Carlo runs (errors name `plan`, `simulation`).
pub fn capacity_monte_carlo(
    config: &CapacityConfig,
    input: &PlanInput,
    simulation: &Simulation,
) -> Result<CapacitySimulation, Error> {
    config.validate()?;
    if simulation.runs == 0 || simulation.runs > 1_000_000 {
        return Err(FunnelError::OutOfRange {
            reason: "runs must be between 1 and 1000000".into(),
            path: "simulation.runs".into(),
        }
        .into());
    }
    for (i, p) in simulation.percentiles.iter().enumerate() {
        if !(p.is_finite() && (0.0..=100.0).contains(p)) {
            return Err(FunnelError::OutOfRange {
                reason: format!("percentile `{p}` must be between 0 and 100"),
                path: format!("simulation.percentiles[{i}]"),
            }
            .into());
        }
    }
    let base_rates = config.rates();
    // Check the input once with the point rates (errors are the same for every run).
    let (base_leads, deals_needed) = leads_for(config, input, &base_rates)?;
    let quantities = config.stages.len()
        + config.roles.len()
        + usize::from(deals_needed.is_some())
        + usize::from(config.deal_size.is_some())
        + usize::from(config.cost_per_lead.is_some());
    let requested = u64::from(simulation.runs).saturating_mul(quantities as u64);
    if requested > MAX_SIMULATION_VALUES {
        return Err(FunnelError::LimitExceeded(crate::error::Limit {
            what: "simulation_values",
            limit: MAX_SIMULATION_VALUES,
            requested,
            path: "simulation.runs".into(),
        })
        .into());
    }
    let mut rng = SplitMix64::new(simulation.seed);
    let mut names: Vec<String> = Vec::new();
    if deals_needed.is_some() {
        names.push("leads".into());
    }
    names.extend(config.stages.iter().map(|s| format!("stage:{}", s.id)));
    if config.deal_size.is_some() {
        names.push("revenue".into());
    }
    if config.cost_per_lead.is_some() {
        names.push("lead_cost".into());
    }
    names.extend(config.roles.iter().map(|r| format!("heads:{}", r.id)));
    let mut samples: Vec<Vec<f64>> =
        vec![Vec::with_capacity(simulation.runs as usize); names.len()];
    let mut rates = base_rates.clone();
    for _ in 0..simulation.runs {
        for (r, s) in rates.iter_mut().zip(config.stages.iter().skip(1)) {
            if let Some(o) = s.observed {
                *r = rng.beta(o.converted as f64 + 1.0, (o.of - o.converted) as f64 + 1.0);
            }
        }
        let (leads, vols) = match deals_needed {
            Some(d) => {
                let overall: f64 = rates.iter().product();
                // A drawn rate can be far below the point rate: no count of leads may do.
                let leads = count(d as f64 / overall, "leads", "plan.revenue_target")?;
                (leads, volumes(leads as f64, &rates))
            }
            None => {
                let mut v = vec![base_leads as f64];
                let mut x = base_leads;
                for &r in &rates {
                    x = binomial(&mut rng, x, r);
                    v.push(x as f64);
                }
                (base_leads, v)
            }
        };
        let mut row: Vec<f64> = Vec::with_capacity(names.len());
        if deals_needed.is_some() {
            row.push(leads as f64);
        }
        row.extend(&vols);
        if let Some(d) = config.deal_size {
            let last = vols.last().copied().unwrap_or(0.0);
            row.push(finite(last * d, "revenue", "deal_size")?);
        }
        if let Some(c) = config.cost_per_lead {
            row.push(finite(leads as f64 * c, "lead cost", "cost_per_lead")?);
        }
        row.extend(heads(config, &vols)?.iter().map(|h| h.heads as f64));
        for (s, v) in samples.iter_mut().zip(row) {
            s.push(v);
        }
    }
    let distributions = names
        .into_iter()
        .zip(samples)
        .map(|(quantity, mut s)| {
            s.sort_by(f64::total_cmp);
            let mean = s.iter().sum::<f64>() / s.len().max(1) as f64;
            Distribution {
                quantity,
                mean,
                values: simulation
                    .percentiles
                    .iter()
                    .map(|&p| percentile(&s, p))
                    .collect(),
            }
        })
        .collect();
    Ok(CapacitySimulation {
        runs: simulation.runs,
        seed: simulation.seed,
        percentiles: simulation.percentiles.clone(),
        distributions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_moments() {
        let mut rng = SplitMix64::new(5);
        for (n, p) in [(20u64, 0.1), (1000, 0.3), (100_000, 0.9999), (50, 0.97)] {
            let draws: Vec<f64> = (0..20_000)
                .map(|_| binomial(&mut rng, n, p) as f64)
                .collect();
            let mean = draws.iter().sum::<f64>() / draws.len() as f64;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (mean - n as f64 * p).abs() < 4.0 * sd / (draws.len() as f64).sqrt() + 0.5,
                "{n} {p} {mean}"
            );
        }
    }

    #[test]
    fn counts_that_do_not_fit_are_errors_not_zeros() {
        let config = |v: serde_json::Value| CapacityConfig::from_value(v).unwrap();
        let plan = |t: f64| PlanInput {
            revenue_target: Some(t),
            ..Default::default()
        };
        // 1e308 / 1e-300 is infinite: not 0 deals.
        let c = config(
            serde_json::json!({"stages": [{"id": "L"}, {"id": "D", "rate": 0.5}], "deal_size": 1e-300}),
        );
        let e = capacity_plan(&c, &plan(1e308)).unwrap_err();
        assert_eq!(
            (e.code(), &*e.path()),
            ("out_of_range", "plan.revenue_target")
        );
        // A capacity so small that the heads do not fit.
        let c = config(serde_json::json!({"stages": [{"id": "L"}],
            "roles": [{"id": "SDR", "handles": "L", "capacity": 1e-300}]}));
        let leads = PlanInput {
            leads: Some(1_000_000),
            ..Default::default()
        };
        let e = capacity_plan(&c, &leads).unwrap_err();
        assert_eq!(
            (e.code(), &*e.path()),
            ("out_of_range", "roles[0].capacity")
        );
        // A lead cost beyond f64.
        let c = config(serde_json::json!({"stages": [{"id": "L"}], "cost_per_lead": 1e300}));
        let huge = PlanInput {
            leads: Some(u64::MAX),
            ..Default::default()
        };
        assert_eq!(
            capacity_plan(&c, &huge).unwrap_err().path(),
            "cost_per_lead"
        );
    }

    #[test]
    fn simulations_are_bounded_in_time_and_memory() {
        // A rate near 1e-16 and a huge lead count: the binomial walk stops near the mean.
        let c = CapacityConfig::from_value(
            serde_json::json!({"stages": [{"id": "L"}, {"id": "D", "rate": 1e-16}]}),
        )
        .unwrap();
        let input = PlanInput {
            leads: Some(u64::MAX / 2),
            ..Default::default()
        };
        let sim = Simulation {
            runs: 1_000,
            ..Default::default()
        };
        let out = capacity_monte_carlo(&c, &input, &sim).unwrap();
        assert!(out.distributions[1].mean < 10_000.0);
        // 1,000 roles x 1 M runs would keep 8 GB of samples: refused up front.
        let roles: Vec<serde_json::Value> = (0..1000)
            .map(|i| serde_json::json!({"id": format!("R{i}"), "handles": "L", "capacity": 1}))
            .collect();
        let c = CapacityConfig::from_value(
            serde_json::json!({"stages": [{"id": "L"}], "roles": roles}),
        )
        .unwrap();
        let sim = Simulation {
            runs: 1_000_000,
            ..Default::default()
        };
        let e = capacity_monte_carlo(&c, &input, &sim).unwrap_err();
        assert_eq!(
            (e.code(), &*e.path()),
            ("limit_exceeded", "simulation.runs")
        );
        assert!(e.to_string().contains("1001000000"), "{e}");
    }

    #[test]
    fn percentiles_interpolate() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&s, 50.0), 2.5);
        assert_eq!(percentile(&s, 0.0), 1.0);
        assert_eq!(percentile(&s, 100.0), 4.0);
    }
}
