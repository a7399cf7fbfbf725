//! Pool state machine throughput: 1 M mixed commands through `apply` (deposit, claim, follow-up,
//! transfer, return, claim again, convert), and `tick` over 1 M held leads (every lead due: a
//! million reclaims; and 1 % due: the index finds them without a scan). The row-level path: the
//! same commands, each one loading its rows from a map (what `needs` lists), `apply_rows`, and
//! the changed rows written back, against the in-memory state on the same 100 k commands.
#![expect(
    clippy::expect_used,
    reason = "bench fixtures: a broken fixture must stop the bench"
)]

use std::hint::black_box;

use chrono::{DateTime, Duration, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use leadcore::pool::{
    Command, Policy, PoolState, Records, Request, RowRecord, apply, apply_rows, needs, tick,
};

const REPS: usize = 1_000;

fn policy() -> Policy {
    let reps: Vec<serde_json::Value> = (0..REPS)
        .map(|i| serde_json::json!({"id": format!("r{i}"), "holding_cap": 100_000}))
        .collect();
    Policy::from_value(serde_json::json!({
        "pools": [{"id": "p", "kind": "active"}, {"id": "q", "kind": "general"}],
        "reps": reps,
        "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2},
        "reclaim": {"no_follow_up_days": 7, "warn_days": 1, "cooldown_hours": 72}
    }))
    .expect("bench policy")
}

fn start() -> DateTime<Utc> {
    leadcore::time::parse("2026-01-05T00:00:00Z").expect("time")
}

/// `n` commands, 8 per lead, every one accepted, one millisecond apart.
fn mixed_commands(n: usize) -> Vec<(Command, DateTime<Utc>)> {
    let t0 = start();
    let mut out = Vec::with_capacity(n);
    let mut i = 0usize;
    while out.len() < n {
        let lead = format!("L{i}");
        // Three different reps: a claims, transfers to b, b returns, c claims.
        let ai = i % REPS;
        let bi = (ai + 1 + (i * 7) % (REPS - 1)) % REPS;
        let ci = (bi + 1) % REPS;
        let (a, b, c) = (format!("r{ai}"), format!("r{bi}"), format!("r{ci}"));
        let cmds = [
            Command::Deposit {
                lead: lead.clone(),
                pool: "p".into(),
                created_at: None,
                stage: None,
                region: None,
            },
            Command::Claim {
                lead: lead.clone(),
                rep: a.clone(),
            },
            Command::FollowUp {
                lead: lead.clone(),
                rep: a.clone(),
                kind: Some("call".into()),
            },
            Command::Transfer {
                lead: lead.clone(),
                from: a.clone(),
                to: b.clone(),
                reason: None,
            },
            Command::FollowUp {
                lead: lead.clone(),
                rep: b.clone(),
                kind: None,
            },
            Command::Return {
                lead: lead.clone(),
                rep: b,
                reason: "wrong region".into(),
                pool: Some("q".into()),
            },
            Command::Claim {
                lead: lead.clone(),
                rep: c,
            },
            Command::MarkConverted { lead },
        ];
        for cmd in cmds {
            if out.len() == n {
                break;
            }
            let at = t0 + Duration::milliseconds(out.len() as i64);
            out.push((cmd, at));
        }
        i += 1;
    }
    out
}

/// A state with `n` leads held by the reps, claimed one millisecond apart.
fn held_state(policy: &Policy, n: usize) -> PoolState {
    let mut state = PoolState::default();
    let t0 = start();
    for i in 0..n {
        let at = t0 + Duration::milliseconds(i as i64);
        let lead = format!("H{i}");
        let deposit = Command::Deposit {
            lead: lead.clone(),
            pool: "p".into(),
            created_at: None,
            stage: None,
            region: None,
        };
        apply(&mut state, policy, &deposit, at).expect("deposit");
        let claim = Command::Claim {
            lead,
            rep: format!("r{}", i % REPS),
        };
        apply(&mut state, policy, &claim, at).expect("claim");
    }
    state
}

/// A host's rows in memory: load what a request needs, apply, write back what changed.
fn run_rows(db: &mut Records, policy: &Policy, cmd: &Command, at: DateTime<Utc>) {
    let req = [Request::from(cmd.clone())];
    let mut records = Records::default();
    for id in needs(&records, policy, &req, Some(at)).leads {
        if let Some(r) = db.leads.get(&id) {
            records.leads.insert(id, r.clone());
        }
    }
    for id in needs(&records, policy, &req, Some(at)).reps {
        if let Some(r) = db.reps.get(&id) {
            records.reps.insert(id, r.clone());
        }
    }
    let out = apply_rows(records, policy, &req, at).expect("accepted");
    for row in out.rows {
        match row.record {
            Some(RowRecord::Lead(r)) => {
                db.leads.insert(row.id, *r);
            }
            Some(RowRecord::Rep(r)) => {
                db.reps.insert(row.id, r);
            }
            Some(RowRecord::Team(r)) => {
                db.teams.insert(row.id, r);
            }
            None if !row.check => {
                db.leads.remove(&row.id);
            }
            None => {}
        }
    }
}

fn bench(c: &mut Criterion) {
    let policy = policy();
    let n = 1_000_000;
    let commands = mixed_commands(n);
    let mut group = c.benchmark_group("pools");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("apply_1m_mixed_commands", |b| {
        b.iter_batched(
            PoolState::default,
            |mut state| {
                for (cmd, at) in &commands {
                    let applied = apply(&mut state, &policy, cmd, *at).expect("accepted");
                    black_box(applied);
                }
                state
            },
            BatchSize::PerIteration,
        )
    });
    let held = held_state(&policy, n);
    // Every lead fell out of its 7-day no-follow-up window by then: a million reclaims.
    let all_due = start() + Duration::days(30);
    group.bench_function("tick_1m_held_all_due", |b| {
        b.iter_batched(
            || held.clone(),
            // The state and the result are dropped outside the measurement.
            |mut state| {
                let ticked = tick(&mut state, &policy, all_due).expect("tick");
                (state, black_box(ticked))
            },
            BatchSize::PerIteration,
        )
    });
    // 1 % of the leads (claimed in the first 10 seconds) are due for their warning.
    let some_due = start() + Duration::days(6) + Duration::seconds(10);
    group.bench_function("tick_1m_held_1pct_due", |b| {
        b.iter_batched(
            || held.clone(),
            |mut state| {
                let ticked = tick(&mut state, &policy, some_due).expect("tick");
                (state, black_box(ticked))
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let m = 100_000;
    let mut group = c.benchmark_group("pools_rows");
    group.sample_size(10);
    group.throughput(Throughput::Elements(m as u64));
    let few = commands.get(..m).expect("1 M commands");
    group.bench_function("apply_100k_in_memory", |b| {
        b.iter_batched(
            PoolState::default,
            |mut state| {
                for (cmd, at) in few {
                    black_box(apply(&mut state, &policy, cmd, *at).expect("accepted"));
                }
                state
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("apply_rows_100k_load_apply_write", |b| {
        b.iter_batched(
            Records::default,
            |mut db| {
                for (cmd, at) in few {
                    run_rows(&mut db, &policy, cmd, *at);
                }
                db
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
