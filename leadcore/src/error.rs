//! Typed errors with stable codes.
//!
//! Every error has a `code()`: a stable snake_case string that callers (and the Python and Node
//! bindings) branch on. Messages are lowercase with user input in backticks; they may change,
//! codes do not. [`all_error_codes`] lists every code.

use std::borrow::Cow;
use std::fmt;

use crate::clean::DedupError;

/// What is wrong with one field of a configuration or an input document.
#[derive(
    Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum FieldErrorKind {
    /// The text is not well-formed JSON.
    #[error("malformed json: {0}")]
    #[strum(serialize = "json_syntax")]
    Syntax(String),
    /// A key that the type does not know (configs reject unknown keys).
    #[error("{0}")]
    UnknownField(String),
    /// A required key is absent.
    #[error("{0}")]
    MissingField(String),
    /// A value of the wrong JSON type, or an unknown enum variant.
    #[error("{0}")]
    InvalidType(String),
    /// A value of the right type outside its allowed range or set.
    #[error("{0}")]
    InvalidValue(String),
    /// A NaN or infinite number.
    #[error("number is not finite")]
    NotFinite,
    /// A date-time without a UTC offset; leadcore never guesses a time zone.
    #[error("{0}")]
    NaiveDatetime(String),
    /// A string that is not an RFC 3339 date-time.
    #[error("{0}")]
    InvalidDatetime(String),
    /// A reference to a stage, rule, field or item that is not defined.
    #[error("unknown reference `{0}`")]
    UnknownReference(String),
    /// An id defined twice where ids must be unique.
    #[error("duplicate id `{0}`")]
    #[strum(serialize = "duplicate_id")]
    Duplicate(String),
    /// Nesting deeper than the allowed depth.
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    /// A preset name that leadcore does not ship.
    #[error("unknown preset `{0}`")]
    UnknownPreset(String),
}

impl FieldErrorKind {
    /// Every code a [`FieldErrorKind`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this kind.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The facts of this kind as a JSON object (see [`Error::details`]): `field` of an unknown
    /// or missing field, `expected` and `got` of a type or value error (as worded), `value` of
    /// a bad date-time, `reference`, `id`, `limit` (nesting depth), `preset`. Keys whose fact
    /// the message does not state are left out.
    ///
    /// ```
    /// let e: leadcore::InputError = leadcore::input::from_json::<u32>("\"7\"").unwrap_err();
    /// assert_eq!(
    ///     e.kind.details(),
    ///     serde_json::json!({"expected": "a non-negative whole number", "got": "string \"7\""})
    /// );
    /// ```
    pub fn details(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        let mut put = |key: &str, value: Option<serde_json::Value>| {
            if let Some(v) = value {
                out.insert(key.to_string(), v);
            }
        };
        let text = |s: Option<&str>| s.map(|s| serde_json::Value::String(s.to_string()));
        match self {
            Self::Syntax(_) | Self::NotFinite => {}
            Self::UnknownField(m) => {
                put("field", text(backticked(m)));
                put("expected", text(expected_of(m)));
            }
            Self::MissingField(m) => put("field", text(backticked(m))),
            Self::InvalidType(m) | Self::InvalidValue(m) => {
                put("expected", text(expected_of(m)));
                put("got", text(got_of(m)));
            }
            Self::NaiveDatetime(m) | Self::InvalidDatetime(m) => put("value", text(backticked(m))),
            Self::UnknownReference(r) => put("reference", text(Some(r))),
            Self::Duplicate(id) => put("id", text(Some(id))),
            Self::TooDeep(n) => put("limit", Some((*n).into())),
            Self::UnknownPreset(p) => put("preset", text(Some(p))),
        }
        serde_json::Value::Object(out)
    }
}

/// The first `quoted` name in a message.
pub(crate) fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len)
}

/// What a type or value message says was expected: the text after `expected ` (serde's
/// "invalid type: string \"7\", expected a number", the bindings' "expected a list, got int").
fn expected_of(message: &str) -> Option<&str> {
    let (_, tail) = message.split_once("expected ")?;
    Some(tail.split_once(", got ").map_or(tail, |(e, _)| e).trim())
}

/// What a type or value message says was found: serde's "invalid type: <got>, expected …",
/// "unknown variant `<got>`, …", or the bindings' "…, got <got>".
fn got_of(message: &str) -> Option<&str> {
    if let Some((_, got)) = message.split_once(", got ") {
        return Some(got.trim());
    }
    if message.starts_with("unknown variant ") {
        return backticked(message);
    }
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    rest.split_once(", expected").map(|(got, _)| got.trim())
}

