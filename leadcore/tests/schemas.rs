//! The JSON Schemas of every config, input and result that crosses the binding boundary,
//! derived from the Rust types (schemars) and committed in `schemas/` (a link to
//! `leadcore-py/python/leadcore/schemas/`, the one copy, which the wheel ships as it is).
//!
//! `schemas/<config>.json` is one config document's schema (what ships in the packages, for
//! editors and admin UIs); `schemas/leadcore.json` bundles every shape under `$defs`, from which
//! the Node (`leadcore-node/schema.d.ts`) and Python (`leadcore/types.py`) types are generated
//! (its references carry no descriptions, see [`bare_refs`]).
//! Inputs and configs are described as they are read; results as they are written. A type read
//! and written with different required fields gets an `Output` twin in the bundle (as pydantic
//! names them).
//!
//! The test fails when a committed file differs from what the types give;
//! `LEADCORE_UPDATE_SCHEMAS=1 cargo test -p leadcore --test schemas` rewrites them.
#![allow(clippy::panic, reason = "a test: a type without a schema is a failure")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leadcore::{attribution, clean, condition, convert, funnel, lifecycle, pipeline, pool};
use leadcore::{predict, qualify, score};
use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

/// A config document: its file stem, its name in the bundle (`<Class>Json`: the classes of the
/// bindings take the plain names) and its schema.
type Entry = (
    &'static str,
    &'static str,
    fn(&mut SchemaGenerator) -> Schema,
);

macro_rules! entries {
    ($($file:literal $name:literal $t:ty),* $(,)?) => {
        vec![$(($file, $name, (|g: &mut SchemaGenerator| g.subschema_for::<$t>()) as fn(&mut SchemaGenerator) -> Schema)),*]
    };
}

/// Every config a binding loads as a class (and accepts as a plain document).
fn configs() -> Vec<Entry> {
    entries![
        "pipeline" "PipelineJson" pipeline::Pipeline,
        "rule_set" "RuleSetJson" qualify::RuleSet,
        "condition" "ConditionJson" condition::Condition,
        "temperature_thresholds" "TemperatureThresholdsJson" qualify::TemperatureThresholds,
        "scoring_model" "ScoringModelJson" score::ScoringModel,
        "scoring_proposal" "ProposalJson" score::Proposal,
        "source_model" "SourceModelJson" score::source::SourceModel,
        "pool_policy" "PoolPolicyJson" pool::PolicyConfig,
        "field_mapping" "FieldMappingJson" convert::FieldMapping,
        "dedup_policy" "DedupPolicyJson" clean::DedupPolicy,
        "email_options" "EmailOptionsJson" clean::EmailOptions,
        "company_options" "CompanyOptionsJson" clean::CompanyOptions,
        "phone_regions" "PhoneRegionsJson" clean::PhoneRegions,
        "attribution_config" "AttributionConfigJson" attribution::AttributionConfig,
        "ownership_config" "OwnershipConfigJson" attribution::OwnershipConfig,
        "funnel_config" "FunnelConfigJson" funnel::FunnelConfig,
        "roi_config" "RoiConfigJson" funnel::RoiConfig,
        "forecast_config" "ForecastConfigJson" funnel::ForecastConfig,
        "mlg_config" "MlgConfigJson" funnel::MlgConfig,
        "capacity_config" "CapacityConfigJson" funnel::CapacityConfig,
        "train_config" "TrainConfigJson" predict::TrainConfig,
        "feature_spec" "FeatureSpecJson" predict::FeatureSpec,
    ]
}

