//! Rule 8: a firm is visited only with room under its annual cap (inspections of every
//! kind in the calendar year of the visit, from the history).

use chrono::Datelike;

use crate::context::Context;
use crate::due;

/// Whether due firm `d` has room under its annual cap in the year of sweep day `day`.
pub fn cap_room(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    let firm = ctx.firm(d);
    due::cap_room(
        firm,
        ctx.history.get(firm.id.as_str()),
        ctx.days[day].year(),
    )
}
