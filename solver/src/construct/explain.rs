//! Why a due firm was not scheduled: the first constraint, from the most static (closed,
//! no officer, a specialty nobody in the pool holds, no qualified team, too far) to the
//! capacity ones, that stops it.

use super::greedy::{State, complete_team};
use crate::context::Context;
use crate::route::schedule;

/// A reason code and a sentence naming the constraint. `empty` is a state with nobody
/// booked, shared across calls, for the "even if everyone were free" test.
pub fn explain(
    ctx: &Context<'_>,
    state: &State,
    empty: &State,
    d: usize,
) -> (&'static str, String) {
    let firm = &ctx.instance.enterprises[ctx.due.enterprise_index[d]];
    let req = &ctx.reqs[d];
    let open_days: Vec<usize> = (0..ctx.days.len())
        .filter(|&day| ctx.firm_open(d, day))
        .collect();
    if open_days.is_empty() {
        return (
            "no_sweep_day",
            format!(
                "{} is closed, or at its annual cap, on all {} sweep days of the horizon",
                firm.id,
                ctx.days.len()
            ),
        );
    }

    let serving: Vec<usize> = (0..ctx.instance.officers.len())
        .filter(|&o| ctx.officer_serves(o, d) && ctx.officer_loc[o].is_some())
        .collect();
    if serving.is_empty() {
        return (
            "no_officer",
            format!(
                "no officer of district {} or of city level (with a base) can accompany a visit to {}",
                firm.district, firm.id
            ),
        );
    }

    // A specialty nobody in the pool holds (validation warns of it, W2005).
    let pool = ctx.expert_masks.iter().fold(0u32, |m, &e| m | e);
    let missing: Vec<&str> = ctx.reqs[d]
        .specialties
        .iter()
        .filter(|s| pool & (1 << (**s as u32)) == 0)
        .map(|s| s.as_str())
        .collect();
    if !missing.is_empty() {
        return (
            "no_qualified_expert",
            format!(
                "{} needs the specialty {}, which no expert in the pool has; add such an expert, or override the firm's required_specialties",
                firm.id,
                missing.join(", ")
            ),
        );
    }

    // Could any team qualify at all, if every expert were free?
    if !open_days
        .iter()
        .any(|&day| complete_team(ctx, empty, day, d, &[], &[d]).is_some())
    {
        return ("no_qualified_team", no_team_sentence(ctx, d, &open_days));
    }

    if !serving
        .iter()
        .any(|&o| schedule(ctx, ctx.officer_loc[o].unwrap_or_default(), &[d]).is_some())
    {
        return (
            "unreachable_in_day",
            format!(
                "a {}-minute visit to {} does not fit between {}–{} (opening {}–{}) with the round trip from any serving officer's base",
                req.duration_min,
                firm.id,
                ctx.instance.policy.day_start,
                ctx.instance.policy.day_end,
                req.hours.open,
                req.hours.close
            ),
        );
    }

    let officer_days: Vec<usize> = open_days
        .iter()
        .copied()
        .filter(|&day| serving.iter().any(|&o| state.officer_free(ctx, o, day)))
        .collect();
    let team_days: Vec<usize> = open_days
        .iter()
        .copied()
        .filter(|&day| complete_team(ctx, state, day, d, &[], &[d]).is_some())
        .collect();
    let needs = describe_needs(ctx, d);
    if officer_days.is_empty() {
        (
            "officer_capacity",
            format!(
                "every officer who may visit {} (district {}) was already out or at max_days on all {} open sweep days",
                firm.id,
                firm.district,
                open_days.len()
            ),
        )
    } else if team_days.is_empty() {
        (
            "expert_capacity",
            format!(
                "no free team of experts ({needs}) was left on any of the {} open sweep days: the qualified experts were in other crews or at max_days",
                open_days.len()
            ),
        )
    } else {
        (
            "crew_capacity",
            format!(
                "a free officer ({} days) and a free qualified team ({needs}; {} days) were never available on the same sweep day, and no existing crew could take the visit within its day",
                officer_days.len(),
                team_days.len()
            ),
        )
    }
}

fn describe_needs(ctx: &Context<'_>, d: usize) -> String {
    let req = &ctx.reqs[d];
    let specs: Vec<&str> = req.specialties.iter().map(|s| s.as_str()).collect();
    format!(
        "{} experts covering {} with a {}-tier lead",
        req.team_size,
        specs.join("+"),
        req.min_tier
    )
}

fn no_team_sentence(ctx: &Context<'_>, d: usize, open_days: &[usize]) -> String {
    let req = &ctx.reqs[d];
    let firm_id = &ctx.instance.enterprises[ctx.due.enterprise_index[d]].id;
    let eligible: Vec<usize> = (0..ctx.instance.experts.len())
        .filter(|&e| !ctx.avoids(e, d) && open_days.iter().any(|&day| ctx.expert_on_duty(e, day)))
        .collect();
    let covered = eligible.iter().fold(0u32, |m, &e| m | ctx.expert_masks[e]);
    let missing: Vec<&str> = req
        .specialties
        .iter()
        .filter(|s| covered & (1 << (**s as u32)) == 0)
        .map(|s| s.as_str())
        .collect();
    if !missing.is_empty() {
        return format!(
            "no certified, available expert without a conflict of interest with {firm_id} has the specialty {}",
            missing.join(", ")
        );
    }
    if !eligible.iter().any(|&e| ctx.tier(e) >= req.min_tier) {
        return format!(
            "{firm_id} needs a {}-tier lead and every such expert is uncertified, unavailable or must avoid it",
            req.min_tier
        );
    }
    format!(
        "no team of at most {} experts covers {} for {firm_id} with a {}-tier lead",
        ctx.instance.policy.max_team,
        describe_needs(ctx, d),
        req.min_tier
    )
}