/// Inputs that are not configs (read as documents).
fn inputs(g: &mut SchemaGenerator) {
    g.subschema_for::<leadcore::Lead>();
    g.subschema_for::<leadcore::Event>();
    g.subschema_for::<lifecycle::TransitionRequest>();
    g.subschema_for::<pool::Request>();
    g.subschema_for::<pool::LogEntry>();
    g.subschema_for::<pool::Records>();
    g.subschema_for::<pool::PoolState>();
    g.subschema_for::<attribution::Journey>();
    g.subschema_for::<attribution::PathCount>();
    g.subschema_for::<funnel::Spend>();
    g.subschema_for::<funnel::PlanInput>();
    g.subschema_for::<funnel::Simulation>();
    g.subschema_for::<predict::Label>();
    g.subschema_for::<predict::TrainingSet>();
    g.subschema_for::<predict::PredictiveModel>();
    g.subschema_for::<score::source::SourceOutcome>();
}

/// Results (written documents).
fn results(g: &mut SchemaGenerator) {
    g.subschema_for::<lifecycle::Transitioned>();
    g.subschema_for::<Vec<lifecycle::Due>>();
    g.subschema_for::<lifecycle::StageTimes>();
    g.subschema_for::<Vec<pipeline::Edge>>();
    g.subschema_for::<qualify::Qualification>();
    g.subschema_for::<qualify::GateVerdict>();
    g.subschema_for::<qualify::TemperatureVerdict>();
    g.subschema_for::<condition::Evaluation>();
    g.subschema_for::<convert::Converted>();
    g.subschema_for::<clean::PhoneParse>();
    g.subschema_for::<clean::PhoneLocation>();
    g.subschema_for::<clean::EmailParse>();
    g.subschema_for::<clean::CompanyParse>();
    g.subschema_for::<clean::DedupResult>();
    g.subschema_for::<clean::DedupDecision>();
    g.subschema_for::<Vec<clean::LeadKey>>();
    g.subschema_for::<score::LeadScore>();
    g.subschema_for::<score::BatchScores>();
    g.subschema_for::<score::WhatIf>();
    g.subschema_for::<score::source::SourceTable>();
    g.subschema_for::<pool::Applied>();
    g.subschema_for::<pool::Due>();
    g.subschema_for::<pool::Decision>();
    g.subschema_for::<pool::DayReport>();
    g.subschema_for::<pool::Needs>();
    g.subschema_for::<pool::RowsApplied>();
    g.subschema_for::<pool::Replayed>();
    g.subschema_for::<attribution::AttributionReport>();
    g.subschema_for::<attribution::JourneyExplanation>();
    g.subschema_for::<attribution::OwnershipReport>();
    g.subschema_for::<attribution::AttributionState>();
    g.subschema_for::<funnel::FunnelReport>();
    g.subschema_for::<funnel::FunnelState>();
    g.subschema_for::<funnel::RoiReport>();
    g.subschema_for::<funnel::ForecastReport>();
    g.subschema_for::<funnel::MlgReport>();
    g.subschema_for::<funnel::CapacityPlan>();
    g.subschema_for::<funnel::CapacitySimulation>();
    g.subschema_for::<predict::LeadScore>();
    g.subschema_for::<predict::Metrics>();
    g.subschema_for::<predict::CrossValidation>();
    g.subschema_for::<predict::model::TrainingMetadata>();
    g.subschema_for::<predict::PredictiveModel>();
    g.subschema_for::<predict::TrainingSet>();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Replaces every `#/$defs/<from>` reference by `#/$defs/<to>`.
fn rename_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(to) = r.strip_prefix("#/$defs/").and_then(|n| renames.get(n))
            {
                *r = format!("#/$defs/{to}");
            }
            map.values_mut().for_each(|v| rename_refs(v, renames));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renames)),
        _ => {}
    }
}

/// Drops the keywords beside every `$ref` (descriptions, defaults): code generators read a
/// reference with siblings as a new shape and emit a numbered copy of the type for each.
fn bare_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("$ref") {
                map.retain(|k, _| k == "$ref");
            }
            map.values_mut().for_each(bare_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(bare_refs),
        _ => {}
    }
}

/// The name a reference points at (`#/$defs/Name`).
fn ref_name(schema: &Schema) -> String {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .unwrap_or_else(|| panic!("not a reference: {schema:?}"))
        .to_string()
}

