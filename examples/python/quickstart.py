"""leadcore from Python: qualify a lead, move it through a pipeline, clean its phone number."""

import datetime as dt

import leadcore

now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
lead = {
    "id": "L1",
    "created_at": "2026-11-20T10:00:00+08:00",
    "attributes": {"phone": "+86 138-0013-8000", "wanted_item_id": "SKU42", "company": "云帆科技有限公司",
                   "company_verified": True, "industry": "saas"},
}

# Which of seed 001's gates does the lead pass, and which criteria failed?
rules = leadcore.RuleSet.preset("seed_001")
verdict = leadcore.qualify(rules, lead, None, now)
print(verdict["qualified"])                      # ['MQL', 'SQL']
print(verdict["gates"][2]["failed_criteria"])    # ['responsive', 'quote_not_rejected']

# Enter the pipeline and move to SQL; the result carries the new state and the reasons.
pipeline = leadcore.Pipeline.preset("seed_001")
moved = leadcore.transition(pipeline, lead, {}, now)
moved = leadcore.transition(pipeline, moved["lead"], {"to": "SQL", "actor": "sdr_7"}, now)
print(moved["lead"]["stage"], moved["change"]["edge"])   # SQL forward

# Bad input is an exception with a stable code and the JSON path of the bad field.
try:
    leadcore.transition(pipeline, moved["lead"], {"to": "Won"}, now)
except leadcore.TransitionError as e:
    print(e.code)                                # illegal_transition

print(leadcore.normalize_phone("+86 138-0013-8000")["normalized"])   # 13800138000
