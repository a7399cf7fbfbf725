"""Type stubs for the native extension ``leadcore._native``.

Every function takes plain data (dicts, lists, str, numbers, aware ``datetime``) and returns
plain data in leadcore's JSON shapes; timestamps in results are RFC 3339 UTC strings. A config
argument takes the config class, its document (the ``<Class>Json`` TypedDict of
``leadcore.types``) or JSON text. Documents and results are typed by ``leadcore.types``, generated
from the JSON Schemas in ``leadcore/schemas/``.
"""

import datetime
from typing import Any, Generic, Iterable, Mapping, Optional, Protocol, Sequence, TypedDict, TypeVar, Union

from leadcore import types as t

from leadcore.results import (
    AttributionReport,
    ForecastReport,
    FunnelReport,
    JourneyExplanation,
    MlgReport,
    OwnershipReport,
    RoiReport,
)

import numpy
import numpy.typing

Json = Any
"""A JSON-shaped value of no documented shape (metadata, opaque states)."""

Instant = Union[datetime.datetime, str, float]
"""An aware datetime, RFC 3339 text with an offset, or Unix seconds."""

Lead = Union[t.Lead, t.LeadOutput]
"""A lead document (``leadcore.types.Lead``, or a lead as leadcore writes it)."""
Event = Union[t.LeadEvent, t.LeadEventOutput]
"""An event document (``leadcore.types.LeadEvent``, or as leadcore writes it)."""
Journey = t.Journey
"""``{"id", "touchpoints": [{"channel", "campaign"?, "at", "milestones"?}], "converted"?, "value"?, "opportunity_at"?}``."""
PathCount = t.PathCount
"""``{"path": "seo > sem", "conversions"?, "nulls"?, "value"?}`` (ChannelAttribution's aggregated form)."""
class ArrowTableLike(Protocol):
    """Any table with the Arrow PyCapsule interface: a pyarrow Table or RecordBatchReader, a
    polars DataFrame, a DuckDB relation, a pandas DataFrame (read column by column, not through
    the stream). A dict of columns (numpy arrays, Series, lists) is a table too."""

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...

PathCounts = Union[Iterable[PathCount], Mapping[str, Any], Any]
"""Path counts: a list of ``PathCount`` dicts, or a table of the columns ``path`` (required),
``conversions``, ``nulls``, ``value``: a dict of lists / numpy arrays, a pandas DataFrame, or
any object with the Arrow PyCapsule interface (a pyarrow Table, RecordBatch or
RecordBatchReader, a polars DataFrame, a DuckDB relation), read batch by batch. Errors name item
``i`` of a list as ``paths[i]``, and the cell of a table as ``paths.value[i]``."""

__version__: str

class _PoolAppliedState(t.PoolApplied):
    """``pool_apply`` / ``pool_tick``: the outcome and the new state."""
    state: t.PoolStateJsonOutput

class _PoolRecords(TypedDict, total=False):
    """Pool rows as a host stores them: each record a dict or its JSON text (a text column)."""
    leads: Mapping[str, Union[t.LeadRecord, str]]
    reps: Mapping[str, Union[t.RepCounters, str]]
    teams: Mapping[str, Union[t.TeamRotation, str]]
    gone: Mapping[str, int]

class _ScoreTableArrays(TypedDict):
    """``score_table``: one entry per lead, in the order given."""
    behavior: numpy.typing.NDArray[numpy.float64]
    fit: numpy.typing.NDArray[numpy.float64]
    grade: numpy.typing.NDArray[numpy.uint8]
    """Codes into ``GRADES`` (``F`` = 0 ... ``A+`` = 11)."""
    source: numpy.typing.NDArray[numpy.float64]
    combined: numpy.typing.NDArray[numpy.float64]
    tier: numpy.typing.NDArray[numpy.int8]
    """Codes into ``TIERS``; -1 for none."""
    cutoffs: Optional[t.Cutoffs]
    ignored: t.Ignored
    unmatched_events: int
    """Events of an event table whose ``lead_id`` is no lead's (left out)."""

_Doc = TypeVar("_Doc")

class _Config(Generic[_Doc]):
    def __init__(self, config: Optional[Union[_Doc, str]] = None) -> None:
        """Loads and validates the config (``None``: its defaults)."""
    def to_dict(self) -> _Doc:
        """The config as a dict, normalized."""
    def to_json(self) -> str:
        """The config as compact JSON text."""
    def __eq__(self, other: object) -> bool: ...

