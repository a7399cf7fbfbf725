//! Attribution configuration: which models to run, at which level, with which parameters.
//!
//! ```json
//! {
//!   "level": "channel",
//!   "separator": ">",
//!   "direct_channels": ["direct"],
//!   "models": [
//!     {"type": "first_touch"}, {"type": "last_touch"}, {"type": "last_non_direct"},
//!     {"type": "linear"}, {"type": "u_shaped"}, {"type": "w_shaped"}, {"type": "full_path"},
//!     {"type": "j_shaped"}, {"type": "inverse_j_shaped"},
//!     {"type": "time_decay", "half_life_days": 7},
//!     {"type": "custom", "name": "ours", "weights": {"first_touch": 0.5, "last_touch": 0.3, "middle": 0.2}},
//!     {"type": "markov", "order": 2},
//!     {"type": "shapley", "game": "conversion_rate", "samples": 2000, "seed": 7}
//!   ]
//! }
//! ```
//! Every model may carry a `name` (default: its type, `markov_k` for order k > 1); names must
//! be unique because results are reported by name.

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind};
use crate::input::Config;

/// The longest Markov order supported (states are tuples of up to this many channels).
pub const MAX_MARKOV_ORDER: u8 = 4;

/// Most channels for which Shapley values of the conversion-rate game are enumerated exactly.
pub const MAX_EXACT_SHAPLEY_CHANNELS: usize = 20;

/// Most permutations a sampled Shapley estimate may draw (checked when the configuration is
/// validated; [`MAX_SHAPLEY_WORK`] also bounds them by the data).
pub const MAX_SHAPLEY_SAMPLES: u32 = 10_000_000;

/// Most work a sampled Shapley estimate may take: `samples × (players + Σ sizes of the
/// observed channel sets)`, each unit one marginal-contribution step (about 10 ns). Beyond it
/// the model is refused with `limit_exceeded` at `models[i].samples` before sampling: e.g.
/// 1,000 channels on one path allow 100,000 samples.
pub const MAX_SHAPLEY_WORK: u64 = 200_000_000;

/// What attribution credits: channels or campaigns.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Credit each touch's channel.
    #[default]
    Channel,
    /// Credit each touch's campaign (touches without one count as `(none)`). Path counts have
    /// no campaigns: their path entries are taken as the keys.
    Campaign,
}

/// Weights of a custom position model: each named slot's share, and the share spread evenly
/// over the touches between the first and the last weighted slot (`middle`). Shares are
/// fractions that sum to 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionWeights {
    /// Share of the first-touch milestone (the first touch unless another is flagged).
    #[serde(default)]
    pub first_touch: f64,
    /// Share of the lead-creation milestone.
    #[serde(default)]
    pub lead_created: f64,
    /// Share of the opportunity-creation milestone.
    #[serde(default)]
    pub opportunity_created: f64,
    /// Share of the closed-won milestone.
    #[serde(default)]
    pub closed_won: f64,
    /// Share of the last touch.
    #[serde(default)]
    pub last_touch: f64,
    /// Share spread evenly over the touches strictly between the weighted slots.
    #[serde(default)]
    pub middle: f64,
}

impl PositionWeights {
    fn new(slots: [f64; 5], middle: f64) -> Self {
        let [
            first_touch,
            lead_created,
            opportunity_created,
            closed_won,
            last_touch,
        ] = slots;
        Self {
            first_touch,
            lead_created,
            opportunity_created,
            closed_won,
            last_touch,
            middle,
        }
    }

    /// Slot shares in the order first touch, lead created, opportunity created, closed won,
    /// last touch.
    pub fn slots(&self) -> [f64; 5] {
        [
            self.first_touch,
            self.lead_created,
            self.opportunity_created,
            self.closed_won,
            self.last_touch,
        ]
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let names = [
            "first_touch",
            "lead_created",
            "opportunity_created",
            "closed_won",
            "last_touch",
        ];
        let all = names
            .iter()
            .copied()
            .zip(self.slots())
            .chain(std::iter::once(("middle", self.middle)));
        for (name, w) in all {
            if !w.is_finite() {
                return Err(ConfigError::new(
                    FieldErrorKind::NotFinite,
                    format!("{path}.{name}"),
                ));
            }
            if w < 0.0 {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!("weight `{w}` is negative")),
                    format!("{path}.{name}"),
                ));
            }
        }
        if self.slots().iter().all(|&w| w == 0.0) {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("at least one slot needs a positive weight".into()),
                path.to_string(),
            ));
        }
        let sum: f64 = self.slots().iter().sum::<f64>() + self.middle;
        if (sum - 1.0).abs() > 1e-9 {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!("weights sum to `{sum}`, not 1")),
                path.to_string(),
            ));
        }
        Ok(())
    }
}

