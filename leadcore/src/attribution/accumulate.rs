//! The mergeable attribution accumulator: `add` journeys or path counts, `merge` partial
//! accumulators, `finish` into a report.
//!
//! Designed for distributed engines (Spark, Dask): build one accumulator per partition, ship
//! it as JSON or compact binary, merge on the driver. Adding in any split and merging in any
//! order gives **bit-identical** results, because the state holds only integer counts and
//! [`Exact`] sums, and `finish` works on a canonical (sorted) form.
//!
//! What it holds, depending on the configured models:
//! - heuristic models: credited conversions and value per key per model (exact sums);
//! - Markov models: transition counts per distinct order;
//! - Shapley: conversions, nulls and value per distinct channel set.
//!
//! Memory is O(keys × heuristic models + Markov transitions + distinct channel sets), not
//! O(journeys): journeys are never stored, and adding one does not allocate.

use serde::{Deserialize, Serialize};

use super::batch::{PathBatch, PathRef};
use super::config::{AttributionConfig, Level, ModelSpec};
use super::error::AttributionError;
use super::exact::Exact;
use super::intern::Interner;
use super::journey::{
    Journey, JourneyRows, NO_CAMPAIGN, PathCount, TouchField, TouchRows, Touches, check_name,
    check_trimmed, check_value,
};
use super::markov::{self, MarkovCounts, MarkovState};
use super::position::{Heuristic, Role};
use super::report::{
    AttributionReport, Credit, JourneyExplanation, ModelResult, ModelSplit, Totals, TouchCredit,
};
use super::shapley::{self, ShapleyParams, ShapleyState, ShapleyTallies};
use crate::error::Error;
use crate::input::Config;
use crate::table::Loc;

/// The `format` tag of serialized accumulator states.
pub const STATE_FORMAT: &str = "leadcore.attribution/1";

/// Sums must stay below 2⁶² so that no partial sum can overflow.
const VALUE_LIMIT_UNITS: i128 = 1 << 126;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RawTotals {
    journeys: u64,
    conversions: u64,
    nulls: u64,
    value: Exact,
}

/// Accumulates journeys and path counts for the configured models; mergeable and serializable.
///
/// ```
/// use leadcore::attribution::{AttributionAccumulator, AttributionConfig, PathCount};
/// let config = AttributionConfig::default();
/// let path = |p: &str, c, n| PathCount { path: p.into(), conversions: c, nulls: n, value: 0.0 };
/// let mut a = AttributionAccumulator::new(config.clone()).unwrap();
/// a.add_path(&path("seo > sem", 2, 3)).unwrap();
/// let mut b = AttributionAccumulator::new(config).unwrap();
/// b.add_path(&path("sem", 1, 4)).unwrap();
/// // Ship `b` to the driver as bytes and merge.
/// let b = AttributionAccumulator::from_bytes(&b.to_bytes().unwrap()).unwrap();
/// a.merge(&b).unwrap();
/// let report = a.finish().unwrap();
/// assert_eq!(report.totals.conversions, 3);
/// let first_touch = &report.models[0].credits; // keys sorted: sem, seo
/// assert_eq!((first_touch[0].conversions, first_touch[1].conversions), (1.0, 2.0));
/// ```
#[derive(Debug, Clone)]
pub struct AttributionAccumulator {
    config: AttributionConfig,
    /// (model index, compiled heuristic) for each heuristic model.
    heuristics: Vec<(usize, Heuristic)>,
    keys: Interner,
    totals: RawTotals,
    /// Per heuristic, per key id: (conversions, value) credited.
    sums: Vec<Vec<(Exact, Exact)>>,
    /// One per distinct Markov order, sorted by order.
    markov: Vec<MarkovCounts>,
    shapley: Option<ShapleyTallies>,
    touches: Touches,
    weights: Vec<f64>,
    /// Byte ranges of the names in the path being added.
    ranges: Vec<(usize, usize)>,
    /// Packed names (see [`split_plain`]) of the path being added.
    packed: Vec<u128>,
    /// Whether each key is one of the direct channels (path counts: keys are channels).
    direct_keys: Vec<bool>,
    /// Whether a model (last non-direct) looks at which touches are direct.
    needs_direct: bool,
    /// The first model that needs touch times, which path counts do not have.
    times_model: Option<usize>,
    /// Key ids of the paths of the batch being added that were split already, back to back,
    /// and where each path's are (by the batch's path number).
    split: Vec<u32>,
    split_at: Vec<Option<(usize, usize)>>,
}