class Pipeline(_Config[t.PipelineJson]):
    """A stage pipeline: ordered stages, allowed edges and lifecycle policies."""
    @staticmethod
    def preset(name: str) -> "Pipeline":
        """A preset leadcore ships (``seed_000``, ``seed_001``, ``seed_003``, ``seed_004``, ``seed_004_sales``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""

class FieldMapping(_Config[t.FieldMappingJson]):
    """A lead → account + contact + opportunity field mapping."""
    @staticmethod
    def preset(name: str) -> "FieldMapping":
        """A preset leadcore ships (``standard``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""

class RuleSet(_Config[t.RuleSetJson]):
    """Qualification gates (MQL, SQL, SAL...), each a condition."""
    @staticmethod
    def preset(name: str) -> "RuleSet":
        """A preset leadcore ships (``seed_000``, ``seed_001``, ``seed_004``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""

class Condition(_Config[t.ConditionJson]):
    """One condition of the condition language."""

class TemperatureThresholds(_Config[t.TemperatureThresholdsJson]):
    """Score thresholds for cold / warm / hot (defaults 40 / 70)."""

class DedupPolicy(_Config[t.DedupPolicyJson]):
    """Which keys make two leads duplicates, and which one survives."""

class PhoneRegions(_Config[t.PhoneRegionsJson]):
    """A host-supplied table of 7-digit mobile prefixes → province / city."""

class EmailOptions(_Config[t.EmailOptionsJson]):
    """Email normalization options (gmail dots, plus tags)."""

class CompanyOptions(_Config[t.CompanyOptionsJson]):
    """Company-name normalization options (legal suffixes, region qualifiers)."""

class TrainConfig(_Config[t.TrainConfigJson]):
    """How a predictive model is trained: features, estimator, seed, holdout, calibration, tiers, segments."""

class FeatureSpec(_Config[t.FeatureSpecJson]):
    """Which features are built from a lead and its events (windows, recency, attributes, source, keywords)."""

class PredictiveModel:
    """A trained predictive lead-scoring model (feature spec and encoding, estimators, calibration,
    tiers, training metadata). Immutable; pickles through its binary form."""
    def __init__(self, model: Union[t.PredictiveModelJson, str]) -> None:
        """Loads a model from its JSON document (a dict or JSON text)."""
    @staticmethod
    def from_bytes(data: Union[bytes, bytearray, memoryview]) -> "PredictiveModel":
        """Loads a model from its compact binary form."""
    def to_dict(self) -> t.PredictiveModelJson:
        """The model as a dict (its JSON document)."""
    def to_json(self) -> str:
        """The model as compact JSON text."""
    def to_bytes(self) -> bytes:
        """The model in its compact, checksummed binary form."""
    def score(
        self, leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike], events: Union[Sequence[Event], Mapping[str, Any], ArrowTableLike], now: Instant, threads: Optional[int] = None
    ) -> list[t.LeadScore]:
        """Scores leads as of ``now``: probability, tier, model used, top positive and negative factors."""
    def build_features(
        self, leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike], events: Union[Sequence[Event], Mapping[str, Any], ArrowTableLike], now: Instant, threads: Optional[int] = None
    ) -> numpy.ndarray:
        """The model's ``rows × columns`` float64 feature matrix for ``leads`` (``NaN``: missing)."""
    def predict_proba(
        self,
        x: numpy.typing.ArrayLike,
        segments: Optional[Sequence[Optional[str]]] = None,
        threads: Optional[int] = None,
    ) -> numpy.ndarray:
        """Probabilities for a ``rows × columns`` feature matrix in ``feature_names`` order (numpy array,
        or a DataFrame / pyarrow Table whose column names are ``feature_names``); no explanations."""
    @property
    def feature_names(self) -> list[str]:
        """The feature column names, in matrix order."""
    @property
    def metadata(self) -> t.TrainingMetadataOutput:
        """Rows, positives, seed, holdout metrics, segments, importances, trained-at."""
    @property
    def metrics(self) -> Optional[t.MetricsOutput]:
        """The holdout metrics, or ``None`` without a holdout."""
    @property
    def tiers(self) -> dict[str, float]:
        """The probability thresholds of the ``high`` and ``mid`` tiers."""
    @property
    def config(self) -> TrainConfig:
        """The training config stored in the model."""
    @property
    def format_version(self) -> int:
        """The model file format version."""
    def __eq__(self, other: object) -> bool: ...

def all_error_codes() -> list[str]:
    """Every error code leadcore can raise, sorted."""

def load_lead(lead: Lead) -> t.LeadOutput:
    """Validates a lead and returns it in canonical JSON form."""

def normalize_events(events: Sequence[Event]) -> list[t.LeadEventOutput]:
    """Sorts events by time and drops duplicates by id."""

def pipeline_edges(pipeline: Union[Pipeline, t.PipelineJson, str], from_stage: Optional[str] = None) -> list[t.Edge]:
    """The pipeline's allowed edges, all or those leaving ``from_stage``."""

def transition(pipeline: Union[Pipeline, t.PipelineJson, str], lead: Lead, request: t.TransitionRequest, now: Instant) -> t.Transitioned:
    """Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons."""

def due(pipeline: Union[Pipeline, t.PipelineJson, str], lead: Lead, events: Sequence[Event], now: Instant) -> list[t.Due]:
    """The lifecycle actions due for a lead at ``now`` (stale downgrades, expired cooldowns...)."""

def stage_times(lead: Lead, now: Instant) -> t.StageTimes:
    """Time in each stage and stage velocity, from the lead's history."""

def convert_lead(mapping: Union[FieldMapping, t.FieldMappingJson, str], lead: Lead) -> t.Converted:
    """Converts a qualified lead into account, contact and opportunity records."""

def qualify(
    rules: Union[RuleSet, t.RuleSetJson, str],
    lead: Lead,
    events: Optional[Sequence[Event]],
    now: Instant,
    scores: Optional[Mapping[str, float]] = None,
) -> t.Qualification:
    """Every gate's verdict for a lead, with per-criterion results."""

def qualify_gate(
    rules: Union[RuleSet, t.RuleSetJson, str],
    gate: str,
    lead: Lead,
    events: Optional[Sequence[Event]],
    now: Instant,
    scores: Optional[Mapping[str, float]] = None,
) -> t.GateVerdict:
    """One gate's verdict for a lead."""

def evaluate_condition(
    condition: Union[Condition, t.ConditionJson, str],
    lead: Lead,
    events: Optional[Sequence[Event]],
    now: Instant,
    scores: Optional[Mapping[str, float]] = None,
) -> t.Evaluation:
    """Evaluates one condition for a lead and explains every criterion."""

def temperature(score: float, thresholds: Optional[Union[TemperatureThresholds, t.TemperatureThresholdsJson, str]] = None) -> t.TemperatureVerdict:
    """Cold, warm or hot for a score, with the reason."""

def normalize_phone(raw: str) -> t.PhoneParse:
    """Parses a phone number: a Chinese mobile's 11 digits and carrier, another's E.164, or why not."""

def locate_phone(regions: Union[PhoneRegions, t.PhoneRegionsJson, str], raw: str) -> t.PhoneLocation:
    """Looks up the province / city of a mobile number's prefix."""

def normalize_email(raw: str, options: Optional[Union[EmailOptions, t.EmailOptionsJson, str]] = None) -> t.EmailParse:
    """Normalizes an email address and tells whether it is a personal (free-mail) one."""

def is_personal_email_domain(domain: str) -> bool:
    """Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com...)."""

def normalize_company(raw: str, options: Optional[Union[CompanyOptions, t.CompanyOptionsJson, str]] = None) -> t.CompanyParse:
    """Normalizes a company name (width, spaces, legal suffixes, region qualifiers)."""

def dedupe(
    leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
    events: Optional[Sequence[Event]] = None,
    policy: Optional[Union[DedupPolicy, t.DedupPolicyJson, str]] = None,
) -> t.DedupResult:
    """Duplicate clusters over a batch of leads, with survivors and the reason for each merge."""

def dedupe_keys(lead: Lead, policy: Optional[Union[DedupPolicy, t.DedupPolicyJson, str]] = None) -> list[t.LeadKey]:
    """The normalized keys of one lead (what ``dedupe`` matches on), for a lookup table.

    Each key is ``{"key", "kind", "value", "contact"}``; ``key`` is the text to index:
    ``phone:13800138000``, ``email:li@acme.cn``, ``company_contact:<company>|<contact>`` (``%``
    and ``|`` inside values written ``%25`` and ``%7C``). Two leads share a key text if and only
    if ``dedupe`` would match them on it. Ordered by kind (phone, email, company_contact), then
    value; distinct.
    """

def dedupe_one(
    lead: Lead,
    candidates: Sequence[Lead],
    events: Optional[Sequence[Event]] = None,
    policy: Optional[Union[DedupPolicy, t.DedupPolicyJson, str]] = None,
) -> t.DedupDecision:
    """Whether one lead duplicates any of its candidates: ``{"id", "duplicate", "cluster", "values"}``.

    ``cluster`` is what ``dedupe(candidates + [lead], events, policy)`` reports for the lead's
    cluster (survivor, members, merged, survivor_reason, matches), or ``None``; ``values`` are
    the lead's cleaned values. A candidate with the lead's id is a ``DedupError``
    (``duplicate_lead_id`` at ``lead.id``).
    """

def train(
    config: Union[TrainConfig, t.TrainConfigJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike],
    events: Union[Sequence[Event], Mapping[str, Any], ArrowTableLike],
    labels: Sequence[t.Label],
    trained_at: Instant,
    threads: Optional[int] = None,
) -> PredictiveModel:
    """Trains a model on labelled leads (``{"lead_id", "converted", "cutoff"}``); the GIL is released."""

def train_set(
    config: Union[TrainConfig, t.TrainConfigJson, str],
    training_set: Union[t.TrainingSet, Mapping[str, Any]],
    trained_at: Instant,
    segments: Optional[Sequence[Optional[str]]] = None,
    threads: Optional[int] = None,
) -> PredictiveModel:
    """Trains on a built training set: ``encoding``, ``features`` (matrix dict or ``rows × columns`` array)
    and ``labels`` (bools)."""

def cross_validate(
    config: Union[TrainConfig, t.TrainConfigJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike],
    events: Union[Sequence[Event], Mapping[str, Any], ArrowTableLike],
    labels: Sequence[t.Label],
    folds: int,
    threads: Optional[int] = None,
) -> t.CrossValidation:
    """Stratified k-fold cross-validation: metrics per fold, their mean and std."""

def build_training_set(
    spec: Union[FeatureSpec, t.FeatureSpecJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike],
    events: Union[Sequence[Event], Mapping[str, Any], ArrowTableLike],
    labels: Sequence[t.Label],
    threads: Optional[int] = None,
) -> t.TrainingSet:
    """The learned encoding, one feature row per label (as of its cut-off) and the labels."""

def evaluate(
    tiers: t.TierThresholds,
    scores: Union[Sequence[float], numpy.typing.ArrayLike],
    labels: Union[Sequence[bool], numpy.typing.ArrayLike],
) -> t.Metrics:
    """ROC AUC, PR AUC, log loss, Brier, calibration deciles, lift, precision / recall per tier."""
class PoolPolicy:
    """A validated lead-pool policy (pools, reps, teams, caps, protection, reclaim, escalation,
    routing, SLA timers, nurture cadences), compiled once. Wherever a policy is expected, a dict
    or JSON text also works (compiled for that call)."""
    def __init__(self, config: Union[t.PoolPolicyJson, str]) -> None:
        """Loads, validates and compiles the policy from a dict or JSON text."""
    def to_dict(self) -> t.PoolPolicyJson:
        """The policy's config as a dict, normalized (defaults filled in)."""
    def to_json(self) -> str:
        """The policy's config as compact JSON text."""
    @property
    def fingerprint(self) -> str:
        """Identifies the policy (16 hex digits of a hash of its canonical JSON); log entries
        carry it, and replay refuses entries written under a policy it was not given."""
    def __eq__(self, other: object) -> bool: ...

class PoolState:
    """The pool state, held natively: every lead's holder, protection clock and history, the
    reps' counters and the teams' rotations. ``apply`` and ``tick`` change it in place, all or
    nothing: a refused call raises :class:`PoolError` and leaves it unchanged. Safe to share
    between threads (calls on one state are serialized by a lock; heavy calls release the GIL).
    Pickles, copies and compares by value; ``to_dict`` / ``to_json`` give the canonical JSON the
    host persists."""
    def __init__(self, state: Optional[Union[t.PoolStateJson, str]] = None) -> None:
        """A state from its dict or JSON text (``None``: the empty state)."""
    @staticmethod
    def from_dict(state: Union[t.PoolStateJson, t.PoolStateJsonOutput]) -> "PoolState":
        """A state from its dict form (``to_dict``)."""
    @staticmethod
    def from_json(text: str) -> "PoolState":
        """A state from its JSON text (``to_json``)."""
    def to_dict(self) -> t.PoolStateJsonOutput:
        """The state as a dict (canonical JSON shape, sorted keys)."""
    def to_json(self) -> str:
        """The state as compact canonical JSON text (the same state gives the same bytes)."""
    def copy(self) -> "PoolState":
        """An independent copy."""
    def __copy__(self) -> "PoolState": ...
    def __deepcopy__(self, memo: Any) -> "PoolState": ...
    def __eq__(self, other: object) -> bool: ...
    def __len__(self) -> int:
        """Number of leads in the state."""
    @property
    def clock(self) -> Optional[str]:
        """The time of the last accepted command or tick (RFC 3339 UTC), or ``None``."""
    @property
    def next_check_at(self) -> Optional[str]:
        """The earliest time ``tick`` has something to do (RFC 3339 UTC), or ``None``."""
    def lead(self, lead: str) -> Optional[t.LeadRecordOutput]:
        """A lead's record (holder, ownership history, deadlines...), or ``None``."""
    def lead_ids(self) -> list[str]:
        """Every lead id, sorted."""
    def holdings(self, rep: str) -> int:
        """How many leads a rep owns now."""
    def apply(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], command: t.PoolRequest, now: Instant) -> t.PoolApplied:
        """Applies one command (``{"type": "claim", "lead": ..., "rep": ...}``..., optionally
        with an ``id``) at ``now``, in place: ``{effects, reasons, decisions?, next_check_at,
        at}``. A retried ``id`` answers with the earlier outcome (``duplicate: True``). Refused:
        :class:`PoolError` with ``.code``, nothing changed."""
    def apply_all(
        self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], commands: Sequence[t.PoolRequest], now: Instant
    ) -> list[t.PoolApplied]:
        """Applies a list of commands at ``now``, all or nothing: one result per command, or
        :class:`PoolError` and the state exactly as before."""
    def tick_preview(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], at: Instant) -> t.PoolApplied:
        """What ``tick`` would do at ``at`` (a simulated future), without changing the state."""
    def tick(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], now: Instant) -> t.PoolApplied:
        """Every automatic action due at ``now`` (reclaims, warnings, waiting leads routed), in
        place; the same shape as ``apply``. Idempotent at the same ``now``."""
    def due(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], now: Instant) -> t.PoolDue:
        """The SLA timers due or overdue and the nurture steps due: ``{timers, nurture}``."""
    def assign_preview(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], lead: Lead, now: Instant) -> t.RouteDecision:
        """Where a lead would be routed now and why (rules, candidates, skips); changes nothing."""
    def simulate_day(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str], arrivals: Sequence[Lead]) -> t.PoolDayReport:
        """Routes a day of arrivals on a copy under ``policy``: the distribution per rep and rule."""
    def reschedule(self, policy: Union[PoolPolicy, t.PoolPolicyJson, str]) -> None:
        """Recomputes every lead's next check under ``policy`` (after a policy change)."""
    @staticmethod
    def replay(
        policy: Union[PoolPolicy, t.PoolPolicyJson, str, Sequence[Union[PoolPolicy, t.PoolPolicyJson, str]]],
        log: Sequence[Union[t.PoolLogEntry, t.PoolLogEntryOutput]],
        state: Optional[Union["PoolState", t.PoolStateJson, t.PoolStateJsonOutput]] = None,
    ) -> tuple["PoolState", list[t.PoolApplied]]:
        """Replays a command log (``{"op": "apply", "at", "command", "id"?, "policy"?}`` /
        ``{"op": "tick", "at", "leads"?}``) from ``state`` (not changed; default empty), all or
        nothing: the new state and one result per entry. ``policy`` may be a list: each entry
        runs under the policy whose fingerprint it carries."""
    @staticmethod
    def replay_jsonl(
        policy: Union[PoolPolicy, t.PoolPolicyJson, str, Sequence[Union[PoolPolicy, t.PoolPolicyJson, str]]],
        text: str,
        state: Optional[Union["PoolState", t.PoolStateJson, t.PoolStateJsonOutput]] = None,
    ) -> tuple["PoolState", int]:
        """Replays a log kept as JSON lines, parsed and applied line by line in the core: the
        new state and the number of entries."""