/// A configuration (pipeline, rule set, mapping, policy…) that failed to load or validate.
///
/// `path` is the JSON path of the bad field, e.g. `rules.mql.all[2].field` (`$` is the root).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`")]
pub struct ConfigError {
    /// What is wrong.
    pub kind: FieldErrorKind,
    /// JSON path of the bad field.
    pub path: String,
}

impl ConfigError {
    /// A config error at `path`.
    pub fn new(kind: FieldErrorKind, path: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.into(),
        }
    }

    /// An `invalid_value` config error at `path`: the value is of the right type but not
    /// acceptable, for the reason `message`.
    pub fn invalid(message: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(FieldErrorKind::InvalidValue(message.into()), path)
    }

    /// The stable code, e.g. `unknown_field`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// A lead, event, timestamp or other call argument that is not valid data.
///
/// `path` is the JSON path of the bad field within the argument (`$` is the argument itself).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`")]
pub struct InputError {
    /// What is wrong.
    pub kind: FieldErrorKind,
    /// JSON path of the bad field.
    pub path: String,
}

impl InputError {
    /// An input error at `path`.
    pub fn new(kind: FieldErrorKind, path: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.into(),
        }
    }

    /// The stable code, e.g. `naive_datetime`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The same error located under `prefix`, the name of the argument or field it came from:
    /// `created_at` under `lead` becomes `lead.created_at`; the root `$` becomes `lead`.
    pub fn at(mut self, prefix: &str) -> Self {
        self.path = join_path(prefix, &self.path);
        self
    }

    /// The same problem, reported as a configuration error (for config documents that were
    /// converted from a host language before they were parsed).
    pub fn into_config(self) -> ConfigError {
        ConfigError {
            kind: self.kind,
            path: self.path,
        }
    }
}

/// Names in backticks, comma-separated, as error messages list them: `` `MQL`, `SQL` ``.
pub(crate) fn quoted(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    quoted.join(", ")
}

/// Joins a path prefix and a relative JSON path (`$` is the root).
pub(crate) fn join_path(prefix: &str, path: &str) -> String {
    match path {
        "$" | "" => prefix.to_string(),
        p if prefix == "$" || prefix.is_empty() => p.to_string(),
        p if p.starts_with('[') => format!("{prefix}{p}"),
        p => format!("{prefix}.{p}"),
    }
}

/// The category of an [`Error`]: bindings map each to an exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A configuration failed to load or validate.
    Config,
    /// A call argument is not valid data.
    Input,
    /// Leads cannot be de-duplicated (blank or repeated lead ids, in a batch or one lead and its
    /// candidates).
    Dedup,
    /// A qualification call named something the rule set does not have.
    Qualify,
    /// A lifecycle transition (or history computation) was refused.
    Transition,
    /// A lead could not be converted into account + contact + opportunity.
    Conversion,
    /// Predictive scoring: training data, model files, feature layouts.
    Predict,
    /// Journeys, path counts or an accumulator state that cannot be attributed.
    Attribution,
    /// Leads, spend or plan inputs that funnel analytics cannot use.
    Funnel,
    /// A pool command, tick or query was refused.
    Pool,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 10] = [
        Self::Config,
        Self::Input,
        Self::Dedup,
        Self::Qualify,
        Self::Transition,
        Self::Conversion,
        Self::Predict,
        Self::Attribution,
        Self::Funnel,
        Self::Pool,
    ];
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Config => "config",
            Self::Input => "input",
            Self::Dedup => "dedup",
            Self::Qualify => "qualify",
            Self::Transition => "transition",
            Self::Conversion => "conversion",
            Self::Predict => "predict",
            Self::Attribution => "attribution",
            Self::Funnel => "funnel",
            Self::Pool => "pool",
        })
    }
}

