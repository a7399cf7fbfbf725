//! Commands the host sends, effects it must carry out, and the reasons behind each outcome.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::config::Role;
use super::route::Decision;
use super::state::{Holder, Id, Trigger};
use crate::lead::Lead;

/// A command to the pool state machine. Every command goes through [`super::apply`] and the
/// same checks, whichever path (manual, bulk, transfer, routing) it comes from.
///
/// JSON: `{"type": "claim", "lead": "L1", "rep": "wang"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "PoolCommand")]
pub enum Command {
    /// A manager puts a lead into a pool: a new lead, or a pooled lead moved to another pool.
    Deposit {
        /// Lead id.
        lead: String,
        /// Pool id.
        pool: String,
        /// When the lead was created (for the cleaning SLA); default `now`.
        #[serde(
            default,
            with = "crate::time::rfc3339::option",
            skip_serializing_if = "Option::is_none"
        )]
        #[schemars(with = "Option<crate::time::InstantSchema>")]
        created_at: Option<DateTime<Utc>>,
        /// Its stage (enters the stage's nurture cadence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// Its region; default: the pool's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
    /// Automatic assignment by the routing rules: a new lead, or a pooled one (a lead that
    /// shows intent again). When the target has no rep available the lead waits in a pool and
    /// `tick` retries.
    Route {
        /// The lead, with the attributes the rules read.
        lead: Box<Lead>,
    },
    /// A rep claims a pooled lead.
    Claim {
        /// Lead id.
        lead: String,
        /// The rep.
        rep: String,
    },
    /// A manager assigns a pooled lead (or one waiting for their dispatch) to a rep; assigning
    /// to a manager parks the lead with them for dispatch (two-level assignment).
    Assign {
        /// Lead id.
        lead: String,
        /// The rep (or manager).
        rep: String,
        /// Who assigns; required to dispatch a lead waiting with a manager (must be them).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// Assigns several leads to one rep, all or nothing: if any lead is refused (caps count
    /// the earlier leads of the batch), none is assigned and the error names the item.
    BulkAssign {
        /// Lead ids.
        leads: Vec<String>,
        /// The rep.
        rep: String,
        /// Who assigns.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// The owner gives a lead back to a pool (not a fall-out: the ladder does not move; the
    /// rep gets the cooldown).
    Return {
        /// Lead id.
        lead: String,
        /// The owner.
        rep: String,
        /// Why (required).
        reason: String,
        /// Destination pool; default: the pool it came from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pool: Option<String>,
    },
    /// A manager takes a lead back from its owner: a fall-out (escalation ladder, cooldown,
    /// next owner differs). A lead waiting for dispatch goes back to its pool.
    Reclaim {
        /// Lead id.
        lead: String,
        /// Why (required).
        reason: String,
        /// Who reclaims.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// Destination pool; default: the escalation ladder's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pool: Option<String>,
    },
    /// The owner hands a lead to another rep (who passes every check a claim does).
    Transfer {
        /// Lead id.
        lead: String,
        /// The current owner.
        from: String,
        /// The new owner.
        to: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The owner hands the lead to a person of another role along a hand-over path of the
    /// policy (an SDR to a rep, seed 003): to `to`, or, naming nobody, to the member of the
    /// path's team its strategy picks (the decision explains the pick). The path is the one
    /// from the owner's role to `to`'s role (or to `role`), else the first from the owner's
    /// role. Refused when no path allows it, nobody can take the lead now, or its protection
    /// ended (as a transfer).
    HandOver {
        /// Lead id.
        lead: String,
        /// The current owner.
        from: String,
        /// The receiver; absent: picked from the path's team.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// The receiver's role, to choose between paths when `to` is absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
    },
    /// The owner records a follow-up; a qualifying kind extends protection.
    FollowUp {
        /// Lead id.
        lead: String,
        /// The owner.
        rep: String,
        /// Activity kind (`call`, `visit`…); absent counts as qualifying.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
    },
    /// The lead converted (became an opportunity): it leaves the pools and its owner's holding.
    MarkConverted {
        /// Lead id.
        lead: String,
    },
    /// A constraint from the lifecycle: the next owner must differ from this rep (the rep who
    /// rejected the lead). The lifecycle's `exclude_owner` effect plus the lead id.
    ExcludeOwner {
        /// Lead id.
        lead: String,
        /// The rep to exclude.
        owner: String,
        /// Why.
        reason: String,
    },
    /// The lead's lifecycle stage changed: it enters the nurture cadences (SOPs) of the new
    /// stage at their first step (or leaves nurture when it enters none).
    ///
    /// JSON: `{"type": "stage_changed", "lead": "L1", "stage": "MQL", "facts": {"id": "L1",
    /// "created_at": "2026-11-01T00:00:00Z", "attributes": {"industry": "manufacturing"}}}`.
    StageChanged {
        /// Lead id.
        lead: String,
        /// The new stage.
        stage: String,
        /// The lead as the CRM has it, read by the cadences' `when` (which SOPs it enters,
        /// which reactivation cadence is its); its `id` is `lead`. Absent: no SOP with a
        /// `when` is entered (one the lead runs is kept) and the lead keeps its reactivation
        /// cadence.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        facts: Option<Box<Lead>>,
    },
    /// The lead itself did something (site login, reply, download): ends its silence.
    LeadActivity {
        /// Lead id.
        lead: String,
    },
    /// A milestone an SLA timer waits for (`cleaned`…) happened now.
    Milestone {
        /// Lead id.
        lead: String,
        /// Milestone name.
        name: String,
    },
    /// The host carried out a nurture step; `due` will not list it again.
    NurtureDone {
        /// Lead id.
        lead: String,
        /// Cadence id.
        sop: String,
        /// Step id.
        step: String,
    },
    /// The lead is done with the pools (converted, or closed by the host): its record leaves
    /// the state (the host deletes or archives the row). An owner's holding is released.
    Archive {
        /// Lead id.
        lead: String,
    },
    /// The lead is deleted (entered by mistake, or erased on request): its record leaves the
    /// state; an owner's holding is released.
    Remove {
        /// Lead id.
        lead: String,
    },
    /// Dedupe found `duplicate` to be the same lead as `survivor`: the duplicate's record leaves
    /// the state and its milestones join the survivor's. When the duplicate is owned and the
    /// survivor waits in a pool, the survivor goes to that owner with the duplicate's
    /// protection clock (no cap counts twice: the owner holds one lead instead of another);
    /// when both are owned, the survivor's owner keeps it and the duplicate's owner is told.
    Merge {
        /// The lead that stays.
        survivor: String,
        /// The lead merged into it.
        duplicate: String,
    },
}

impl Command {
    /// The lead ids the command names, in order (the lead of `route`, both leads of `merge`).
    pub fn leads(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.each_lead(|l| out.push(l));
        out
    }

    /// Calls `f` with each lead id the command names, in order, without allocating.
    pub(crate) fn each_lead<'a>(&'a self, mut f: impl FnMut(&'a str)) {
        match self {
            Self::Route { lead } => f(lead.id.as_str()),
            Self::BulkAssign { leads, .. } => leads.iter().for_each(|l| f(l)),
            Self::Merge {
                survivor,
                duplicate,
            } => {
                f(survivor);
                f(duplicate);
            }
            Self::Deposit { lead, .. }
            | Self::Claim { lead, .. }
            | Self::Assign { lead, .. }
            | Self::Return { lead, .. }
            | Self::Reclaim { lead, .. }
            | Self::Transfer { lead, .. }
            | Self::HandOver { lead, .. }
            | Self::FollowUp { lead, .. }
            | Self::MarkConverted { lead }
            | Self::ExcludeOwner { lead, .. }
            | Self::StageChanged { lead, .. }
            | Self::LeadActivity { lead }
            | Self::Milestone { lead, .. }
            | Self::NurtureDone { lead, .. }
            | Self::Archive { lead }
            | Self::Remove { lead } => f(lead),
        }
    }
}

/// A command with an optional id. Applying a command whose id a lead it names already took
/// answers with the earlier outcome (`duplicate: true`) and changes nothing, so a host can
/// retry a request that timed out. The same id with another command is refused
/// (`command_id_reused`).
///
/// JSON: the command's object with an `id` next to `type`:
/// `{"id": "req-7f3", "type": "claim", "lead": "L1", "rep": "wang"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The command id, if any.
    pub id: Option<String>,
    /// The command.
    pub command: Command,
}

/// What a bad command id is.
const BAD_ID: &str = "a command id is a non-empty string or a number";

/// Takes the `id` out of a command object: `Err` for an id that is neither a non-empty string
/// nor a number.
fn take_id(value: &mut serde_json::Value) -> Result<Option<String>, ()> {
    let serde_json::Value::Object(map) = value else {
        return Ok(None);
    };
    match map.remove("id") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(()),
    }
}