def pool_apply(
    state: Optional[Union[t.PoolStateJson, t.PoolStateJsonOutput]], policy: Union[PoolPolicy, t.PoolPolicyJson, str], command: t.PoolRequest, now: Instant
) -> _PoolAppliedState:
    """``PoolState.apply`` on a state dict (``None``: empty): ``{state, effects, reasons, ...}``."""

def pool_tick(state: Optional[Union[t.PoolStateJson, t.PoolStateJsonOutput]], policy: Union[PoolPolicy, t.PoolPolicyJson, str], now: Instant) -> _PoolAppliedState:
    """``PoolState.tick`` on a state dict: ``{state, effects, reasons, ...}``."""

def pool_due(state: Optional[Union[t.PoolStateJson, t.PoolStateJsonOutput]], policy: Union[PoolPolicy, t.PoolPolicyJson, str], now: Instant) -> t.PoolDue:
    """``PoolState.due`` on a state dict: ``{timers, nurture}``."""

def pool_replay(
    state: Optional[Union[t.PoolStateJson, t.PoolStateJsonOutput]], policy: Union[PoolPolicy, t.PoolPolicyJson, str, Sequence[Union[PoolPolicy, t.PoolPolicyJson, str]]], log: Sequence[Union[t.PoolLogEntry, t.PoolLogEntryOutput]]
) -> t.PoolReplayed:
    """Replays a command log from a state dict (``None``: empty): ``{state, results}``."""