impl AttributionAccumulator {
    /// An empty accumulator for `config` (validated here).
    pub fn new(config: AttributionConfig) -> Result<Self, Error> {
        config.validate()?;
        let heuristics: Vec<(usize, Heuristic)> = config
            .models
            .iter()
            .enumerate()
            .filter_map(|(i, m)| Heuristic::compile(m).map(|h| (i, h)))
            .collect();
        let mut orders: Vec<u8> = config
            .models
            .iter()
            .filter_map(|m| match m {
                ModelSpec::Markov { order, .. } => Some(*order),
                _ => None,
            })
            .collect();
        orders.sort_unstable();
        orders.dedup();
        let shapley = config
            .models
            .iter()
            .any(|m| matches!(m, ModelSpec::Shapley { .. }))
            .then(ShapleyTallies::default);
        let needs_direct = heuristics
            .iter()
            .any(|(_, h)| matches!(h, Heuristic::LastNonDirect));
        let times_model = heuristics
            .iter()
            .find(|(_, h)| h.needs_times())
            .map(|&(i, _)| i);
        Ok(Self {
            sums: vec![Vec::new(); heuristics.len()],
            heuristics,
            keys: Interner::default(),
            totals: RawTotals::default(),
            markov: orders.into_iter().map(MarkovCounts::new).collect(),
            shapley,
            touches: Touches::default(),
            weights: Vec::new(),
            ranges: Vec::new(),
            packed: Vec::new(),
            direct_keys: Vec::new(),
            needs_direct,
            times_model,
            split: Vec::new(),
            split_at: Vec::new(),
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AttributionConfig {
        &self.config
    }

    /// Adds one journey (errors name it `journey`).
    pub fn add_journey(&mut self, journey: &Journey) -> Result<(), AttributionError> {
        self.add_journey_at(journey, &|| "journey".to_string())
    }

    /// Adds journeys (errors name them `journeys[i]`). Stops at the first bad journey; the
    /// journeys before it stay added.
    pub fn add_journeys(&mut self, journeys: &[Journey]) -> Result<(), AttributionError> {
        for (i, j) in journeys.iter().enumerate() {
            self.add_journey_at(j, &|| format!("journeys[{i}]"))?;
        }
        Ok(())
    }

    /// Adds one path count (errors name it `path`).
    pub fn add_path(&mut self, path: &PathCount) -> Result<(), AttributionError> {
        self.add_path_at(path.as_ref(), &Loc::Item("path"), None)
    }

    /// Adds path counts (errors name them `paths[i]`). Stops at the first bad one; the ones
    /// before it stay added.
    pub fn add_paths(&mut self, paths: &[PathCount]) -> Result<(), AttributionError> {
        for (i, p) in paths.iter().enumerate() {
            self.add_path_at(p.as_ref(), &Loc::Row("paths", i), None)?;
        }
        Ok(())
    }

    /// Adds the rows of a batch, numbered from `first` (errors name them `paths[first + i]`,
    /// or `paths.value[first + i]` for a batch read from a table): the way to feed one long
    /// list in pieces. Stops at the first bad row; the rows before it stay added.
    ///
    /// Rows that share a path (read from a dictionary column) split it once: the first row's
    /// key ids are kept for the others.
    pub fn add_batch(&mut self, batch: &PathBatch, first: usize) -> Result<(), AttributionError> {
        let shared = batch.paths() < batch.len();
        self.split.clear();
        self.split_at.clear();
        if shared {
            self.split_at.resize(batch.paths(), None);
        }
        for (i, (p, path)) in batch.iter().enumerate() {
            let loc = if batch.is_table() {
                Loc::Cell("paths", first + i)
            } else {
                Loc::Row("paths", first + i)
            };
            let known = self.split_at.get(path).copied().flatten();
            self.add_path_at(p, &loc, known)?;
            if shared && known.is_none() {
                let a = self.split.len();
                self.split.extend_from_slice(&self.touches.keys);
                if let Some(x) = self.split_at.get_mut(path) {
                    *x = Some((a, self.split.len()));
                }
            }
        }
        Ok(())
    }

    /// Adds journey number `index` of a list (errors name it `journeys[index]`).
    pub(crate) fn add_journey_indexed(
        &mut self,
        journey: &Journey,
        index: usize,
    ) -> Result<(), AttributionError> {
        self.add_journey_at(journey, &|| format!("journeys[{index}]"))
    }

    /// Adds path number `index` of a list (errors name it `paths[index]`).
    pub(crate) fn add_path_indexed(
        &mut self,
        path: &PathCount,
        index: usize,
    ) -> Result<(), AttributionError> {
        self.add_path_at(path.as_ref(), &Loc::Row("paths", index), None)
    }

    /// Checks `journey` and fills `self.touches`; nothing else changes.
    fn prepare_journey(
        &mut self,
        journey: &Journey,
        path: &dyn Fn() -> String,
    ) -> Result<(u64, u64, Exact), AttributionError> {
        let rows = JourneyRows {
            journey,
            base: path,
        };
        self.prepare(
            &rows,
            journey.converted,
            journey.value,
            &|| format!("{}.value", path()),
            &|| format!("{}.touchpoints", path()),
        )
    }

    /// Checks one journey's touches and outcome and fills `self.touches`; nothing else
    /// changes. Checks in order: the value, that there are touches, the names, the milestones.
    pub(crate) fn prepare<T: TouchRows>(
        &mut self,
        rows: &T,
        converted: bool,
        value: f64,
        value_path: &dyn Fn() -> String,
        empty_path: &dyn Fn() -> String,
    ) -> Result<(u64, u64, Exact), AttributionError> {
        let c = u64::from(converted);
        check_value(value, c, value_path)?;
        let n = rows.count();
        if n == 0 {
            return Err(AttributionError::EmptyJourney { path: empty_path() });
        }
        let campaign = self.config.level == Level::Campaign;
        for i in 0..n {
            check_name(rows.channel(i), || rows.path(i, TouchField::Channel))?;
            if campaign && let Some(name) = rows.campaign(i) {
                check_name(name, || rows.path(i, TouchField::Campaign))?;
            }
        }
        self.touches.clear();
        let order = &mut self.touches.order;
        order.clear();
        order.extend(0..n);
        rows.sort_by_time(order);
        self.touches.set_milestones(rows)?;
        let value = Exact::from_f64(value)
            .ok_or_else(|| AttributionError::Overflow { path: value_path() })?;
        for pos in 0..self.touches.order.len() {
            let Some(&i) = self.touches.order.get(pos) else {
                continue;
            };
            let channel = rows.channel(i).trim();
            let key = match (campaign, rows.campaign(i)) {
                (false, _) => channel,
                (true, Some(c)) => c.trim(),
                (true, None) => NO_CAMPAIGN,
            };
            let id = self.keys.intern(key).ok_or_else(|| self.too_many())?;
            self.touches.keys.push(id);
            self.touches.times.push(rows.seconds(i));
            if self.needs_direct {
                let direct = self
                    .config
                    .direct_channels
                    .iter()
                    .any(|d| d.trim() == channel);
                self.touches.direct.push(direct);
            }
        }
        Ok((c, 1 - c, value))
    }

    /// Whether key `id` names a direct channel (cached per key).
    fn is_direct_key(&mut self, id: u32) -> bool {
        let i = id as usize;
        while self.direct_keys.len() <= i {
            let name = self.keys.name(self.direct_keys.len() as u32);
            let direct = self.config.direct_channels.iter().any(|d| d.trim() == name);
            self.direct_keys.push(direct);
        }
        self.direct_keys.get(i).copied().unwrap_or(false)
    }

    fn too_many(&self) -> AttributionError {
        AttributionError::TooManyChannels {
            channels: self.keys.len(),
            limit: (u32::MAX - 1) as usize,
            what: "distinct keys".into(),
        }
    }

    fn add_journey_at(
        &mut self,
        journey: &Journey,
        path: &dyn Fn() -> String,
    ) -> Result<(), AttributionError> {
        let (c, u, v) = self.prepare_journey(journey, path)?;
        self.commit(c, u, v, &|| format!("{}.value", path()))
    }

    /// Adds path count `p` (errors name `loc`); `known` is where its key ids are in
    /// `self.split` when a row of the same batch had the same path.
    fn add_path_at(
        &mut self,
        p: PathRef<'_>,
        loc: &Loc,
        known: Option<(usize, usize)>,
    ) -> Result<(), AttributionError> {
        let path = || loc.row();
        check_value(p.value, p.conversions, || loc.field("value"))?;
        if let Some(i) = self.times_model {
            return Err(AttributionError::TimesRequired {
                model: self
                    .config
                    .models
                    .get(i)
                    .map(ModelSpec::name)
                    .unwrap_or_default(),
                path: path(),
            });
        }
        // A path split before (`known`) or that only repeats names already interned (one pass
        // finds them in the cache) is added right away.
        self.touches.clear();
        let fast = match (known, self.config.separator.as_bytes()) {
            (Some((a, b)), _) => {
                let ids = self.split.get(a..b).unwrap_or_default();
                self.touches.keys.extend_from_slice(ids);
                true
            }
            (None, [sb]) => {
                let (from, to) = p.span;
                split_cached(
                    p.text.as_bytes(),
                    from..to,
                    *sb,
                    &self.keys,
                    &mut self.touches.keys,
                )
            }
            (None, _) => false,
        };
        if fast {
            let value = Exact::from_f64(p.value).ok_or_else(|| AttributionError::Overflow {
                path: loc.field("value"),
            })?;
            if self.needs_direct {
                for i in 0..self.touches.keys.len() {
                    let id = self.touches.keys.get(i).copied().unwrap_or(0);
                    let direct = self.is_direct_key(id);
                    self.touches.direct.push(direct);
                }
            }
            return self.commit(p.conversions, p.nulls, value, &|| loc.field("value"));
        }
        // Otherwise one pass to find and check the names (nothing changes on error), one to
        // intern them. Plain paths (one-byte separator, short printable ASCII names) take a
        // fused pass.
        let path = p.path();
        let plain = match self.config.separator.as_bytes() {
            [sb] => split_plain(path.as_bytes(), *sb, &mut self.ranges, &mut self.packed),
            _ => false,
        };
        if !plain {
            split_trimmed(path, &self.config.separator, &mut self.ranges);
            if let [(a, b)] = self.ranges.as_slice()
                && a == b
            {
                return Err(AttributionError::EmptyJourney {
                    path: loc.field("path"),
                });
            }
            for &(a, b) in &self.ranges {
                check_trimmed(path.get(a..b).unwrap_or(""), || loc.field("path"))?;
            }
        }
        let value = Exact::from_f64(p.value).ok_or_else(|| AttributionError::Overflow {
            path: loc.field("value"),
        })?;
        self.touches.clear();
        for i in 0..self.ranges.len() {
            let (a, b) = self.ranges.get(i).copied().unwrap_or((0, 0));
            let name = || path.get(a..b).unwrap_or("");
            let id = match self.packed.get(i) {
                Some(&key) if plain => self.keys.intern_packed(key, name),
                _ => self.keys.intern(name()),
            }
            .ok_or_else(|| self.too_many())?;
            self.touches.keys.push(id);
            if self.needs_direct {
                let direct = self.is_direct_key(id);
                self.touches.direct.push(direct);
            }
        }
        self.commit(p.conversions, p.nulls, value, &|| loc.field("value"))
    }

    /// Adds the prepared `self.touches` with its outcome to the totals and every model's
    /// state.
    #[inline]
    pub(crate) fn commit(
        &mut self,
        c: u64,
        u: u64,
        v: Exact,
        value_path: &dyn Fn() -> String,
    ) -> Result<(), AttributionError> {
        if !v.is_zero() {
            self.totals.value = self
                .totals
                .value
                .checked_add(v)
                .filter(|t| t.units() < VALUE_LIMIT_UNITS)
                .ok_or_else(|| AttributionError::Overflow { path: value_path() })?;
        }
        self.totals.conversions = self.totals.conversions.saturating_add(c);
        self.totals.nulls = self.totals.nulls.saturating_add(u);
        self.totals.journeys = self.totals.journeys.saturating_add(c.saturating_add(u));
        // Heuristics credit conversions only: most journeys of a heuristics run stop here.
        if (c > 0 && !self.heuristics.is_empty())
            || !self.markov.is_empty()
            || self.shapley.is_some()
        {
            self.credit(c, u, v);
        }
        Ok(())
    }

    /// Adds the prepared `self.touches` with its outcome to every model's state.
    #[inline(never)]
    fn credit(&mut self, c: u64, u: u64, v: Exact) {
        let n_keys = self.keys.len();
        if c > 0 {
            let vf = v.to_f64();
            for ((_, h), sums) in self.heuristics.iter().zip(self.sums.iter_mut()) {
                if sums.len() < n_keys {
                    sums.resize(n_keys, (Exact::ZERO, Exact::ZERO));
                }
                h.weights(&self.touches, &mut self.weights, None);
                for (&w, &k) in self.weights.iter().zip(&self.touches.keys) {
                    if w > 0.0
                        && let Some((sc, sv)) = sums.get_mut(k as usize)
                    {
                        let dc = Exact::from_f64(c as f64 * w).unwrap_or(Exact::ZERO);
                        let dv = Exact::from_f64(vf * w).unwrap_or(Exact::ZERO);
                        // Each sum holds part of the checked total, so it cannot overflow.
                        *sc = sc.checked_add(dc).unwrap_or(*sc);
                        *sv = sv.checked_add(dv).unwrap_or(*sv);
                    }
                }
            }
        }
        for m in &mut self.markov {
            m.add(&self.touches.keys, c, u, v);
        }
        if let Some(s) = &mut self.shapley {
            s.add(&self.touches.keys, c, u, v);
        }
    }

    /// Adds everything `other` accumulated. Both must have the same configuration.
    pub fn merge(&mut self, other: &AttributionAccumulator) -> Result<(), AttributionError> {
        if self.config != other.config {
            return Err(AttributionError::IncompatibleAccumulators);
        }
        let value = self
            .totals
            .value
            .checked_add(other.totals.value)
            .filter(|t| t.units() < VALUE_LIMIT_UNITS)
            .ok_or_else(|| AttributionError::Overflow {
                path: "other.totals.value".into(),
            })?;
        let mut remap = Vec::with_capacity(other.keys.len());
        for k in 0..other.keys.len() as u32 {
            let id = self
                .keys
                .intern(other.keys.name(k))
                .ok_or_else(|| self.too_many())?;
            remap.push(id);
        }
        self.totals = RawTotals {
            journeys: self.totals.journeys.saturating_add(other.totals.journeys),
            conversions: self
                .totals
                .conversions
                .saturating_add(other.totals.conversions),
            nulls: self.totals.nulls.saturating_add(other.totals.nulls),
            value,
        };
        let n_keys = self.keys.len();
        for (mine, theirs) in self.sums.iter_mut().zip(&other.sums) {
            if mine.len() < n_keys {
                mine.resize(n_keys, (Exact::ZERO, Exact::ZERO));
            }
            for (k, &(c, v)) in theirs.iter().enumerate() {
                let id = remap.get(k).copied().unwrap_or(0) as usize;
                if let Some((sc, sv)) = mine.get_mut(id) {
                    *sc = sc.checked_add(c).unwrap_or(*sc);
                    *sv = sv.checked_add(v).unwrap_or(*sv);
                }
            }
        }
        for (mine, theirs) in self.markov.iter_mut().zip(&other.markov) {
            mine.merge(theirs, &remap);
        }
        if let (Some(mine), Some(theirs)) = (&mut self.shapley, &other.shapley) {
            mine.merge(theirs, &remap);
        }
        Ok(())
    }

    /// The credits of every configured model. The accumulator is unchanged and can keep
    /// adding.
    pub fn finish(&self) -> Result<AttributionReport, AttributionError> {
        let state = self.to_state();
        let keys = &state.keys;
        let mut models = Vec::with_capacity(self.config.models.len());
        let mut h = 0usize;
        for (i, spec) in self.config.models.iter().enumerate() {
            let (credits, markov, shapley): (Vec<(f64, f64)>, _, _) = match spec {
                ModelSpec::Markov {
                    order,
                    include_transitions,
                    ..
                } => {
                    let st = state.markov.iter().find(|m| m.order == *order);
                    let empty = MarkovState {
                        order: *order,
                        states: Vec::new(),
                        transitions: Vec::new(),
                        ends: Vec::new(),
                    };
                    let (detail, credits) = markov::solve(
                        st.unwrap_or(&empty),
                        keys,
                        *include_transitions,
                        &format!("models[{i}]"),
                    )?;
                    (credits, Some(detail), None)
                }
                ModelSpec::Shapley {
                    game,
                    method,
                    samples,
                    seed,
                    ..
                } => {
                    let empty = ShapleyState { sets: Vec::new() };
                    let params = ShapleyParams {
                        game: *game,
                        method: *method,
                        samples: *samples,
                        seed: *seed,
                        path: format!("models[{i}].samples"),
                    };
                    let (detail, credits) =
                        shapley::solve(state.shapley.as_ref().unwrap_or(&empty), keys, &params)?;
                    (credits, None, Some(detail))
                }
                _ => {
                    let sums = state
                        .heuristics
                        .get(h)
                        .map(|x| x.sums.as_slice())
                        .unwrap_or(&[]);
                    h += 1;
                    let mut credits = vec![(0.0, 0.0); keys.len()];
                    for &(k, c, v) in sums {
                        if let Some(x) = credits.get_mut(k as usize) {
                            *x = (c.to_f64(), v.to_f64());
                        }
                    }
                    (credits, None, None)
                }
            };
            models.push(ModelResult {
                name: spec.name(),
                kind: spec.type_name(),
                credits: keys
                    .iter()
                    .zip(credits)
                    .map(|(k, (c, v))| Credit {
                        key: k.clone(),
                        conversions: c,
                        value: v,
                    })
                    .collect(),
                markov,
                shapley,
            });
        }
        Ok(AttributionReport {
            level: self.config.level,
            keys: keys.clone(),
            totals: Totals {
                journeys: self.totals.journeys,
                conversions: self.totals.conversions,
                nulls: self.totals.nulls,
                value: self.totals.value.to_f64(),
            },
            models,
        })
    }

    /// How each heuristic model splits `journey` over its touches (the journey is not added).
    pub fn explain(&mut self, journey: &Journey) -> Result<JourneyExplanation, AttributionError> {
        let (c, _, v) = self.prepare_journey(journey, &|| "journey".to_string())?;
        let vf = v.to_f64();
        let mut roles: Vec<Vec<Role>> = Vec::new();
        let mut models = Vec::new();
        for (i, h) in &self.heuristics {
            let Some(spec) = self.config.models.get(*i) else {
                continue;
            };
            h.weights(&self.touches, &mut self.weights, Some(&mut roles));
            let touches = self
                .weights
                .iter()
                .zip(&roles)
                .enumerate()
                .map(|(pos, (&w, r))| TouchCredit {
                    position: pos,
                    index: self.touches.order.get(pos).copied().unwrap_or(pos),
                    key: self
                        .touches
                        .keys
                        .get(pos)
                        .map(|&k| self.keys.name(k).to_string())
                        .unwrap_or_default(),
                    roles: r.clone(),
                    weight: w,
                    conversions: c as f64 * w,
                    value: vf * w,
                })
                .collect();
            models.push(ModelSplit {
                name: spec.name(),
                kind: spec.type_name(),
                touches,
            });
        }
        Ok(JourneyExplanation {
            id: journey.id.clone(),
            converted: journey.converted,
            value: journey.value,
            models,
        })
    }

    /// The canonical serializable state: keys sorted and everything renumbered, so equal data
    /// gives equal states whatever the order of adding and merging.
    pub fn to_state(&self) -> AttributionState {
        let (perm, names) = self.keys.canonical();
        let heuristics = self
            .heuristics
            .iter()
            .zip(&self.sums)
            .map(|((i, _), sums)| {
                let mut s: Vec<(u32, Exact, Exact)> = sums
                    .iter()
                    .enumerate()
                    .filter(|(_, (c, v))| !c.is_zero() || !v.is_zero())
                    .map(|(k, &(c, v))| (perm.get(k).copied().unwrap_or(0), c, v))
                    .collect();
                s.sort_unstable();
                HeuristicState {
                    model: self
                        .config
                        .models
                        .get(*i)
                        .map(ModelSpec::name)
                        .unwrap_or_default(),
                    sums: s,
                }
            })
            .collect();
        AttributionState {
            format: STATE_FORMAT.to_string(),
            config: self.config.clone(),
            keys: names.into_iter().map(str::to_string).collect(),
            totals: StateTotals {
                journeys: self.totals.journeys,
                conversions: self.totals.conversions,
                nulls: self.totals.nulls,
                value: self.totals.value,
            },
            heuristics,
            markov: self.markov.iter().map(|m| m.canonical(&perm)).collect(),
            shapley: self.shapley.as_ref().map(|s| s.canonical(&perm)),
        }
    }

    /// Rebuilds an accumulator from a state, checking it (errors name it `state`).
    pub fn from_state(state: &AttributionState) -> Result<Self, Error> {
        let bad = |reason: &str, path: &str| AttributionError::InvalidState {
            reason: reason.to_string(),
            path: path.to_string(),
        };
        if state.format != STATE_FORMAT {
            return Err(bad("unknown format", "state.format").into());
        }
        let mut acc = AttributionAccumulator::new(state.config.clone()).map_err(|e| match e {
            Error::Config(c) => Error::Config(crate::error::ConfigError {
                path: format!("state.config.{}", c.path),
                kind: c.kind,
            }),
            other => other,
        })?;
        for (i, k) in state.keys.iter().enumerate() {
            let path = || format!("state.keys[{i}]");
            let name = check_name(k, path)?;
            if name != k || i > 0 && state.keys.get(i - 1).is_some_and(|p| p >= k) {
                return Err(bad("keys must be trimmed, sorted and unique", &path()).into());
            }
            acc.keys.intern(k).ok_or_else(|| acc.too_many())?;
        }
        let n = state.keys.len();
        if state.totals.value.units() < 0 || state.totals.value.units() >= VALUE_LIMIT_UNITS {
            return Err(bad("value out of range", "state.totals.value").into());
        }
        if state.totals.journeys != state.totals.conversions.saturating_add(state.totals.nulls) {
            return Err(bad("journeys must be conversions + nulls", "state.totals").into());
        }
        acc.totals = RawTotals {
            journeys: state.totals.journeys,
            conversions: state.totals.conversions,
            nulls: state.totals.nulls,
            value: state.totals.value,
        };
        if state.heuristics.len() != acc.heuristics.len() {
            return Err(bad("one entry per heuristic model expected", "state.heuristics").into());
        }
        for (hi, (hs, ((mi, _), sums))) in state
            .heuristics
            .iter()
            .zip(acc.heuristics.iter().zip(acc.sums.iter_mut()))
            .enumerate()
        {
            let name = acc
                .config
                .models
                .get(*mi)
                .map(ModelSpec::name)
                .unwrap_or_default();
            if hs.model != name {
                return Err(bad(
                    "model does not match the config",
                    &format!("state.heuristics[{hi}].model"),
                )
                .into());
            }
            sums.resize(n, (Exact::ZERO, Exact::ZERO));
            for (j, &(k, c, v)) in hs.sums.iter().enumerate() {
                let path = format!("state.heuristics[{hi}].sums[{j}]");
                let ok = (k as usize) < n && c.units() >= 0 && v.units() >= 0;
                match sums.get_mut(k as usize) {
                    Some(slot) if ok && slot.0.is_zero() && slot.1.is_zero() => *slot = (c, v),
                    _ => return Err(bad("invalid or duplicate key", &path).into()),
                }
            }
        }
        if state.markov.len() != acc.markov.len() {
            return Err(bad("one entry per markov order expected", "state.markov").into());
        }
        for (i, (ms, mine)) in state.markov.iter().zip(acc.markov.iter_mut()).enumerate() {
            let path = format!("state.markov[{i}]");
            if ms.order != mine.order() {
                return Err(
                    bad("order does not match the config", &format!("{path}.order")).into(),
                );
            }
            *mine = MarkovCounts::from_state(ms, n, &path)?;
        }
        match (&state.shapley, &mut acc.shapley) {
            (Some(s), Some(mine)) => *mine = ShapleyTallies::from_state(s, n, "state.shapley")?,
            (None, None) => {}
            _ => {
                return Err(bad("shapley tallies do not match the config", "state.shapley").into());
            }
        }
        Ok(acc)
    }

    /// The state as JSON text (exact sums as decimal strings).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_state()).unwrap_or_default()
    }

    /// An accumulator from [`to_json`](Self::to_json) text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let state: AttributionState = crate::input::from_json(text)
            .map_err(|e| crate::error::InputError::new(e.kind, prefix("state", &e.path)))?;
        Self::from_state(&state)
    }

    /// The state in a compact binary form ([postcard](https://docs.rs/postcard): varint integers,
    /// a stable documented wire format).
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        postcard::to_allocvec(&self.to_state()).map_err(|e| {
            AttributionError::InvalidState {
                reason: format!("cannot be written: {e}"),
                path: "state".into(),
            }
            .into()
        })
    }

