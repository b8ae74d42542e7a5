//! Rule 8: a firm is visited only with room under its annual cap (inspections of every
//! kind in the calendar year of the visit, from the history), unless the policy spares
//! the re-check of an unrectified major finding (`cap_spares_major_follow_ups`).

use chrono::Datelike;

use crate::context::Context;
use crate::due;

/// Whether due firm `d` has room under its annual cap in the year of sweep day `day` (or
/// is a re-check the cap does not stop).
pub fn cap_room(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    if ctx.due.follow_up[d].is_some_and(|f| f.spared_by_cap(&ctx.instance.policy, ctx.days[day])) {
        return true;
    }
    let firm = ctx.firm(d);
    due::cap_room(
        firm,
        ctx.history.get(firm.id.as_str()),
        ctx.days[day].year(),
    )
}
