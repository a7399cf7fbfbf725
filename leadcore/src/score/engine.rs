//! The compiled behavior engine: rules indexed by event kind, integer time, no allocation per
//! event. One [`Engine`] is compiled per model; one [`Prepared`] per batch of columns (it holds
//! per-detail lookups); one [`Scratch`] per thread.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, Utc};

use super::behavior::{
    BehaviorModel, BehaviorScore, Bound, Clamp, GroupScore, Ignored, Repeat, RuleLine,
    compile_filter,
};
use super::caps::{CapKind, DayCounter, cap_group};
use super::check::round;
use super::columns::{EventColumns, EventDetail, MISSING_TIME, NO_DETAIL, NO_ID};
use super::decay::DecayFn;
use super::silence::SilenceModel;
use crate::condition::EventFilter;
use crate::error::ConfigError;
use crate::event::{Event, EventKind};

const KINDS: usize = EventKind::ALL.len();

/// Value id for "no value" in per-detail tables.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
enum RepeatC {
    Every,
    Once,
    /// Slot in [`Engine::once_keys`].
    OncePer(usize),
}

#[derive(Debug, Clone)]
struct RuleC {
    id: String,
    points: f64,
    /// Longest counted age in seconds (rule window and group window combined).
    window: Option<f64>,
    repeat: RepeatC,
    /// Slot in [`Engine::filters`].
    filter: Option<usize>,
}

#[derive(Debug, Clone)]
struct GroupC {
    id: String,
    decay: DecayFn,
    cap: Option<f64>,
    rules: Range<usize>,
}

/// A compiled behavior model.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    rules: Vec<RuleC>,
    groups: Vec<GroupC>,
    /// Per kind code: the (group, rule) candidates in config order.
    cands: Vec<Vec<(u32, u32)>>,
    daily_cap: [u32; KINDS],
    has_daily_caps: bool,
    day_offset: i64,
    silence_mask: u16,
    silence: SilenceModel,
    floor: Option<f64>,
    ceiling: Option<f64>,
    /// Property keys of `once_per` rules, by slot.
    once_keys: Vec<String>,
    /// Compiled `where` conditions with the kinds of their rule, by slot.
    filters: Vec<(EventFilter, u16)>,
}

/// Per-batch lookups over the detail dictionary (index `details.len()` stands for "no detail").
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub(crate) cols: EventColumns<'a>,
    /// Per `once_per` slot: the value id of the property for each detail.
    once_values: Vec<Vec<u32>>,
    /// Per filter slot: whether detail `d` of kind `k` matches, at `d * KINDS + k`.
    filter_hits: Vec<Vec<bool>>,
}

impl Prepared<'_> {
    #[inline]
    fn detail(&self, e: usize) -> u32 {
        self.cols
            .detail
            .and_then(|d| d.get(e).copied())
            .unwrap_or(NO_DETAIL)
    }

    #[inline]
    fn slot(&self, d: u32) -> usize {
        if d == NO_DETAIL {
            self.cols.details.len()
        } else {
            d as usize
        }
    }

    #[inline]
    fn hit(&self, filter: usize, slot: usize, kind: usize) -> bool {
        self.filter_hits
            .get(filter)
            .and_then(|h| h.get(slot * KINDS + kind))
            .copied()
            .unwrap_or(false)
    }

    #[inline]
    fn id(&self, e: usize) -> u64 {
        self.cols
            .id
            .and_then(|c| c.get(e).copied())
            .unwrap_or(NO_ID)
    }

    #[inline]
    fn key(&self, e: u32) -> (i64, u64, u8, u32) {
        let i = e as usize;
        (
            self.cols.at.get(i).copied().unwrap_or(MISSING_TIME),
            self.id(i),
            self.cols.kind.get(i).copied().unwrap_or(0),
            self.detail(i),
        )
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct RuleAcc {
    events: u32,
    capped: u32,
    raw: f64,
    decayed: f64,
    once_done: bool,
}

/// A small open-addressing set of u64 keys, cleared per lead without freeing memory.
#[derive(Debug, Default)]
struct U64Set {
    slots: Vec<u64>,
    bits: u32,
}

impl U64Set {
    const EMPTY: u64 = u64::MAX;

    fn reset(&mut self, n: usize) {
        let cap = (n.saturating_mul(2)).next_power_of_two().max(16);
        if self.slots.len() < cap {
            self.slots.resize(cap, Self::EMPTY);
        }
        self.bits = cap.trailing_zeros();
        if let Some(s) = self.slots.get_mut(..cap) {
            s.fill(Self::EMPTY);
        }
    }

    /// Inserts `key` (never [`U64Set::EMPTY`]); false when it was already there.
    #[inline]
    fn insert(&mut self, key: u64) -> bool {
        let mask = (1usize << self.bits) - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize;
        loop {
            match self.slots.get_mut(i) {
                Some(slot) if *slot == Self::EMPTY => {
                    *slot = key;
                    return true;
                }
                Some(slot) if *slot == key => return false,
                Some(_) => i = (i + 1) & mask,
                None => return true,
            }
        }
    }
}

/// Per-thread buffers reused from lead to lead.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    idx: Vec<u32>,
    skip: Vec<u8>,
    ids: U64Set,
    once: U64Set,
    acc: Vec<RuleAcc>,
}

