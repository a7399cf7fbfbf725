"""Type stubs for the native extension ``leadcore._native``.

Every function takes plain data (dicts, lists, str, numbers, aware ``datetime``) and returns
plain data in leadcore's JSON shapes; timestamps in results are RFC 3339 UTC strings. A config
argument takes the config class, a dict or JSON text.
"""

import datetime
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from leadcore.results import (
    AttributionReport,
    ForecastReport,
    FunnelReport,
    JourneyExplanation,
    MlgReport,
    OwnershipReport,
    RoiReport,
)

Json = Any
"""A JSON-shaped value: dict, list, str, int, float, bool or None (datetimes allowed in input)."""

Instant = Union[datetime.datetime, str]
"""An aware datetime, or RFC 3339 text with an offset."""

ConfigLike = Union[Mapping[str, Json], str]
"""A config document: a dict or JSON text."""

Lead = Mapping[str, Json]
Event = Mapping[str, Json]
Journey = Mapping[str, Json]
"""``{"id", "touchpoints": [{"channel", "campaign"?, "at", "milestones"?}], "converted"?, "value"?, "opportunity_at"?}``."""
PathCount = Mapping[str, Json]
"""``{"path": "seo > sem", "conversions"?, "nulls"?, "value"?}`` (ChannelAttribution's aggregated form)."""
PathCounts = Union[Iterable[PathCount], Mapping[str, Any], Any]
"""Path counts: a list of ``PathCount`` dicts, or a table of the columns ``path`` (required),
``conversions``, ``nulls``, ``value``: a dict of lists / numpy arrays, or a pandas DataFrame.
Errors name row ``i`` as ``paths[i]`` in both forms."""

__version__: str

class _Config:
    def __init__(self, config: Optional[ConfigLike] = None) -> None:
        """Loads and validates the config (``None``: its defaults)."""
    def to_dict(self) -> dict[str, Json]:
        """The config as a dict, normalized."""
    def to_json(self) -> str:
        """The config as compact JSON text."""
    def __eq__(self, other: object) -> bool: ...

