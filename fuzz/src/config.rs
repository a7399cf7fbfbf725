//! `config_json`: every JSON config loader (first byte picks it, the rest is the text), and the
//! JSON forms of the model and the accumulators.

use std::fmt::Debug;

use leadcore::attribution::{AttributionAccumulator, AttributionConfig, OwnershipConfig};
use leadcore::clean::{CompanyOptions, DedupPolicy, EmailOptions, PhoneRegions};
use leadcore::funnel::{
    CapacityConfig, ForecastConfig, FunnelAccumulator, FunnelConfig, MlgConfig, RoiConfig,
};
use leadcore::input::Config;
use leadcore::pool::PolicyConfig;
use leadcore::predict::{FeatureSpec, PredictiveModel, TrainConfig};
use leadcore::qualify::TemperatureThresholds;
use leadcore::score::{Proposal, Scorer, ScoringModel, SourceModel};
use leadcore::{Condition, FieldMapping, Pipeline, RuleSet};

use crate::fixtures;

/// Loads one config or JSON state; when it loads, it must read back equal and run on a lead.
pub fn config_json(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let lead = fixtures::lead();
    match pick % 24 {
        0 => {
            if let Some(m) = round_trip::<ScoringModel>(text)
                && let Ok(scorer) = Scorer::new(m)
            {
                let _ = scorer.score(&lead, &fixtures::events(), fixtures::now());
            }
        }
        1 => {
            if let Some(rules) = round_trip::<RuleSet>(text) {
                let scores = Default::default();
                let _ = leadcore::qualify::qualify(&rules, &lead, &[], fixtures::now(), &scores);
            }
        }
        2 => {
            if let Some(p) = round_trip::<Pipeline>(text) {
                let _ = p.edges();
            }
        }
        3 => {
            if let Some(m) = round_trip::<FieldMapping>(text) {
                let _ = leadcore::convert_lead(&m, &lead);
            }
        }
        4 => drop(round_trip::<PolicyConfig>(text).map(PolicyConfig::compile)),
        5 => drop(round_trip::<TrainConfig>(text)),
        6 => {
            if let Some(c) = round_trip::<AttributionConfig>(text)
                && let Ok(acc) = AttributionAccumulator::new(c)
            {
                let _ = acc.finish();
            }
        }
        7 => {
            if let Some(c) = round_trip::<FunnelConfig>(text)
                && let Ok(mut acc) = FunnelAccumulator::new(c)
            {
                let _ = acc.add_lead(&lead);
                let _ = acc.finish();
            }
        }
        8 => drop(round_trip::<CapacityConfig>(text)),
        9 => drop(round_trip::<ForecastConfig>(text)),
        10 => drop(round_trip::<MlgConfig>(text)),
        11 => drop(round_trip::<RoiConfig>(text)),
        12 => drop(round_trip::<OwnershipConfig>(text)),
        13 => {
            if let Some(p) = round_trip::<DedupPolicy>(text) {
                let _ = leadcore::clean::dedupe(&[lead.clone(), lead], &p);
            }
        }
        14 => {
            if let Some(o) = round_trip::<CompanyOptions>(text) {
                let _ = leadcore::clean::normalize_company("北京星云科技有限公司", &o);
            }
        }
        15 => {
            if let Some(o) = round_trip::<EmailOptions>(text) {
                let _ = leadcore::clean::normalize_email("Li.Wei+crm@Example.COM", &o);
            }
        }
        16 => drop(round_trip::<PhoneRegions>(text)),
        17 => drop(round_trip::<Condition>(text)),
        18 => drop(round_trip::<FeatureSpec>(text)),
        19 => drop(round_trip::<TemperatureThresholds>(text)),
        20 => drop(round_trip::<SourceModel>(text)),
        21 => drop(round_trip::<Proposal>(text)),
        22 => {
            if let Ok(model) = PredictiveModel::from_json(text) {
                let again = PredictiveModel::from_json(&model.to_json());
                assert_eq!(again.ok().as_ref(), Some(&model), "model JSON round trip");
            }
        }
        _ => {
            if let Ok(acc) = AttributionAccumulator::from_json(text) {
                let json = acc.to_json();
                let again = AttributionAccumulator::from_json(&json).map(|a| a.to_json());
                assert_eq!(again.ok(), Some(json), "attribution state JSON round trip");
            }
            if let Ok(acc) = FunnelAccumulator::from_json(text) {
                let json = acc.to_json();
                let again = FunnelAccumulator::from_json(&json).map(|a| a.to_json());
                assert_eq!(again.ok(), Some(json), "funnel state JSON round trip");
            }
        }
    }
}

/// Loads `text` as `T`; a config that loads must load back equal from its own JSON.
fn round_trip<T: Config + PartialEq + Debug>(text: &str) -> Option<T> {
    let config = T::from_json(text).ok()?;
    let json = config.to_json();
    match T::from_json(&json) {
        Ok(again) => assert_eq!(again, config, "{json}"),
        Err(e) => panic!(
            "{} does not read its own JSON back: {e}: {json}",
            name::<T>()
        ),
    }
    Some(config)
}

fn name<T>() -> &'static str {
    std::any::type_name::<T>()
}
