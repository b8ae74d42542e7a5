//! Rule 5: a crew's experts together hold every specialty a firm requires, and one of
//! them reaches its lead tier (with the crew's size, rule 2, that is a qualified team).

use std::collections::{HashMap, VecDeque};

use super::{Never, avoidance, crew, people};
use crate::context::{Context, SpecialtyMask};

/// Whether `experts` (distinct) qualify as a team for due firm `d`: they cover its
/// specialties, one reaches its lead tier, and their number fits (rule 2).
pub fn team_qualifies(ctx: &Context<'_>, experts: &[usize], d: usize) -> bool {
    let held = experts.iter().fold(0, |m, &e| m | ctx.expert_masks[e]);
    held & ctx.req_masks[d] == ctx.req_masks[d]
        && experts.iter().any(|&e| ctx.tier(e) >= ctx.reqs[d].min_tier)
        && crew::size_fits(ctx, experts.len(), d)
}

/// The team leader (组长) of a crew of `experts` visiting `route` (due indices): a member
/// who reaches the highest lead tier of the route's firms, preferring one who holds the
/// primary specialty (`requirements::primary_specialty`) of the route's most important
/// firm (the first in the due list), then the higher tier, then the registry's order.
/// `None` when no member reaches the tier (the crew is then no qualified team).
pub fn lead(ctx: &Context<'_>, experts: &[usize], route: &[usize]) -> Option<usize> {
    let min_tier = route.iter().map(|&d| ctx.reqs[d].min_tier).max()?;
    let primary = route
        .iter()
        .min()
        .and_then(|&d| crate::requirements::primary_specialty(ctx.firm(d)));
    experts
        .iter()
        .copied()
        .filter(|&e| ctx.tier(e) >= min_tier)
        .max_by_key(|&e| {
            let holds = primary.is_some_and(|s| ctx.instance.experts[e].specialties.contains(&s));
            (holds, ctx.tier(e), std::cmp::Reverse(e))
        })
}

/// The fewest experts from `candidates` (in order of preference) to add to `current` so
/// that together they cover due firm `d`'s specialties and one reaches its lead tier, or
/// `None` if no set of them does. Exact: a breadth-first search over what is still
/// missing, where experts who bring the same are one choice (the first of them).
pub fn smallest_cover(
    ctx: &Context<'_>,
    d: usize,
    current: &[usize],
    candidates: &[usize],
) -> Option<Vec<usize>> {
    smallest_cover_of_all(ctx, &[d], current, candidates)
}

/// As [`smallest_cover`], for every firm of `firms` at once (a crew's day): together the
/// team covers all their specialties and one member reaches the highest of their lead
/// tiers (who then leads at each of them).
pub fn smallest_cover_of_all(
    ctx: &Context<'_>,
    firms: &[usize],
    current: &[usize],
    candidates: &[usize],
) -> Option<Vec<usize>> {
    let required = firms.iter().fold(0, |m, &d| m | ctx.req_masks[d]);
    let min_tier = firms.iter().map(|&d| ctx.reqs[d].min_tier).max()?;
    type Held = (SpecialtyMask, bool);
    let brings = |e: usize| -> Held { (ctx.expert_masks[e] & required, ctx.tier(e) >= min_tier) };
    let start: Held = current.iter().fold((0, false), |(m, l), &e| {
        let (bm, bl) = brings(e);
        (m | bm, l || bl)
    });
    let done = |h: Held| h.0 == required && h.1;
    if done(start) {
        return Some(Vec::new());
    }
    let mut kinds: Vec<(Held, usize)> = Vec::new();
    for &e in candidates {
        let b = brings(e);
        if (b.0 != 0 || b.1) && !kinds.iter().any(|(k, _)| *k == b) {
            kinds.push((b, e));
        }
    }
    let mut came_from: HashMap<Held, (Held, usize)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(held) = queue.pop_front() {
        for &((mask, lead), e) in &kinds {
            let next = (held.0 | mask, held.1 || lead);
            if next == held || next == start || came_from.contains_key(&next) {
                continue;
            }
            came_from.insert(next, (held, e));
            if done(next) {
                let mut team = Vec::new();
                let mut at = next;
                while at != start {
                    let (before, e) = came_from[&at];
                    team.push(e);
                    at = before;
                }
                team.reverse();
                return Some(team);
            }
            queue.push_back(next);
        }
    }
    None
}

/// The experts who could be in a team for due firm `d` on sweep day `day`: on duty, with
/// any days at all, and free of a conflict of interest with it.
pub fn pool_on(ctx: &Context<'_>, d: usize, day: usize) -> Vec<usize> {
    (0..ctx.instance.experts.len())
        .filter(|&e| {
            people::expert_on_duty(ctx, e, day)
                && people::expert_may_work(ctx, e)
                && !avoidance::avoids(ctx, e, d)
        })
        .collect()
}

/// Whether a qualified team for due firm `d` exists on sweep day `day` if every expert
/// on duty were free (exact). The seat rule (`rules::seat`) is not asked: whether a
/// member earns their seat depends on the other visits of the crew's day, so a firm that
/// passes here may still find no team, but one that fails here never has one.
pub fn team_exists_on(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    team_of(ctx, d, pool_on(ctx, d, day))
}

