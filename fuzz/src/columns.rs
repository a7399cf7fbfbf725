//! Column readers built from fuzzed buffers: score event columns, attribution journey columns
//! and path batches.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use leadcore::attribution::{
    AttributionAccumulator, AttributionConfig, JourneyColumns, PathBatch, TouchTimes,
};
use leadcore::input::Config;
use leadcore::score::{EventColumns, EventDetail, Scorer, ScoringModel};
use leadcore::{AttrValue, Lead};

use crate::fixtures;

/// A detail dictionary entry: a custom event's name and numeric properties.
type Detail = (Option<String>, Vec<(String, f64)>);

/// Event columns of a batch of up to four leads (columns may disagree in length).
#[derive(Debug, Arbitrary)]
struct Events {
    leads: u8,
    preset: u8,
    lead: Vec<u32>,
    kind: Vec<u8>,
    at: Vec<i64>,
    id: Option<Vec<u64>>,
    detail: Option<Vec<u32>>,
    details: Vec<Detail>,
    now: i64,
}

/// Scores fuzzed event columns with a preset model: the fast path must agree with the full one.
pub fn event_columns(data: &[u8]) {
    let Ok(e) = Events::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let scorers = scorers();
    let Some(scorer) = scorers.get(usize::from(e.preset) % scorers.len().max(1)) else {
        return;
    };
    let leads: Vec<Lead> = (0..e.leads % 4 + 1)
        .map(|i| Lead {
            id: format!("L{i}"),
            ..fixtures::lead()
        })
        .collect();
    let details: Vec<EventDetail> = (e.details.iter().take(8))
        .map(|(name, props)| EventDetail {
            name: name.clone(),
            properties: props
                .iter()
                .map(|(k, v)| (k.clone(), AttrValue::Number(*v)))
                .collect(),
        })
        .collect();
    let columns = EventColumns {
        lead: &e.lead,
        kind: &e.kind,
        at: &e.at,
        id: e.id.as_deref(),
        detail: e.detail.as_deref(),
        details: &details,
        unmatched: 0,
    };
    let Some(now) = chrono::DateTime::from_timestamp(e.now, 0) else {
        return;
    };
    let table = scorer.score_table(&leads, columns, now, 1);
    let full = scorer.score_columns(&leads, columns, now, 1);
    if let (Ok(table), Ok(full)) = (table, full) {
        let fast: Vec<u64> = table.combined.iter().map(|s| s.to_bits()).collect();
        let slow: Vec<u64> = full
            .leads
            .iter()
            .map(|l| l.combined.score.to_bits())
            .collect();
        assert_eq!(fast, slow, "score_table and score_columns disagree");
    }
}

/// One scorer per preset model.
fn scorers() -> &'static [Scorer] {
    static SCORERS: OnceLock<Vec<Scorer>> = OnceLock::new();
    SCORERS.get_or_init(|| {
        (ScoringModel::preset_names().iter())
            .map(|name| Scorer::new(ScoringModel::preset(name).expect("preset")).expect("scorer"))
            .collect()
    })
}

/// Journey, channel, campaign, ticks, seconds, milestone bits, converted, value.
type TouchRow = (u8, u8, Option<u8>, i64, f64, u8, bool, f64);

/// Touch rows: journey, channel, campaign, time (ticks and seconds), milestone bits, outcome.
#[derive(Debug, Arbitrary)]
struct Touches {
    config: u8,
    per_second: i64,
    float_times: bool,
    rows: Vec<TouchRow>,
    path_text: String,
    path_rows: Vec<(u16, u8, u8, f64)>,
}

/// Adds fuzzed journey columns and a fuzzed path batch to accumulators and finishes them.
pub fn journey_columns(data: &[u8]) {
    let Ok(t) = Touches::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let configs = configs();
    let Some(config) = configs.get(usize::from(t.config) % configs.len().max(1)) else {
        return;
    };
    let rows = t.rows.get(..t.rows.len().min(256)).unwrap_or_default();
    let ids: Vec<String> = rows.iter().map(|r| format!("J{}", r.0 % 16)).collect();
    let channels: Vec<String> = rows.iter().map(|r| format!("c{}", r.1 % 12)).collect();
    let campaigns: Vec<Option<String>> =
        rows.iter().map(|r| r.2.map(|c| format!("k{c}"))).collect();
    let ticks: Vec<i64> = rows.iter().map(|r| r.3).collect();
    let seconds: Vec<f64> = rows.iter().map(|r| r.4).collect();
    let bits = |b: u8| -> Vec<bool> { rows.iter().map(|r| r.5 >> b & 1 == 1).collect() };
    let milestones = [bits(0), bits(1), bits(2), bits(3)];
    let converted: Vec<bool> = rows.iter().map(|r| r.6).collect();
    let value: Vec<f64> = rows.iter().map(|r| r.7).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let channel_refs: Vec<&str> = channels.iter().map(String::as_str).collect();
    let campaign_refs: Vec<Option<&str>> = campaigns.iter().map(Option::as_deref).collect();
    let columns = JourneyColumns {
        journey_id: &id_refs,
        channel: &channel_refs,
        campaign: Some(&campaign_refs),
        at: if t.float_times {
            TouchTimes::Seconds(&seconds)
        } else {
            TouchTimes::Ticks {
                values: &ticks,
                per_second: t.per_second,
            }
        },
        milestones: milestones.each_ref().map(|m| Some(m.as_slice())),
        converted: Some(&converted),
        value: Some(&value),
    };
    if let Ok(mut acc) = AttributionAccumulator::new(config.clone()) {
        let _ = acc.add_journey_columns(&columns);
        let _ = acc.finish();
    }
    let mut batch = PathBatch::from_text(t.path_text);
    for &(end, conversions, nulls, value) in t.path_rows.iter().take(64) {
        batch.push_end(
            usize::from(end),
            u64::from(conversions),
            u64::from(nulls),
            value,
        );
    }
    if let Ok(mut acc) = AttributionAccumulator::new(config.clone()) {
        let _ = acc.add_batch(&batch, 0);
        let _ = acc.finish();
    }
}

/// The default models, and every other model type (exact Shapley over at most 12 channels).
fn configs() -> &'static [AttributionConfig] {
    static CONFIGS: OnceLock<Vec<AttributionConfig>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let others = r#"{"level": "campaign", "separator": ">", "models": [
            {"type": "last_non_direct"}, {"type": "u_shaped"}, {"type": "w_shaped"},
            {"type": "full_path"}, {"type": "j_shaped"}, {"type": "inverse_j_shaped"},
            {"type": "time_decay", "half_life_days": 7},
            {"type": "markov", "order": 2, "include_transitions": true},
            {"type": "shapley"}]}"#;
        vec![
            AttributionConfig::default(),
            AttributionConfig::from_json(others).expect("attribution config"),
        ]
    })
}