impl Request {
    /// Reads a request from a JSON value, reporting the path of the first bad field (the
    /// command's fields keep their paths; a bad `id` is reported at `id`).
    pub fn from_value(value: serde_json::Value) -> Result<Self, crate::error::InputError> {
        use crate::error::{FieldErrorKind, InputError};
        if value.is_null() {
            return Err(InputError::new(
                FieldErrorKind::MissingField("missing field `command`".into()),
                "$",
            ));
        }
        let mut value = value;
        let id = take_id(&mut value)
            .map_err(|()| InputError::new(FieldErrorKind::InvalidValue(BAD_ID.into()), "id"))?;
        let command = crate::input::from_value(value)?;
        Ok(Self { id, command })
    }

    /// Reads one request (an object) or a list of them, located at `path[i]`.
    pub fn list_from_value(
        value: serde_json::Value,
    ) -> Result<Vec<Self>, crate::error::InputError> {
        match value {
            serde_json::Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| Self::from_value(v).map_err(|e| e.at(&format!("[{i}]"))))
                .collect(),
            other => Ok(vec![Self::from_value(other)?]),
        }
    }
}

impl From<Command> for Request {
    fn from(command: Command) -> Self {
        Self { id: None, command }
    }
}

impl Serialize for Request {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let mut value = serde_json::to_value(&self.command).map_err(S::Error::custom)?;
        if let (Some(id), serde_json::Value::Object(map)) = (&self.id, &mut value) {
            map.insert("id".into(), serde_json::Value::String(id.clone()));
        }
        value.serialize(s)
    }
}

