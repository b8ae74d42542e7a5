//! Exhaustive optimality on very small instances.
//!
//! On instances of 2–4 firms, 2–4 experts, 1–3 days and 1–2 officers every roster the
//! checker accepts is enumerated (up to what the objective sees: the set of due firms
//! visited), independently of the solver: each due firm is either left unvisited or given
//! to a (day, officer) slot; each slot's firms get every expert team and every visiting
//! order, timed by `common::retime` (the travel model is the specification); the
//! **checker** alone decides which one-crew candidates are valid and, at the end, which
//! whole rosters are. Visited sets are tried from the best objective (mandatory visits,
//! then priority weight) down, so the first one the full checker accepts is the optimum.
//!
//! The solver with 200 search iterations must reach the optimum mandatory count and the
//! optimum weighted coverage; the construction alone and the search must never beat the
//! enumeration (its soundness); no bound may be below the optimum; and every roster either
//! returns must pass the checker.

mod common;

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use proptest::prelude::*;
use sweep_solver::context::Context;
use sweep_solver::model::*;
use sweep_solver::rules;
use sweep_solver::{SolveOptions, check, has_errors, solve, validate};

/// Tolerance on priority weight and coverage.
const EPS: f64 = 1e-9;

/// Code prefixes of the roster-wide accounting and figures: ignored while one-crew
/// candidates are pruned (the full check of a whole roster sees every code).
const ACCOUNTING: &[&str] = &[
    "due.",
    "unscheduled.",
    "excluded.",
    "draw.",
    "plan.",
    "kpi.",
];

/// Day `offset` of the plans here; day 0 is Monday 2027-03-01.
fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 1).unwrap() + chrono::Duration::days(offset)
}

// ---------------------------------------------------------------------------------------
// The enumeration
// ---------------------------------------------------------------------------------------

/// The best roster the enumeration found.
#[derive(Debug)]
struct Optimum {
    /// Mandatory due firms visited.
    mandatory: u32,
    /// Priority weight visited.
    weight: f64,
    /// `weight` over the total due weight (1 with nothing due).
    coverage: f64,
    /// The visited due firms, sorted.
    visited: Vec<String>,
    /// A roster the checker accepts that reaches it.
    roster: Roster,
    /// One-crew rosters checked while pruning.
    crew_checks: usize,
    /// Whole rosters the full check rejected although every crew passed on its own
    /// (each with its first violation).
    rejected: Vec<String>,
}

/// The members of a bit mask, in order.
fn members(mask: u32) -> Vec<usize> {
    (0..32).filter(|i| mask & (1 << i) != 0).collect()
}

/// Every ordering of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

/// The visited due firms of a roster: (mandatory count, priority weight).
fn score(roster: &Roster) -> (u32, f64) {
    let visited: HashSet<&str> = roster
        .crews
        .iter()
        .flat_map(|c| c.visits.iter().map(|v| v.enterprise.as_str()))
        .collect();
    let done = roster
        .due
        .iter()
        .filter(|d| visited.contains(d.enterprise.as_str()));
    (
        done.clone().filter(|d| d.mandatory).count() as u32,
        done.map(|d| d.weight).sum(),
    )
}

fn coverage(roster: &Roster, weight: f64) -> f64 {
    let total: f64 = roster.due.iter().map(|d| d.weight).sum();
    if total > 0.0 { weight / total } else { 1.0 }
}

/// A valid one-crew candidate: the team (expert indexes) and the timed crew.
type Candidate = (Vec<usize>, Crew);

struct Enumeration<'a> {
    instance: &'a Instance,
    /// The solver's roster: its due list, exclusions and draw are copied.
    template: &'a Roster,
    /// (date, officer index) of every crew that could go out.
    slots: Vec<(NaiveDate, usize)>,
    /// `candidates[slot][mask]`: one valid crew (in some order) per expert team that can
    /// visit exactly the due firms of `mask` from that slot, with the team's indexes.
    candidates: Vec<Vec<Vec<Candidate>>>,
    crew_checks: usize,
    rejected: Vec<String>,
}

