//! Pricing: the crew-day of one officer with the highest reduced cost.
//!
//! A crew-day of officer `o` is a route from `o`'s base (timed as `route::schedule` times
//! it: leave at the day's start, wait on site for opening, back by the day's end) on a day
//! the officer is on duty and all its firms are open, with the cheapest team for its needs
//! ([`Teams`]). Its value is the sum of its firms' gains (`w_f/W − σ_f`, at least 0) less its team's price.
//!
//! A depth-first search over routes of firms with a positive gain finds the best one exactly:
//! adding a firm never makes the team cheaper (without the seat rule, [`Teams::price`]),
//! so a prefix's team price is a lower bound for every extension's (seated or not), and the firms that could still follow fit in the minutes left,
//! each taking at least its minutes on site plus half its shortest legs in and out, which
//! bounds what they can add (a fractional knapsack). A prefix that reaches a (set, last firm) later
//! than an earlier one is dominated. Firms without gain add nothing and only tighten a
//! route's needs and time, so leaving them out is exact when legs obey the triangle
//! inequality (road networks and great-circle distances do). Seated ([`Officer::seated`]:
//! crew-days worth their value less a team that keeps the seat rule) they are searched
//! too, since one may let a cheaper expert earn a seat; pruning stays on the unseated
//! price, which is never above the seated price of any extension.
//!
//! The lunch break (`rules::lunch`) is timed as `route::schedule` times it: a prefix is
//! fed (the break taken on the way, or a meal at the base before leaving) or not yet, a
//! firm may come next either way, and a fed prefix serves everything a later or equal
//! unfed one with the same firms and last firm does; a crew-day counts only if the crew
//! may then drive home ([`Search::may_go_home`]).
//!
//! A node budget keeps the search bounded; when it runs out, the bounds of the prefixes
//! left unexplored still give a valid upper bound on the best reduced cost.
//!
//! [`enumerate`] is the same search asked for every crew-day (every set of firms) whose
//! reduced cost at its cheapest team is above a threshold, firms without gain included,
//! for closing a small month exactly (see `exact`).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::teams::{Need, Teams};
use crate::context::Context;
use crate::rules::lunch::{self, Lunch};
use crate::rules::timing::{self, reach, reach_with_break};

/// A crew-day found by pricing.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// Due firms, sorted.
    pub firms: Vec<usize>,
    /// The same firms in an order a crew can visit them in (on any of `need.days`).
    pub route: Vec<usize>,
    /// What its team must be.
    pub need: Need,
    /// Reduced cost.
    pub value: f64,
}

/// What pricing one officer gives.
#[derive(Debug)]
pub(super) struct Priced {
    /// The best crew-days found (at most [`KEEP`]), best first.
    pub found: Vec<Found>,
    /// An upper bound on every crew-day's reduced cost (−∞ if none is feasible).
    pub upper: f64,
}

/// Crew-days kept per officer and pricing round.
const KEEP: usize = 8;

/// What the search needs about one officer and the master's prices.
pub(super) struct Officer<'a> {
    pub ctx: &'a Context<'a>,
    pub officer: usize,
    /// Due firms this officer could visit at all (served, possible, a single visit fits).
    pub firms: &'a [usize],
    /// The least minutes each of those firms takes of a crew's day: on site, plus half the
    /// shortest leg in and half the shortest leg out (every leg of a route is at least
    /// half the shortest leg out of its start plus half the shortest leg into its end).
    pub least_minutes: &'a [f64],
    /// From each place (0 the base, `i + 1` firm `i`), the legs to the firms, as
    /// (minutes, index into `firms`), shortest first.
    pub near: &'a [Vec<(u32, u32)>],
    /// Minutes home to the base from each firm (`u32::MAX`: no road).
    pub home: &'a [u32],
    /// The shortest visit among the firms, minutes on site.
    pub shortest_visit: u32,
    /// Sweep days (bits) each due firm is open.
    pub open_days: &'a [u64],
    /// Sweep days (bits) the officer is on duty.
    pub duty: u64,
    /// What a crew-day earns by visiting each due firm: its weight less its price, ≥ 0 when
    /// pricing, and as it is (negative too) for [`enumerate`].
    pub gain: &'a [f64],
    /// The master's price of one of this officer's days: a crew-day is worth adding only
    /// when its firms' prices less its team's exceed it.
    pub alpha: f64,
    /// Whether crew-days are worth their seated team's price (`Teams::seated_price`), firms
    /// without gain then explored too: one may let a cheaper expert earn a seat.
    pub seated: bool,
}

