//! Priority-order greedy construction: each due firm, most important first, goes where it
//! costs least: into an existing crew's day (adding experts if the crew lacks a specialty,
//! the lead tier or headcount) or into a new crew, on any sweep day.
//!
//! Moves are evaluated without mutating the state ([`best_move`]) and applied separately
//! ([`State::apply`]); days are evaluated in parallel and the cheapest move wins, ties
//! broken by day index, so the result does not depend on the thread count.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::context::{Context, SpecialtyMask};
use crate::objective::{self, CrewView, rotation, tier_scarcity};
use crate::route::{DayTimes, best_insertion, schedule};
use crate::rules;
use crate::rules::budget::Spend;

/// One crew on one day.
#[derive(Debug, Clone)]
pub struct CrewState {
    /// Sweep-day index.
    pub day: usize,
    /// Officer index.
    pub officer: usize,
    /// Expert indices.
    pub experts: Vec<usize>,
    /// Due-list indices in visiting order: the firms of `times.path`, kept beside it as a
    /// slice because the objective and every ruin operator read it (`State::rebuild`
    /// asserts in debug builds that the two agree).
    pub route: Vec<usize>,
    /// Timing of the route.
    pub times: DayTimes,
    /// The objective's search cost of this crew-day ([`objective::crew_cost`]).
    pub cost: f64,
}

impl CrewState {
    /// The crew as the objective sees it.
    pub fn view(&self) -> CrewView<'_> {
        CrewView {
            day: self.day,
            officer: self.officer,
            experts: &self.experts,
            route: &self.route,
            km: self.times.km,
        }
    }
}

/// The roster being built.
#[derive(Clone)]
pub struct State {
    /// All crews.
    pub crews: Vec<CrewState>,
    /// Crew indices per sweep day.
    pub by_day: Vec<Vec<usize>>,
    /// Days used per expert.
    pub expert_used: Vec<u32>,
    /// Days used per officer.
    pub officer_used: Vec<u32>,
    /// `expert_busy[day][e]`: expert already in a crew that day.
    pub expert_busy: Vec<Vec<bool>>,
    /// `officer_busy[day][o]`: officer already out that day.
    pub officer_busy: Vec<Vec<bool>>,
    /// For each due firm, the crew it is in.
    pub placed: Vec<Option<usize>>,
    /// What the crews spend (`rules::budget`).
    pub spent: Spend,
    /// The share of the policy's budget moves may spend up to: 1, or 1.1 when asking what
    /// ten per cent more would buy.
    pub budget_scale: f64,
}

/// A way to place one firm.
#[derive(Debug, Clone)]
pub struct Move {
    /// The change of the objective's search cost.
    cost: f64,
    /// The search cost of the crew-day after the move.
    crew_cost: f64,
    day: usize,
    kind: MoveKind,
    times: DayTimes,
    /// What the move adds to the roster's spending: CNY and expert-days.
    money: f64,
    expert_days: i64,
}

#[derive(Debug, Clone)]
enum MoveKind {
    Insert {
        crew: usize,
        added: Vec<usize>,
        /// Members released from the crew for the day: one who must avoid the firm, or
        /// one a team chosen again no longer needs.
        removed: Vec<usize>,
    },
    Open {
        officer: usize,
        experts: Vec<usize>,
    },
}

impl Move {
    /// What the move adds to the roster's spending: CNY and expert-days.
    pub fn spending(&self) -> (f64, i64) {
        (self.money, self.expert_days)
    }
}

impl State {
    /// An empty roster for the context.
    pub fn new(ctx: &Context<'_>) -> State {
        let days = ctx.days.len();
        State {
            crews: Vec::new(),
            by_day: vec![Vec::new(); days],
            expert_used: vec![0; ctx.instance.experts.len()],
            officer_used: vec![0; ctx.instance.officers.len()],
            expert_busy: vec![vec![false; ctx.instance.experts.len()]; days],
            officer_busy: vec![vec![false; ctx.instance.officers.len()]; days],
            placed: vec![None; ctx.due_count()],
            spent: Spend::default(),
            budget_scale: 1.0,
        }
    }