/// Any leadcore error: what the bindings receive and map to exceptions.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration failed to load or validate.
    #[error("invalid config: {0}")]
    Config(#[from] ConfigError),
    /// A call argument is not valid data.
    #[error("invalid input: {0}")]
    Input(#[from] InputError),
    /// Leads cannot be de-duplicated (a batch, or one lead and its candidates).
    #[error("cannot de-duplicate: {0}")]
    Dedup(#[from] DedupError),
    /// A qualification call failed.
    #[error("qualification failed: {0}")]
    Qualify(#[from] crate::qualify::QualifyError),
    /// A lifecycle transition (or history computation) was refused.
    #[error("lifecycle: {0}")]
    Transition(#[from] crate::lifecycle::TransitionError),
    /// A lead could not be converted into account + contact + opportunity.
    #[error("conversion failed: {0}")]
    Conversion(#[from] crate::convert::ConversionError),
    /// Predictive scoring failed (training data, model file, feature layout).
    #[error("predictive scoring: {0}")]
    Predict(#[from] crate::predict::PredictError),
    /// Journeys, path counts or an accumulator state that cannot be attributed.
    #[error("attribution: {0}")]
    Attribution(#[from] crate::attribution::AttributionError),
    /// Leads, spend or plan inputs that funnel analytics cannot use.
    #[error("funnel: {0}")]
    Funnel(#[from] crate::funnel::FunnelError),
    /// A pool command, tick or query was refused.
    #[error("pool: {0}")]
    Pool(#[from] crate::pool::PoolError),
}

impl Error {
    /// The stable code of the underlying error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Config(e) => e.code(),
            Self::Input(e) => e.code(),
            Self::Dedup(e) => e.code(),
            Self::Qualify(e) => e.code(),
            Self::Transition(e) => e.code(),
            Self::Conversion(e) => e.code(),
            Self::Predict(e) => e.code(),
            Self::Attribution(e) => e.code(),
            Self::Funnel(e) => e.code(),
            Self::Pool(e) => e.code(),
        }
    }

    /// Which family of error this is.
    pub fn category(&self) -> Category {
        match self {
            Self::Config(_) => Category::Config,
            Self::Input(_) => Category::Input,
            Self::Dedup(_) => Category::Dedup,
            Self::Qualify(_) => Category::Qualify,
            Self::Transition(_) => Category::Transition,
            Self::Conversion(_) => Category::Conversion,
            Self::Predict(_) => Category::Predict,
            Self::Attribution(_) => Category::Attribution,
            Self::Funnel(_) => Category::Funnel,
            Self::Pool(_) => Category::Pool,
        }
    }

    /// The JSON path of the field at fault, within the call's arguments: `lead.created_at`,
    /// `events[3].kind`, `request.to`, `now`; a pool command's field (`rep`, `leads[2]`, `[3].rep`
    /// for the fourth command of a list); `$` when no single field is at fault.
    pub fn path(&self) -> Cow<'_, str> {
        match self {
            Self::Config(e) => Cow::Borrowed(&e.path),
            Self::Input(e) => Cow::Borrowed(&e.path),
            Self::Dedup(e) => Cow::Borrowed(e.path()),
            Self::Qualify(e) => Cow::Borrowed(e.path()),
            Self::Transition(e) => e.path(),
            Self::Conversion(e) => e.path(),
            Self::Predict(e) => Cow::Borrowed(e.path()),
            Self::Attribution(e) => Cow::Borrowed(e.path()),
            Self::Funnel(e) => Cow::Borrowed(e.path()),
            Self::Pool(e) => e.path(),
        }
    }

    /// The facts of the error as a JSON object, per code (documented in the README): who holds
    /// a lead (`already_owned`: `lead`, `holder`), which cap was hit (`rep`, `count`, `cap`),
    /// until when (`cooldown_active`: `until`), what a type error expected and got. Keys are in
    /// a fixed order; the path is not repeated here.
    ///
    /// ```
    /// let e = leadcore::Error::from(leadcore::pool::PoolError::AlreadyOwned {
    ///     lead: "L1".into(),
    ///     holder: "wang".into(),
    /// });
    /// assert_eq!(e.details(), serde_json::json!({"lead": "L1", "holder": "wang"}));
    /// ```
    pub fn details(&self) -> serde_json::Value {
        match self {
            Self::Config(e) => e.kind.details(),
            Self::Input(e) => e.kind.details(),
            Self::Dedup(e) => facts(e),
            Self::Qualify(e) => facts(e),
            Self::Transition(e) => facts(e),
            Self::Conversion(e) => facts(e),
            Self::Predict(e) => facts(e),
            Self::Attribution(e) => facts(e),
            Self::Funnel(e) => facts(e),
            Self::Pool(e) => e.details(),
        }
    }
}

/// An error's serialized fields as a details object: `path` (reported on its own) left out;
/// a variant without fields is `{}`.
pub(crate) fn facts<T: serde::Serialize>(error: &T) -> serde_json::Value {
    match serde_json::to_value(error) {
        Ok(serde_json::Value::Object(mut map)) => {
            map.remove("path");
            serde_json::Value::Object(map)
        }
        _ => serde_json::Value::Object(serde_json::Map::new()),
    }
}

/// Serializers for error variants that hold one value: each writes it as a one-key object, so
/// that every error's details are an object.
pub(crate) mod fact {
    use serde::{Serialize, Serializer};

    fn one<S: Serializer, T: Serialize + ?Sized>(
        key: &'static str,
        value: &T,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(key, value)?;
        map.end()
    }

    /// `{"lead": …}`.
    pub fn lead<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        one("lead", v, s)
    }

    /// `{"rep": …}`.
    pub fn rep<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        one("rep", v, s)
    }

    /// `{"pool": …}`.
    pub fn pool<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        one("pool", v, s)
    }

    /// `{"field": …}`.
    pub fn field<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        one("field", v, s)
    }

    /// `{"reason": …}`.
    pub fn reason<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        one("reason", v, s)
    }
}

/// A documented work bound a call would exceed, refused before the work is done (the facts of
/// every `limit_exceeded` error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("`{what}` of {requested} exceeds the limit of {limit} at `{path}`")]
pub struct Limit {
    /// What is bounded (`markov_work`, `shapley_work`, `simulation_values`, `segment_models`,
    /// `trees`).
    pub what: &'static str,
    /// The bound.
    pub limit: u64,
    /// What the input and configuration would take (an upper bound where estimated; for
    /// `markov_work`, a lower bound when that alone exceeds the limit).
    pub requested: u64,
    /// The field that asked for it.
    pub path: String,
}

/// The code list of every error enum, one slice each.
const CODE_LISTS: [&[&str]; 9] = [
    FieldErrorKind::CODES,
    DedupError::CODES,
    crate::qualify::QualifyError::CODES,
    crate::lifecycle::TransitionError::CODES,
    crate::convert::ConversionError::CODES,
    crate::predict::PredictError::CODES,
    crate::attribution::AttributionError::CODES,
    crate::funnel::FunnelError::CODES,
    crate::pool::PoolError::CODES,
];

/// Every error code leadcore can return, sorted and without duplicates.
pub fn all_error_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = CODE_LISTS.iter().flat_map(|l| l.iter().copied()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../../README.md");
        let table = readme.split("**Error codes.**").nth(1).unwrap_or_default();
        for code in all_error_codes() {
            assert!(
                table.contains(&format!("`{code}`")),
                "README misses `{code}`"
            );
        }
    }

    #[test]
    fn field_details_state_what_the_message_states() {
        let details = |text: &str| {
            crate::input::from_json::<std::collections::BTreeMap<String, u8>>(text)
                .unwrap_err()
                .kind
                .details()
        };
        assert_eq!(
            details(r#"{"a": "x"}"#),
            serde_json::json!({"expected": "a non-negative whole number", "got": "string \"x\""})
        );
        assert_eq!(
            details(r#"{"a": 300}"#),
            serde_json::json!({"expected": "a non-negative whole number", "got": "integer `300`"})
        );
        assert_eq!(details("{"), serde_json::json!({}));
        let kind = FieldErrorKind::InvalidType("expected a list, got int".into());
        assert_eq!(
            kind.details(),
            serde_json::json!({"expected": "a list", "got": "int"})
        );
        let kind = FieldErrorKind::UnknownField("unknown field `weight`, expected `id`".into());
        assert_eq!(
            kind.details(),
            serde_json::json!({"field": "weight", "expected": "`id`"})
        );
        assert_eq!(
            FieldErrorKind::TooDeep(64).details(),
            serde_json::json!({"limit": 64})
        );
    }

    #[test]
    fn every_error_has_a_path_and_an_object_of_details() {
        let errors: Vec<Error> = vec![
            crate::qualify::QualifyError::UnknownGate {
                stage: "SAL".into(),
                known: vec!["MQL".into()],
            }
            .into(),
            crate::lifecycle::TransitionError::HistoryOutOfOrder { index: 2 }.into(),
            crate::lifecycle::TransitionError::TargetRequired.into(),
            crate::predict::PredictError::CorruptedModel("checksum mismatch".into()).into(),
            crate::funnel::FunnelError::IncompatibleAccumulators.into(),
        ];
        let seen: Vec<(String, serde_json::Value)> = errors
            .iter()
            .map(|e| (e.path().into_owned(), e.details()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    "gate".into(),
                    serde_json::json!({"stage": "SAL", "known": ["MQL"]})
                ),
                ("lead.history[2]".into(), serde_json::json!({"index": 2})),
                ("request".into(), serde_json::json!({})),
                (
                    "$".into(),
                    serde_json::json!({"reason": "checksum mismatch"})
                ),
                ("other".into(), serde_json::json!({})),
            ]
        );
    }

    #[test]
    fn codes_are_unique_and_listed() {
        let codes = all_error_codes();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        {
            let e = Error::Input(InputError::new(FieldErrorKind::NotFinite, "$"));
            assert!(codes.contains(&e.code()));
        }
        for list in CODE_LISTS {
            assert!(list.iter().all(|c| codes.contains(c)));
            assert!(
                list.iter()
                    .all(|c| !c.is_empty()
                        && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
            );
        }
    }
}
