//! Which firms are due in the horizon, why, with what weight; which are left out and why;
//! and the reproducible random draw (双随机).
//!
//! Decisions where DOMAIN.md is silent (also in docs/rules.md):
//! - An unrectified finding whose deadline is on or before the horizon's end makes a
//!   mandatory follow-up, also when the deadline passed before the horizon ("not let go").
//! - A red/orange/yellow firm with no expert sweep on record is overdue.
//! - Inspections of every kind count against the annual cap, follow-ups included: a firm
//!   at its cap is excluded with code `annual_cap`, and the sentence names the open
//!   findings it leaves without a re-check; but by default (`cap_spares_major_follow_ups`)
//!   the cap does not stop the re-check of an unrectified major finding.
//! - A follow-up's timing counts from the earliest deadline of its open findings: the
//!   visit re-checks every finding whose deadline has come; one whose deadline is later
//!   stays open and is re-checked in a later plan.
//! - Only firms that would otherwise be due are listed in `excluded`; firms not due at all
//!   are not listed (there are thousands).
//! - Days overdue are counted at the horizon's start from the last sweep plus the
//!   frequency, for follow-ups too; a firm never swept has no date to count from and
//!   counts 0 days (it is overdue, and mandatory, all the same).
//! - The due list is ordered mandatory first, then by weight, then by firm id.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::calendar;
use crate::model::{
    Draw, DueFirm, DueReason, Enterprise, Excluded, Finding, InspectionKind, Instance, Policy,
    Risk, Severity,
};
use crate::requirements;

/// How the draw is made, recorded with every roster so an auditor can repeat it.
pub const DRAW_METHOD: &str = "chacha8-partial-fisher-yates: eligible firm ids sorted ascending, \
rand_chacha::ChaCha8Rng::seed_from_u64(seed), rand 0.10 SliceRandom::partial_shuffle(count), \
count = round(random_share x pool)";

/// The due list of a plan, with the indices the solver needs.
#[derive(Debug, Clone)]
pub struct DueList {
    /// Due firms, most important first (mandatory, then weight, then id).
    pub due: Vec<DueFirm>,
    /// For each entry of `due`, the enterprise's index in `instance.enterprises`.
    pub enterprise_index: Vec<usize>,
    /// For each entry of `due` that is a follow-up, what times its re-check.
    pub follow_up: Vec<Option<FollowUp>>,
    /// Firms left out, with their reason.
    pub excluded: Vec<Excluded>,
    /// The random draw record.
    pub draw: Draw,
}

/// What times a follow-up: the firm's open findings with a deadline by the horizon's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUp {
    /// The earliest of their rectification deadlines. A re-check checks that a hazard was
    /// fixed, so it never comes before this day, and it goes soon after it (or soon after
    /// the horizon's start when the deadline had already passed).
    pub deadline: NaiveDate,
    /// The earliest deadline of a major one among them, if any. A visit on or after it
    /// re-checks a major finding: its lateness weighs more and, by default, the annual
    /// cap does not stop it. (A visit before it re-checks only general findings.)
    pub major_deadline: Option<NaiveDate>,
}

impl FollowUp {
    /// The open findings of one firm whose deadline is by the horizon's end: those a
    /// follow-up re-checks.
    pub fn pending<'f>(
        findings: &'f [&'f Finding],
        horizon_end: NaiveDate,
    ) -> impl Iterator<Item = &'f Finding> + 'f {
        findings
            .iter()
            .copied()
            .filter(move |f| f.deadline <= horizon_end)
    }

    /// The follow-up the open findings of one firm make, if any has its deadline by the
    /// horizon's end.
    pub fn of(findings: &[&Finding], horizon_end: NaiveDate) -> Option<FollowUp> {
        let pending = || Self::pending(findings, horizon_end);
        Some(FollowUp {
            deadline: pending().map(|f| f.deadline).min()?,
            major_deadline: pending()
                .filter(|f| f.severity == Severity::Major)
                .map(|f| f.deadline)
                .min(),
        })
    }

    /// Whether a visit on `date` re-checks a major finding.
    pub fn rechecks_major(&self, date: NaiveDate) -> bool {
        self.major_deadline.is_some_and(|d| date >= d)
    }

    /// Whether the policy lets a re-check on `date` go past the firm's annual cap.
    pub fn spared_by_cap(&self, policy: &Policy, date: NaiveDate) -> bool {
        policy.cap_spares_major_follow_ups && self.rechecks_major(date)
    }
}

/// What the history says about one firm.
#[derive(Debug, Default, Clone)]
pub struct FirmHistory {
    /// Date of the last expert sweep.
    pub last_sweep: Option<NaiveDate>,
    /// Inspections of any kind, by calendar year.
    pub per_year: HashMap<i32, u32>,
}

