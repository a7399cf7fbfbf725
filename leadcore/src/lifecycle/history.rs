//! Checks and facts about a lead's stage history that every lifecycle operation shares.

use chrono::{DateTime, TimeDelta, Utc};

use super::TransitionError;
use crate::lead::Lead;

/// Checks that the history is time-ordered, ends in the lead's stage, and that `now` is not
/// before anything already recorded.
pub(crate) fn check(lead: &Lead, now: DateTime<Utc>) -> Result<(), TransitionError> {
    for (index, pair) in lead.history.windows(2).enumerate() {
        if let [a, b] = pair
            && (b.at < a.at || b.recorded_at < a.recorded_at)
        {
            return Err(TransitionError::HistoryOutOfOrder { index: index + 1 });
        }
    }
    if let Some(last) = lead.history.last()
        && lead.stage.as_deref() != Some(last.to.as_str())
    {
        return Err(TransitionError::HistoryMismatch {
            stage: lead.stage.clone(),
            last: last.to.clone(),
        });
    }
    let last = last_recorded(lead);
    if now < last {
        return Err(TransitionError::ClockBackwards { now, last });
    }
    Ok(())
}

/// The latest instant the lead's record already knows about: its creation, and every change's
/// effective and recorded times.
fn last_recorded(lead: &Lead) -> DateTime<Utc> {
    lead.history
        .last()
        .map_or(lead.created_at, |c| c.at.max(c.recorded_at))
        .max(lead.created_at)
}

/// The effective time of the lead's last change, or its creation when it has none; a new
/// change may not take effect before it.
pub(crate) fn last_change(lead: &Lead) -> DateTime<Utc> {
    lead.history
        .last()
        .map_or(lead.created_at, |c| c.at)
        .max(lead.created_at)
}

/// When the lead entered its current stage: its last change, or its creation for a lead that
/// was given a stage without history (an import).
pub(crate) fn stage_entered(lead: &Lead) -> DateTime<Utc> {
    lead.history.last().map_or(lead.created_at, |c| c.at)
}

/// `at` plus a fractional number of days (millisecond precision).
pub(crate) fn add_days(at: DateTime<Utc>, days: f64) -> Result<DateTime<Utc>, TransitionError> {
    let out_of_range = || TransitionError::TimeOutOfRange { at, days };
    let ms = days * 86_400_000.0;
    if !ms.is_finite() || ms.abs() >= 9.0e15 {
        return Err(out_of_range());
    }
    TimeDelta::try_milliseconds(ms.round() as i64)
        .and_then(|d| at.checked_add_signed(d))
        .ok_or_else(out_of_range)
}