def pool_needs(
    records: Optional[Union[_PoolRecords, str]],
    policy: Union[PoolPolicy, t.PoolPolicyJson, str],
    commands: Union[t.PoolRequest, Sequence[t.PoolRequest]],
    now: Optional[Instant] = None,
) -> t.PoolNeeds:
    """The records the commands can touch, given the records loaded so far: ``{"leads", "reps",
    "teams"}`` id lists. Call it without records for the lead ids, then with the lead rows for
    the reps and teams."""

def pool_apply_rows(
    records: Optional[Union[_PoolRecords, str]],
    policy: Union[PoolPolicy, t.PoolPolicyJson, str],
    commands: Union[t.PoolRequest, Sequence[t.PoolRequest]],
    now: Instant,
    *,
    text: bool = False,
) -> t.PoolRowsApplied:
    """Applies the commands to the records given, all or nothing: ``{"results", "rows", "log"}``.
    Records may be JSON text (as read from a text column); ``text=True`` returns each row's
    ``record`` as JSON text.
    Write every row with a compare-and-set on ``expected`` (0: insert; no ``record``: a deleted
    lead, kept as a tombstone at ``version`` and passed back in ``records["gone"]``; or only
    verify when ``check``) in one transaction with the log, and retry from loading on a
    conflict."""