    /// An accumulator from [`to_bytes`](Self::to_bytes) output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let state: AttributionState =
            postcard::from_bytes(bytes).map_err(|e| AttributionError::InvalidState {
                reason: e.to_string().to_lowercase(),
                path: "state".into(),
            })?;
        Self::from_state(&state)
    }
}

/// `t` without leading and trailing whitespace, exactly as `str::trim`, checking ASCII ends
/// byte by byte (Unicode whitespace is rare: it is trimmed only when an end is not ASCII).
fn trim_ws(t: &str) -> &str {
    // `char::is_whitespace` for ASCII: what `u8::is_ascii_whitespace` says, plus vertical tab.
    let ws = |c: &u8| c.is_ascii_whitespace() || *c == 0x0B;
    let b = t.as_bytes();
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |e| e + 1);
    let t = t.get(start..end).unwrap_or("");
    let tb = t.as_bytes();
    if tb.first().is_some_and(|c| !c.is_ascii()) || tb.last().is_some_and(|c| !c.is_ascii()) {
        t.trim()
    } else {
        t
    }
}

/// `0x01` in every byte.
const ONES: u64 = u64::MAX / 0xff;
/// `0x80` in every byte.
const HIGH: u64 = ONES * 0x80;

/// The zero bytes of `x`, flagged by their high bit (exact: no carry crosses a byte).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH
}