struct Node {
    route: Vec<usize>,
    /// Where the crew is: 0 the base, `i + 1` the officer's firm `i`.
    from: usize,
    clock: u32,
    /// Whether the crew has had its lunch break (or ate at the base before leaving).
    fed: bool,
    /// The latest departure from the base for the route so far.
    depart: u32,
    value: f64,
    need: Need,
}

struct Search<'a, 'b> {
    o: &'b Officer<'a>,
    teams: &'b mut Teams<'a>,
    lunch: Option<Lunch>,
    /// Per (set of firms, last firm): the soonest end of its check without the break so
    /// far, and with it (which serves every extension the first does).
    seen: HashMap<(Vec<usize>, usize), (u32, u32)>,
    nodes: usize,
    budget: usize,
    found: Vec<Found>,
    upper: f64,
    /// `Some(threshold)`: find every crew-day worth more than it, not the best few.
    every_above: Option<f64>,
    /// The sets found so far, when finding every one.
    sets: HashSet<Vec<usize>>,
    /// Whether the node budget ran out.
    cut_short: bool,
}

/// A firm that can be the next stop: due index, end of its visit, days left, whether the
/// crew has had its break by then, and its latest departure.
struct Next {
    firm: usize,
    position: usize,
    end: u32,
    days: u64,
    fed: bool,
    depart: u32,
}

/// A fractional knapsack over the next stops: what they could add within some minutes,
/// each taking at least its `least_minutes` of the day.
struct Knapsack {
    /// (minutes, value) prefix sums and value per minute, by value per minute descending.
    prefix: Vec<(f64, f64, f64)>,
}

impl Knapsack {
    /// From (minutes, value) items already in value-per-minute order, best first.
    fn new(items: impl Iterator<Item = (f64, f64)>) -> Knapsack {
        let (mut minutes, mut value) = (0.0, 0.0);
        let prefix = items
            .into_iter()
            .map(|(m, v)| {
                minutes += m;
                value += v;
                (minutes, value, v / m)
            })
            .collect();
        Knapsack { prefix }
    }

    fn value(&self, minutes: f64) -> f64 {
        let k = &self.prefix;
        let i = k.partition_point(|(m, _, _)| *m <= minutes);
        let (used, whole) = if i == 0 {
            (0.0, 0.0)
        } else {
            (k[i - 1].0, k[i - 1].1)
        };
        whole + k.get(i).map_or(0.0, |(_, _, r)| (minutes - used) * r)
    }
}

/// The best crew-days of one officer at the given prices, within `budget` search nodes.
pub(super) fn price<'a>(o: &Officer<'a>, teams: &mut Teams<'a>, budget: usize) -> Priced {
    if o.ctx.officer_loc[o.officer].is_none() {
        return Priced {
            found: Vec::new(),
            upper: f64::NEG_INFINITY,
        };
    };
    let mut search = Search::new(o, teams, budget, None);
    search.run();
    let best = search.found.first().map_or(f64::NEG_INFINITY, |f| f.value);
    Priced {
        upper: search.upper.max(best),
        found: search.found,
    }
}

/// Every crew-day of one officer whose firms' gains (here the true `w_f/W − σ_f`, which
/// may be negative) less its cheapest team's price exceed `threshold`, each set of firms
/// once; `None` when `budget` search nodes do not suffice to find them all.
pub(super) fn enumerate<'a>(
    o: &Officer<'a>,
    teams: &mut Teams<'a>,
    threshold: f64,
    budget: usize,
) -> Option<Vec<Found>> {
    if o.ctx.officer_loc[o.officer].is_none() {
        return Some(Vec::new());
    }
    let mut search = Search::new(o, teams, budget, Some(threshold));
    search.run();
    (!search.cut_short).then_some(search.found)
}