def pool_tick_needs(
    records: Union[_PoolRecords, str], policy: Union[PoolPolicy, t.PoolPolicyJson, str], now: Optional[Instant] = None
) -> t.PoolNeeds:
    """The records a tick of the leads given can touch (owners; what routing a waiting lead can
    reach)."""

def pool_tick_rows(
    records: Union[_PoolRecords, str], policy: Union[PoolPolicy, t.PoolPolicyJson, str], now: Instant, *, text: bool = False
) -> t.PoolRowsApplied:
    """Ticks the leads given whose ``due_at`` has come: ``{"results", "rows", "log"}``."""

def pool_reschedule_rows(
    records: Union[_PoolRecords, str], policy: Union[PoolPolicy, t.PoolPolicyJson, str], *, text: bool = False
) -> t.PoolRowsApplied:
    """Recomputes the next check of the lead rows given under ``policy`` (after a policy change
    that moves deadlines): the rows of the leads whose ``due_at`` moved, and a log entry."""

def pool_assign_preview(
    state: Optional[Union[t.PoolStateJson, t.PoolStateJsonOutput]], policy: Union[PoolPolicy, t.PoolPolicyJson, str], lead: Lead, now: Instant
) -> t.RouteDecision:
    """``PoolState.assign_preview`` on a state dict: the routing decision."""