/// The bytes of `s` from `pos` to its end (fewer than 16), zero-padded, as a little-endian
/// `u128`: the last 16 (or 8) bytes of `s` loaded at once and shifted down when `s` is that
/// long. (Bytes stored one by one to a stack buffer and loaded wide stall the load.)
#[inline(always)]
fn tail(s: &[u8], pos: usize) -> u128 {
    let rest = s.len().saturating_sub(pos);
    match s
        .len()
        .checked_sub(16)
        .and_then(|a| s.get(a..))
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
    {
        Some(b) if rest > 0 => u128::from_le_bytes(b) >> (8 * (16 - rest)),
        _ if rest > 8 => u128::from(word(s, pos)) | u128::from(word(s, pos + 8)) << 64,
        _ => u128::from(word(s, pos)),
    }
}

/// Up to 8 bytes of `s` from `pos`, zero-padded, as a little-endian `u64`: one load, or (when
/// `s` is shorter than 8 bytes) two overlapping loads of 4 or 2 bytes.
#[inline(always)]
fn word(s: &[u8], pos: usize) -> u64 {
    let le8 = |at: usize| {
        s.get(at..at + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
    };
    let le4 = |at: usize| {
        s.get(at..at + 4).map_or(0, |b| {
            u64::from(u32::from_le_bytes(b.try_into().unwrap_or_default()))
        })
    };
    let le2 = |at: usize| {
        s.get(at..at + 2).map_or(0, |b| {
            u64::from(u16::from_le_bytes(b.try_into().unwrap_or_default()))
        })
    };
    let n = s.len();
    let rest = n.saturating_sub(pos);
    match rest {
        8.. => le8(pos),
        0 => 0,
        _ if n >= 8 => le8(n - 8) >> (8 * (8 - rest)),
        // The two loads overlap on equal bytes, so or-ing them is exact.
        4.. => le4(pos) | le4(n - 4) << (8 * (rest - 4)),
        2.. => le2(pos) | le2(n - 2) << (8 * (rest - 2)),
        _ => s.get(pos).map_or(0, |&c| u64::from(c)),
    }
}

/// Splits a path whose names are all already interned, `s[path]` (the bytes of `s` around
/// it, such as the other paths of a batch, are read but never used: loads then run past the
/// path's end without a shorter load for its last bytes): finds the one-byte separator `sep`
/// 64 bytes at a time (as a bit mask, 8 bytes per step), and for each name between two
/// separators drops the spaces around it, packs it as [`Interner`] does and looks it up in the
/// interner's cache (its map on a miss), pushing the ids to `out`. Returns false, with `out`
/// to be discarded and nothing else changed, as soon as a name is empty, longer than 15 bytes,
/// or not interned; the general split then decides (it interns new names and reports bad
/// ones).
///
/// The separators of a block are found before its names are read, so the names' lookups do
/// not wait on one another and only the end of a block's names is a branch to predict. An
/// interned name was checked when it was interned and is fully trimmed, so a segment whose
/// space-trimmed bytes equal it is exactly that name for the general split too: no other
/// check is needed.
///
/// [`Interner`]: super::intern::Interner
fn split_cached(
    s: &[u8],
    path: std::ops::Range<usize>,
    sep: u8,
    keys: &Interner,
    out: &mut Vec<u32>,
) -> bool {
    out.clear();
    let seps = ONES * u64::from(sep);
    let (mut start, mut base, to) = (path.start, path.start, path.end.min(s.len()));
    loop {
        let mut mask = separators(s, base, to, seps);
        while mask != 0 {
            let end = base + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if !cached_name(s, start, end, keys, out) {
                return false;
            }
            start = end + 1;
        }
        base += 64;
        if base >= to {
            break;
        }
    }
    cached_name(s, start, to, keys, out)
}

/// Bit `i` set when `s[base + i]` is the byte repeated in `seps` (`i < 64`, before `to`).
#[inline(always)]
fn separators(s: &[u8], base: usize, to: usize, seps: u64) -> u64 {
    /// Gathers the bits at 0, 8, …, 56 into the top byte (no two products collide).
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let n = s.len();
    let end = (base + 64).min(to);
    let (mut mask, mut at) = (0u64, base);
    while at < end {
        let flags = match s.get(at..at + 8) {
            Some(b) => zero_bytes(u64::from_le_bytes(b.try_into().unwrap_or_default()) ^ seps),
            // The last bytes, zero-padded: padding is never a separator (`sep` may be 0).
            None => zero_bytes(tail(s, at) as u64 ^ seps) & (u64::MAX >> (64 - 8 * (n - at))),
        };
        mask |= ((flags >> 7).wrapping_mul(GATHER) >> 56) << (at - base);
        at += 8;
    }
    // Bytes from `to` on are not the path's.
    match end.saturating_sub(base) {
        64.. => mask,
        k => mask & ((1u64 << k) - 1),
    }
}

/// `NAME_MASKS[n]` keeps the low `n` bytes of a `u128` (a table: a variable 128-bit shift is a
/// dozen instructions).
// Indexing in a constant is checked when compiling.
#[allow(clippy::indexing_slicing)]
const NAME_MASKS: [u128; 16] = {
    let mut m = [0u128; 16];
    let mut n = 1;
    while n < 16 {
        m[n] = (1u128 << (8 * n)) - 1;
        n += 1;
    }
    m
};

/// The name `s[a..b]` of [`split_cached`], spaces around it dropped, looked up and pushed.
#[inline(always)]
fn cached_name(s: &[u8], a: usize, b: usize, keys: &Interner, out: &mut Vec<u32>) -> bool {
    // Iterating the segment's slice needs no bounds check per byte.
    let seg = s.get(a..b).unwrap_or_default();
    let lead = seg.iter().take_while(|&&c| c == b' ').count();
    let trail = seg.iter().rev().take_while(|&&c| c == b' ').count();
    let a = a + lead;
    let b = b.saturating_sub(trail).max(a);
    let len = b - a;
    if len == 0 || len > 15 {
        return false;
    }
    let w = match s.get(a..a + 16) {
        Some(w) => u128::from_le_bytes(w.try_into().unwrap_or_default()),
        None => tail(s, a),
    };
    let key = (w & NAME_MASKS.get(len).copied().unwrap_or(0)) | (len as u128) << 120;
    let id = match keys.cached(key) {
        Some(id) => id,
        None => match keys.get(s.get(a..b).unwrap_or_default()) {
            Some(id) => id,
            None => return false,
        },
    };
    out.push(id);
    true
}

/// Splits a plain path in one pass: on the one-byte separator `sep`, each name trimmed of
/// spaces, its byte range in `ranges` and its packed form (as [`Interner`] packs names) in
/// `packed`. Returns false, leaving nothing to use, when a name is not plain: empty, longer
/// than 15 bytes, starting with `(` (maybe a reserved state name), or holding anything but
/// printable ASCII and inner spaces; the general [`split_trimmed`] then decides.
///
/// [`Interner`]: super::intern::Interner
fn split_plain(
    s: &[u8],
    sep: u8,
    ranges: &mut Vec<(usize, usize)>,
    packed: &mut Vec<u128>,
) -> bool {
    ranges.clear();
    packed.clear();
    // `start` of the current name (`usize::MAX` before its first byte), `end` after its last
    // non-space byte.
    let (mut start, mut end) = (usize::MAX, 0);
    for (i, &c) in s.iter().enumerate() {
        if c == sep {
            if start == usize::MAX || !push_plain(s, start, end, ranges, packed) {
                return false;
            }
            start = usize::MAX;
        } else if c.wrapping_sub(b'!') <= b'~' - b'!' {
            if start == usize::MAX {
                if c == b'(' {
                    return false;
                }
                start = i;
            }
            end = i + 1;
        } else if c != b' ' {
            return false;
        }
    }
    start != usize::MAX && push_plain(s, start, end, ranges, packed)
}

/// Records the name `s[start..end]` of [`split_plain`], packed; false when it is too long.
#[inline]
fn push_plain(
    s: &[u8],
    start: usize,
    end: usize,
    ranges: &mut Vec<(usize, usize)>,
    packed: &mut Vec<u128>,
) -> bool {
    let len = end - start;
    if len > 15 {
        return false;
    }
    // One 16-byte load masked to the name when the buffer is long enough, else byte by byte.
    let key = match s
        .get(start..start + 16)
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
    {
        Some(b) => u128::from_le_bytes(b) & ((1u128 << (8 * len)) - 1),
        None => s
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .rev()
            .fold(0u128, |k, &c| (k << 8) | u128::from(c)),
    };
    ranges.push((start, end));
    packed.push(key | (len as u128) << 120);
    true
}

/// Byte ranges of the whitespace-trimmed parts of `s` split by `sep`.
fn split_trimmed(s: &str, sep: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let base = s.as_ptr() as usize;
    let mut push = |a: usize, b: usize| {
        let t = trim_ws(s.get(a..b).unwrap_or(""));
        let a = t.as_ptr() as usize - base;
        out.push((a, a + t.len()));
    };
    match sep.as_bytes() {
        // A one-byte separator splits on bytes: it cannot occur inside a multi-byte character.
        [sb] => {
            let mut start = 0;
            for (i, &c) in s.as_bytes().iter().enumerate() {
                if c == *sb {
                    push(start, i);
                    start = i + 1;
                }
            }
            push(start, s.len());
        }
        _ => {
            for part in s.split(sep) {
                let a = part.as_ptr() as usize - base;
                push(a, a + part.len());
            }
        }
    }
}

fn prefix(arg: &str, path: &str) -> String {
    if path == "$" {
        arg.to_string()
    } else if path.starts_with('[') {
        format!("{arg}{path}")
    } else {
        format!("{arg}.{path}")
    }
}

/// Credited sums of one heuristic model: `(key id, conversions, value)`, sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeuristicState {
    /// The model's name.
    pub model: String,
    /// Non-zero sums by key id.
    pub sums: Vec<(u32, Exact, Exact)>,
}