impl<'a, 'b> Search<'a, 'b> {
    fn new(
        o: &'b Officer<'a>,
        teams: &'b mut Teams<'a>,
        budget: usize,
        every_above: Option<f64>,
    ) -> Search<'a, 'b> {
        Search {
            o,
            teams,
            lunch: lunch::of(o.ctx),
            seen: HashMap::new(),
            nodes: 0,
            budget,
            found: Vec::new(),
            upper: f64::NEG_INFINITY,
            every_above,
            sets: HashSet::new(),
            cut_short: false,
        }
    }

    fn run(&mut self) {
        let day_start = timing::day_start(self.o.ctx);
        let root = Node {
            route: Vec::new(),
            from: 0,
            clock: day_start,
            fed: self.lunch.is_none(),
            depart: day_start,
            value: 0.0,
            need: Need::on(self.o.duty),
        };
        self.expand(&root, 0.0);
        // Days that leave after a meal at the base.
        if let Some(lunch) = self.lunch {
            let root = Node {
                clock: lunch.after_eating_at_base(day_start),
                fed: true,
                ..root
            };
            self.expand(&root, 0.0);
        }
    }

    /// Whether a crew at `node` may drive home now: fed, or able to eat at the base, or
    /// to take its break at the last firm and still be back by the day's end.
    fn may_go_home(&self, node: &Node) -> bool {
        let Some(lunch) = self.lunch.filter(|_| !node.fed) else {
            return true;
        };
        let home = self.o.home[node.from - 1];
        !lunch.needed(node.depart, node.clock + home)
            || lunch
                .earliest(node.clock)
                .is_some_and(|b| b + lunch.minutes + home <= timing::back_by(self.o.ctx))
    }

    fn best_so_far(&self) -> f64 {
        if let Some(threshold) = self.every_above {
            return threshold;
        }
        if self.found.len() < KEEP {
            self.o.alpha.max(0.0)
        } else {
            self.found[KEEP - 1].value
        }
    }

    fn record(&mut self, route: &[usize], firms: Vec<usize>, need: &Need, value: f64) {
        // Every crew-day seen counts towards the bound, kept or not.
        self.upper = self.upper.max(value);
        if let Some(threshold) = self.every_above {
            if value > threshold && self.sets.insert(firms.clone()) {
                self.found.push(Found {
                    firms,
                    route: route.to_vec(),
                    need: need.clone(),
                    value,
                });
            }
            return;
        }
        if value <= self.o.alpha.max(0.0) + 1e-9 || self.found.iter().any(|f| f.firms == firms) {
            return;
        }
        let at = self.found.partition_point(|f| f.value >= value);
        let found = Found {
            firms,
            route: route.to_vec(),
            need: need.clone(),
            value,
        };
        self.found.insert(at, found);
        self.found.truncate(KEEP);
    }

    /// Stops that can follow `node`: open on one of its days, within their hours, and
    /// with the way home still inside the day. A stop that cannot come next cannot come
    /// later either (legs obey the triangle inequality and waiting only delays).
    fn next_stops(&self, node: &Node) -> Vec<Next> {
        let o = self.o;
        let ctx = o.ctx;
        let day_end = timing::back_by(ctx);
        let mut next = Vec::new();
        // Nearest first: past the leg after which not even the shortest visit fits, stop.
        for &(minutes, i) in &o.near[node.from] {
            if node.clock + minutes + o.shortest_visit > day_end {
                break;
            }
            let i = i as usize;
            let f = o.firms[i];
            // Firms without gain only matter when every crew-day is wanted, or seated.
            if o.gain[f] <= 0.0 && self.every_above.is_none() && !o.seated {
                continue;
            }
            let days = node.need.days & o.open_days[f];
            if days == 0 || node.route.contains(&f) {
                continue;
            }
            let mut push = |step: timing::Step, fed: bool| {
                if step.end.saturating_add(o.home[i]) <= day_end {
                    next.push(Next {
                        firm: f,
                        position: i,
                        end: step.end,
                        days,
                        fed,
                        depart: if node.route.is_empty() {
                            timing::departure(&step, minutes)
                        } else {
                            node.depart
                        },
                    });
                }
            };
            let plain = reach(ctx, node.clock, minutes, f);
            let with_break = match self.lunch {
                Some(lunch) if !node.fed => {
                    reach_with_break(ctx, &lunch, node.clock, minutes, f, node.route.is_empty())
                }
                _ => None,
            };
            match (plain, with_break) {
                // Fed as soon: the break costs nothing here.
                (Some(p), Some(b)) if b.end <= p.end => push(b, true),
                (p, b) => {
                    if let Some(p) = p {
                        push(p, node.fed);
                    }
                    if let Some(b) = b {
                        push(b, true);
                    }
                }
            }
        }
        // By price per least minute, best first: the order the search tries them in, and
        // the order a fractional knapsack takes them in.
        let ratio = |n: &Next| o.gain[n.firm].max(0.0) / o.least_minutes[n.position].max(1.0);
        next.sort_unstable_by(|a, b| {
            ratio(b)
                .total_cmp(&ratio(a))
                .then(a.position.cmp(&b.position))
        });
        next
    }