    /// A state holding exactly these crews, with every booking recomputed.
    pub fn rebuild(ctx: &Context<'_>, crews: Vec<CrewState>) -> State {
        let mut state = State::new(ctx);
        for crew in crews {
            debug_assert_eq!(
                crew.route,
                crew.times.firms(),
                "a crew's route is its day's"
            );
            for &e in &crew.experts {
                state.book_expert(e, crew.day);
            }
            state.spent = state.spent.plus(
                objective::money(ctx, &crew.view()),
                crew.experts.len() as i64,
            );
            state.officer_busy[crew.day][crew.officer] = true;
            state.officer_used[crew.officer] += 1;
            let index = state.crews.len();
            for &d in &crew.route {
                state.placed[d] = Some(index);
            }
            state.by_day[crew.day].push(index);
            state.crews.push(crew);
        }
        state
    }

    /// Whether a move that adds `money` CNY and `expert_days` keeps the budget (at
    /// [`State::budget_scale`]).
    pub fn may_spend(&self, ctx: &Context<'_>, money: f64, expert_days: i64) -> bool {
        rules::budget::within(ctx, self.spent.plus(money, expert_days), self.budget_scale)
    }

    /// Whether expert `e` can join a crew on `day`.
    pub fn expert_free(&self, ctx: &Context<'_>, e: usize, day: usize) -> bool {
        !self.expert_busy[day][e]
            && rules::people::room_for_a_day(self.expert_used[e], ctx.expert_max[e])
            && rules::people::expert_on_duty(ctx, e, day)
    }

    /// Whether officer `o` can lead a new crew on `day`.
    pub fn officer_free(&self, ctx: &Context<'_>, o: usize, day: usize) -> bool {
        !self.officer_busy[day][o]
            && rules::people::room_for_a_day(self.officer_used[o], ctx.officer_max[o])
            && rules::people::officer_on_duty(ctx, o, day)
            && rules::workload::officer_may_add(ctx, |t| self.officer_busy[t][o], day)
    }

    fn book_expert(&mut self, e: usize, day: usize) {
        self.expert_busy[day][e] = true;
        self.expert_used[e] += 1;
    }

    /// Places due firm `d` as the move says.
    pub fn apply(&mut self, d: usize, mv: Move) {
        self.spent = self.spent.plus(mv.money, mv.expert_days);
        let crew_index = match mv.kind {
            MoveKind::Insert {
                crew,
                added,
                removed,
            } => {
                for &e in &added {
                    self.book_expert(e, mv.day);
                }
                for &e in &removed {
                    self.expert_busy[mv.day][e] = false;
                    self.expert_used[e] -= 1;
                }
                let c = &mut self.crews[crew];
                c.experts.retain(|e| !removed.contains(e));
                c.experts.extend(added);
                c.route = mv.times.firms();
                c.times = mv.times;
                c.cost = mv.crew_cost;
                crew
            }
            MoveKind::Open { officer, experts } => {
                for &e in &experts {
                    self.book_expert(e, mv.day);
                }
                self.officer_busy[mv.day][officer] = true;
                self.officer_used[officer] += 1;
                self.crews.push(CrewState {
                    day: mv.day,
                    officer,
                    experts,
                    route: vec![d],
                    times: mv.times,
                    cost: mv.crew_cost,
                });
                self.by_day[mv.day].push(self.crews.len() - 1);
                self.crews.len() - 1
            }
        };
        self.placed[d] = Some(crew_index);
    }
}

/// The cheapest way to place due firm `d`, over all sweep days, or `None`.
pub fn best_move(ctx: &Context<'_>, state: &State, d: usize) -> Option<Move> {
    (0..ctx.days.len())
        .into_par_iter()
        .filter(|&day| rules::may_visit_on(ctx, d, day))
        .filter_map(|day| best_move_on_day(ctx, state, d, day))
        .min_by(compare_moves)
}

