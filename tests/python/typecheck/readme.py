"""The README's Python snippets under `mypy --strict`: no casts, every result typed."""

import datetime as dt

import leadcore
from leadcore.types import Grade, Lead, PhoneParse, PipelineJson, Qualification, Tier

now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
lead: Lead = {
    "id": "L1",
    "created_at": "2026-11-20T10:00:00+08:00",
    "attributes": {"phone": "+86 138-0013-8000", "wanted_item_id": "SKU42", "company": "云帆科技有限公司",
                   "company_verified": True, "industry": "saas"},
}

verdict: Qualification = leadcore.qualify(leadcore.RuleSet.preset("seed_001"), lead, None, now)
qualified: list[str] = verdict["qualified"]

pipeline = leadcore.Pipeline.preset("seed_001")
moved = leadcore.transition(pipeline, lead, {}, now)
moved = leadcore.transition(pipeline, moved["lead"], {"to": "SQL", "actor": "sdr_7"}, now)
stage: str | None = moved["lead"].get("stage")
try:
    leadcore.transition(pipeline, moved["lead"], {"to": "Won"}, now)
except leadcore.TransitionError as e:
    print(e.code)

phone: PhoneParse = leadcore.normalize_phone("+86 138-0013-8000")
valid: bool = phone["valid"]
email = leadcore.normalize_email("A.B+x@gmail.com")
company = leadcore.normalize_company("云帆科技有限公司")
scored = leadcore.score_lead(leadcore.ScoringModel.preset("b2b_default"), lead, None, now)
tier: Tier = "high"
grade: Grade = scored["fit"]["grade"]
deduped = leadcore.dedupe([lead])
config: PipelineJson = pipeline.to_dict()
print(qualified, stage, valid, email, company, scored["combined"], tier, grade, deduped["clusters"], config["stages"])