/// Every schema file, by path relative to the repository root.
fn files() -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    // One standalone schema per config.
    for (file, _, schema) in configs() {
        let mut g = SchemaGenerator::new(SchemaSettings::default());
        let r = schema(&mut g);
        let name = ref_name(&r);
        let mut defs = g.take_definitions(true);
        let Some(Value::Object(mut top)) = defs.remove(&name) else {
            panic!("{name}: no schema")
        };
        top.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        top.insert(
            "$id".into(),
            json!(format!("https://leadcore.invalid/schemas/{file}.json")),
        );
        top.insert("title".into(), json!(name));
        if !defs.is_empty() {
            top.insert("$defs".into(), Value::Object(defs));
        }
        out.insert(format!("schemas/{file}.json"), Value::Object(top));
    }
    // The bundle: inputs and configs as read, results as written.
    let mut read = SchemaGenerator::new(SchemaSettings::default().for_deserialize());
    let mut renames = BTreeMap::new();
    for (_, json_name, schema) in configs() {
        renames.insert(ref_name(&schema(&mut read)), json_name.to_string());
    }
    inputs(&mut read);
    let mut defs = read.take_definitions(true);
    let mut written = SchemaGenerator::new(SchemaSettings::default().for_serialize());
    results(&mut written);
    let out_defs = written.take_definitions(true);
    let mut out_renames = BTreeMap::new();
    for (name, schema) in &out_defs {
        if defs.get(name).is_some_and(|d| d != schema) {
            out_renames.insert(name.clone(), format!("{name}Output"));
        }
    }
    for (name, mut schema) in out_defs {
        rename_refs(&mut schema, &out_renames);
        let name = out_renames.get(&name).cloned().unwrap_or(name);
        defs.entry(name).or_insert(schema);
    }
    let mut defs: Map<String, Value> = defs
        .into_iter()
        .map(|(k, v)| (renames.get(&k).cloned().unwrap_or(k), v))
        .collect();
    // What every error carries: its stable code and its category (the exception class).
    defs.insert(
        "ErrorCode".into(),
        json!({
            "description": "The stable code of a leadcore error (`all_error_codes()`).",
            "type": "string",
            "enum": leadcore::all_error_codes(),
        }),
    );
    defs.insert(
        "ErrorCategory".into(),
        json!({
            "description": "The family of a leadcore error; each has its own exception class.",
            "type": "string",
            "enum": leadcore::error::Category::ALL.map(|c| c.to_string()),
        }),
    );
    for (name, schema) in defs.iter_mut() {
        rename_refs(schema, &renames);
        bare_refs(schema);
        // Code generators name a shape by its title (and otherwise may emit it twice).
        if let Value::Object(map) = schema {
            map.entry("title").or_insert_with(|| json!(name));
        }
    }
    out.insert(
        "schemas/leadcore.json".into(),
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://leadcore.invalid/schemas/leadcore.json",
            "title": "leadcore",
            "description": "Every leadcore document: configs (`<Class>Json`), inputs and results.",
            "$defs": defs,
        }),
    );
    out
}

#[test]
fn committed_schemas_match_the_types() {
    let update = std::env::var_os("LEADCORE_UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    let files = files();
    for (path, schema) in &files {
        let text = serde_json::to_string_pretty(schema).unwrap() + "\n";
        let full = root().join(path);
        if std::fs::read_to_string(&full).ok().as_deref() != Some(text.as_str()) {
            if update {
                std::fs::write(&full, text).unwrap();
            } else {
                stale.push(path.clone());
            }
        }
    }
    // No schema file without a type.
    for entry in std::fs::read_dir(root().join("schemas")).unwrap() {
        let path = format!("schemas/{}", entry.unwrap().file_name().to_string_lossy());
        if path.ends_with(".json") && !files.contains_key(&path) {
            if update {
                std::fs::remove_file(root().join(&path)).unwrap();
            } else {
                stale.push(path);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from the Rust types: run LEADCORE_UPDATE_SCHEMAS=1 cargo test -p leadcore --test schemas"
    );
}