/// Every way to place due firm `d` (each crew it could join, each officer who could take
/// it in a new crew, on each sweep day), cheapest first.
pub fn all_moves(ctx: &Context<'_>, state: &State, d: usize) -> Vec<Move> {
    let mut moves: Vec<Move> = (0..ctx.days.len())
        .into_par_iter()
        .filter(|&day| rules::may_visit_on(ctx, d, day))
        .flat_map_iter(|day| {
            let mut on_day = Vec::new();
            moves_on_day(ctx, state, d, day, &mut |mv| on_day.push(mv));
            on_day
        })
        .collect();
    moves.sort_by(compare_moves);
    moves
}

fn compare_moves(a: &Move, b: &Move) -> Ordering {
    a.cost.total_cmp(&b.cost).then(a.day.cmp(&b.day))
}

fn best_move_on_day(ctx: &Context<'_>, state: &State, d: usize, day: usize) -> Option<Move> {
    let mut best: Option<Move> = None;
    moves_on_day(ctx, state, d, day, &mut |mv: Move| {
        if best
            .as_ref()
            .is_none_or(|b| compare_moves(&mv, b) == Ordering::Less)
        {
            best = Some(mv);
        }
    });
    best
}

/// Hands every way to place due firm `d` on sweep day `day` to `consider`.
fn moves_on_day(
    ctx: &Context<'_>,
    state: &State,
    d: usize,
    day: usize,
    consider: &mut dyn FnMut(Move),
) {
    // Into an existing crew of the day, priced by the change of the crew-day's cost. A
    // member who must avoid the firm leaves the crew, and the team is made whole again for
    // every firm of the route (the crew re-forms).
    for &c in &state.by_day[day] {
        let crew = &state.crews[c];
        if !rules::scope::serves(ctx, crew.officer, d) {
            continue;
        }
        let Some(base) = ctx.officer_loc[crew.officer] else {
            continue;
        };
        // Timing first: it is cheap and rules out most crews.
        let Some(times) = best_insertion(ctx, base, &crew.times, d) else {
            continue;
        };
        let route = times.firms();
        let (kept, removed): (Vec<usize>, Vec<usize>) = crew
            .experts
            .iter()
            .partition(|&&e| !rules::avoidance::avoids(ctx, e, d));
        let added = if removed.is_empty() {
            complete_team(ctx, state, day, d, &crew.experts, &route)
        } else {
            reform_team(ctx, state, day, &kept, &route)
        };
        // A team that cannot grow into one for the firm within max_team may still be
        // chosen again as a whole: the members it no longer needs leave.
        let (added, removed) = match added {
            Some(added) => (added, removed),
            None => match reteam(ctx, state, day, &crew.experts, &route) {
                Some(change) => change,
                None => continue,
            },
        };
        let mut experts: Vec<usize> = crew
            .experts
            .iter()
            .copied()
            .filter(|e| !removed.contains(e))
            .collect();
        experts.extend_from_slice(&added);
        let view = CrewView {
            day,
            officer: crew.officer,
            experts: &experts,
            route: &route,
            km: times.km,
        };
        let money = objective::money(ctx, &view) - objective::money(ctx, &crew.view());
        let expert_days = added.len() as i64 - removed.len() as i64;
        if !state.may_spend(ctx, money, expert_days) {
            continue;
        }
        let crew_cost = objective::crew_cost(ctx, &view);
        consider(Move {
            cost: crew_cost - crew.cost,
            crew_cost,
            day,
            kind: MoveKind::Insert {
                crew: c,
                added,
                removed,
            },
            times,
            money,
            expert_days,
        });
    }

    // A new crew led by a free officer who serves the firm's district, unless the day's
    // crews are at what the last week's reserve leaves. The team does not depend on the
    // officer, so it is chosen once for the day.
    if state.by_day[day].len() >= rules::reserve::most_crews(ctx, day) {
        return;
    }
    let mut team: Option<Option<Vec<usize>>> = None;
    for o in 0..ctx.instance.officers.len() {
        if !rules::scope::serves(ctx, o, d) || !state.officer_free(ctx, o, day) {
            continue;
        }
        let Some(base) = ctx.officer_loc[o] else {
            continue;
        };
        let Some(times) = schedule(ctx, base, &[d]) else {
            continue;
        };
        let Some(experts) = team
            .get_or_insert_with(|| complete_team(ctx, state, day, d, &[], &[d]))
            .clone()
        else {
            break;
        };
        let view = CrewView {
            day,
            officer: o,
            experts: &experts,
            route: &[d],
            km: times.km,
        };
        let money = objective::money(ctx, &view);
        let expert_days = experts.len() as i64;
        if !state.may_spend(ctx, money, expert_days) {
            continue;
        }
        let crew_cost = objective::crew_cost(ctx, &view);
        consider(Move {
            // A new crew also crowds its day.
            cost: crew_cost + objective::daily_load::added(state.by_day[day].len()),
            crew_cost,
            day,
            kind: MoveKind::Open {
                officer: o,
                experts,
            },
            times,
            money,
            expert_days,
        });
    }
}