class Pipeline(_Config):
    """A stage pipeline: ordered stages, allowed edges and lifecycle policies."""
    @staticmethod
    def preset(name: str) -> "Pipeline":
        """A preset leadcore ships (``seed_000``, ``seed_001``, ``seed_003``, ``seed_004_sales``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""

class FieldMapping(_Config):
    """A lead → account + contact + opportunity field mapping."""
    @staticmethod
    def preset(name: str) -> "FieldMapping":
        """A preset leadcore ships (``standard``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""

class RuleSet(_Config):
    """Qualification gates (MQL, SQL, SAL...), each a condition."""
    @staticmethod
    def preset(name: str) -> "RuleSet":
        """A preset leadcore ships (``seed_000``, ``seed_001``, ``seed_004``)."""
    @staticmethod
    def preset_names() -> list[str]:
        """The names of the presets leadcore ships."""

class Condition(_Config):
    """One condition of the condition language."""

class TemperatureThresholds(_Config):
    """Score thresholds for cold / warm / hot (defaults 40 / 70)."""

class DedupPolicy(_Config):
    """Which keys make two leads duplicates, and which one survives."""

class PhoneRegions(_Config):
    """A host-supplied table of 7-digit mobile prefixes → province / city."""

class EmailOptions(_Config):
    """Email normalization options (gmail dots, plus tags)."""

class CompanyOptions(_Config):
    """Company-name normalization options (legal suffixes, region qualifiers)."""

def all_error_codes() -> list[str]:
    """Every error code leadcore can raise, sorted."""

def load_lead(lead: Lead) -> dict[str, Json]:
    """Validates a lead and returns it in canonical JSON form."""

def normalize_events(events: Sequence[Event]) -> list[dict[str, Json]]:
    """Sorts events by time and drops duplicates by id."""

def pipeline_edges(pipeline: Union[Pipeline, ConfigLike], from_stage: Optional[str] = None) -> list[dict[str, Json]]:
    """The pipeline's allowed edges, all or those leaving ``from_stage``."""

def transition(lead: Lead, request: Mapping[str, Json], pipeline: Union[Pipeline, ConfigLike], now: Instant) -> dict[str, Json]:
    """Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons."""

def due(lead: Lead, events: Sequence[Event], pipeline: Union[Pipeline, ConfigLike], now: Instant) -> list[dict[str, Json]]:
    """The lifecycle actions due for a lead at ``now`` (stale downgrades, expired cooldowns...)."""

def stage_times(lead: Lead, now: Instant) -> dict[str, Json]:
    """Time in each stage and stage velocity, from the lead's history."""

def convert_lead(lead: Lead, mapping: Union[FieldMapping, ConfigLike]) -> dict[str, Json]:
    """Converts a qualified lead into account, contact and opportunity records."""

def qualify(
    rules: Union[RuleSet, ConfigLike],
    lead: Lead,
    now: Instant,
    events: Optional[Sequence[Event]] = None,
    scores: Optional[Mapping[str, float]] = None,
) -> dict[str, Json]:
    """Every gate's verdict for a lead, with per-criterion results."""

def qualify_gate(
    rules: Union[RuleSet, ConfigLike],
    gate: str,
    lead: Lead,
    now: Instant,
    events: Optional[Sequence[Event]] = None,
    scores: Optional[Mapping[str, float]] = None,
) -> dict[str, Json]:
    """One gate's verdict for a lead."""

def evaluate_condition(
    condition: Union[Condition, ConfigLike],
    lead: Lead,
    now: Instant,
    events: Optional[Sequence[Event]] = None,
    scores: Optional[Mapping[str, float]] = None,
) -> dict[str, Json]:
    """Evaluates one condition for a lead and explains every criterion."""

def temperature(score: float, thresholds: Optional[Union[TemperatureThresholds, ConfigLike]] = None) -> dict[str, Json]:
    """Cold, warm or hot for a score, with the reason."""

def normalize_phone(raw: str) -> dict[str, Json]:
    """Parses a Chinese mobile number: normalized digits, carrier, or why it is invalid."""

def locate_phone(raw: str, regions: Union[PhoneRegions, ConfigLike]) -> dict[str, Json]:
    """Looks up the province / city of a mobile number's prefix."""

def normalize_email(raw: str, options: Optional[Union[EmailOptions, ConfigLike]] = None) -> dict[str, Json]:
    """Normalizes an email address and tells whether it is a personal (free-mail) one."""

def is_personal_email_domain(domain: str) -> bool:
    """Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com...)."""

def normalize_company(raw: str, options: Optional[Union[CompanyOptions, ConfigLike]] = None) -> dict[str, Json]:
    """Normalizes a company name (width, spaces, legal suffixes, region qualifiers)."""

def dedupe(
    leads: Sequence[Lead],
    policy: Optional[Union[DedupPolicy, ConfigLike]] = None,
    events: Optional[Sequence[Event]] = None,
) -> dict[str, Json]:
    """Duplicate clusters over a batch of leads, with survivors and the reason for each merge."""


class AttributionConfig(_Config):
    """Which attribution models to run (first / last touch, last non-direct, linear, U, W, full
    path, J, inverse J, custom positions, time decay, Markov order 1-4, Shapley), at which level
    (channel or campaign), the path separator and the direct channels."""

class OwnershipConfig(_Config):
    """The ownership rule's window: ``{"window": {"months": 3}}`` (the default) or ``{"days": n}``."""

class FunnelConfig(_Config):
    """Funnel stages (with amount attributes), entry stage, time basis (``effective`` /
    ``recorded``), period size, UTC offset and dimensions."""

class RoiConfig(_Config):
    """The ROI chain: a funnel, the dimension spend is booked against and the revenue stage."""

class ForecastConfig(_Config):
    """Win probability per stage, amount and close-date attributes, period size and offset."""

class MlgConfig(_Config):
    """The customer stage and the source channels that count as marketing."""

class CapacityConfig(_Config):
    """Stage conversion rates (or observed counts), role capacities, deal size, cost per lead."""

def attribute(
    config: Union[AttributionConfig, ConfigLike],
    journeys: Optional[Sequence[Journey]] = None,
    paths: Optional[PathCounts] = None,
    threads: Optional[int] = None,
) -> AttributionReport:
    """Credits per channel (or campaign) under every configured model, from journeys and/or path
    counts; with ``threads``, split over that many threads (the same result, bit for bit). The
    GIL is released while computing."""

def explain_journey(config: Union[AttributionConfig, ConfigLike], journey: Journey) -> JourneyExplanation:
    """How each heuristic model splits one journey's credit over its touches, with each touch's role."""

def ownership(config: Union[OwnershipConfig, ConfigLike], journeys: Sequence[Journey]) -> OwnershipReport:
    """The channel that owns each customer under the ownership rule, with the reason, and totals per channel."""

class AttributionAccumulator:
    """Attribution state built in pieces: add journeys and path counts, merge accumulators built
    elsewhere (a Spark or Dask partition), finish into a report. Any split gives the same report
    as one pass, bit for bit. Pickles through the compact binary form. Thread-safe; the GIL is
    released while adding, merging and finishing."""
    def __init__(self, config: Union[AttributionConfig, ConfigLike]) -> None:
        """An empty accumulator for ``config``."""
    @property
    def config(self) -> AttributionConfig:
        """The configuration."""
    def add_journey(self, journey: Journey) -> None:
        """Adds one journey (errors name it ``journey``)."""
    def add_journeys(self, journeys: Sequence[Journey]) -> None:
        """Adds journeys (errors name them ``journeys[i]``); stops at the first bad one."""
    def add_path(self, path: PathCount) -> None:
        """Adds one path count (errors name it ``path``)."""
    def add_paths(self, paths: PathCounts) -> None:
        """Adds path counts, rows or columns (errors name rows ``paths[i]``); stops at the first bad one."""
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

def funnel(config: Union[FunnelConfig, ConfigLike], leads: Sequence[Lead]) -> FunnelReport:
    """The funnel of ``leads``: counts, conversion, time in stage and amounts per stage, by period and dimension."""

class FunnelAccumulator:
    """Funnel tallies built in pieces: add leads, merge accumulators built elsewhere, finish into
    a report. Any split gives the same report as one pass. Pickles through the compact binary
    form. Thread-safe; the GIL is released while adding, merging and finishing."""
    def __init__(self, config: Union[FunnelConfig, ConfigLike]) -> None:
        """An empty accumulator for ``config``."""
    @property
    def config(self) -> FunnelConfig:
        """The configuration."""
    def add_lead(self, lead: Lead) -> None:
        """Adds one lead (errors name it ``lead``)."""
    def add_leads(self, leads: Sequence[Lead]) -> None:
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
    config: Union[RoiConfig, ConfigLike],
    leads: Sequence[Lead],
    spend: Optional[Sequence[Mapping[str, Json]]] = None,
) -> RoiReport:
    """Channel ROI: spend (``{"channel", "period", "amount"}``) → leads → MQL → ... → payment per
    channel and period, with cost per stage, revenue and ROI."""

def forecast(config: Union[ForecastConfig, ConfigLike], leads: Sequence[Lead]) -> ForecastReport:
    """The weighted pipeline forecast: sum of amount × stage probability by period and rep."""

def mlg_index(config: Union[MlgConfig, ConfigLike], leads: Sequence[Lead]) -> MlgReport:
    """The MLG index: marketing-sourced new customers / all new customers, per period and overall."""

def capacity_plan(config: Union[CapacityConfig, ConfigLike], plan: Mapping[str, Json]) -> dict[str, Json]:
    """Leads needed for ``{"revenue_target": x}`` (or volumes for ``{"leads": n}``) and headcount per role."""

def capacity_monte_carlo(
    config: Union[CapacityConfig, ConfigLike],
    plan: Mapping[str, Json],
    simulation: Optional[Mapping[str, Json]] = None,
) -> dict[str, Json]:
    """The capacity plan simulated with a seed (``{"runs", "seed", "percentiles"}``): percentiles
    of leads, stage volumes, revenue, cost and heads."""