    /// Explore the extensions of `node`, whose team costs `team` (a lower bound for them).
    fn expand(&mut self, node: &Node, team: f64) {
        let ctx = self.o.ctx;
        let day_end = timing::back_by(ctx);
        let next = self.next_stops(node);
        // Each firm once, though it may come next with or without the break, in the
        // order of `next` (best value per minute first, as the knapsack takes them).
        let mut positions: Vec<usize> = Vec::with_capacity(next.len());
        for n in &next {
            if !positions.contains(&n.position) {
                positions.push(n.position);
            }
        }
        let knapsack = Knapsack::new(positions.iter().map(|&i| {
            (
                self.o.least_minutes[i].max(1.0),
                self.o.gain[self.o.firms[i]].max(0.0),
            )
        }));
        let could_add = |clock: u32| knapsack.value(day_end.saturating_sub(clock) as f64);
        // Only crew-days worth more than the officer's day matter: a subtree that cannot
        // beat that, or the KEEP-th best found, holds nothing to add, and its bound is
        // below what is found (or below the day's price, which the master already pays).
        let ub = node.value - team + could_add(node.clock);
        let threshold = self.best_so_far();
        if ub <= threshold {
            self.upper = self.upper.max(ub);
            return;
        }
        if self.nodes >= self.budget {
            self.upper = self.upper.max(ub);
            self.cut_short = true;
            return;
        }
        self.nodes += 1;
        for stop in &next {
            let f = stop.firm;
            // The child's own bound, before its team is priced.
            let child_ub = node.value + self.o.gain[f] - team + could_add(stop.end);
            let threshold = self.best_so_far();
            if child_ub <= threshold {
                self.upper = self.upper.max(child_ub);
                continue;
            }
            let mut route = node.route.clone();
            route.push(f);
            let mut set = route.clone();
            set.sort_unstable();
            match self.seen.entry((set.clone(), f)) {
                Entry::Occupied(mut seen) => {
                    let (plain, fed) = seen.get_mut();
                    if *fed <= stop.end || (!stop.fed && *plain <= stop.end) {
                        continue;
                    }
                    if stop.fed {
                        *fed = stop.end;
                    } else {
                        *plain = stop.end;
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert(if stop.fed {
                        (u32::MAX, stop.end)
                    } else {
                        (stop.end, u32::MAX)
                    });
                }
            }
            let need = node.need.with(ctx, f, stop.days);
            // No team for the prefix: none for any extension either.
            let Some(price) = self.teams.price(&need) else {
                continue;
            };
            let child = Node {
                route,
                from: stop.position + 1,
                clock: stop.end,
                fed: stop.fed,
                depart: stop.depart,
                value: node.value + self.o.gain[f],
                need,
            };
            let worth = if self.o.seated {
                self.teams.seated_price(&child.need)
            } else {
                Some(price)
            };
            if let Some(team) = worth
                && self.may_go_home(&child)
            {
                self.record(&child.route, set, &child.need, child.value - team);
            }
            self.expand(&child, price);
        }
    }
}