def pool_simulate_day(
    state: Optional[Union[t.PoolStateJson, t.PoolStateJsonOutput]], policy: Union[PoolPolicy, t.PoolPolicyJson, str], arrivals: Sequence[Lead]
) -> t.PoolDayReport:
    """``PoolState.simulate_day`` on a state dict: the day report."""

# --- scoring ---------------------------------------------------------------------------------

EVENT_KINDS: tuple[t.EventKind, ...]
"""Event kind names by code: the ``kind`` codes of the columnar path (``page_view`` = 0...)."""

GRADES: tuple[t.Grade, ...]
"""Fit grades by code, worst first (``F`` = 0 ... ``A+`` = 11): the ``grade`` codes of ``score_table``."""

TIERS: tuple[t.Tier, ...]
"""Tiers by code (``low`` = 0, ``mid`` = 1, ``high`` = 2; -1 is no tier): the ``tier`` codes of ``score_table``."""

class ScoringModel:
    """A scoring model (behavior, fit, source, combination, tiers), validated and compiled once.

    Its methods score without recompiling; the module functions accept it (or a dict / JSON
    text) as their ``model``. Compares by value and pickles as its JSON.

    Leads are a list of lead dicts or, for large batches, a dict of columns ``{"id", "created_at",
    "owner", "stage", "source": {field: column}, "attributes": {name: column}}`` (numpy arrays or
    lists; ``None`` / NaN / NaT cells are left out), or a ``LeadTable`` read once. Columnar events are a dict ``{"lead",
    "kind", "at", "id", "detail", "details"}``: ``lead`` indexes the leads (uint32 read in
    place, other integers checked); ``kind`` as uint8 codes (``EVENT_KINDS``) or names; ``at``
    as int64 Unix seconds, ``datetime64`` (UTC; ``NaT`` = missing time) or float seconds;
    optional ``id`` (non-negative integers) and ``detail`` (index into ``details``, a list of
    ``{"name", "properties"}``). The GIL is released while scoring; ``threads=None`` uses every
    available core and never changes the result.
    """
    def __init__(self, config: Optional[Union[t.ScoringModelJson, str]] = None) -> None:
        """Loads, validates and compiles the model (``None``: the empty model)."""
    @staticmethod
    def preset(name: str) -> "ScoringModel":
        """A preset leadcore ships (``b2b_default``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""
    def to_dict(self) -> t.ScoringModelJson:
        """The model as a dict, normalized."""
    def to_json(self) -> str:
        """The model as compact JSON text."""
    def __eq__(self, other: object) -> bool: ...
    def score_lead(self, lead: Lead, events: Optional[Union[Sequence[Event], Mapping[str, Any], ArrowTableLike]], now: Instant) -> t.ScoredLead:
        """Scores one lead from its events as of ``now``, with every breakdown."""
    def score_batch(
        self,
        leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
        events: Optional[Union[Sequence[Event], Mapping[str, Any], ArrowTableLike]],
        now: Instant,
        threads: Optional[int] = None,
    ) -> t.BatchScores:
        """Scores many leads from row events matched by ``lead_id``, or from an Arrow event
        table (``lead_id``, ``kind``, ``at``, ...; see ``score_columns``): the same scores."""
    def score_columns(
        self,
        leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
        events: Union[Mapping[str, Any], ArrowTableLike],
        now: Instant,
        threads: Optional[int] = None,
    ) -> t.BatchScores:
        """Scores many leads from columnar events, with full breakdowns."""
    def score_table(
        self,
        leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
        events: Union[Mapping[str, Any], ArrowTableLike],
        now: Instant,
        threads: Optional[int] = None,
    ) -> _ScoreTableArrays:
        """Scores many leads from columnar events into numpy arrays (the fast path).

        Returns ``behavior``, ``fit``, ``source``, ``combined`` (float64), ``grade`` (uint8
        codes into ``GRADES``), ``tier`` (int8 codes into ``TIERS``, -1 for none), ``cutoffs``,
        ``ignored`` (events left out, by reason) and ``unmatched_events`` (events of an event
        table whose ``lead_id`` is no lead's, left out).
        """
    def what_if(
        self,
        proposed: Union["ScoringModel", t.ScoringModelJson, str],
        leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
        events: Optional[Union[Sequence[Event], Mapping[str, Any], ArrowTableLike]],
        now: Instant,
        mql: Optional[Union[Condition, t.ConditionJson, str]] = None,
        threads: Optional[int] = None,
    ) -> t.WhatIf:
        """The leads whose tier or MQL verdict would change if ``proposed`` replaced this model."""

class LeadTable:
    """Leads read and validated once (from a list of lead dicts or a dict of columns), for
    batch calls that score the same leads again (new events, another ``now``, another model):
    pass it wherever ``leads`` is expected. Pickles as its list of lead dicts."""
    def __init__(self, leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike]) -> None: ...
    def __len__(self) -> int: ...
    def to_list(self) -> list[t.LeadOutput]:
        """The leads as dicts, in order."""

class SourceModel(_Config[t.SourceModelJson]):
    """Source-channel quality: historical counts per source, prior, tiers, referral channels."""

def score_lead(
    model: Union[ScoringModel, t.ScoringModelJson, str],
    lead: Lead,
    events: Optional[Union[Sequence[Event], Mapping[str, Any], ArrowTableLike]],
    now: Instant,
) -> t.ScoredLead:
    """Scores one lead under ``model`` as of ``now``."""

def score_batch(
    model: Union[ScoringModel, t.ScoringModelJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
    events: Optional[Union[Sequence[Event], Mapping[str, Any], ArrowTableLike]],
    now: Instant,
    threads: Optional[int] = None,
) -> t.BatchScores:
    """Scores many leads from row events matched by ``lead_id``, or from an Arrow event
    table (``lead_id``, ``kind``, ``at``, ...; see ``score_columns``): the same scores."""

def score_columns(
    model: Union[ScoringModel, t.ScoringModelJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
    events: Union[Mapping[str, Any], ArrowTableLike],
    now: Instant,
    threads: Optional[int] = None,
) -> t.BatchScores:
    """Scores many leads from columnar events, with full breakdowns (see ``ScoringModel``)."""

def score_table(
    model: Union[ScoringModel, t.ScoringModelJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
    events: Union[Mapping[str, Any], ArrowTableLike],
    now: Instant,
    threads: Optional[int] = None,
) -> _ScoreTableArrays:
    """Scores many leads from columnar events into numpy arrays (see ``ScoringModel.score_table``)."""

def what_if(
    proposal: Union[t.ProposalJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], LeadTable, ArrowTableLike],
    events: Optional[Union[Sequence[Event], Mapping[str, Any], ArrowTableLike]],
    now: Instant,
    threads: Optional[int] = None,
) -> t.WhatIf:
    """Evaluates ``{"current", "proposed", "mql"}`` on a population: leads whose tier or MQL verdict changes."""

def source_quality(model: Union[SourceModel, t.SourceModelJson, str]) -> t.SourceTable:
    """Each source's smoothed conversion rate, score, rank, tier and route (seed 003)."""

def source_counts(converted_stages: Sequence[str], outcomes: Sequence[t.SourceOutcome]) -> dict[str, t.SourceCount]:
    """Counts leads and conversions per source from historical outcomes (source, final stage)."""

class AttributionConfig(_Config[t.AttributionConfigJson]):
    """Which attribution models to run (first / last touch, last non-direct, linear, U, W, full
    path, J, inverse J, custom positions, time decay, Markov order 1-4, Shapley), at which level
    (channel or campaign), the path separator and the direct channels."""

class OwnershipConfig(_Config[t.OwnershipConfigJson]):
    """The ownership rule's window: ``{"window": {"months": 3}}`` (the default) or ``{"days": n}``."""

class FunnelConfig(_Config[t.FunnelConfigJson]):
    """Funnel stages (with amount attributes), entry stage, time basis (``effective`` /
    ``recorded``), period size, UTC offset and dimensions."""

class RoiConfig(_Config[t.RoiConfigJson]):
    """The ROI chain: a funnel, the dimension spend is booked against and the revenue stage."""

class ForecastConfig(_Config[t.ForecastConfigJson]):
    """Win probability per stage, amount and close-date attributes, period size and offset."""

class MlgConfig(_Config[t.MlgConfigJson]):
    """The customer stage and the source channels that count as marketing."""

class CapacityConfig(_Config[t.CapacityConfigJson]):
    """Stage conversion rates (or observed counts), role capacities, deal size, cost per lead."""

def attribute(
    config: Union[AttributionConfig, t.AttributionConfigJson, str],
    journeys: Optional[Sequence[Journey]] = None,
    paths: Optional[PathCounts] = None,
    threads: Optional[int] = None,
) -> AttributionReport:
    """Credits per channel (or campaign) under every configured model, from journeys and/or path
    counts, split over ``threads`` threads (default: the available parallelism; the same result,
    bit for bit, for any count). The GIL is released while computing."""

def explain_journey(config: Union[AttributionConfig, t.AttributionConfigJson, str], journey: Journey) -> JourneyExplanation:
    """How each heuristic model splits one journey's credit over its touches, with each touch's role."""

def ownership(config: Union[OwnershipConfig, t.OwnershipConfigJson, str], journeys: Sequence[Journey]) -> OwnershipReport:
    """The channel that owns each customer under the ownership rule, with the reason, and totals per channel."""

class AttributionAccumulator:
    """Attribution state built in pieces: add journeys and path counts, merge accumulators built
    elsewhere (a Spark or Dask partition), finish into a report. Any split gives the same report
    as one pass, bit for bit. Pickles through the compact binary form. Thread-safe; the GIL is
    released while adding, merging and finishing."""
    def __init__(self, config: Union[AttributionConfig, t.AttributionConfigJson, str]) -> None:
        """An empty accumulator for ``config``."""
    @property
    def config(self) -> AttributionConfig:
        """The configuration."""
    def add_journey(self, journey: Journey) -> None:
        """Adds one journey (errors name it ``journey``)."""
    def add_journeys(self, journeys: Sequence[Journey]) -> None:
        """Adds journeys (errors name them ``journeys[i]``); stops at the first bad one."""
    def add_journey_columns(self, touches: Any) -> None:
        """Adds the journeys of a long touch table, one row per touch: a pandas DataFrame, any
        Arrow table (the PyCapsule interface: pyarrow, polars, DuckDB) or a dict of columns (numpy arrays, Series, pyarrow arrays, lists):
        ``journey_id`` (text or integers), ``channel``, ``at`` (``datetime64``, int64 / float
        Unix seconds, pyarrow timestamps, RFC 3339 text, aware datetimes), optional ``campaign``, milestone
        flags ``first_touch`` / ``lead_created`` / ``opportunity_created`` / ``closed_won``
        (bool), ``converted`` (bool) and ``value``, both repeated on every row of a journey.
        Rows with the same id are one journey (in any order; added in order of first
        appearance). The same state as ``add_journeys`` with the equivalent dicts; errors name
        the column and row (``touches.at[17]``); stops at the first bad journey."""
    def add_path(self, path: PathCount) -> None:
        """Adds one path count (errors name it ``path``)."""
    def add_paths(self, paths: PathCounts) -> None:
        """Adds path counts, rows or a table (errors name ``paths[i]`` / ``paths.value[i]``); stops at
        the first bad row or batch."""
    def merge(self, other: "AttributionAccumulator") -> None:
        """Adds everything ``other`` accumulated (same configuration required)."""
    def finish(self) -> AttributionReport:
        """The report so far; the accumulator can keep adding."""
    def to_bytes(self) -> bytes:
        """The state in the compact binary form."""
    @classmethod
    def from_bytes(cls, data: Union[bytes, bytearray]) -> "AttributionAccumulator":
        """An accumulator from ``to_bytes`` output."""
    def to_json(self) -> str:
        """The state as JSON text (exact sums as decimal strings)."""
    @classmethod
    def from_json(cls, text: str) -> "AttributionAccumulator":
        """An accumulator from ``to_json`` text."""

def funnel(config: Union[FunnelConfig, t.FunnelConfigJson, str], leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike]) -> FunnelReport:
    """The funnel of ``leads``: counts, conversion, time in stage and amounts per stage, by period and dimension."""