const DUPLICATE: u8 = 1;
const CAPPED: u8 = 2;

/// What one lead's run leaves besides the per-rule accumulators.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    pub(crate) ignored: Ignored,
    /// Latest interaction (silence kinds) at or before `now`, Unix seconds.
    pub(crate) last: Option<i64>,
}

impl Engine {
    /// Compiles a validated behavior model.
    pub(crate) fn new(m: &BehaviorModel) -> Result<Self, ConfigError> {
        m.validate_at("behavior")?;
        let mut rules = Vec::new();
        let mut groups = Vec::new();
        let mut cands: Vec<Vec<(u32, u32)>> = vec![Vec::new(); KINDS];
        let mut once_keys: Vec<String> = Vec::new();
        let mut filters: Vec<(EventFilter, u16)> = Vec::new();
        for (gi, g) in m.groups.iter().enumerate() {
            let start = rules.len();
            let group_window = g.decay.window_seconds();
            let decay = match group_window {
                Some(_) => DecayFn::None,
                None => g.decay.compile(),
            };
            for (ri, r) in g.rules.iter().enumerate() {
                let path = format!("behavior.groups[{gi}].rules[{ri}].kind");
                let mask = super::behavior::kind_mask(&r.kind, &path)?;
                let rule_window = r.within_days.map(|d| d * crate::time::SECONDS_PER_DAY);
                let window = match (rule_window, group_window) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let repeat = match &r.repeat {
                    Repeat::Every => RepeatC::Every,
                    Repeat::Once => RepeatC::Once,
                    Repeat::OncePer(_) => {
                        let key = r.repeat.property().unwrap_or_default().to_string();
                        let slot = match once_keys.iter().position(|k| *k == key) {
                            Some(s) => s,
                            None => {
                                once_keys.push(key);
                                once_keys.len() - 1
                            }
                        };
                        RepeatC::OncePer(slot)
                    }
                };
                let filter = match &r.filter {
                    Some(c) => {
                        let at = format!("behavior.groups[{gi}].rules[{ri}].where");
                        filters.push((compile_filter(c, &at)?, mask));
                        Some(filters.len() - 1)
                    }
                    None => None,
                };
                let ri = u32::try_from(rules.len()).unwrap_or(u32::MAX);
                let gi32 = u32::try_from(gi).unwrap_or(u32::MAX);
                for (k, c) in cands.iter_mut().enumerate() {
                    if mask & (1 << k) != 0 {
                        c.push((gi32, ri));
                    }
                }
                rules.push(RuleC {
                    id: r.id.clone(),
                    points: r.points,
                    window,
                    repeat,
                    filter,
                });
            }
            groups.push(GroupC {
                id: g.id.clone(),
                decay,
                cap: g.cap,
                rules: start..rules.len(),
            });
        }
        let mut daily_cap = [u32::MAX; KINDS];
        for (kind, cap) in &m.daily_caps {
            if let Some(i) = EventKind::ALL.iter().position(|k| k.as_str() == kind)
                && let Some(c) = daily_cap.get_mut(i)
            {
                *c = *cap;
            }
        }
        Ok(Self {
            rules,
            groups,
            cands,
            has_daily_caps: !m.daily_caps.is_empty(),
            daily_cap,
            day_offset: i64::from(m.utc_offset_minutes) * 60,
            silence_mask: super::behavior::kind_mask(&m.silence.kinds, "behavior.silence.kinds")?,
            silence: m.silence.clone(),
            floor: m.floor,
            ceiling: m.ceiling,
            once_keys,
            filters,
        })
    }