/// A command's schema with an optional `id` (text or an integer) in every variant.
impl schemars::JsonSchema for Request {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PoolRequest".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = Command::json_schema(generator);
        let id = serde_json::json!({
            "description": "The command's id: a retry of an id already applied changes nothing.",
            "type": ["string", "integer"],
        });
        if let Some(serde_json::Value::Array(variants)) = schema.get_mut("oneOf") {
            for variant in variants {
                if let Some(serde_json::Value::Object(props)) = variant.get_mut("properties") {
                    props.insert("id".into(), id.clone());
                }
            }
        }
        schema.insert(
            "description".into(),
            "A pool command with an optional id.".into(),
        );
        schema
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut value = serde_json::Value::deserialize(d)?;
        let id = take_id(&mut value).map_err(|()| D::Error::custom(BAD_ID))?;
        let command = Command::deserialize(value).map_err(D::Error::custom)?;
        Ok(Self { id, command })
    }
}

/// How a lead moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// Deposited into a pool.
    Deposit,
    /// Claimed by a rep.
    Claim,
    /// Assigned by a manager.
    Assign,
    /// Assigned in a batch.
    BulkAssign,
    /// Routed automatically.
    Route,
    /// Parked with a manager for dispatch.
    Dispatch,
    /// Returned by its owner.
    Return,
    /// Reclaimed by a manager.
    Reclaim,
    /// Reclaimed by `tick`.
    AutoReclaim,
    /// Transferred between reps.
    Transfer,
    /// Handed over to another role.
    HandOver,
    /// Converted.
    Convert,
    /// Given the survivor of a merge (its owner held the duplicate).
    Merge,
}

/// How a lead left the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Departure {
    /// Archived (converted or closed).
    Archived,
    /// Removed.
    Removed,
    /// Merged into another lead.
    Merged,
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// You received a lead (assignment, routing, transfer).
    LeadAssigned,
    /// A lead waits for you to dispatch it to a rep.
    LeadToDispatch,
    /// A lead you owned was taken back.
    LeadReclaimed,
    /// A lead you owned was merged into another rep's lead.
    LeadMerged,
}

/// Something the host must do because of a command or a tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schemars(rename = "PoolEffect")]
pub enum Effect {
    /// A lead changed place: update the CRM's owner / pool fields.
    Moved {
        /// Lead id.
        lead: Id,
        /// Where it was (absent for a new lead).
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Holder>,
        /// Where it is.
        to: Holder,
        /// How.
        via: Move,
    },
    /// Tell a person.
    Notify {
        /// The rep or manager.
        rep: Id,
        /// Lead id.
        lead: Id,
        /// About what.
        about: Notice,
    },
    /// Warn the owner that the lead will be reclaimed.
    ReclaimWarning {
        /// Lead id.
        lead: Id,
        /// The owner.
        rep: Id,
        /// Which trigger.
        trigger: Trigger,
        /// When the lead will be reclaimed unless something changes.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        reclaim_at: DateTime<Utc>,
    },
    /// A routed lead waits in a pool until a rep of its target can take it.
    RoutingPending {
        /// Lead id.
        lead: Id,
        /// The pool it waits in.
        pool: Id,
        /// The rule that matched.
        rule: Id,
    },
    /// A lead left the state: delete (or archive) its row.
    Left {
        /// Lead id.
        lead: Id,
        /// Where it was.
        from: Holder,
        /// How it left.
        how: Departure,
        /// The survivor it was merged into.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        into: Option<Id>,
    },
}

