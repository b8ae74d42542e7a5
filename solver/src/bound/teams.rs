//! The cheapest team for a crew-day's needs, at the master's expert prices.
//!
//! A crew-day whose visits need the specialties `S`, a lead of tier `T` and `k` experts is
//! served by any set of experts who together cover `S`, hold one member of tier ≥ `T`, number
//! between `max(k, min_team)` and `max_team`, none of whom must avoid one of its firms, each
//! on duty on a day the route could run. Its price is the sum of the members' dual prices
//! `β_e ≥ 0`. Experts only matter through (which bits of `S` they hold, whether they reach
//! `T`), so each such group keeps its `max_team` cheapest members and a dynamic programme
//! over (covered bits, members, lead found) finds the exact cheapest team.
//!
//! The seat rule (`rules::seat`: every member holds a specialty some visit of the day
//! requires) depends on the whole crew-day: with it a prefix's team can cost more than an
//! extension's (an electrical expert may make up a fireworks visit's team once a crowded
//! venue joins the day), while pricing prunes on the prefix's price. So there are two
//! prices: [`Teams::price`] leaves the rule out (monotone in the route and never above
//! the price of a team that keeps it: what pricing bounds and prunes with), and
//! [`Teams::seated_price`] keeps it (what a crew-day is worth when the crew-day bound is
//! asked to see the rule, `CrewDays::seated`). [`Teams::all`], asked for whole crew-days
//! by the exact close, keeps it, so the integer master's crews are real ones.

use std::collections::HashMap;

use crate::context::{Context, SpecialtyMask};
use crate::model::Tier;

/// What a crew-day asks of its team.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Need {
    /// Specialties to cover.
    pub mask: SpecialtyMask,
    /// Least team size (the firms' team sizes, and the policy's minimum).
    pub size: u32,
    /// Least tier of the lead.
    pub tier: Tier,
    /// Sweep days (bits) on which the route could run.
    pub days: u64,
    /// Experts who must avoid one of the route's firms, sorted.
    pub avoid: Vec<usize>,
}

impl Need {
    /// The needs of an empty crew-day on the `days` its officer is on duty.
    pub(super) fn on(days: u64) -> Need {
        Need {
            mask: 0,
            size: 0,
            tier: Tier::City,
            days,
            avoid: Vec::new(),
        }
    }

    /// The needs once due firm `f`, open on `open` (day bits), joins the crew-day.
    pub(super) fn with(&self, ctx: &Context<'_>, f: usize, open: u64) -> Need {
        let req = &ctx.reqs[f];
        let mut avoid = self.avoid.clone();
        avoid.extend_from_slice(&ctx.avoids[f]);
        avoid.sort_unstable();
        avoid.dedup();
        Need {
            mask: self.mask | ctx.req_masks[f],
            size: self.size.max(req.team_size),
            tier: self.tier.max(req.min_tier),
            days: self.days & open,
            avoid,
        }
    }
}

/// Cheapest teams at fixed expert prices, memoised by need.
pub(super) struct Teams<'a> {
    ctx: &'a Context<'a>,
    price: &'a [f64],
    /// Sweep days (bits) each expert is on duty.
    duty: &'a [u64],
    cache: HashMap<Need, Option<f64>>,
    seated: HashMap<Need, Option<f64>>,
}