class FunnelAccumulator:
    """Funnel tallies built in pieces: add leads, merge accumulators built elsewhere, finish into
    a report. Any split gives the same report as one pass. Pickles through the compact binary
    form. Thread-safe; the GIL is released while adding, merging and finishing."""
    def __init__(self, config: Union[FunnelConfig, t.FunnelConfigJson, str]) -> None:
        """An empty accumulator for ``config``."""
    @property
    def config(self) -> FunnelConfig:
        """The configuration."""
    def add_lead(self, lead: Lead) -> None:
        """Adds one lead (errors name it ``lead``)."""
    def add_leads(self, leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike]) -> None:
        """Adds leads (errors name them ``leads[i]``); stops at the first bad one."""
    def merge(self, other: "FunnelAccumulator") -> None:
        """Adds everything ``other`` accumulated (same configuration required)."""
    def finish(self) -> FunnelReport:
        """The funnel so far; the accumulator can keep adding."""
    def to_bytes(self) -> bytes:
        """The state in the compact binary form."""
    @classmethod
    def from_bytes(cls, data: Union[bytes, bytearray]) -> "FunnelAccumulator":
        """An accumulator from ``to_bytes`` output."""
    def to_json(self) -> str:
        """The state as JSON text."""
    @classmethod
    def from_json(cls, text: str) -> "FunnelAccumulator":
        """An accumulator from ``to_json`` text."""