/// One reason behind an outcome, in the order the checks ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[schemars(rename = "PoolReason")]
pub enum Reason {
    /// The receiving rep's holdings after the command, against the cap.
    Holding {
        /// Rep.
        rep: Id,
        /// Leads owned now.
        count: u32,
        /// Holding cap.
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<u32>,
    },
    /// The receiving rep's intake today, against the daily cap.
    DailyIntake {
        /// Rep.
        rep: Id,
        /// The rep's local day.
        day: NaiveDate,
        /// Leads received that day, this one included.
        count: u32,
        /// Daily cap.
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<u32>,
    },
    /// Protection set at a claim.
    Protected {
        /// Protected until.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        until: DateTime<Utc>,
        /// Hard maximum (claim + max days).
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        hard_max: DateTime<Utc>,
    },
    /// A transfer kept the protection clock of the claim.
    ProtectionKept {
        /// Start of the clock.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        claimed_at: DateTime<Utc>,
        /// Protected until.
        #[serde(
            skip_serializing_if = "Option::is_none",
            with = "crate::time::rfc3339::option"
        )]
        #[schemars(with = "Option<crate::time::InstantSchema>")]
        until: Option<DateTime<Utc>>,
    },
    /// A qualifying follow-up extended protection.
    ProtectionExtended {
        /// Before.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        from: DateTime<Utc>,
        /// After.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        to: DateTime<Utc>,
        /// Whether the hard maximum cut the extension.
        capped: bool,
    },
    /// A follow-up whose kind does not extend protection.
    NotQualifying {
        /// The kind given.
        kind: String,
    },
    /// The rep may not take the lead again before `until`.
    CooldownSet {
        /// Rep.
        rep: Id,
        /// End of the cooldown.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        until: DateTime<Utc>,
    },
    /// The next owner must not be this rep.
    NextOwnerDiffers {
        /// Rep.
        rep: Id,
    },
    /// The lead fell out of protection.
    Fallout {
        /// Fall-outs so far, this one included.
        count: u32,
        /// Escalation ladder step taken (0-based), when a ladder is configured.
        #[serde(skip_serializing_if = "Option::is_none")]
        step: Option<u32>,
        /// Destination pool.
        pool: Id,
    },
    /// A reclaim trigger that fired.
    TriggerFired {
        /// Lead id.
        lead: Id,
        /// Trigger.
        trigger: Trigger,
        /// Its deadline.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        deadline: DateTime<Utc>,
    },
    /// The lead entered a nurture cadence at its first step.
    NurtureEntered {
        /// Cadence id.
        sop: Id,
    },
    /// The lead left a nurture cadence (its new stage does not have it, or it converted).
    NurtureLeft {
        /// Cadence id.
        sop: Id,
    },
    /// The reactivation cadence for the lead's segment: given when the lead enters nurture or
    /// its stage entry chose another one.
    NurtureReactivation {
        /// Cadence id.
        sop: Id,
    },
    /// The nurture cadence paused while a person holds the lead.
    NurturePaused {
        /// Cadence id.
        sop: Id,
    },
    /// A lead went from one role to another along a hand-over path.
    HandedOver {
        /// The path id.
        handover: Id,
        /// The giver.
        from: Id,
        /// The giver's role.
        from_role: Role,
        /// The receiver.
        to: Id,
        /// The receiver's role.
        to_role: Role,
    },
    /// The nurture cadence resumed.
    NurtureResumed {
        /// Cadence id.
        sop: Id,
    },
    /// `now` was behind a record's clock by no more than the policy's `clock_skew_seconds`:
    /// the command ran at that clock.
    ClockSkew {
        /// The `now` given.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        given: DateTime<Utc>,
        /// The time used.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        used: DateTime<Utc>,
    },
}

/// The outcome of an accepted command or tick: effects for the host, reasons, routing
/// decisions, and when to tick next. The state itself was updated in place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PoolApplied")]
pub struct Applied {
    /// What the host must do, in order.
    pub effects: Vec<Effect>,
    /// Why, in the order the checks ran.
    pub reasons: Vec<Reason>,
    /// Routing decisions made (route, and pending leads retried by tick).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    /// The earliest time `tick` has something to do.
    #[serde(with = "crate::time::rfc3339::option")]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub next_check_at: Option<DateTime<Utc>>,
    /// The time the call ran at: `now`, or a record's clock when `now` lagged behind it within
    /// the skew tolerance. Records written carry it as their clock; logs record it.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub at: Option<DateTime<Utc>>,
    /// A retry of a command id already applied: the earlier effects and reasons, nothing
    /// changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}