    /// Per-batch lookups for the columns' detail dictionary; `now` anchors date tests in
    /// `where` conditions.
    pub(crate) fn prepare<'a>(&self, cols: EventColumns<'a>, now: DateTime<Utc>) -> Prepared<'a> {
        let empty = EventDetail::default();
        let details = || cols.details.iter().chain(std::iter::once(&empty));
        let filter_hits = self
            .filters
            .iter()
            .map(|(filter, mask)| {
                let mut hits = Vec::with_capacity((cols.details.len() + 1) * KINDS);
                for d in details() {
                    let mut event = Event {
                        id: None,
                        lead_id: String::new(),
                        kind: EventKind::PageView,
                        name: d.name.clone(),
                        at: now,
                        properties: d.properties.clone(),
                    };
                    for (k, kind) in EventKind::ALL.iter().enumerate() {
                        event.kind = *kind;
                        hits.push(mask & (1 << k) != 0 && filter.matches(&event, now));
                    }
                }
                hits
            })
            .collect();
        let once_values = self
            .once_keys
            .iter()
            .map(|key| {
                let mut interned: BTreeMap<String, u32> = BTreeMap::new();
                let mut value_of = |v: Option<&crate::lead::AttrValue>| {
                    let text = v.map_or_else(
                        || "null".to_string(),
                        |v| crate::input::to_value(v).to_string(),
                    );
                    let next = u32::try_from(interned.len()).unwrap_or(NONE - 1);
                    *interned.entry(text).or_insert(next)
                };
                let mut ids: Vec<u32> = cols
                    .details
                    .iter()
                    .map(|d| value_of(d.properties.get(key)))
                    .collect();
                ids.push(value_of(None));
                ids
            })
            .collect();
        Prepared {
            cols,
            once_values,
            filter_hits,
        }
    }

    /// Scores the events `events` (indexes into the prepared columns) of one lead as of `now`,
    /// leaving per-rule results in `s`.
    pub(crate) fn run(
        &self,
        p: &Prepared<'_>,
        events: impl Iterator<Item = u32>,
        now: i64,
        s: &mut Scratch,
    ) -> Tally {
        let mut tally = Tally::default();
        let at = p.cols.at;
        s.idx.clear();
        for e in events {
            match at.get(e as usize).copied().unwrap_or(MISSING_TIME) {
                MISSING_TIME => tally.ignored.missing_time += 1,
                t if t > now => tally.ignored.future += 1,
                _ => s.idx.push(e),
            }
        }
        if !s.idx.windows(2).all(|w| match w {
            [a, b] => p.key(*a) <= p.key(*b),
            _ => true,
        }) {
            s.idx.sort_unstable_by_key(|e| p.key(*e));
        }

        // Forward pass: duplicates, daily caps, last interaction.
        let n = s.idx.len();
        s.skip.clear();
        s.skip.resize(n, 0);
        let has_ids = p.cols.id.is_some();
        if has_ids {
            s.ids.reset(n);
        }
        let mut days = DayCounter::new();
        for (&e, flag) in s.idx.iter().zip(s.skip.iter_mut()) {
            let i = e as usize;
            if has_ids {
                let id = p.id(i);
                if id != NO_ID && !s.ids.insert(id) {
                    *flag = DUPLICATE;
                    tally.ignored.duplicates += 1;
                    continue;
                }
            }
            let k = usize::from(p.cols.kind.get(i).copied().unwrap_or(0));
            let t = at.get(i).copied().unwrap_or(0);
            if self.silence_mask & (1 << k) != 0 {
                tally.last = Some(t);
            }
            if self.has_daily_caps {
                let cap = self.daily_cap.get(k).copied().unwrap_or(u32::MAX);
                if cap != u32::MAX {
                    let day = t.saturating_add(self.day_offset).div_euclid(86_400);
                    if days.over(day, k, cap) {
                        *flag = CAPPED;
                    }
                }
            }
        }

        // Reverse pass (newest first): rules claim events and count them.
        s.acc.clear();
        s.acc.resize(self.rules.len(), RuleAcc::default());
        if !self.once_keys.is_empty() {
            s.once.reset(n);
        }
        for (&e, &flag) in s.idx.iter().zip(s.skip.iter()).rev() {
            if flag == DUPLICATE {
                continue;
            }
            let i = e as usize;
            let k = usize::from(p.cols.kind.get(i).copied().unwrap_or(0));
            let Some(cands) = self.cands.get(k) else {
                continue;
            };
            let age = now.saturating_sub(at.get(i).copied().unwrap_or(now)) as f64;
            let slot = p.slot(p.detail(i));
            let mut claimed_group = u32::MAX;
            for &(g, r) in cands {
                if g == claimed_group {
                    continue;
                }
                let (Some(rule), Some(acc)) =
                    (self.rules.get(r as usize), s.acc.get_mut(r as usize))
                else {
                    continue;
                };
                if rule.filter.is_some_and(|f| !p.hit(f, slot, k)) {
                    continue;
                }
                claimed_group = g;
                if flag == CAPPED {
                    acc.capped += 1;
                    continue;
                }
                if rule.window.is_some_and(|w| age > w) {
                    continue;
                }
                let counts = match rule.repeat {
                    RepeatC::Every => true,
                    RepeatC::Once => !std::mem::replace(&mut acc.once_done, true),
                    RepeatC::OncePer(key) => {
                        let v = p
                            .once_values
                            .get(key)
                            .and_then(|vals| vals.get(slot))
                            .copied()
                            .unwrap_or(NONE);
                        s.once.insert((u64::from(r) << 32) | u64::from(v))
                    }
                };
                if counts {
                    let factor = self
                        .groups
                        .get(g as usize)
                        .map_or(1.0, |grp| grp.decay.factor(age));
                    acc.events += 1;
                    acc.raw += rule.points;
                    acc.decayed += rule.points * factor;
                }
            }
        }
        tally
    }

    fn group_points(&self, g: &GroupC, s: &Scratch) -> (f64, Option<f64>) {
        let lines = s.acc.get(g.rules.clone()).unwrap_or_default();
        cap_group(lines.iter().map(|a| a.decayed), g.cap)
    }

    fn clamp(&self, total: f64) -> (f64, Option<Bound>) {
        match (self.floor, self.ceiling) {
            (_, Some(c)) if total > c => (c, Some(Bound::Ceiling)),
            (Some(f), _) if total < f => (f, Some(Bound::Floor)),
            _ => (total, None),
        }
    }

    /// The behavior score of the last run (rounded), without a breakdown.
    pub(crate) fn score(&self, s: &Scratch, t: &Tally, created: i64, now: i64) -> f64 {
        let mut total = 0.0;
        for g in &self.groups {
            total += self.group_points(g, s).0;
        }
        total += self.silence.points(t.last, created, now);
        round(self.clamp(total).0)
    }

    /// The behavior score of the last run with its breakdown.
    pub(crate) fn explain(&self, s: &Scratch, t: &Tally, created: i64, now: i64) -> BehaviorScore {
        let mut total = 0.0;
        let mut groups = Vec::with_capacity(self.groups.len());
        let mut breakdown = Vec::new();
        for g in &self.groups {
            let (points, scale) = self.group_points(g, s);
            total += points;
            let lines = s.acc.get(g.rules.clone()).unwrap_or_default();
            let rules = self.rules.get(g.rules.clone()).unwrap_or_default();
            for (acc, rule) in lines.iter().zip(rules) {
                if acc.events == 0 && acc.capped == 0 {
                    continue;
                }
                let mut caps = Vec::new();
                if acc.capped > 0 {
                    caps.push(CapKind::KindDaily);
                }
                let mut final_points = acc.decayed;
                if let Some(scale) = scale.filter(|_| acc.decayed > 0.0) {
                    caps.push(CapKind::Group);
                    final_points *= scale;
                }
                breakdown.push(RuleLine {
                    rule: rule.id.clone(),
                    group: g.id.clone(),
                    events: acc.events,
                    capped_events: acc.capped,
                    raw: round(acc.raw),
                    decay: if acc.raw == 0.0 {
                        1.0
                    } else {
                        round(acc.decayed / acc.raw)
                    },
                    caps,
                    points: round(final_points),
                });
            }
            groups.push(GroupScore {
                group: g.id.clone(),
                points_before_cap: round(lines.iter().map(|a| a.decayed).sum()),
                cap: scale.and(g.cap),
                points: round(points),
            });
        }
        let silence = self.silence.state(t.last, created, now);
        total += silence.points;
        let (score, bound) = self.clamp(total);
        BehaviorScore {
            score: round(score),
            groups,
            breakdown,
            silence,
            clamp: bound.map(|bound| Clamp {
                bound,
                before: round(total),
            }),
            ignored: t.ignored,
        }
    }
}