/// Totals in a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateTotals {
    /// Journeys.
    pub journeys: u64,
    /// Conversions.
    pub conversions: u64,
    /// Nulls.
    pub nulls: u64,
    /// Total value.
    pub value: Exact,
}

/// The serializable, canonical state of an [`AttributionAccumulator`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributionState {
    /// Always [`STATE_FORMAT`].
    pub format: String,
    /// The configuration the state was built with (in binary form, as JSON text).
    #[serde(with = "config_field")]
    #[schemars(with = "AttributionConfig")]
    pub config: AttributionConfig,
    /// Every key, sorted; ids elsewhere index this list.
    pub keys: Vec<String>,
    /// Totals.
    pub totals: StateTotals,
    /// One entry per heuristic model, in configuration order.
    pub heuristics: Vec<HeuristicState>,
    /// One entry per distinct Markov order, ascending.
    pub markov: Vec<MarkovState>,
    /// Shapley tallies, when a Shapley model is configured.
    pub shapley: Option<ShapleyState>,
}

/// The config is a tagged, partly optional document: self-describing formats (JSON) get it as
/// is; compact binary formats get its JSON text.
mod config_field {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::AttributionConfig;

    pub fn serialize<S: Serializer>(c: &AttributionConfig, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            c.serialize(s)
        } else {
            s.serialize_str(&serde_json::to_string(c).map_err(serde::ser::Error::custom)?)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AttributionConfig, D::Error> {
        if d.is_human_readable() {
            AttributionConfig::deserialize(d)
        } else {
            let text = String::deserialize(d)?;
            serde_json::from_str(&text).map_err(D::Error::custom)
        }
    }
}

#[cfg(test)]
mod split_tests {
    use proptest::prelude::*;