/// The experts to add to `kept` so that the crew qualifies for every firm of `route` and
/// may visit each of them, or `None`: the team of a crew some of whose members had to go.
fn reform_team(
    ctx: &Context<'_>,
    state: &State,
    day: usize,
    kept: &[usize],
    route: &[usize],
) -> Option<Vec<usize>> {
    let mut team = kept.to_vec();
    for &f in route {
        let more = complete_team(ctx, state, day, f, &team, route)?;
        team.extend(more);
    }
    Some(team.split_off(kept.len()))
}

/// The whole team of a crew chosen again for every firm of `route` on `day`, from its
/// `members` and the experts free that day: the smallest cover of all the route's
/// specialties and its highest lead tier ([`rules::qualification::smallest_cover_of_all`]),
/// members preferred, then padded to the largest team size the route needs. `None` if no
/// such team fits max_team; else the experts who join and the members who leave.
fn reteam(
    ctx: &Context<'_>,
    state: &State,
    day: usize,
    members: &[usize],
    route: &[usize],
) -> Option<(Vec<usize>, Vec<usize>)> {
    let required = rules::seat::route_mask(ctx, route);
    let may_join = |e: usize| {
        rules::avoidance::may_join(ctx, e, route) && rules::seat::earns(ctx, e, required)
    };
    let mut free: Vec<usize> = (0..ctx.instance.experts.len())
        .filter(|&e| !members.contains(&e) && state.expert_free(ctx, e, day) && may_join(e))
        .collect();
    free.sort_by(|&a, &b| {
        ctx.day_rates[a]
            .total_cmp(&ctx.day_rates[b])
            .then(a.cmp(&b))
    });
    let pool: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&e| may_join(e))
        .chain(free)
        .collect();
    let mut team = rules::qualification::smallest_cover_of_all(ctx, route, &[], &pool)?;
    let size = route.iter().map(|&f| ctx.reqs[f].team_size).max()? as usize;
    // Headcount from the pool in its order: members first, then the cheapest.
    for &e in &pool {
        if team.len() >= size {
            break;
        }
        if !team.contains(&e) {
            team.push(e);
        }
    }
    if !route
        .iter()
        .all(|&f| rules::qualification::team_qualifies(ctx, &team, f))
    {
        return None;
    }
    let added = team
        .iter()
        .copied()
        .filter(|e| !members.contains(e))
        .collect();
    let removed = members
        .iter()
        .copied()
        .filter(|e| !team.contains(e))
        .collect();
    Some((added, removed))
}

