"""A lead pool kept as database rows: load what a command needs, apply, compare-and-set.

`rows` stands in for the database tables (leads, reps, teams: id -> record with a version).
Run: python examples/python/pool_rows.py
"""

import leadcore

policy = leadcore.PoolPolicy({
    "pools": [{"id": "east", "kind": "active"}],
    "reps": [{"id": "wang", "holding_cap": 1}, {"id": "zhao"}],
    "protection": {"default_days": 10},
    "clock_skew_seconds": 2,
})
rows: dict = {"leads": {}, "reps": {}, "teams": {}}
gone: dict = {}  # deleted leads' rows, kept as tombstones: id -> version
due_at: dict = {}  # lead -> the instant `tick` must look at it (a host indexes this column)
log: list = []  # the command log, appended with the rows
TABLE = {"lead": "leads", "rep": "reps", "team": "teams"}


def load(commands: list, now: str) -> dict:
    """Step 1: the leads the commands name, then the reps and teams those leads lead to."""
    records: dict = {"leads": {}, "reps": {}, "teams": {}, "gone": {}}
    for lead in leadcore.pool_needs(None, policy, commands)["leads"]:
        if lead in rows["leads"]:
            records["leads"][lead] = rows["leads"][lead]
        elif lead in gone:
            records["gone"][lead] = gone[lead]
    needs = leadcore.pool_needs(records, policy, commands, now)
    for table in ("reps", "teams"):
        records[table] = {k: rows[table][k] for k in needs[table] if k in rows[table]}
    return records


def commit(out: dict) -> bool:
    """Step 3: every row compared on its version, then written (a real host: one transaction)."""
    def version(r: dict) -> int:
        have = rows[TABLE[r["kind"]]].get(r["id"], {}).get("version", 0)
        return have or (gone.get(r["id"], 0) if r["kind"] == "lead" else 0)

    if any(version(r) != r["expected"] for r in out["rows"]):
        return False
    for r in out["rows"]:
        if not r.get("check"):
            table = rows[TABLE[r["kind"]]]
            if "record" in r:
                table[r["id"]] = r["record"]
                gone.pop(r["id"], None)
            else:  # a deleted lead: its row stays as a tombstone at the new version
                table.pop(r["id"], None)
                gone[r["id"]] = r["version"]
            if r["kind"] == "lead":
                due_at[r["id"]] = r.get("due_at")
    log.extend(out["log"])
    return True


def run(commands: list, now: str) -> dict:
    while True:  # a conflict means another writer won: load again and retry
        out = leadcore.pool_apply_rows(load(commands, now), policy, commands, now)  # step 2
        if commit(out):
            return out


run([{"type": "deposit", "lead": "L1", "pool": "east"}, {"type": "deposit", "lead": "L2", "pool": "east"}],
    "2026-11-23T09:00:00+08:00")
claim = [{"id": "req-1", "type": "claim", "lead": "L1", "rep": "wang"}]
out = run(claim, "2026-11-23T09:05:00+08:00")
print([(r["kind"], r["id"], r["expected"]) for r in out["rows"]])  # [('lead', 'L1', 1), ('rep', 'wang', 0)]
print(rows["reps"]["wang"]["holdings"], due_at["L1"])  # 1 2026-12-03T01:05:00Z
again = run(claim, "2026-11-23T09:06:00+08:00")  # the client timed out and sent it again
print(again["results"][0]["duplicate"], [r.get("check") for r in again["rows"]])  # True [True, True]
try:
    run([{"type": "claim", "lead": "L2", "rep": "wang"}], "2026-11-23T09:07:00+08:00")
except leadcore.PoolError as e:
    print(e.code)  # holding_cap_reached
skewed = run([{"type": "follow_up", "lead": "L1", "rep": "wang"}], "2026-11-23T09:04:59+08:00")
print(skewed["results"][0]["at"])  # 2026-11-23T01:05:00Z
run([{"type": "archive", "lead": "L2"}], "2026-11-23T09:08:00+08:00")
print(gone)  # {'L2': 2}
back = run([{"type": "deposit", "lead": "L2", "pool": "east"}], "2026-11-23T09:09:00+08:00")
print(back["rows"][0]["expected"], back["rows"][0]["version"])  # 2 3
state, _ = leadcore.PoolState.replay(policy, log)  # the rows are a replay of the log
print(state.to_dict()["leads"] == rows["leads"], len(log))  # True 6