    use super::super::intern::{Interner, pack};
    use super::{ONES, separators, split_cached, split_plain, split_trimmed, tail};

    proptest! {
        /// The fast split gives the general split's names whenever it succeeds, and succeeds on
        /// ordinary paths of interned names (each with its spaces at most 15 bytes).
        #[test]
        fn cached_split_agrees_with_the_general_one(
            s in "[ a-z(>\t\u{3000}é]{0,60}",
            names in prop::collection::vec("[a-z][a-z ]{0,12}[a-z]", 1..12),
            sep in prop::sample::select(vec![b'>', b',', b' ', 0u8]),
            known in 0usize..4,
        ) {
            let sep_s = char::from(sep).to_string();
            let mut keys = Interner::default();
            let mut out = Vec::new();
            // Arbitrary text: some of its names interned.
            let s = s.replace('>', &sep_s);
            let mut r = Vec::new();
            split_trimmed(&s, &sep_s, &mut r);
            let parts: Vec<&str> = r.iter().map(|&(a, b)| &s[a..b]).collect();
            for p in parts.iter().skip(known).filter(|p| !p.is_empty()) {
                keys.intern(p);
            }
            if split_cached(s.as_bytes(), 0..s.len(), sep, &keys, &mut out) {
                let expected: Vec<u32> = parts.iter().map(|p| keys.intern(p).unwrap()).collect();
                prop_assert_eq!(&out, &expected, "{:?}", s);
            }
            // Ordinary paths of interned names, with spaces around the separator.
            if sep != b' ' {
                let joined = names.join(&format!(" {sep_s} "));
                let expected: Vec<u32> = names.iter().map(|n| keys.intern(n).unwrap()).collect();
                prop_assert!(split_cached(joined.as_bytes(), 0..joined.len(), sep, &keys, &mut out), "{:?}", joined);
                prop_assert_eq!(&out, &expected);
                // Within other text (a batch's other paths), only the path's bytes count.
                let mid = (0..=s.len() / 2).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                let around = format!("{}{joined}{}", &s[..mid], &s[mid..]);
                let at = mid..mid + joined.len();
                prop_assert!(split_cached(around.as_bytes(), at, sep, &keys, &mut out), "{:?}", around);
                prop_assert_eq!(out, expected);
            }
        }

        /// The fused pass gives the general split's names and packed forms whenever it applies,
        /// and applies to every printable-ASCII path whose names are plain.
        #[test]
        fn plain_split_agrees_with_the_general_one(s in "[ a-z(>\t\u{3000}é]{0,40}", sep in prop::sample::select(vec![b'>', b',', b'|'])) {
            let s = s.replace('>', &char::from(sep).to_string());
            let (mut r1, mut r2, mut packed) = (Vec::new(), Vec::new(), Vec::new());
            let plain = split_plain(s.as_bytes(), sep, &mut r1, &mut packed);
            split_trimmed(&s, &char::from(sep).to_string(), &mut r2);
            let names: Vec<&str> = r2.iter().map(|&(a, b)| &s[a..b]).collect();
            let is_plain = s.bytes().all(|c| c == b' ' || (c > b' ' && c < 0x7f))
                && names.iter().all(|n| !n.is_empty() && n.len() <= 15 && !n.starts_with('('));
            prop_assert_eq!(plain, is_plain, "{:?}", s);
            if plain {
                prop_assert_eq!(&r1, &r2);
                let expected: Vec<u128> = names.iter().map(|n| pack(n).unwrap()).collect();
                prop_assert_eq!(packed, expected);
            }
        }
    }