/// The experts to add to `current` so that the crew qualifies for firm `d` and may visit
/// every firm in `route_firms` (avoidance), or `None` if no such set fits the team limit.
///
/// Greedy: first a lead of the needed tier covering the most missing specialties, then
/// whoever covers the most still-missing specialties (ties to the cheaper, less-used,
/// lower-index expert), then, to reach the team size, whoever's specialties are least in
/// demand ([`Context::expert_demand`]), then the cheapest. A greedy cover that does not fit
/// `max_team` beside the crew's members gives way to the smallest cover
/// ([`rules::qualification::smallest_cover`]), so that a team is found whenever one exists.
pub fn complete_team(
    ctx: &Context<'_>,
    state: &State,
    day: usize,
    d: usize,
    current: &[usize],
    route_firms: &[usize],
) -> Option<Vec<usize>> {
    let req = &ctx.reqs[d];
    let mut missing: SpecialtyMask =
        ctx.req_masks[d] & !current.iter().fold(0, |m, &e| m | ctx.expert_masks[e]);
    let mut need_lead = current.iter().all(|&e| ctx.tier(e) < req.min_tier);
    let mut size = current.len();
    if missing == 0 && !need_lead && size >= req.team_size as usize {
        return Some(Vec::new());
    }

    // Every expert earns their seat: the day's specialties are the route's and `d`'s.
    let required = rules::seat::route_mask(ctx, route_firms) | ctx.req_masks[d];
    let eligible = |e: &usize| {
        state.expert_free(ctx, *e, day)
            && !current.contains(e)
            && rules::avoidance::may_join(ctx, *e, route_firms)
            && rules::seat::earns(ctx, *e, required)
    };
    let mut candidates: Vec<usize> = (0..ctx.instance.experts.len()).filter(eligible).collect();
    let key = |e: usize| {
        let utilisation = state.expert_used[e] as f64 / ctx.expert_max[e].max(1) as f64;
        let scarce = tier_scarcity::above(ctx.tier(e), req.min_tier);
        let rotation = if rotation::recent(ctx, e, d) {
            rotation::PENALTY
        } else {
            0.0
        };
        (ctx.day_rates[e] + scarce + rotation, utilisation)
    };
    let mut added = Vec::new();
    let take = |pick: Option<usize>,
                candidates: &mut Vec<usize>,
                missing: &mut SpecialtyMask,
                added: &mut Vec<usize>|
     -> Option<()> {
        let e = pick?;
        candidates.retain(|&c| c != e);
        *missing &= !ctx.expert_masks[e];
        added.push(e);
        Some(())
    };
    let better = |a: usize, b: usize, missing: SpecialtyMask| -> bool {
        let (ca, cb) = (
            (ctx.expert_masks[a] & missing).count_ones(),
            (ctx.expert_masks[b] & missing).count_ones(),
        );
        let (ka, kb) = (key(a), key(b));
        ca > cb
            || (ca == cb
                && (ka.0 < kb.0 || (ka.0 == kb.0 && (ka.1 < kb.1 || (ka.1 == kb.1 && a < b)))))
    };
    let pick = |candidates: &[usize], missing: SpecialtyMask, filter: &dyn Fn(usize) -> bool| {
        candidates
            .iter()
            .copied()
            .filter(|&e| filter(e))
            .reduce(|a, b| if better(b, a, missing) { b } else { a })
    };

    if need_lead {
        let lead = pick(&candidates, missing, &|e| ctx.tier(e) >= req.min_tier);
        take(lead, &mut candidates, &mut missing, &mut added)?;
        need_lead = false;
        size += 1;
    }
    while missing != 0 {
        let next = pick(&candidates, missing, &|e| {
            ctx.expert_masks[e] & missing != 0
        });
        take(next, &mut candidates, &mut missing, &mut added)?;
        size += 1;
    }
    if size > ctx.instance.policy.max_team as usize {
        // The greedy cover does not fit the team limit beside the crew's members; the
        // smallest cover (exact), from the same experts by the same preference, may.
        let mut free: Vec<usize> = (0..ctx.instance.experts.len()).filter(eligible).collect();
        free.sort_by(|&a, &b| {
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(Ordering::Equal)
                .then(a.cmp(&b))
        });
        added = rules::qualification::smallest_cover(ctx, d, current, &free)?;
        free.retain(|e| !added.contains(e));
        candidates = free;
        size = current.len() + added.len();
    }
    while size < req.team_size as usize {
        // Headcount: whoever is least in demand, so that a holder of a scarce specialty or
        // tier is not spent where nobody needs it; then as above.
        let next = candidates.iter().copied().reduce(|a, b| {
            let (da, db) = (ctx.expert_demand[a], ctx.expert_demand[b]);
            if db < da - 1e-12 || ((db - da).abs() <= 1e-12 && better(b, a, 0)) {
                b
            } else {
                a
            }
        });
        take(next, &mut candidates, &mut missing, &mut added)?;
        size += 1;
    }
    debug_assert!(!need_lead && size == current.len() + added.len());
    // The builder proposes; whether the team may make the visit is the one rule's.
    let team: Vec<usize> = current.iter().chain(&added).copied().collect();
    rules::qualification::team_qualifies(ctx, &team, d).then_some(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instance, Specialty, Tier, Title};

    #[test]
    fn a_crew_whose_team_cannot_grow_for_a_firm_is_formed_again_to_take_it() {
        let mut instance: Instance =
            serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads");
        instance.policy.min_team = 2;
        instance.policy.max_team = 2;
        let ctx = Context::new(&instance).unwrap();
        let (f1, f2) = (ctx.due_index("F1").unwrap(), ctx.due_index("F2").unwrap());
        let (e1, e2, e3) = (0, 1, 2);
        // Day 0: the construction site F1 with E3 (construction) and E2 (electrical). The
        // shopping centre F2 needs fire safety as well, which neither holds, and the crew
        // is full; E1 (construction, fire safety) with E2 can do both.
        let base = ctx.officer_loc[0].unwrap();
        let times = schedule(&ctx, base, &[f1]).expect("F1 fits a day");
        let mut crew = CrewState {
            day: 0,
            officer: 0,
            experts: vec![e3, e2],
            route: times.firms(),
            times,
            cost: 0.0,
        };
        crew.cost = objective::crew_cost(&ctx, &crew.view());
        let mut state = State::rebuild(&ctx, vec![crew]);
        assert!(complete_team(&ctx, &state, 0, f2, &[e3, e2], &[f1, f2]).is_none());
        let join = all_moves(&ctx, &state, f2)
            .into_iter()
            .find(|mv| mv.day == 0 && matches!(mv.kind, MoveKind::Insert { crew: 0, .. }))
            .expect("F2 can join the day's crew once its team is formed again");
        state.apply(f2, join);
        let mut team = state.crews[0].experts.clone();
        team.sort_unstable();
        assert_eq!(team, vec![e1, e2]);
        for f in [f1, f2] {
            assert!(rules::qualification::team_qualifies(&ctx, &team, f));
        }
        assert!(
            !state.expert_busy[0][e3],
            "E3 left the crew and is free that day"
        );
        assert_eq!(state.expert_used[e3], 0);
    }

    #[test]
    fn a_team_too_large_by_the_greedy_cover_is_made_by_the_smallest_one() {
        use Specialty::*;
        let mut instance: Instance =
            serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads");
        instance.policy.max_team = 4;
        // F1 needs four specialties. The crew already holds X1 (provincial) and X2, who
        // bring none of them. The cheapest expert, E1, holds the middle two: a greedy
        // cover takes E1 and then needs E2 and E3 (five in the crew, over the limit); E2
        // and E3 alone hold all four.
        instance.enterprises[0].required_specialties =
            Some(vec![Construction, FireSafety, Electrical, Gas]);
        let template = instance.experts[0].clone();
        let expert = |id: &str, tier: Tier, title: Title, specialties: Vec<Specialty>| {
            let mut e = template.clone();
            e.id = id.into();
            e.tier = tier;
            e.title = title;
            e.specialties = specialties;
            e
        };
        instance.experts = vec![
            expert("X1", Tier::Provincial, Title::Senior, vec![Transport]),
            expert("X2", Tier::City, Title::Senior, vec![Transport]),
            expert(
                "E1",
                Tier::City,
                Title::Intermediate,
                vec![FireSafety, Electrical],
            ),
            expert(
                "E2",
                Tier::City,
                Title::Senior,
                vec![Construction, FireSafety],
            ),
            expert("E3", Tier::City, Title::Senior, vec![Electrical, Gas]),
        ];
        let ctx = Context::new(&instance).unwrap();
        let f1 = ctx.due_index("F1").unwrap();
        let state = State::new(&ctx);
        let mut added = complete_team(&ctx, &state, 0, f1, &[0, 1], &[f1]).expect("a team fits");
        added.sort_unstable();
        assert_eq!(added, vec![3, 4]);
        assert!(rules::qualification::team_qualifies(
            &ctx,
            &[0, 1, 3, 4],
            f1
        ));
    }
}