def channel_roi(
    config: Union[RoiConfig, t.RoiConfigJson, str],
    leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike],
    spend: Optional[Sequence[t.Spend]] = None,
) -> RoiReport:
    """Channel ROI: spend (``{"channel", "period", "amount"}``) → leads → MQL → ... → payment per
    channel and period, with cost per stage, revenue and ROI."""

def forecast(config: Union[ForecastConfig, t.ForecastConfigJson, str], leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike]) -> ForecastReport:
    """The weighted pipeline forecast: sum of amount × stage probability by period and rep."""

def mlg_index(config: Union[MlgConfig, t.MlgConfigJson, str], leads: Union[Sequence[Lead], Mapping[str, Any], ArrowTableLike]) -> MlgReport:
    """The MLG index: marketing-sourced new customers / all new customers, per period and overall."""

def capacity_plan(config: Union[CapacityConfig, t.CapacityConfigJson, str], plan: t.PlanInput) -> t.CapacityPlan:
    """Leads needed for ``{"revenue_target": x}`` (or volumes for ``{"leads": n}``) and headcount per role."""

def capacity_monte_carlo(
    config: Union[CapacityConfig, t.CapacityConfigJson, str],
    plan: t.PlanInput,
    simulation: Optional[t.Simulation] = None,
) -> t.CapacitySimulation:
    """The capacity plan simulated with a seed (``{"runs", "seed", "percentiles"}``): percentiles
    of leads, stage volumes, revenue, cost and heads."""