/// Which cooperative game Shapley values are computed for.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ShapleyGame {
    /// v(S) = conversions (value) of the journeys whose channel set is a subset of S: the
    /// "simplified Shapley" of Zhao et al. (2018). Exact for any number of channels.
    #[default]
    Conversions,
    /// v(S) = conversion rate (value per journey) of the journeys whose channel set is a subset
    /// of S; credits are the values scaled to the total conversions (value).
    ConversionRate,
}

/// How Shapley values are computed.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ShapleyMethod {
    /// Exact when possible (always for `conversions`; up to 20 channels for `conversion_rate`),
    /// sampled otherwise.
    #[default]
    Auto,
    /// Exact, or a `too_many_channels` error.
    Exact,
    /// Seeded permutation sampling, with standard errors.
    Sampled,
}

fn default_half_life() -> f64 {
    7.0
}
fn default_order() -> u8 {
    1
}
fn default_samples() -> u32 {
    1000
}

/// One attribution model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    /// All credit to the first touch (the flagged first-touch milestone if any).
    FirstTouch {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// All credit to the last touch.
    LastTouch {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// All credit to the last touch whose channel is not in `direct_channels` (the last touch
    /// when all are direct).
    LastNonDirect {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// Equal credit to every touch (a channel touched twice gets two shares), as
    /// ChannelAttribution's `linear_touch`.
    Linear {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// 40% first touch, 40% lead creation, 20% over the touches between.
    UShaped {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// 30% each to first touch, lead creation and opportunity creation, 10% over the touches
    /// between.
    WShaped {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// 22.5% each to first touch, lead creation, opportunity creation and closed won, 10% over
    /// the touches between.
    FullPath {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// 20% first touch, 60% last touch, 20% over the touches between.
    JShaped {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// 60% first touch, 20% last touch, 20% over the touches between.
    InverseJShaped {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// Touch weight 0.5^(Δt / half-life), Δt from the touch to the last touch, normalised.
    TimeDecay {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Half-life in days (default 7).
        #[serde(default = "default_half_life")]
        half_life_days: f64,
    },
    /// Any position weights.
    Custom {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The weights.
        weights: PositionWeights,
    },
    /// Markov-chain removal effects of order k, solved exactly.
    Markov {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Order k: states are the last k channels (1..=4, default 1).
        #[serde(default = "default_order")]
        order: u8,
        /// Include the transition probabilities in the result.
        #[serde(default)]
        include_transitions: bool,
    },
    /// Shapley values over channel sets.
    Shapley {
        /// Result name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The game (default `conversions`).
        #[serde(default)]
        game: ShapleyGame,
        /// Exact or sampled (default `auto`).
        #[serde(default)]
        method: ShapleyMethod,
        /// Permutations drawn when sampling (default 1000).
        #[serde(default = "default_samples")]
        samples: u32,
        /// Seed of the sampler.
        #[serde(default)]
        seed: u64,
    },
}

impl ModelSpec {
    /// The `type` tag.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::FirstTouch { .. } => "first_touch",
            Self::LastTouch { .. } => "last_touch",
            Self::LastNonDirect { .. } => "last_non_direct",
            Self::Linear { .. } => "linear",
            Self::UShaped { .. } => "u_shaped",
            Self::WShaped { .. } => "w_shaped",
            Self::FullPath { .. } => "full_path",
            Self::JShaped { .. } => "j_shaped",
            Self::InverseJShaped { .. } => "inverse_j_shaped",
            Self::TimeDecay { .. } => "time_decay",
            Self::Custom { .. } => "custom",
            Self::Markov { .. } => "markov",
            Self::Shapley { .. } => "shapley",
        }
    }

    /// The name results are reported under.
    pub fn name(&self) -> String {
        let explicit = match self {
            Self::FirstTouch { name }
            | Self::LastTouch { name }
            | Self::LastNonDirect { name }
            | Self::Linear { name }
            | Self::UShaped { name }
            | Self::WShaped { name }
            | Self::FullPath { name }
            | Self::JShaped { name }
            | Self::InverseJShaped { name }
            | Self::TimeDecay { name, .. }
            | Self::Custom { name, .. }
            | Self::Markov { name, .. }
            | Self::Shapley { name, .. } => name,
        };
        match (explicit, self) {
            (Some(n), _) => n.clone(),
            (None, Self::Markov { order, .. }) if *order > 1 => format!("markov_{order}"),
            (None, _) => self.type_name().to_string(),
        }
    }

    /// Whether the model credits each converted journey on its own (position and time models),
    /// as opposed to the data-driven models fitted on all journeys.
    pub fn is_heuristic(&self) -> bool {
        !matches!(self, Self::Markov { .. } | Self::Shapley { .. })
    }

    /// The position weights of the position models (`None` for linear, last non-direct, time
    /// decay and the data-driven models).
    pub fn position_weights(&self) -> Option<PositionWeights> {
        let pw = PositionWeights::new;
        Some(match self {
            Self::FirstTouch { .. } => pw([1.0, 0.0, 0.0, 0.0, 0.0], 0.0),
            Self::LastTouch { .. } => pw([0.0, 0.0, 0.0, 0.0, 1.0], 0.0),
            Self::UShaped { .. } => pw([0.4, 0.4, 0.0, 0.0, 0.0], 0.2),
            Self::WShaped { .. } => pw([0.3, 0.3, 0.3, 0.0, 0.0], 0.1),
            Self::FullPath { .. } => pw([0.225, 0.225, 0.225, 0.225, 0.0], 0.1),
            Self::JShaped { .. } => pw([0.2, 0.0, 0.0, 0.0, 0.6], 0.2),
            Self::InverseJShaped { .. } => pw([0.6, 0.0, 0.0, 0.0, 0.2], 0.2),
            Self::Custom { weights, .. } => weights.clone(),
            _ => return None,
        })
    }
}

fn default_separator() -> String {
    ">".to_string()
}

fn default_direct() -> Vec<String> {
    vec!["direct".to_string()]
}

fn default_models() -> Vec<ModelSpec> {
    vec![
        ModelSpec::FirstTouch { name: None },
        ModelSpec::LastTouch { name: None },
        ModelSpec::Linear { name: None },
        ModelSpec::Markov {
            name: None,
            order: 1,
            include_transitions: false,
        },
    ]
}

/// The attribution configuration.
///
/// The default runs ChannelAttribution's set: first touch, last touch, linear and Markov
/// order 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributionConfig {
    /// Channels or campaigns (default channels).
    #[serde(default)]
    pub level: Level,
    /// Separator of the channels in path strings (default `>`).
    #[serde(default = "default_separator")]
    pub separator: String,
    /// Channels that last non-direct skips (default `["direct"]`), compared after trimming.
    #[serde(default = "default_direct")]
    pub direct_channels: Vec<String>,
    /// The models, reported in this order.
    #[serde(default = "default_models")]
    pub models: Vec<ModelSpec>,
}

impl Default for AttributionConfig {
    fn default() -> Self {
        Self {
            level: Level::Channel,
            separator: default_separator(),
            direct_channels: default_direct(),
            models: default_models(),
        }
    }
}

impl Config for AttributionConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.separator.trim().is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("separator must not be blank".into()),
                "separator",
            ));
        }
        if self.models.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("at least one model is needed".into()),
                "models",
            ));
        }
        let mut names: Vec<String> = Vec::with_capacity(self.models.len());
        for (i, m) in self.models.iter().enumerate() {
            let path = format!("models[{i}]");
            let name = m.name();
            if name.is_empty() {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("model name must not be empty".into()),
                    format!("{path}.name"),
                ));
            }
            if names.contains(&name) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(name),
                    format!("{path}.name"),
                ));
            }
            names.push(name);
            match m {
                ModelSpec::TimeDecay { half_life_days, .. } => {
                    if !half_life_days.is_finite() {
                        return Err(ConfigError::new(
                            FieldErrorKind::NotFinite,
                            format!("{path}.half_life_days"),
                        ));
                    }
                    if *half_life_days <= 0.0 {
                        return Err(ConfigError::new(
                            FieldErrorKind::InvalidValue(format!(
                                "half-life `{half_life_days}` must be positive"
                            )),
                            format!("{path}.half_life_days"),
                        ));
                    }
                }
                ModelSpec::Custom { weights, .. } => {
                    weights.validate(&format!("{path}.weights"))?
                }
                ModelSpec::Markov { order, .. } if !(1..=MAX_MARKOV_ORDER).contains(order) => {
                    return Err(ConfigError::new(
                        FieldErrorKind::InvalidValue(format!(
                            "order `{order}` must be between 1 and {MAX_MARKOV_ORDER}"
                        )),
                        format!("{path}.order"),
                    ));
                }
                ModelSpec::Shapley { samples, .. }
                    if *samples == 0 || *samples > MAX_SHAPLEY_SAMPLES =>
                {
                    return Err(ConfigError::new(
                        FieldErrorKind::InvalidValue(format!(
                            "samples `{samples}` must be between 1 and {MAX_SHAPLEY_SAMPLES}"
                        )),
                        format!("{path}.samples"),
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }
}
