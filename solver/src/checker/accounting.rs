//! Accounting: the roster's due list is the instance's; every due firm appears exactly
//! once, in a crew's visits or in `unscheduled`; visits and exclusions match the rules.

use std::collections::{HashMap, HashSet};

use super::{Index, Violations};
use crate::model::{DueFirm, Roster};

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    let instance = ix.instance;
    if roster.plan != instance.name || roster.horizon != instance.horizon {
        out.plan(
            "plan.mismatch",
            format!(
                "the roster is for {} {:?}, the instance is {} {:?}",
                roster.plan, roster.horizon, instance.name, instance.horizon
            ),
        );
    }
    let derived = &ix.due;
    let expected: HashMap<&str, &DueFirm> = derived
        .due
        .iter()
        .map(|d| (d.enterprise.as_str(), d))
        .collect();
    let listed: HashMap<&str, &DueFirm> = roster
        .due
        .iter()
        .map(|d| (d.enterprise.as_str(), d))
        .collect();
    for d in &derived.due {
        match listed.get(d.enterprise.as_str()) {
            None => out.firm("due.mismatch", &d.enterprise, format!("{} is due ({}) but missing from the roster's due list", d.enterprise, d.reason)),
            Some(l) if l.mandatory != d.mandatory || l.reason != d.reason || (l.weight - d.weight).abs() > 1e-9 => out.firm(
                "due.mismatch",
                &d.enterprise,
                format!(
                    "{} is due as {} (mandatory {}, weight {}), the roster says {} (mandatory {}, weight {})",
                    d.enterprise, d.reason, d.mandatory, d.weight, l.reason, l.mandatory, l.weight
                ),
            ),
            Some(_) => {}
        }
    }
    for d in &roster.due {
        if !expected.contains_key(d.enterprise.as_str())
            || roster
                .due
                .iter()
                .filter(|x| x.enterprise == d.enterprise)
                .count()
                > 1
        {
            out.firm(
                "due.mismatch",
                &d.enterprise,
                format!(
                    "{} is on the roster's due list but is not due once by the rules",
                    d.enterprise
                ),
            );
        }
    }

    // A firm visited twice is `visit.repeated`'s business; here it counts once.
    let mut accounted: HashMap<&str, u32> = HashMap::new();
    let mut visited: HashSet<&str> = HashSet::new();
    for crew in &roster.crews {
        for visit in &crew.visits {
            if visited.insert(visit.enterprise.as_str()) {
                *accounted.entry(visit.enterprise.as_str()).or_default() += 1;
            }
            if !ix.firms.contains_key(visit.enterprise.as_str()) {
                out.visit(
                    "visit.unknown_enterprise",
                    crew,
                    &visit.enterprise,
                    format!("`{}` is not in the registry", visit.enterprise),
                );
            } else if let Some(d) = expected.get(visit.enterprise.as_str()) {
                if d.reason != visit.reason {
                    out.visit(
                        "visit.reason_mismatch",
                        crew,
                        &visit.enterprise,
                        format!(
                            "the visit says {}, the firm is due as {}",
                            visit.reason, d.reason
                        ),
                    );
                }
            } else {
                out.visit(
                    "visit.not_due",
                    crew,
                    &visit.enterprise,
                    format!("{} is not due in this horizon", visit.enterprise),
                );
            }
        }
    }
    for u in &roster.unscheduled {
        *accounted.entry(u.enterprise.as_str()).or_default() += 1;
        match expected.get(u.enterprise.as_str()) {
            None => out.firm(
                "unscheduled.not_due",
                &u.enterprise,
                format!("{} is listed as unscheduled but is not due", u.enterprise),
            ),
            Some(d) if d.mandatory != u.mandatory => out.firm(
                "unscheduled.mandatory_mismatch",
                &u.enterprise,
                format!(
                    "{} is mandatory={}, the unscheduled entry says {}",
                    u.enterprise, d.mandatory, u.mandatory
                ),
            ),
            Some(_) => {}
        }
        if u.code.trim().is_empty() || u.message.trim().is_empty() {
            out.firm(
                "unscheduled.no_reason",
                &u.enterprise,
                format!(
                    "{} is unscheduled without a reason code and sentence",
                    u.enterprise
                ),
            );
        }
    }
    for d in &derived.due {
        match accounted.get(d.enterprise.as_str()).copied().unwrap_or(0) {
            0 => out.firm(
                "due.unaccounted",
                &d.enterprise,
                format!(
                    "{} is due but neither visited nor listed as unscheduled",
                    d.enterprise
                ),
            ),
            1 => {}
            n => out.firm(
                "due.double_accounted",
                &d.enterprise,
                format!(
                    "{} appears {n} times among visits and unscheduled",
                    d.enterprise
                ),
            ),
        }
    }

    let key = |code: &str, id: &str| format!("{code}:{id}");
    let want: HashSet<String> = derived
        .excluded
        .iter()
        .map(|e| key(&e.code, &e.enterprise))
        .collect();
    let have: HashSet<String> = roster
        .excluded
        .iter()
        .map(|e| key(&e.code, &e.enterprise))
        .collect();
    let mut diff: Vec<&String> = want.symmetric_difference(&have).collect();
    diff.sort();
    for k in diff {
        let side = if want.contains(k) {
            "missing from"
        } else {
            "wrongly in"
        };
        out.plan(
            "excluded.mismatch",
            format!("exclusion {k} is {side} the roster"),
        );
    }
    if roster.draw != derived.draw {
        out.plan(
            "draw.mismatch",
            format!(
                "the draw record (seed {}, pool {}, {} drawn) does not repeat: the rules give seed {}, pool {}, {} drawn (a roster solved with another seed is checked with that seed)",
                roster.draw.seed, roster.draw.pool, roster.draw.drawn.len(), derived.draw.seed, derived.draw.pool, derived.draw.drawn.len()
            ),
        );
    }
}