impl<'a> Enumeration<'a> {
    fn new(instance: &'a Instance, template: &'a Roster) -> Enumeration<'a> {
        let slots = instance
            .horizon
            .days()
            .flat_map(|d| (0..instance.officers.len()).map(move |o| (d, o)))
            .collect();
        let mut e = Enumeration {
            instance,
            template,
            slots,
            candidates: Vec::new(),
            crew_checks: 0,
            rejected: Vec::new(),
        };
        e.prune();
        e
    }

    /// A roster of these crews, otherwise the solver's: every due firm not visited is
    /// unscheduled, the KPIs recomputed, no objective, bound or gap claimed.
    fn roster(&self, mut crews: Vec<Crew>) -> Roster {
        crews.sort_by(|a, b| (a.date, &a.officer).cmp(&(b.date, &b.officer)));
        let visited: HashSet<String> = crews
            .iter()
            .flat_map(|c| c.visits.iter().map(|v| v.enterprise.clone()))
            .collect();
        let t = self.template;
        let unscheduled = t
            .due
            .iter()
            .filter(|d| !visited.contains(&d.enterprise))
            .map(|d| Unscheduled {
                enterprise: d.enterprise.clone(),
                mandatory: d.mandatory,
                code: "not_visited".into(),
                message: "left out of this roster by the exhaustive enumeration".into(),
            })
            .collect();
        let mut roster = Roster {
            plan: t.plan.clone(),
            horizon: t.horizon,
            crews,
            due: t.due.clone(),
            unscheduled,
            excluded: t.excluded.clone(),
            draw: t.draw.clone(),
            kpis: t.kpis.clone(),
            solver: t.solver.clone(),
        };
        common::refresh_kpis(self.instance, &mut roster);
        roster.kpis.objective = None;
        roster.kpis.bound = None;
        roster.kpis.gap = None;
        roster
    }

    /// The crew of `slot` with experts `team` visiting the due firms `order` in that
    /// order, timed from `day_start` with the travel model.
    fn crew(&self, slot: usize, team: &[usize], order: &[usize]) -> Crew {
        let (date, o) = self.slots[slot];
        let officer = &self.instance.officers[o].id;
        let mut crew = Crew {
            id: format!("{date}/{officer}"),
            date,
            officer: officer.clone(),
            experts: team
                .iter()
                .map(|&e| self.instance.experts[e].id.clone())
                .collect(),
            lead: None,
            depart: Clock(0),
            return_: Clock(0),
            distance_km: 0.0,
            breaks: Vec::new(),
            visits: order
                .iter()
                .map(|&i| Visit {
                    enterprise: self.template.due[i].enterprise.clone(),
                    arrive: Clock(0),
                    start: Clock(0),
                    end: Clock(0),
                    travel_min: 0,
                    distance_km: 0.0,
                    reason: self.template.due[i].reason,
                })
                .collect(),
        };
        common::retime(self.instance, &mut crew);
        crew
    }

    /// Fills `candidates` by checking one-crew rosters. The timing codes of a crew depend
    /// only on its officer and order (not on the day or the team), every other
    /// crew-local code not on the order: an order that fails on time is not tried again
    /// for the officer, and a team that fails otherwise is not tried in other orders.
    fn prune(&mut self) {
        let n = self.template.due.len();
        let m = self.instance.experts.len();
        let teams: Vec<Vec<usize>> = (1u32..1 << m).map(members).collect();
        let mut on_time: HashMap<(usize, Vec<usize>), bool> = HashMap::new();
        let mut all = Vec::new();
        for slot in 0..self.slots.len() {
            let officer = self.slots[slot].1;
            let mut per_mask = vec![Vec::new(); 1 << n];
            for mask in 1u32..1 << n {
                let orders = permutations(&members(mask));
                for team in &teams {
                    for order in &orders {
                        if on_time.get(&(officer, order.clone())) == Some(&false) {
                            continue;
                        }
                        let crew = self.crew(slot, team, order);
                        let roster = self.roster(vec![crew.clone()]);
                        self.crew_checks += 1;
                        let codes: Vec<&str> = check(self.instance, &roster)
                            .iter()
                            .map(|v| v.code)
                            .filter(|c| !ACCOUNTING.iter().any(|p| c.starts_with(p)))
                            .collect();
                        let timely = !codes.iter().any(|c| c.starts_with("time."));
                        on_time.insert((officer, order.clone()), timely);
                        if codes.is_empty() {
                            per_mask[mask as usize].push((team.clone(), crew));
                            break;
                        }
                        if codes.iter().any(|c| !c.starts_with("time.")) {
                            break; // The team, not the order.
                        }
                    }
                }
            }
            all.push(per_mask);
        }
        self.candidates = all;
    }

    /// The best visited set some valid roster reaches.
    fn optimum(mut self) -> Optimum {
        let due = &self.template.due;
        let n = due.len();
        let key = |mask: u32| -> (u32, f64) {
            let firms = members(mask);
            (
                firms.iter().filter(|&&i| due[i].mandatory).count() as u32,
                firms.iter().map(|&i| due[i].weight).sum(),
            )
        };
        let mut subsets: Vec<u32> = (0u32..1 << n).collect();
        subsets.sort_by(|a, b| {
            let (ka, kb) = (key(*a), key(*b));
            kb.0.cmp(&ka.0).then(kb.1.total_cmp(&ka.1))
        });
        for mask in subsets {
            if let Some(roster) = self.realise(mask) {
                let (mandatory, weight) = key(mask);
                let mut visited: Vec<String> = members(mask)
                    .into_iter()
                    .map(|i| due[i].enterprise.clone())
                    .collect();
                visited.sort();
                return Optimum {
                    mandatory,
                    weight,
                    coverage: coverage(self.template, weight),
                    visited,
                    roster,
                    crew_checks: self.crew_checks,
                    rejected: self.rejected,
                };
            }
        }
        panic!("even the empty roster is rejected: {:#?}", self.rejected);
    }

    /// A valid roster visiting exactly the due firms of `mask`, if there is one: every
    /// assignment of its firms to slots, every choice of a candidate crew per slot.
    fn realise(&mut self, mask: u32) -> Option<Roster> {
        let firms = members(mask);
        let slots = self.slots.len();
        let mut assignment = vec![0usize; firms.len()];
        loop {
            let mut groups = vec![0u32; slots];
            for (k, &s) in assignment.iter().enumerate() {
                groups[s] |= 1 << firms[k];
            }
            let groups: Vec<(usize, u32)> = groups
                .into_iter()
                .enumerate()
                .filter(|&(_, g)| g != 0)
                .collect();
            if groups
                .iter()
                .all(|&(s, g)| !self.candidates[s][g as usize].is_empty())
            {
                let mut chosen = Vec::new();
                let mut booked = HashSet::new();
                let mut expert_days = vec![0u32; self.instance.experts.len()];
                let mut officer_days = vec![0u32; self.instance.officers.len()];
                if let Some(r) = self.choose(
                    &groups,
                    &mut chosen,
                    &mut booked,
                    &mut expert_days,
                    &mut officer_days,
                ) {
                    return Some(r);
                }
            }
            // Next assignment (odometer over slots); done after the last.
            let mut k = 0;
            loop {
                if k == assignment.len() {
                    return None;
                }
                assignment[k] += 1;
                if assignment[k] < slots {
                    break;
                }
                assignment[k] = 0;
                k += 1;
            }
        }
    }

    /// Depth-first over the groups: a candidate crew for each, no expert twice a day,
    /// nobody over `max_days`; a complete choice goes to the full check.
    fn choose(
        &mut self,
        groups: &[(usize, u32)],
        chosen: &mut Vec<Crew>,
        booked: &mut HashSet<(NaiveDate, usize)>,
        expert_days: &mut Vec<u32>,
        officer_days: &mut Vec<u32>,
    ) -> Option<Roster> {
        let Some(&(slot, group)) = groups.get(chosen.len()) else {
            let roster = self.roster(chosen.clone());
            let violations = check(self.instance, &roster);
            if violations.is_empty() {
                return Some(roster);
            }
            self.rejected.push(format!("{:?}", violations[0]));
            return None;
        };
        let (date, o) = self.slots[slot];
        let officer = &self.instance.officers[o];
        if officer_days[o] + 1 > self.instance.officer_max_days(officer) {
            return None;
        }
        let options = self.candidates[slot][group as usize].clone();
        for (team, crew) in options {
            let free = team.iter().all(|&e| {
                !booked.contains(&(date, e))
                    && expert_days[e] < self.instance.expert_max_days(&self.instance.experts[e])
            });
            if !free {
                continue;
            }
            for &e in &team {
                booked.insert((date, e));
                expert_days[e] += 1;
            }
            officer_days[o] += 1;
            chosen.push(crew);
            let found = self.choose(groups, chosen, booked, expert_days, officer_days);
            chosen.pop();
            officer_days[o] -= 1;
            for &e in &team {
                booked.remove(&(date, e));
                expert_days[e] -= 1;
            }
            if found.is_some() {
                return found;
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// The three points
// ---------------------------------------------------------------------------------------

/// What one instance gave.
#[derive(Debug)]
struct Verdict {
    optimum: Optimum,
    /// (mandatory, coverage) of the construction and of the search.
    greedy: (u32, f64),
    search: (u32, f64),
}

/// Solves the instance both ways, enumerates its optimum and checks the three points;
/// `Err` with the instance (JSON) and both rosters' figures on any failure.
fn verify(instance: &Instance) -> Result<Verdict, String> {
    let search_options = SolveOptions {
        threads: 1,
        iterations: Some(200),
        ..Default::default()
    };
    let search = solve(instance, &search_options).map_err(|e| format!("solve: {e}"))?;
    let greedy = solve(instance, &SolveOptions::default()).map_err(|e| format!("solve: {e}"))?;
    let json = serde_json::to_string(instance).unwrap();
    let fail = |what: String| Err(format!("{what}\ninstance: {json}"));
    for (name, roster) in [("search", &search), ("construction", &greedy)] {
        let violations = check(instance, roster);
        if !violations.is_empty() {
            return fail(format!("the {name} roster is invalid: {violations:#?}"));
        }
    }
    if greedy.due != search.due {
        return fail("the two solves report different due lists".into());
    }
    let enumeration = Enumeration::new(instance, &search);
    // 3. The rules' "no roster can visit it" (`rules::never`, which the bounds and the
    // unscheduled reasons stand on) is sound: no valid crew visits a firm it rules out,
    // alone or with others. Without the seat rule it is exact: it holds of a firm exactly
    // when no valid one-crew roster visits it alone (with legs that obey the triangle
    // inequality, as here, a firm some crew can visit can also be visited alone). The
    // seat rule is the one `never` leaves open: an expert may earn their seat at a firm
    // through another visit of the same day, so a firm no crew visits alone may still be
    // visited with another.
    let ctx = Context::new(instance).map_err(|e| format!("context: {e}"))?;
    for (i, due) in search.due.iter().enumerate() {
        let d = ctx
            .due
            .due
            .iter()
            .position(|x| x.enterprise == due.enterprise)
            .ok_or("the due lists differ")?;
        let alone = enumeration
            .candidates
            .iter()
            .any(|slot| !slot[1 << i].is_empty());
        let with_others = enumeration.candidates.iter().any(|slot| {
            slot.iter()
                .enumerate()
                .any(|(mask, crews)| mask & (1 << i) != 0 && !crews.is_empty())
        });
        let never = rules::never(&ctx, d);
        let seat_rule = instance.policy.experts_cover_a_specialty;
        let wrong = if never.is_some() {
            with_others
        } else {
            !alone && !seat_rule
        };
        if wrong {
            return fail(format!(
                "{}: a valid crew visits it alone: {alone}, with others: {with_others}; the rules say {never:?}",
                due.enterprise
            ));
        }
    }
    let optimum = enumeration.optimum();
    let describe = |r: &Roster| {
        let visited: Vec<&str> = r
            .crews
            .iter()
            .flat_map(|c| c.visits.iter().map(|v| v.enterprise.as_str()))
            .collect();
        format!(
            "visits {visited:?}, mandatory {}, coverage {}, bound {:?}",
            r.kpis.mandatory_scheduled, r.kpis.weighted_coverage, r.kpis.bound
        )
    };
    let context = format!(
        "optimum: mandatory {}, weight {}, coverage {}, visiting {:?} ({} one-crew checks, \
         {} whole rosters rejected)\noptimal roster crews: {:#?}\nsearch: {}\nconstruction: {}\n\
         due: {:?}",
        optimum.mandatory,
        optimum.weight,
        optimum.coverage,
        optimum.visited,
        optimum.crew_checks,
        optimum.rejected.len(),
        optimum.roster.crews,
        describe(&search),
        describe(&greedy),
        search.due,
    );
    let mut scores = Vec::new();
    for (name, roster) in [("search", &search), ("construction", &greedy)] {
        let (mandatory, weight) = score(roster);
        // The solver's roster is valid, so the enumeration must reach it (its own soundness).
        if mandatory > optimum.mandatory
            || (mandatory == optimum.mandatory && weight > optimum.weight + EPS)
        {
            return fail(format!(
                "the enumeration missed a valid roster: the {name} is better\n{context}"
            ));
        }
        // 2. The bound is an upper bound (checked first: the property below relies on it).
        if let Some(bound) = roster.kpis.bound
            && bound < optimum.coverage - EPS
        {
            return fail(format!(
                "the {name}'s bound {bound} is below the optimum coverage {}\n{context}",
                optimum.coverage
            ));
        }
        // 1. The optimum mandatory count, from the search (the product's solve; the greedy
        // construction alone is a heuristic and may block a mandatory visit).
        if name == "search" && mandatory != optimum.mandatory {
            return fail(format!(
                "the {name} visits {mandatory} mandatory firms, the optimum {}\n{context}",
                optimum.mandatory
            ));
        }
        scores.push((mandatory, coverage(roster, weight)));
    }
    // 1. The search reaches the optimum weighted coverage.
    if scores[0].1 < optimum.coverage - EPS {
        return fail(format!(
            "the search reaches coverage {}, the optimum is {}\n{context}",
            scores[0].1, optimum.coverage
        ));
    }
    Ok(Verdict {
        greedy: scores[1],
        search: scores[0],
        optimum,
    })
}

// ---------------------------------------------------------------------------------------
// Random very small instances
// ---------------------------------------------------------------------------------------

/// Sectors needing one or two of a handful of specialties (construction twice as often).
const SECTORS: [Sector; 4] = [
    Sector::Construction,
    Sector::Construction,
    Sector::Fireworks,
    Sector::CrowdedVenue,
];

/// The specialties those sectors need.
const SPECIALTIES: [Specialty; 4] = [
    Specialty::Construction,
    Specialty::Fireworks,
    Specialty::FireSafety,
    Specialty::Electrical,
];

/// A firm as drawn, before the horizon and officers are known.
#[derive(Debug, Clone)]
struct FirmSpec {
    district: usize,
    dlat: f64,
    dlon: f64,
    sector: usize,
    risk: usize,
    hazard: u8,
    /// 0: never swept (overdue); 1: its frequency comes due on day `offset`; 2: an open
    /// finding due on day `2 offset - 2`; 3: overdue by `late` months; 4: recently swept.
    kind: u8,
    offset: i64,
    late: u32,
    open: u32,
    span: u32,
    duration: Option<u32>,
    team: Option<u32>,
    closed: Vec<i64>,
    major: bool,
    capped: bool,
}

prop_compose! {
    fn arb_firm()(
        district in 0usize..2,
        dlat in -0.25f64..0.25,
        dlon in -0.25f64..0.25,
        sector in 0usize..SECTORS.len(),
        risk in 0usize..4,
        hazard in prop::sample::select(vec![0u8, 0, 0, 1, 2, 3, 4]),
        kind in 0u8..5,
        offset in 0i64..3,
        late in 1u32..7,
        open in 7u32..11,
        span in 4u32..10,
        duration in prop::option::of(60u32..421),
        team in prop::option::of(1u32..4),
        closed in prop::collection::vec(0i64..3, 0..2),
        major in any::<bool>(),
        capped in prop::bool::weighted(0.1),
    ) -> FirmSpec {
        FirmSpec { district, dlat, dlon, sector, risk, hazard, kind, offset, late, open, span, duration, team, closed, major, capped }
    }
}

prop_compose! {
    fn arb_expert(index: usize)(
        tier in 0usize..3,
        title in 0usize..3,
        specs in prop::collection::vec(0usize..SPECIALTIES.len(), 1..5),
        cert in -1i64..8,
        away in prop::collection::vec(0i64..3, 0..2),
        max_days in prop::option::of(0u32..4),
        avoid in prop::collection::vec(0usize..6, 0..2),
    ) -> Expert {
        let mut specialties: Vec<Specialty> = specs.into_iter().map(|s| SPECIALTIES[s]).collect();
        specialties.sort();
        specialties.dedup();
        Expert {
            id: format!("E{index}"),
            name: format!("专家{index}"),
            tier: Tier::ALL[tier],
            title: Title::ALL[title],
            specialties,
            certified_until: day(cert),
            home: Location { lat: 38.3, lon: 116.8 },
            unavailable: away.into_iter().map(day).collect(),
            max_days,
            day_rate: None,
            avoid_enterprises: avoid.into_iter().map(|f| format!("F{f}")).collect(),
            avoid_groups: Vec::new(),
            city: None,
        }
    }
}

prop_compose! {
    fn arb_officer()(
        away in prop::collection::vec(0i64..3, 0..2),
        max_days in prop::option::of(0u32..4),
    ) -> (Vec<i64>, Option<u32>) {
        (away, max_days)
    }
}

/// The instance's general settings as drawn.
#[derive(Debug, Clone)]
struct Settings {
    /// Days of the horizon (all Monday to Wednesday working days).
    days: i64,
    /// 0: one district officer; 1: and a city-level one; 2: two districts, an officer
    /// each; 3: two districts, one district officer and a city-level one.
    officers: usize,
    min_team: u32,
    extra_team: u32,
    share: f64,
    seed: u64,
    short_day: bool,
    /// The officers' days out a week and in a row: the defaults (4, 4), which three days
    /// never reach, or limits that the horizon's days do.
    week_limits: (u32, u32),
    /// `experts_cover_a_specialty`: every expert earns their seat.
    seat_rule: bool,
    /// The default lunch break, or none.
    lunch: bool,
}

fn arb_instance() -> impl Strategy<Value = Instance> {
    (
        2usize..=4,
        2usize..=4,
        1i64..=3,
        0usize..4,
        1u32..=2,
        0u32..=2,
        prop::sample::select(vec![0.0, 0.5, 1.0]),
        any::<u64>(),
        prop::bool::weighted(0.25),
        prop::sample::select(vec![(4, 4), (4, 4), (1, 4), (2, 1), (4, 2), (2, 2)]),
        prop::bool::weighted(0.5),
        prop::bool::weighted(0.5),
    )
        .prop_flat_map(
            |(
                firms,
                experts,
                days,
                officers,
                min_team,
                extra_team,
                share,
                seed,
                short_day,
                week_limits,
                seat_rule,
                lunch,
            )| {
                let settings = Settings {
                    days,
                    officers,
                    min_team,
                    extra_team,
                    share,
                    seed,
                    short_day,
                    week_limits,
                    seat_rule,
                    lunch,
                };
                (
                    Just(settings),
                    prop::collection::vec(arb_firm(), firms),
                    (0..experts).map(arb_expert).collect::<Vec<_>>(),
                    prop::collection::vec(arb_officer(), 2),
                )
            },
        )
        .prop_map(|(s, firms, experts, officers)| build(&s, &firms, experts, &officers))
}

/// Assembles a valid instance from what was drawn.
fn build(
    s: &Settings,
    specs: &[FirmSpec],
    experts: Vec<Expert>,
    officer_specs: &[(Vec<i64>, Option<u32>)],
) -> Instance {
    let districts = if s.officers >= 2 { 2 } else { 1 };
    let min_team = s.min_team;
    let max_team = min_team.max(2) + s.extra_team;
    let officer = |id: &str, district: &str, base: Option<Location>, k: usize| Officer {
        id: id.into(),
        name: format!("干部{id}"),
        district: district.into(),
        base,
        unavailable: officer_specs[k].0.iter().map(|&d| day(d)).collect(),
        max_days: officer_specs[k].1,
        city: None,
    };
    let city_base = Some(Location {
        lat: 38.25,
        lon: 116.7,
    });
    let officers = match s.officers {
        0 => vec![officer("O0", "D0", None, 0)],
        1 => vec![
            officer("O0", "D0", None, 0),
            officer("OC", CITY_LEVEL, city_base, 1),
        ],
        2 => vec![officer("O0", "D0", None, 0), officer("O1", "D1", None, 1)],
        _ => vec![
            officer("O0", "D0", None, 0),
            officer("OC", CITY_LEVEL, city_base, 1),
        ],
    };
    let start = day(0);
    let mut history = Vec::new();
    let mut findings = Vec::new();
    let mut enterprises = Vec::new();
    for (i, f) in specs.iter().enumerate() {
        let id = format!("F{i}");
        let district = f.district % districts;
        let risk = Risk::ALL[f.risk];
        let months = match risk {
            Risk::Red => 3,
            Risk::Orange => 6,
            Risk::Yellow => 12,
            Risk::Blue => 12,
        };
        let sweep = |date: NaiveDate| Inspection {
            enterprise: id.clone(),
            date,
            experts: vec![],
            kind: InspectionKind::ExpertSweep,
        };
        match f.kind {
            1 => history.push(sweep(
                day(f.offset)
                    .checked_sub_months(Months::new(months))
                    .unwrap(),
            )),
            2 => findings.push(Finding {
                id: format!("H{i}"),
                enterprise: id.clone(),
                severity: if f.major {
                    Severity::Major
                } else {
                    Severity::General
                },
                found_on: day(f.offset - 40),
                // Before the horizon, on its first day, or on day 2 (which may be its
                // last sweep day, or past it: a re-check that waits for the next plan).
                deadline: day(2 * f.offset - 2),
                rectified: false,
            }),
            3 => history.push(sweep(
                start.checked_sub_months(Months::new(months)).unwrap()
                    - chrono::Duration::days(30 * f.late as i64 + 1),
            )),
            4 => history.push(sweep(start - chrono::Duration::days(20))),
            _ => {}
        }
        if f.capped {
            history.push(Inspection {
                enterprise: id.clone(),
                date: start - chrono::Duration::days(10),
                experts: vec![],
                kind: InspectionKind::Enforcement,
            });
        }
        let window = f.span * 60;
        let duration_min = match f.duration {
            Some(d) => Some(d.min(window)),
            None if window >= 240 => None,
            None => Some(window),
        };
        let responsible = match (district, s.officers) {
            (0, _) => "O0",
            (_, 2) => "O1",
            _ => "OC",
        };
        enterprises.push(Enterprise {
            id: id.clone(),
            name: format!("企业{i}"),
            district: format!("D{district}"),
            location: Location {
                lat: 38.3 + f.dlat,
                lon: 116.8 + f.dlon,
            },
            group: None,
            sector: SECTORS[f.sector],
            risk,
            major_hazard_level: f.hazard,
            processes: vec![],
            // Grade 1: a cap of 1 (2 for metallurgy), which this year's enforcement
            // visit uses up (or half of).
            standardization: if f.capped { Some(1) } else { None },
            blacklisted: false,
            officer: responsible.into(),
            hours: Some(Hours {
                open: Clock::hm(f.open, 0),
                close: Clock::hm(f.open + f.span, 0),
            }),
            closed_dates: f.closed.iter().map(|&d| day(d)).collect(),
            required_specialties: None,
            min_tier: None,
            team_size: f.team.map(|t| t.clamp(min_team, max_team)),
            duration_min,
        });
    }
    Instance {
        name: "exhaustive".into(),
        horizon: Horizon {
            start,
            end: day(s.days - 1),
        },
        calendar: Calendar::default(),
        policy: Policy {
            seed: s.seed,
            random_share: s.share,
            min_team,
            max_team,
            day_end: if s.short_day {
                Clock::hm(16, 0)
            } else {
                Clock::hm(18, 0)
            },
            officer_max_days_per_week: s.week_limits.0,
            officer_max_days_in_a_row: s.week_limits.1,
            experts_cover_a_specialty: s.seat_rule,
            lunch_break: LunchBreak {
                minutes: if s.lunch { 60 } else { 0 },
                ..LunchBreak::default()
            },
            ..Policy::default()
        },
        districts: (0..districts)
            .map(|d| District {
                id: format!("D{d}"),
                name: format!("区{d}"),
                base: Location {
                    lat: 38.3 + 0.1 * d as f64,
                    lon: 116.8,
                },
                city: None,
            })
            .collect(),
        officers,
        experts,
        enterprises,
        history,
        findings,
        travel: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    // The bound and the enumeration's soundness, apart from the search's optimality below
    // (so that a search miss cannot hide a bound below the optimum).
    #[test]
    fn no_bound_is_below_the_enumerated_optimum_on_tiny_instances(instance in arb_instance()) {
        let problems = validate(&instance);
        prop_assume!(!has_errors(&problems), "{:?}", problems);
        if let Err(failure) = verify(&instance) {
            prop_assert!(!failure.contains("is below the optimum coverage"), "{failure}");
            prop_assert!(!failure.contains("the enumeration missed a valid roster"), "{failure}");
        }
    }

    // A search of 200 iterations alone missed the optimum on a few of every 256 (one
    // firm's team taking the people another needs); these months are now closed exactly
    // before the search (3,000 cases passed locally: PROPTEST_CASES=3000).
    #[test]
    fn the_solver_reaches_the_enumerated_optimum_on_tiny_instances(instance in arb_instance()) {
        let problems = validate(&instance);
        prop_assume!(!has_errors(&problems), "{:?}", problems);
        if let Err(failure) = verify(&instance) {
            prop_assert!(false, "{failure}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Hand-made instances with a known optimum
// ---------------------------------------------------------------------------------------

/// A construction site near district D0's base (38.3, 116.8): `(dlat, dlon)` away.
fn site(id: &str, dlat: f64, dlon: f64, risk: Risk, hazard: u8, minutes: u32) -> Enterprise {
    Enterprise {
        id: id.into(),
        name: format!("企业{id}"),
        district: "D0".into(),
        location: Location {
            lat: 38.3 + dlat,
            lon: 116.8 + dlon,
        },
        group: None,
        sector: Sector::Construction,
        risk,
        major_hazard_level: hazard,
        processes: vec![],
        standardization: None,
        blacklisted: false,
        officer: "O0".into(),
        hours: None,
        closed_dates: vec![],
        required_specialties: None,
        min_tier: None,
        team_size: None,
        duration_min: Some(minutes),
    }
}

fn person(id: &str, tier: Tier, specialties: Vec<Specialty>) -> Expert {
    Expert {
        id: id.into(),
        name: format!("专家{id}"),
        tier,
        title: Title::Intermediate,
        specialties,
        certified_until: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        home: Location {
            lat: 38.3,
            lon: 116.8,
        },
        unavailable: vec![],
        max_days: None,
        day_rate: None,
        avoid_enterprises: vec![],
        avoid_groups: vec![],
        city: None,
    }
}

/// A last expert sweep `months` before the horizon starts (its frequency then comes due
/// on the first day: the firm is due, not mandatory).
fn swept(firm: &str, months: u32) -> Inspection {
    Inspection {
        enterprise: firm.into(),
        date: day(0).checked_sub_months(Months::new(months)).unwrap(),
        experts: vec![],
        kind: InspectionKind::ExpertSweep,
    }
}

/// One district, one officer, teams of 1–2, default hours 08:30–17:30.
fn hand_made(
    days: i64,
    experts: Vec<Expert>,
    enterprises: Vec<Enterprise>,
    history: Vec<Inspection>,
) -> Instance {
    let instance = Instance {
        name: "hand-made".into(),
        horizon: Horizon {
            start: day(0),
            end: day(days - 1),
        },
        calendar: Calendar::default(),
        policy: Policy {
            random_share: 0.0,
            min_team: 1,
            max_team: 2,
            // Days made to hold just so many checks; the break has the random instances.
            lunch_break: LunchBreak {
                minutes: 0,
                ..LunchBreak::default()
            },
            ..Policy::default()
        },
        districts: vec![District {
            id: "D0".into(),
            name: "区0".into(),
            base: Location {
                lat: 38.3,
                lon: 116.8,
            },
            city: None,
        }],
        officers: vec![Officer {
            id: "O0".into(),
            name: "干部0".into(),
            district: "D0".into(),
            base: None,
            unavailable: vec![],
            max_days: None,
            city: None,
        }],
        experts,
        enterprises,
        history,
        findings: vec![],
        travel: None,
    };
    let problems = validate(&instance);
    assert!(!has_errors(&problems), "{problems:#?}");
    instance
}

fn assert_optimum(instance: &Instance, mandatory: u32, weight: f64, visited: &[&str]) -> Verdict {
    let verdict = verify(instance).unwrap_or_else(|failure| panic!("{failure}"));
    let o = &verdict.optimum;
    assert_eq!(
        (o.mandatory, o.visited.as_slice()),
        (
            mandatory,
            visited
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .as_slice()
        ),
        "{o:#?}"
    );
    assert!((o.weight - weight).abs() < EPS, "{o:#?}");
    verdict
}

/// One crew on one day. F0 (orange, weight 4) needs 400 minutes on site, F1 and F2
/// (yellow with a level-4 hazard source, weight 3 each) 250 each, in a 540-minute
/// opening window: F0 fits with neither, F1 and F2 fit together. Placing by weight
/// takes F0 first and blocks the heavier pair; the optimum is F1 + F2, 6 of 10.
#[test]
fn placing_by_weight_would_block_a_heavier_pair() {
    let instance = hand_made(
        1,
        vec![
            person("E0", Tier::City, vec![Specialty::Construction]),
            person("E1", Tier::City, vec![Specialty::Construction]),
        ],
        vec![
            site("F0", 0.01, 0.0, Risk::Orange, 0, 400),
            site("F1", 0.0, 0.01, Risk::Yellow, 4, 250),
            site("F2", -0.01, 0.0, Risk::Yellow, 4, 250),
        ],
        vec![swept("F0", 6), swept("F1", 12), swept("F2", 12)],
    );
    let verdict = assert_optimum(&instance, 0, 6.0, &["F1", "F2"]);
    assert!((verdict.optimum.coverage - 0.6).abs() < EPS);
}

/// Two days. F0 (red: a provincial lead) and F1 (fireworks) are mandatory and only E0
/// can lead F0 or cover fireworks, on one day at most (max_days 1). F2 (orange, due,
/// weight 4) is closed on day 2 and E1, the other construction expert, is away on day 1,
/// so F2 needs E0 on day 1 too, and all three do not fit one day (300 + 200 + 150
/// minutes in 540). The optimum visits F0 and F1 together: 2 mandatory, weight 10 of 14.
#[test]
fn a_scarce_expert_decides_which_firms_go_together() {
    let mut e0 = person(
        "E0",
        Tier::Provincial,
        vec![Specialty::Construction, Specialty::Fireworks],
    );
    e0.max_days = Some(1);
    let mut e1 = person("E1", Tier::City, vec![Specialty::Construction]);
    e1.unavailable = vec![day(0)];
    let mut f1 = site("F1", 0.0, 0.01, Risk::Yellow, 0, 200);
    f1.sector = Sector::Fireworks;
    let mut f2 = site("F2", -0.01, 0.0, Risk::Orange, 0, 150);
    f2.closed_dates = vec![day(1)];
    let instance = hand_made(
        2,
        vec![e0, e1],
        vec![site("F0", 0.01, 0.0, Risk::Red, 0, 300), f1, f2],
        vec![swept("F2", 6)],
    );
    let verdict = assert_optimum(&instance, 2, 10.0, &["F0", "F1"]);
    assert!((verdict.optimum.coverage - 10.0 / 14.0).abs() < EPS);
    assert_eq!((verdict.greedy.0, verdict.search.0), (2, 2));
}
