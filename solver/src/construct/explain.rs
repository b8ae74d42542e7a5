//! Why a due firm was not scheduled: first a rule that rules it out whatever else is
//! planned ([`rules::never`]: closed, no officer, a specialty nobody in the pool holds, no
//! qualified team, too far, officers and teams never on duty together), then the capacity
//! the roster spent elsewhere.

use super::greedy::{State, complete_team};
use crate::context::Context;
use crate::rules;

/// The roster's state with the budget lifted, when the policy has a budget: what
/// [`explain`] asks whether only the budget kept a firm out. Made once per roster.
pub fn unlimited(ctx: &Context<'_>, state: &State) -> Option<State> {
    ctx.instance.policy.budget.is_some().then(|| {
        let mut unlimited = state.clone();
        unlimited.budget_scale = 1e12;
        unlimited
    })
}

/// A reason code and a sentence naming the constraint; `unlimited` is the state from
/// [`unlimited`].
pub fn explain(
    ctx: &Context<'_>,
    state: &State,
    unlimited: Option<&State>,
    d: usize,
) -> (&'static str, String) {
    if let Some(never) = rules::never(ctx, d) {
        return (never.code, never.message);
    }
    let firm = ctx.firm(d);
    // A way in that only the budget stands in the way of: the budget is the reason.
    if let Some(mv) = unlimited.and_then(|u| super::greedy::best_move(ctx, u, d)) {
        return ("budget", over_budget(ctx, state, d, &mv));
    }
    let open_days = rules::visit_days(ctx, d);
    let serving = rules::scope::serving(ctx, d);
    let free_days: Vec<usize> = open_days
        .iter()
        .copied()
        .filter(|&day| serving.iter().any(|&o| state.officer_free(ctx, o, day)))
        .collect();
    // Days a free officer could still open a crew on, past the last week's reserve.
    let officer_days: Vec<usize> = free_days
        .iter()
        .copied()
        .filter(|&day| state.by_day[day].len() < rules::reserve::most_crews(ctx, day))
        .collect();
    if !free_days.is_empty() && officer_days.is_empty() {
        return (
            "last_week_reserve",
            format!(
                "an officer who may visit {} was free only on {} sweep days of the horizon's last week, whose crews are at what keeping {:.0} % of the officers in reserve (policy.last_week_reserve) leaves",
                firm.id,
                free_days.len(),
                ctx.instance.policy.last_week_reserve * 100.0
            ),
        );
    }
    let team_days: Vec<usize> = open_days
        .iter()
        .copied()
        .filter(|&day| complete_team(ctx, state, day, d, &[], &[d]).is_some())
        .collect();
    let needs = rules::qualification::needs(ctx, d);
    // The seat rule is the one rule `rules::never` leaves open (a member may earn their
    // seat through another visit of the day): a firm no team of its own specialists can
    // visit on any day says so, rather than blaming the other crews.
    if team_days.is_empty()
        && ctx.instance.policy.experts_cover_a_specialty
        && !open_days
            .iter()
            .any(|&day| rules::qualification::seated_team_exists_on(ctx, d, day))
    {
        return ("no_qualified_team", rules::qualification::unseated(ctx, d));
    }
    if officer_days.is_empty() {
        (
            "officer_capacity",
            format!(
                "every officer who may visit {} (district {}) was already out, at max_days or at the week's or the run's limit of days out on all {} open sweep days",
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

/// The sentence of a firm the budget left out: what its cheapest way in would add, and
/// what is left.
fn over_budget(ctx: &Context<'_>, state: &State, d: usize, mv: &super::greedy::Move) -> String {
    let budget = ctx.instance.policy.budget.unwrap_or_default();
    let (cny, days) = mv.spending();
    let mut left = Vec::new();
    if let Some(limit) = budget.cny {
        left.push(format!("{:.0} CNY", (limit - state.spent.cny).max(0.0)));
    }
    if let Some(limit) = budget.expert_days {
        left.push(format!(
            "{} expert-days",
            limit.saturating_sub(state.spent.expert_days)
        ));
    }
    format!(
        "the budget is spent: visiting {} would cost a further {cny:.0} CNY and {days} expert-days, and {} of the budget are left; raise policy.budget to schedule it",
        ctx.firm(d).id,
        left.join(" and ")
    )
}