    #[test]
    fn tail_is_the_zero_padded_rest() {
        let s = b"social > event > sem > email";
        for len in 0..=s.len() {
            let s = &s[..len];
            for pos in len.saturating_sub(15)..=len {
                let mut b = [0u8; 16];
                b[..len - pos].copy_from_slice(&s[pos..]);
                assert_eq!(tail(s, pos), u128::from_le_bytes(b), "len {len} pos {pos}");
            }
        }
    }

    proptest! {
        /// The separator mask flags exactly the separator bytes of each 64-byte block.
        #[test]
        fn separator_mask_flags_each_separator(
            s in prop::collection::vec(
                prop::sample::select(vec![0u8, b' ', b'>', b'a', 0x80, 0xff]),
                0..200,
            ),
            sep in prop::sample::select(vec![0u8, b'>', 0xff]),
        ) {
            for base in (0..s.len().max(1)).step_by(64) {
                let expected = s.iter().skip(base).take(64).enumerate()
                    .filter(|&(_, &c)| c == sep)
                    .fold(0u64, |m, (i, _)| m | 1 << i);
                prop_assert_eq!(separators(&s, base, s.len(), ONES * u64::from(sep)), expected);
                // Cut short: bytes from `to` on are not flagged.
                let to = base + (s.len() - base) / 2;
                let cut = if to - base >= 64 { expected } else { expected & ((1u64 << (to - base)) - 1) };
                prop_assert_eq!(separators(&s, base, to, ONES * u64::from(sep)), cut);
            }
        }
    }
}