impl<'a> Teams<'a> {
    pub(super) fn new(ctx: &'a Context<'a>, price: &'a [f64], duty: &'a [u64]) -> Teams<'a> {
        Teams {
            ctx,
            price,
            duty,
            cache: HashMap::new(),
            seated: HashMap::new(),
        }
    }

    /// The price of the cheapest team for `need` without the seat rule, or `None` if no
    /// team exists: a lower bound on the seated price of `need` and of every extension.
    pub(super) fn price(&mut self, need: &Need) -> Option<f64> {
        if let Some(known) = self.cache.get(need) {
            return *known;
        }
        let found = self.solve(need, false, false).map(|(cost, _)| cost);
        self.cache.insert(need.clone(), found);
        found
    }

    /// The price of the cheapest team for `need` as a whole crew-day, every member
    /// earning their seat (the same as [`Teams::price`] when the policy drops the rule).
    pub(super) fn seated_price(&mut self, need: &Need) -> Option<f64> {
        if !self.ctx.instance.policy.experts_cover_a_specialty {
            return self.price(need);
        }
        if let Some(known) = self.seated.get(need) {
            return *known;
        }
        let found = self.solve(need, false, true).map(|(cost, _)| cost);
        self.seated.insert(need.clone(), found);
        found
    }

    /// The cheapest team for `need` (expert indices, sorted), with `seated` every member
    /// earning their seat at `need` as a whole crew-day; `None` if there is none.
    pub(super) fn team(&mut self, need: &Need, seated: bool) -> Option<Vec<usize>> {
        let seated = seated && self.ctx.instance.policy.experts_cover_a_specialty;
        self.solve(need, true, seated).map(|(_, team)| team)
    }

    /// Every inclusion-minimal team for `need` (no member can leave and the rest still
    /// serve it) whose members share a day of `need.days`, each of whom earns their seat
    /// (`need` is a whole crew-day's), and whose price is at most `budget`, each sorted;
    /// `None` if there are more than `limit`.
    ///
    /// A larger team is never needed where these are: it serves the same firms with more
    /// expert-days.
    pub(super) fn all(&self, need: &Need, budget: f64, limit: usize) -> Option<Vec<Vec<usize>>> {
        let ctx = self.ctx;
        let policy = &ctx.instance.policy;
        let size = need.size.max(policy.min_team) as usize;
        let max_team = policy.max_team as usize;
        if size > max_team {
            return Some(Vec::new());
        }
        let mut pool: Vec<usize> = (0..ctx.instance.experts.len())
            .filter(|&e| self.may_serve(e, need, true) && self.price[e] <= budget)
            .collect();
        pool.sort_by(|a, b| self.price[*a].total_cmp(&self.price[*b]).then(a.cmp(b)));
        let serves = |team: &[usize]| -> bool {
            team.len() >= size
                && team.iter().fold(0, |m, &e| m | ctx.expert_masks[e]) & need.mask == need.mask
                && team.iter().any(|&e| ctx.tier(e) >= need.tier)
        };
        let mut found = Vec::new();
        let mut team = Vec::new();
        let mut stack: Vec<(usize, f64, u64)> = vec![(0, 0.0, need.days)];
        // Depth-first over members in price order: `stack` holds, per depth, the next
        // pool position to try, the price so far and the days the members share.
        while let Some(&(next, price, days)) = stack.last() {
            if next >= pool.len() || team.len() >= max_team {
                stack.pop();
                team.pop();
                continue;
            }
            stack.last_mut().expect("not empty").0 = next + 1;
            let e = pool[next];
            let price = price + self.price[e];
            let days = days & self.duty[e];
            // Prices are in ascending order: no later member fits the budget either.
            if price > budget + 1e-12 {
                stack.pop();
                team.pop();
                continue;
            }
            if days == 0 {
                continue;
            }
            team.push(e);
            if serves(&team) {
                let minimal = (0..team.len()).all(|i| {
                    let without: Vec<usize> = team
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != i)
                        .map(|(_, &e)| e)
                        .collect();
                    !serves(&without)
                });
                if minimal {
                    if found.len() == limit {
                        return None;
                    }
                    let mut members = team.clone();
                    members.sort_unstable();
                    found.push(members);
                }
                // Any larger team holds this one: not minimal.
                team.pop();
                continue;
            }
            stack.push((next + 1, price, days));
        }
        Some(found)
    }

    /// Whether expert `e` may be a member of a team for `need`: may work at all, is on
    /// duty on one of its days, is not to be avoided there, and (with `seated`) holds a
    /// specialty the crew-day requires.
    fn may_serve(&self, e: usize, need: &Need, seated: bool) -> bool {
        let ctx = self.ctx;
        crate::rules::people::expert_may_work(ctx, e)
            && self.duty[e] & need.days != 0
            && need.avoid.binary_search(&e).is_err()
            && (!seated || crate::rules::seat::earns(ctx, e, need.mask))
    }

    /// The dynamic programme; with `keep`, also the members of the cheapest team; with
    /// `seated`, only experts who earn their seat at `need` take part.
    fn solve(&self, need: &Need, keep: bool, seated: bool) -> Option<(f64, Vec<usize>)> {
        let ctx = self.ctx;
        let policy = &ctx.instance.policy;
        let size = need.size.max(policy.min_team) as usize;
        let max_team = policy.max_team as usize;
        if size > max_team {
            return None;
        }
        // The bits of S, renumbered 0..|S|.
        let bits: Vec<u32> = (0..32).filter(|b| need.mask & (1 << b) != 0).collect();
        let full = (1usize << bits.len()) - 1;
        let local = |mask: SpecialtyMask| -> usize {
            bits.iter()
                .enumerate()
                .filter(|(_, b)| mask & (1 << **b) != 0)
                .fold(0, |m, (i, _)| m | 1 << i)
        };
        // The max_team cheapest members of each (bits held, reaches the tier) group.
        let mut groups: HashMap<(usize, bool), Vec<usize>> = HashMap::new();
        for e in 0..ctx.instance.experts.len() {
            if !self.may_serve(e, need, seated) {
                continue;
            }
            let key = (local(ctx.expert_masks[e]), ctx.tier(e) >= need.tier);
            groups.entry(key).or_default().push(e);
        }
        let mut items: Vec<(usize, bool, usize)> = Vec::new();
        let mut keys: Vec<(usize, bool)> = groups.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let members = groups.get_mut(&key).expect("key from the map");
            members.sort_by(|a, b| self.price[*a].total_cmp(&self.price[*b]).then(a.cmp(b)));
            members.truncate(max_team);
            items.extend(members.iter().map(|&e| (key.0, key.1, e)));
        }
        // dp[(covered, members, lead)] = least price; members capped at max_team.
        let states = (full + 1) * (max_team + 1) * 2;
        let at = |covered: usize, members: usize, lead: bool| -> usize {
            (covered * (max_team + 1) + members) * 2 + lead as usize
        };
        let mut dp = vec![f64::INFINITY; states];
        dp[at(0, 0, false)] = 0.0;
        let mut layers: Vec<Vec<f64>> = Vec::new();
        for &(held, reaches, e) in &items {
            if keep {
                layers.push(dp.clone());
            }
            let cost = self.price[e];
            // Members only grow, so walking the counts downwards uses each expert once.
            for members in (0..max_team).rev() {
                for covered in 0..=full {
                    for lead in [false, true] {
                        let here = dp[at(covered, members, lead)];
                        if here.is_finite() {
                            let next = at(covered | held, members + 1, lead || reaches);
                            if here + cost < dp[next] {
                                dp[next] = here + cost;
                            }
                        }
                    }
                }
            }
        }
        let (best, members) = (size..=max_team)
            .map(|m| (dp[at(full, m, true)], m))
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        if !best.is_finite() {
            return None;
        }
        if !keep {
            return Some((best, Vec::new()));
        }
        // Walk the layers back: an item was taken where the state could not be reached
        // as cheaply without it.
        let (mut covered, mut count, mut lead) = (full, members, true);
        let mut team = Vec::new();
        let mut value = best;
        for (i, &(held, reaches, e)) in items.iter().enumerate().rev() {
            let before = &layers[i];
            // dp values only fall, and only by `here + cost`: equality is exact.
            if before[at(covered, count, lead)] == value {
                continue;
            }
            // Taken: find the predecessor state it came from.
            let cost = self.price[e];
            let previous = (0..=full)
                .flat_map(|c| [(c, false), (c, true)])
                .find(|&(c, l)| {
                    c | held == covered
                        && (l || reaches) == lead
                        && before[at(c, count - 1, l)] + cost == value
                });
            let (c, l) = previous.expect("a taken item has a predecessor state");
            team.push(e);
            covered = c;
            count -= 1;
            lead = l;
            value = before[at(c, count, l)];
        }
        team.sort_unstable();
        Some((best, team))
    }
}
