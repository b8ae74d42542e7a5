//! Follow-up timing: a re-check is on or after the earliest rectification deadline of the
//! firm's open findings (those with a deadline by the horizon's end), never before.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Index, Violations};
use crate::model::{Instance, Roster, Severity};

/// What the raw findings say of one firm's re-check.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    /// The earliest deadline of its open findings due by the horizon's end.
    pub deadline: NaiveDate,
    /// The earliest deadline of a major one among those: a visit from that day on
    /// re-checks a major finding.
    pub major_deadline: Option<NaiveDate>,
}

impl Pending {
    /// Whether a visit on `date` re-checks a major finding.
    pub fn major_on(&self, date: NaiveDate) -> bool {
        self.major_deadline.is_some_and(|m| date >= m)
    }
}

/// The pending re-checks by firm id, read from the instance's findings.
pub(super) fn pending(instance: &Instance) -> HashMap<&str, Pending> {
    let mut out: HashMap<&str, Pending> = HashMap::new();
    for f in &instance.findings {
        if f.rectified || f.deadline > instance.horizon.end {
            continue;
        }
        let major = (f.severity == Severity::Major).then_some(f.deadline);
        out.entry(f.enterprise.as_str())
            .and_modify(|p| {
                p.deadline = p.deadline.min(f.deadline);
                p.major_deadline = p.major_deadline.into_iter().chain(major).min();
            })
            .or_insert(Pending {
                deadline: f.deadline,
                major_deadline: major,
            });
    }
    out
}

pub(super) fn check(ix: &Index<'_>, roster: &Roster, out: &mut Violations) {
    for crew in &roster.crews {
        for (visit, firm) in ix.visits(crew) {
            if let Some(p) = ix.pending.get(firm.id.as_str())
                && crew.date < p.deadline
            {
                out.visit(
                    "visit.before_deadline",
                    crew,
                    &visit.enterprise,
                    format!(
                        "{} is re-checked on {} before its rectification deadline {}",
                        firm.id, crew.date, p.deadline
                    ),
                );
            }
        }
    }
}
