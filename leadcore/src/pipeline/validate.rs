//! Whole-pipeline validation: references, ranges, uniqueness, edge directions, reachability.

use std::collections::{BTreeSet, VecDeque};

use super::{MAX_PERIOD_DAYS, Pipeline, StaleSince};
use crate::error::{ConfigError, FieldErrorKind};
use crate::lead::EdgeKind;

/// Most stages a pipeline may have (the `skip` rule makes edges grow with its square).
pub const MAX_STAGES: usize = 200;
/// Most explicit edge entries a pipeline may have.
pub const MAX_EDGE_SPECS: usize = 2_000;

fn err(kind: FieldErrorKind, path: impl Into<String>) -> ConfigError {
    ConfigError::new(kind, path)
}

pub(super) fn pipeline(p: &Pipeline) -> Result<(), ConfigError> {
    if p.id.as_deref().is_some_and(|s| s.trim().is_empty()) {
        return Err(ConfigError::invalid("pipeline id is empty", "id"));
    }
    stages(p)?;
    let entry = entry(p)?;
    edges(p)?;
    reachability(p, &entry)?;
    policies(p)
}

fn stages(p: &Pipeline) -> Result<(), ConfigError> {
    if p.stages.is_empty() {
        return Err(ConfigError::invalid(
            "a pipeline needs at least one stage",
            "stages",
        ));
    }
    if p.stages.len() > MAX_STAGES {
        return Err(ConfigError::invalid(
            format!(
                "{} stages is more than the {MAX_STAGES} allowed",
                p.stages.len()
            ),
            "stages",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, s) in p.stages.iter().enumerate() {
        if s.id.trim().is_empty() || s.id.trim() != s.id {
            return Err(ConfigError::invalid(
                format!("stage id `{}` is empty or has surrounding whitespace", s.id),
                format!("stages[{i}].id"),
            ));
        }
        if !seen.insert(s.id.as_str()) {
            return Err(err(
                FieldErrorKind::Duplicate(s.id.clone()),
                format!("stages[{i}].id"),
            ));
        }
        if let Some(prob) = s.probability {
            let path = format!("stages[{i}].probability");
            if !prob.is_finite() {
                return Err(err(FieldErrorKind::NotFinite, path));
            }
            if !(0.0..=1.0).contains(&prob) {
                return Err(ConfigError::invalid(
                    format!("probability {prob} is outside [0, 1] (a fraction, not a percentage)"),
                    path,
                ));
            }
        }
    }
    Ok(())
}

fn entry(p: &Pipeline) -> Result<String, ConfigError> {
    let Some(id) = p.entry_stage() else {
        return Err(ConfigError::invalid(
            "a pipeline needs at least one stage",
            "stages",
        ));
    };
    let Some(stage) = p.stage(id) else {
        return Err(err(
            FieldErrorKind::UnknownReference(id.to_string()),
            "entry",
        ));
    };
    if !stage.kind.is_open() {
        let path = if p.entry.is_some() {
            "entry"
        } else {
            "stages[0].kind"
        };
        return Err(ConfigError::invalid(
            format!(
                "the entry stage `{id}` is `{}`; a lead must enter at an open stage",
                stage.kind.as_str()
            ),
            path,
        ));
    }
    Ok(id.to_string())
}

fn edges(p: &Pipeline) -> Result<(), ConfigError> {
    if p.edges.len() > MAX_EDGE_SPECS {
        return Err(ConfigError::invalid(
            format!(
                "{} edges is more than the {MAX_EDGE_SPECS} allowed",
                p.edges.len()
            ),
            "edges",
        ));
    }
    for (i, spec) in p.edges.iter().enumerate() {
        if spec.kind == EdgeKind::Enter {
            return Err(ConfigError::invalid(
                "`enter` is not an edge kind in a pipeline; use `entry`",
                format!("edges[{i}].kind"),
            ));
        }
        if spec.from.is_empty() && spec.from_kinds.is_empty() {
            return Err(err(
                FieldErrorKind::MissingField(
                    "missing field `from`: give `from` or `from_kinds`".into(),
                ),
                format!("edges[{i}].from"),
            ));
        }
        let Some(to_idx) = p.index_of(&spec.to) else {
            return Err(err(
                FieldErrorKind::UnknownReference(spec.to.clone()),
                format!("edges[{i}].to"),
            ));
        };
        for (j, from) in spec.from.iter().enumerate() {
            let path = format!("edges[{i}].from[{j}]");
            let Some(from_idx) = p.index_of(from) else {
                return Err(err(FieldErrorKind::UnknownReference(from.clone()), path));
            };
            if from_idx == to_idx {
                return Err(ConfigError::invalid(
                    format!("edge from `{from}` to itself"),
                    path,
                ));
            }
            p.edge_rule(from_idx, to_idx, spec.kind)
                .map_err(|m| ConfigError::invalid(m, format!("edges[{i}].kind")))?;
        }
    }
    // Kind selectors must select something, and no two explicit edges may join the same stages.
    let explicit = p.explicit_edges();
    for (i, spec) in p.edges.iter().enumerate() {
        if !spec.from_kinds.is_empty()
            && !explicit
                .iter()
                .any(|(k, e)| *k == i && !spec.from.contains(&e.from))
        {
            return Err(ConfigError::invalid(
                format!(
                    "no stage of these kinds can take a `{}` edge to `{}`",
                    super::edge_kind_str(spec.kind),
                    spec.to
                ),
                format!("edges[{i}].from_kinds"),
            ));
        }
    }
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (i, e) in &explicit {
        if !seen.insert((e.from.as_str(), e.to.as_str())) {
            return Err(err(
                FieldErrorKind::Duplicate(format!("{} -> {}", e.from, e.to)),
                format!("edges[{i}]"),
            ));
        }
    }
    Ok(())
}

fn reachability(p: &Pipeline, entry: &str) -> Result<(), ConfigError> {
    let edges = p.edges();
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    reached.insert(entry);
    queue.push_back(entry);
    while let Some(stage) = queue.pop_front() {
        for e in edges.iter().filter(|e| e.from == stage) {
            if reached.insert(e.to.as_str()) {
                queue.push_back(e.to.as_str());
            }
        }
    }
    match p
        .stages
        .iter()
        .enumerate()
        .find(|(_, s)| !reached.contains(s.id.as_str()))
    {
        Some((i, s)) => Err(ConfigError::invalid(
            format!(
                "stage `{}` cannot be reached from the entry stage `{entry}`: add an edge into it",
                s.id
            ),
            format!("stages[{i}]"),
        )),
        None => Ok(()),
    }
}

fn period(days: f64, path: String) -> Result<(), ConfigError> {
    if !days.is_finite() {
        return Err(err(FieldErrorKind::NotFinite, path));
    }
    if days <= 0.0 || days > MAX_PERIOD_DAYS {
        return Err(ConfigError::invalid(
            format!("{days} days is not a period in (0, {MAX_PERIOD_DAYS}]"),
            path,
        ));
    }
    Ok(())
}

fn policies(p: &Pipeline) -> Result<(), ConfigError> {
    for (i, rule) in p.policies.stale.iter().enumerate() {
        let base = format!("policies.stale[{i}]");
        if p.stage(&rule.stage).is_none() {
            return Err(err(
                FieldErrorKind::UnknownReference(rule.stage.clone()),
                format!("{base}.stage"),
            ));
        }
        if p.stage(&rule.stage).is_some_and(|s| !s.kind.is_open()) {
            return Err(ConfigError::invalid(
                format!(
                    "stage `{}` is not open; only open stages go stale",
                    rule.stage
                ),
                format!("{base}.stage"),
            ));
        }
        period(rule.after_days, format!("{base}.after_days"))?;
        if let Some(to) = &rule.to {
            if p.stage(to).is_none() {
                return Err(err(
                    FieldErrorKind::UnknownReference(to.clone()),
                    format!("{base}.to"),
                ));
            }
            if p.edge(&rule.stage, to).is_none() {
                return Err(ConfigError::invalid(
                    format!("the pipeline has no edge from `{}` to `{to}`", rule.stage),
                    format!("{base}.to"),
                ));
            }
        }
        if rule.since == StaleSince::StageEntry && rule.activity_kinds.is_some() {
            return Err(ConfigError::invalid(
                "`since: stage_entry` counts from the stage entry whatever the lead did: leave `activity_kinds` out",
                format!("{base}.activity_kinds"),
            ));
        }
        if rule.activity_kinds.as_ref().is_some_and(Vec::is_empty) {
            return Err(ConfigError::invalid(
                "list at least one event kind, leave `activity_kinds` out for every kind, or count from the stage entry with `since: stage_entry`",
                format!("{base}.activity_kinds"),
            ));
        }
        if rule.reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
            return Err(ConfigError::invalid(
                "reason is empty",
                format!("{base}.reason"),
            ));
        }
    }
    let rejection = &p.policies.rejection;
    period(
        rejection.cooldown_days,
        "policies.rejection.cooldown_days".into(),
    )?;
    if rejection.evidence_kinds.is_empty() {
        return Err(ConfigError::invalid(
            "list at least one event kind that counts as new evidence",
            "policies.rejection.evidence_kinds",
        ));
    }
    Ok(())
}