/// Whether a qualified team for due firm `d` alone exists on sweep day `day` in which
/// every expert earns their seat at `d` (`rules::seat`), if every expert on duty were free.
pub fn seated_team_exists_on(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    let mut pool = pool_on(ctx, d, day);
    pool.retain(|&e| super::seat::earns(ctx, e, ctx.req_masks[d]));
    team_of(ctx, d, pool)
}

/// Whether `pool` holds a qualified team for due firm `d` within `max_team`.
fn team_of(ctx: &Context<'_>, d: usize, pool: Vec<usize>) -> bool {
    let size = ctx.reqs[d].team_size as usize;
    pool.len() >= size
        && smallest_cover(ctx, d, &[], &pool)
            .is_some_and(|cover| crew::size_fits(ctx, cover.len().max(size), d))
}

/// `no_qualified_expert` when due firm `d` needs a specialty no expert in the pool holds
/// (validation warns of it, W2005).
pub fn never_in_pool(ctx: &Context<'_>, d: usize) -> Option<Never> {
    let pool = ctx.expert_masks.iter().fold(0, |m, &e| m | e);
    let missing = names(ctx, d, pool);
    (!missing.is_empty()).then(|| Never {
        code: "no_qualified_expert",
        message: format!(
            "{} needs the specialty {missing}, which no expert in the pool has; add such an expert, or override the firm's required_specialties",
            ctx.firm(d).id
        ),
    })
}

/// `no_qualified_team`: on none of the firm's sweep days `days` could a qualified team be
/// formed, even with every expert on duty free. The sentence names what is missing.
pub fn never_team(ctx: &Context<'_>, d: usize, days: &[usize]) -> Never {
    let req = &ctx.reqs[d];
    let firm_id = &ctx.firm(d).id;
    let max_team = ctx.instance.policy.max_team;
    let mut eligible: Vec<usize> = days.iter().flat_map(|&day| pool_on(ctx, d, day)).collect();
    eligible.sort_unstable();
    eligible.dedup();
    let covered = eligible.iter().fold(0, |m, &e| m | ctx.expert_masks[e]);
    let missing = names(ctx, d, covered);
    let message = if req.team_size > max_team {
        format!(
            "{firm_id} needs a team of {} experts, more than the policy's max_team of {max_team}",
            req.team_size
        )
    } else if !missing.is_empty() {
        format!(
            "no certified, available expert without a conflict of interest with {firm_id} has the specialty {missing}"
        )
    } else if !eligible.iter().any(|&e| ctx.tier(e) >= req.min_tier) {
        format!(
            "{firm_id} needs a {}-tier lead and every such expert is uncertified, unavailable or must avoid it",
            req.min_tier
        )
    } else {
        format!(
            "on none of its {} sweep days are there experts on duty who may check {firm_id} and together form a team of at most {max_team} ({})",
            days.len(),
            needs(ctx, d)
        )
    };
    Never {
        code: "no_qualified_team",
        message,
    }
}

/// The sentence of a firm for which no team of experts who each hold one of its
/// specialties can be formed on any of its sweep days (the seat rule), though one could
/// with headcount from anyone: who holds its specialties, and how to unblock it.
pub fn unseated(ctx: &Context<'_>, d: usize) -> String {
    let req = &ctx.reqs[d];
    let holders = ctx
        .instance
        .experts
        .iter()
        .enumerate()
        .filter(|&(e, _)| {
            super::seat::earns(ctx, e, ctx.req_masks[d])
                && people::expert_may_work(ctx, e)
                && !avoidance::avoids(ctx, e, d)
        })
        .count();
    format!(
        "{} needs a team of {} and every expert must hold one of its specialties ({}); only {holders} certified, available experts who may check it do, never {} on one of its sweep days. It can go with a visit of another specialty on the same day; or add such an expert, or set experts_cover_a_specialty = false",
        ctx.firm(d).id,
        req.team_size,
        specs(ctx, d),
        req.team_size
    )
}

/// The firm's required specialties, joined by "+".
fn specs(ctx: &Context<'_>, d: usize) -> String {
    let specs: Vec<&str> = ctx.reqs[d].specialties.iter().map(|s| s.as_str()).collect();
    specs.join("+")
}

/// What a team for due firm `d` needs, as a phrase: "3 experts covering process+equipment
/// with a provincial-tier lead", and with the seat rule (`rules::seat`) ", each holding
/// one of them (or a specialty of another visit of the day)".
pub fn needs(ctx: &Context<'_>, d: usize) -> String {
    let req = &ctx.reqs[d];
    let each = if ctx.instance.policy.experts_cover_a_specialty {
        ", each holding one of them (or a specialty of another visit of the crew's day)"
    } else {
        ""
    };
    format!(
        "{} experts covering {} with a {}-tier lead{each}",
        req.team_size,
        specs(ctx, d),
        req.min_tier
    )
}

/// The required specialties of due firm `d` that `held` lacks, comma-separated.
fn names(ctx: &Context<'_>, d: usize, held: SpecialtyMask) -> String {
    let missing: Vec<&str> = ctx.reqs[d]
        .specialties
        .iter()
        .filter(|s| held & (1 << (**s as u32)) == 0)
        .map(|s| s.as_str())
        .collect();
    missing.join(", ")
}
