//! Human-readable summaries of a roster and of problems.

use std::fmt::Write;

use sweep_solver::model::Roster;

/// The summary table printed after a solve.
pub fn summary(roster: &Roster) -> String {
    let k = &roster.kpis;
    let mut out = String::new();
    let pct = |a: u32, b: u32| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let rows: Vec<(&str, String)> = vec![
        (
            "plan",
            format!(
                "{} ({} – {})",
                roster.plan, roster.horizon.start, roster.horizon.end
            ),
        ),
        ("due firms", k.due.to_string()),
        ("mandatory due", k.mandatory_due.to_string()),
        (
            "scheduled",
            format!("{} ({:.1} %)", k.scheduled, pct(k.scheduled, k.due)),
        ),
        (
            "mandatory scheduled",
            format!(
                "{} ({:.1} %)",
                k.mandatory_scheduled,
                pct(k.mandatory_scheduled, k.mandatory_due)
            ),
        ),
        (
            "weighted coverage",
            format!("{:.2} %", 100.0 * k.weighted_coverage),
        ),
        ("crews (crew-days)", roster.crews.len().to_string()),
        ("expert person-days", k.expert_days.to_string()),
        ("cost", format!("{:.0} CNY", k.cost_cny)),
        ("distance", format!("{:.1} km", k.distance_km)),
        ("workload spread", format!("{:.3}", k.workload_spread)),
        (
            "bound / gap",
            match (k.bound, k.gap) {
                (Some(b), Some(g)) => format!("{:.2} % / {:.2} %", 100.0 * b, 100.0 * g),
                _ => "not computed by this solver".into(),
            },
        ),
        ("excluded", roster.excluded.len().to_string()),
        (
            "random draw",
            format!(
                "{} of {} eligible (seed {})",
                roster.draw.drawn.len(),
                roster.draw.pool,
                roster.draw.seed
            ),
        ),
        (
            "seconds",
            format!(
                "{:.2} ({} {})",
                roster.solver.seconds,
                roster.solver.threads,
                if roster.solver.threads == 1 {
                    "thread"
                } else {
                    "threads"
                }
            ),
        ),
    ];
    let mut rows = rows;
    if let Some(b) = &k.budget {
        let mut limits = Vec::new();
        if let Some(cny) = b.cny {
            limits.push(format!("{:.0} of {cny:.0} CNY", b.used_cny));
        }
        if let Some(days) = b.expert_days {
            limits.push(format!("{} of {days} expert-days", b.used_expert_days));
        }
        let next = &b.next_10_percent;
        rows.push(("budget used", limits.join(", ")));
        rows.push((
            "10 % more budget",
            format!(
                "+{} {} ({} mandatory), coverage {:.2} %, +{:.0} CNY, +{} expert-days",
                next.enterprises.len(),
                if next.enterprises.len() == 1 {
                    "firm"
                } else {
                    "firms"
                },
                next.mandatory,
                100.0 * next.weighted_coverage,
                next.cny,
                next.expert_days
            ),
        ));
    }
    for (name, value) in rows {
        let _ = writeln!(out, "  {name:<21} {value}");
    }
    let mut codes: Vec<(&str, usize)> = Vec::new();
    for u in &roster.unscheduled {
        match codes.iter_mut().find(|(c, _)| *c == u.code) {
            Some(entry) => entry.1 += 1,
            None => codes.push((&u.code, 1)),
        }
    }
    if !codes.is_empty() {
        let list: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let _ = writeln!(out, "  {:<21} {}", "unscheduled by reason", list.join(", "));
    }
    out
}
