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

/// A rule as one event kind sees it: everything the scoring pass needs, inline.
#[derive(Debug, Clone)]
struct Cand {
    group: u32,
    rule: u32,
    points: f64,
    /// Longest counted age in seconds (rule window and group window combined; infinite for
    /// none).
    window: f64,
    repeat: RepeatC,
    /// Slot in [`Engine::filters`].
    filter: Option<usize>,
    /// The group's decay.
    decay: DecayFn,
}

#[derive(Debug, Clone)]
struct GroupC {
    id: String,
    cap: Option<f64>,
    rules: Range<usize>,
}

/// A compiled behavior model.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    /// Rule ids, in config order.
    rules: Vec<String>,
    groups: Vec<GroupC>,
    /// Per kind code: the candidate rules in config order.
    cands: Vec<Vec<Cand>>,
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

    /// The order events are scored in: by time, then what they are (kind, detail), then id.
    /// Events tied on all but the id score alike, so an id's number only tells events apart,
    /// its order never changes a score (tables number integer ids by value, rows by text).
    #[inline]
    fn key(&self, e: u32) -> (i64, u8, u32, u64) {
        let i = e as usize;
        (
            self.cols.at.get(i).copied().unwrap_or(MISSING_TIME),
            self.cols.kind.get(i).copied().unwrap_or(0),
            self.detail(i),
            self.id(i),
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
        let hash = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut i = hash.checked_shr(64 - self.bits).unwrap_or(0) as usize & mask;
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

/// One surviving event of the lead being scored, in canonical order.
#[derive(Debug, Clone, Copy)]
struct Rec {
    event: u32,
    /// Detail slot (`details.len()` for none).
    slot: u32,
    /// Age at `now` in seconds.
    age: f64,
    kind: u8,
    /// Over its kind's daily cap.
    capped: bool,
}

impl Rec {
    fn new(event: u32) -> Self {
        Self {
            event,
            slot: 0,
            age: 0.0,
            kind: 0,
            capped: false,
        }
    }
}

/// Per-thread buffers reused from lead to lead.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    idx: Vec<u32>,
    evs: Vec<Rec>,
    ids: U64Set,
    once: U64Set,
    acc: Vec<RuleAcc>,
}

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
        let mut cands: Vec<Vec<Cand>> = vec![Vec::new(); KINDS];
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
                let cand = Cand {
                    group: gi32,
                    rule: ri,
                    points: r.points,
                    window: window.unwrap_or(f64::INFINITY),
                    repeat,
                    filter,
                    decay: decay.clone(),
                };
                for (k, c) in cands.iter_mut().enumerate() {
                    if mask & (1 << k) != 0 {
                        c.push(cand.clone());
                    }
                }
                rules.push(r.id.clone());
            }
            groups.push(GroupC {
                id: g.id.clone(),
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
        let cols = &p.cols;
        let (at, kinds) = (cols.at, cols.kind);

        // Keep events at or before `now`; note whether they already come in canonical order
        // (by time; ties need the full key).
        s.idx.clear();
        let (mut in_order, mut ties, mut last) = (true, false, i64::MIN);
        for e in events {
            match at.get(e as usize).copied().unwrap_or(MISSING_TIME) {
                MISSING_TIME => tally.ignored.missing_time += 1,
                t if t > now => tally.ignored.future += 1,
                t => {
                    in_order &= t >= last;
                    ties |= t == last;
                    last = t;
                    s.idx.push(e);
                }
            }
        }
        if !in_order
            || (ties
                && !s.idx.windows(2).all(|w| match w {
                    [a, b] => p.key(*a) <= p.key(*b),
                    _ => true,
                }))
        {
            s.idx.sort_unstable_by_key(|e| p.key(*e));
        }

        // Forward pass: duplicates, daily caps, last interaction; the survivors are copied
        // into compact records for the scoring pass.
        let n = s.idx.len();
        s.evs.clear();
        if let Some(ids) = cols.id {
            s.ids.reset(n);
            for &e in &s.idx {
                let id = ids.get(e as usize).copied().unwrap_or(NO_ID);
                if id != NO_ID && !s.ids.insert(id) {
                    tally.ignored.duplicates += 1;
                } else {
                    s.evs.push(Rec::new(e));
                }
            }
        } else {
            s.evs.extend(s.idx.iter().map(|&e| Rec::new(e)));
        }
        let mut days = DayCounter::new();
        let details = cols.detail;
        let none = cols.details.len();
        for r in &mut s.evs {
            let i = r.event as usize;
            let k = kinds.get(i).copied().unwrap_or(0);
            let t = at.get(i).copied().unwrap_or(now);
            r.kind = k;
            r.age = now.saturating_sub(t) as f64;
            r.slot = match details.and_then(|d| d.get(i)).copied() {
                Some(d) if d != NO_DETAIL => d,
                _ => u32::try_from(none).unwrap_or(NO_DETAIL),
            };
            if self.silence_mask & (1 << k) != 0 {
                tally.last = Some(t);
            }
            if self.has_daily_caps {
                let cap = self
                    .daily_cap
                    .get(usize::from(k))
                    .copied()
                    .unwrap_or(u32::MAX);
                if cap != u32::MAX {
                    let day = t.saturating_add(self.day_offset).div_euclid(86_400);
                    r.capped = days.over(day, usize::from(k), cap);
                }
            }
        }

        // Scoring pass, newest first: the first rule of each group whose kind, filter and window
        // match claims an event.
        s.acc.clear();
        s.acc.resize(self.rules.len(), RuleAcc::default());
        if !self.once_keys.is_empty() {
            s.once.reset(s.evs.len());
        }
        for r in s.evs.iter().rev() {
            let k = usize::from(r.kind);
            let Some(cands) = self.cands.get(k) else {
                continue;
            };
            let slot = r.slot as usize;
            let mut claimed_group = u32::MAX;
            for rule in cands {
                if rule.group == claimed_group {
                    continue;
                }
                if rule.filter.is_some_and(|f| !p.hit(f, slot, k)) {
                    continue;
                }
                if r.age > rule.window {
                    continue;
                }
                let Some(acc) = s.acc.get_mut(rule.rule as usize) else {
                    continue;
                };
                claimed_group = rule.group;
                if r.capped {
                    acc.capped += 1;
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
                        s.once.insert((u64::from(rule.rule) << 32) | u64::from(v))
                    }
                };
                if counts {
                    acc.events += 1;
                    acc.raw += rule.points;
                    acc.decayed += rule.points * rule.decay.factor(r.age);
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
                    rule: rule.clone(),
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