/// History per enterprise id.
pub fn history_by_firm(instance: &Instance) -> HashMap<&str, FirmHistory> {
    let mut map: HashMap<&str, FirmHistory> = HashMap::new();
    for insp in &instance.history {
        let h = map.entry(insp.enterprise.as_str()).or_default();
        *h.per_year.entry(insp.date.year()).or_default() += 1;
        if insp.kind == InspectionKind::ExpertSweep && h.last_sweep.is_none_or(|d| d < insp.date) {
            h.last_sweep = Some(insp.date);
        }
    }
    map
}

/// Whether the firm still has room under its annual cap in `year`, counting history only.
pub fn cap_room(firm: &Enterprise, history: Option<&FirmHistory>, year: i32) -> bool {
    let used = history
        .and_then(|h| h.per_year.get(&year))
        .copied()
        .unwrap_or(0);
    used < requirements::annual_cap(firm)
}

/// Derives the due list of the instance.
pub fn derive(instance: &Instance) -> DueList {
    derive_with_history(instance, &history_by_firm(instance))
}

/// Derives the due list from the instance and its history per firm (already built).
pub fn derive_with_history(instance: &Instance, history: &HashMap<&str, FirmHistory>) -> DueList {
    let horizon = instance.horizon;
    let policy = &instance.policy;
    let sweep_days = calendar::sweep_days(instance);

    let mut open_findings: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in instance.findings.iter().filter(|f| !f.rectified) {
        open_findings
            .entry(f.enterprise.as_str())
            .or_default()
            .push(f);
    }

    struct Candidate {
        index: usize,
        reason: DueReason,
        overdue_days: i64,
        follow_up: Option<FollowUp>,
    }
    let mut candidates = Vec::new();
    let mut excluded = Vec::new();
    let mut pool = Vec::new();

    for (index, firm) in instance.enterprises.iter().enumerate() {
        let firm_history = history.get(firm.id.as_str());
        let findings = open_findings
            .get(firm.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let follow_up = FollowUp::of(findings, horizon.end);

        let frequency = match firm.risk {
            Risk::Red => Some(policy.frequency_months.red),
            Risk::Orange => Some(policy.frequency_months.orange),
            Risk::Yellow => Some(policy.frequency_months.yellow),
            Risk::Blue => None,
        };
        let next_due = frequency.map(|months| {
            firm_history
                .and_then(|h| h.last_sweep)
                .and_then(|last| last.checked_add_months(Months::new(months)))
        });
        // Days overdue at the horizon's start, whatever makes the firm due: an open finding
        // must not make an overdue firm weigh less than it would without one.
        let overdue_days = match next_due {
            Some(Some(next)) if next < horizon.start => (horizon.start - next).num_days(),
            _ => 0,
        };
        let reason = match (follow_up, next_due) {
            (Some(_), _) => Some(DueReason::FollowUp),
            (None, Some(None)) => Some(DueReason::Overdue),
            (None, Some(Some(next))) if next < horizon.start => Some(DueReason::Overdue),
            (None, Some(Some(next))) if next <= horizon.end => Some(DueReason::Frequency),
            _ => None,
        };

        let exclusion = exclusion(
            instance,
            firm,
            firm_history,
            &sweep_days,
            follow_up.map(|f| (f, findings)),
        );
        match (reason, exclusion) {
            (Some(_), Some((code, message))) => {
                excluded.push(Excluded {
                    enterprise: firm.id.clone(),
                    code: code.into(),
                    message,
                });
            }
            (Some(reason), None) => candidates.push(Candidate {
                index,
                reason,
                overdue_days,
                follow_up,
            }),
            (None, None) => pool.push(index),
            (None, Some(_)) => {}
        }
    }

    // The random draw over the remaining eligible firms, independent of input order.
    pool.sort_by(|a, b| {
        instance.enterprises[*a]
            .id
            .cmp(&instance.enterprises[*b].id)
    });
    let count = ((policy.random_share * pool.len() as f64).round() as usize).min(pool.len());
    let mut rng = ChaCha8Rng::seed_from_u64(policy.seed);
    let mut shuffled = pool.clone();
    let (drawn, _) = shuffled.partial_shuffle(&mut rng, count);
    let draw = Draw {
        seed: policy.seed,
        pool: pool.len() as u32,
        drawn: drawn
            .iter()
            .map(|i| instance.enterprises[*i].id.clone())
            .collect(),
        method: DRAW_METHOD.to_string(),
    };
    for &index in drawn.iter() {
        candidates.push(Candidate {
            index,
            reason: DueReason::RandomDraw,
            overdue_days: 0,
            follow_up: None,
        });
    }

    let mut entries: Vec<(DueFirm, usize, Option<FollowUp>)> = candidates
        .into_iter()
        .map(|c| {
            let firm = &instance.enterprises[c.index];
            let findings = open_findings
                .get(firm.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let weight = priority_weight(instance, firm, c.overdue_days, findings);
            let mandatory = matches!(c.reason, DueReason::FollowUp | DueReason::Overdue);
            (
                DueFirm {
                    enterprise: firm.id.clone(),
                    mandatory,
                    weight,
                    reason: c.reason,
                },
                c.index,
                c.follow_up,
            )
        })
        .collect();
    entries.sort_by(|a, b| {
        b.0.mandatory
            .cmp(&a.0.mandatory)
            .then(b.0.weight.total_cmp(&a.0.weight))
            .then(a.0.enterprise.cmp(&b.0.enterprise))
    });

    DueList {
        enterprise_index: entries.iter().map(|e| e.1).collect(),
        follow_up: entries.iter().map(|e| e.2).collect(),
        due: entries.into_iter().map(|e| e.0).collect(),
        excluded,
        draw,
    }
}

/// Why a firm that would be due cannot be: blacklisted, at its annual cap in every year
/// the horizon touches (unless the policy spares its follow-up), or closed on every sweep
/// day. `follow_up`: the firm's, with its open findings.
fn exclusion(
    instance: &Instance,
    firm: &Enterprise,
    history: Option<&FirmHistory>,
    sweep_days: &[NaiveDate],
    follow_up: Option<(FollowUp, &[&Finding])>,
) -> Option<(&'static str, String)> {
    if firm.blacklisted {
        return Some((
            "blacklisted",
            format!(
                "{} is blacklisted and under enforcement this period; experts do not sweep it",
                firm.id
            ),
        ));
    }
    let h = instance.horizon;
    let years = h.start.year()..=h.end.year();
    // Spared when a sweep day could re-check a major finding (the rules then allow the
    // visit on those days only, `rules::frequency`).
    let spared = follow_up.is_some_and(|(f, _)| {
        sweep_days
            .iter()
            .any(|&date| f.spared_by_cap(&instance.policy, date))
    });
    if !spared && years.clone().all(|y| !cap_room(firm, history, y)) {
        let used = history
            .and_then(|x| x.per_year.get(&h.start.year()))
            .copied()
            .unwrap_or(0);
        let mut message = format!(
            "{} has had {used} {} this year, its annual cap ({}) under the 无事不扰 rule",
            firm.id,
            if used == 1 {
                "inspection"
            } else {
                "inspections"
            },
            requirements::annual_cap(firm)
        );
        if let Some((_, findings)) = follow_up {
            // The re-checks the cap leaves undone, so that the planner can take them up
            // through enforcement.
            let pending: Vec<String> = FollowUp::pending(findings, h.end)
                .map(|f| {
                    format!(
                        "{} ({}, rectification deadline {})",
                        f.id,
                        match f.severity {
                            Severity::Major => "major",
                            Severity::General => "general",
                        },
                        f.deadline
                    )
                })
                .collect();
            let (noun, verb, pronoun) = if pending.len() == 1 {
                ("finding", "is", "it")
            } else {
                ("findings", "are", "them")
            };
            message.push_str(&format!(
                "; its open {noun} {} {verb} left without an expert re-check: follow {pronoun} up through enforcement",
                pending.join(", "),
            ));
        }
        return Some(("annual_cap", message));
    }
    if sweep_days.iter().all(|d| firm.closed_dates.contains(d)) {
        return Some((
            "closed",
            format!("{} is closed on every working day of the horizon", firm.id),
        ));
    }
    None
}

/// The objective weight of a due firm: risk grade, major hazard level, key processes,
/// days overdue, open findings, times the focus-period boost.
pub fn priority_weight(
    instance: &Instance,
    firm: &Enterprise,
    overdue_days: i64,
    open_findings: &[&crate::model::Finding],
) -> f64 {
    let risk = match firm.risk {
        Risk::Red => 8.0,
        Risk::Orange => 4.0,
        Risk::Yellow => 2.0,
        Risk::Blue => 1.0,
    };
    let hazard = match firm.major_hazard_level {
        1 => 4.0,
        2 => 3.0,
        3 => 2.0,
        4 => 1.0,
        _ => 0.0,
    };
    let processes = if firm.processes.is_empty() {
        0.0
    } else {
        1.5 + 0.5 * firm.processes.len() as f64
    };
    let overdue = (overdue_days as f64 / 30.0).clamp(0.0, 6.0);
    let findings: f64 = open_findings
        .iter()
        .map(|f| {
            if f.severity == Severity::Major {
                3.0
            } else {
                1.0
            }
        })
        .sum();
    let boost = 1.0 + calendar::focus_boost(instance, firm.sector);
    let weight = (risk + hazard + processes + overdue + findings) * boost;
    (weight * 100.0).round() / 100.0
}
