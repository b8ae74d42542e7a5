//! The master allocation: which city each shared expert (one without a `city`) works for
//! during the horizon.
//!
//! Each city needs expert-days of three kinds: **lead days** — crew-days at firms whose
//! minimum tier is provincial (or national), which only an expert of that tier can lead —,
//! **specialist days** — crew-days at firms needing specialty s, beyond what its own
//! pool's experts with s can give — and **extra days** — the expert-days its crews need
//! beyond what its own pool can give.
//! A due firm f needs `r_f` = min(1, (minutes on site + 60) / day window) crew-days and
//! `team_f · r_f` expert-days. With `a_e` the days expert e can work (max_days, capped by
//! the days certified and available), the MILP is
//!
//! ```text
//! max  Σ_c Σ_T ω_cT u_cT + Σ_c ω_c v_c − ε Σ_e,c km(e, c) x_ec
//! s.t. Σ_c x_ec ≤ 1                      each shared expert goes to one city at most
//!      u_cT ≤ Σ_{e of tier ≥ T} a_e x_ec  lead days of tier T come from such experts
//!      v_c  ≤ Σ_e a_e x_ec                extra days
//!      0 ≤ u, y, v ≤ the city's demand less its own pool's supply, x binary
//! ```
//!
//! with ω the mean priority weight per crew-day (lead) or expert-day (extra) of the city's
//! due firms and ε a tie-break towards cities near the expert's home. Each expert may go
//! only to the 12 cities nearest their home (all of a province; a neighbourhood of a
//! nation), which keeps the nation's model to 12 variables an expert. The demands are
//! estimates, so each term continues past its estimate at 30 % and then 10 % of its weight
//! (concave pieces, still linear): spare experts go where they most likely help. The LP relaxation
//! (clarabel) bounds the value; its solution is rounded (each expert to its largest
//! fraction) and improved by moving single experts between cities while the exact value
//! rises. Built with `highs`, HiGHS solves the MILP itself (from that start, 10 s at most).

use std::collections::HashMap;

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, clarabel, variable};

use crate::calendar;
use crate::due::DueList;
use crate::model::{Instance, Specialty, Tier};
use crate::requirements;

/// Where the shared experts go.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// City index (into the sorted city list) of each shared expert (`None` only when there
    /// are no cities).
    pub city: Vec<Option<usize>>,
    /// The master objective of this allocation.
    pub value: f64,
    /// The LP relaxation's value, an upper bound on `value` (equal when proven optimal).
    pub bound: f64,
    /// The cities each shared expert may be sent to (the nearest few to their home).
    pub reach: Vec<Vec<usize>>,
    /// How the allocation was found.
    pub method: &'static str,
}

/// Tiers that can be required of a crew's lead above the city pool.
const LEAD_TIERS: [Tier; 2] = [Tier::Provincial, Tier::National];
/// Tie-break weight per km between an expert's home and a city's centre.
const KM_TIE_BREAK: f64 = 1e-6;
/// A shared expert may go to this many cities nearest their home: all of a province's
/// eleven, a neighbourhood of a nation's 330 (nobody is sent across the country).
const CANDIDATE_CITIES: usize = 12;

/// The demand side of the master problem and the experts' days.
struct Master {
    cities: usize,
    /// Days each shared expert can work.
    days: Vec<f64>,
    /// Tier of each shared expert.
    tiers: Vec<Tier>,
    /// The cities each shared expert may go to (the nearest few to their home) with the
    /// km from home to the city's centre.
    candidates: Vec<Vec<(usize, f64)>>,
    /// Lead demand per city and lead tier, as concave pieces (crew-days, weight per day).
    lead: Vec<[Vec<Piece>; 2]>,
    /// Extra expert-days per city, as concave pieces (expert-days, weight per day).
    extra: Vec<Vec<Piece>>,
    /// Specialist days per city and specialty (`Specialty::ALL` order), as concave pieces.
    specialist: Vec<Vec<Vec<Piece>>>,
    /// Specialties of each shared expert, as `Specialty::ALL` indices.
    skills: Vec<Vec<usize>>,
}

/// Part of a city's demand: up to `amount` days, each worth `weight`. A city's pieces come
/// in decreasing weight, so the value of a supply is concave: the estimated need first,
/// then slack (days beyond the estimate still help the city's search, but less).
#[derive(Debug, Clone, Copy)]
struct Piece {
    amount: f64,
    weight: f64,
}

/// Value of `supply` days over concave pieces.
fn fill(pieces: &[Piece], mut supply: f64) -> f64 {
    let mut value = 0.0;
    for p in pieces {
        let used = supply.min(p.amount);
        value += used * p.weight;
        supply -= used;
    }
    value
}

/// The estimated need at full weight, then slack worth 30 % and 10 % of it.
fn pieces(need: f64, scale: f64, weight: f64) -> Vec<Piece> {
    [(need, 1.0), (0.5 * scale, 0.3), (scale, 0.1)]
        .into_iter()
        .filter(|(amount, _)| *amount > 0.0 && weight > 0.0)
        .map(|(amount, share)| Piece {
            amount,
            weight: weight * share,
        })
        .collect()
}

impl Master {
    fn new(instance: &Instance, due: &DueList, cities: &[String], shared: &[usize]) -> Master {
        let days = calendar::sweep_days(instance);
        let available = |e: usize| -> f64 {
            let x = &instance.experts[e];
            let on_duty = days
                .iter()
                .filter(|&&d| crate::rules::people::expert_works_on(x, d))
                .count() as u32;
            on_duty.min(instance.expert_max_days(x)) as f64
        };
        let city_index: HashMap<&str, usize> = cities
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let district_city: HashMap<&str, usize> = instance
            .districts
            .iter()
            .filter_map(|d| Some((d.id.as_str(), *city_index.get(d.city.as_deref()?)?)))
            .collect();
        let window = instance
            .policy
            .day_end
            .0
            .saturating_sub(instance.policy.day_start.0)
            .max(1) as f64;

        // Demand from the due list, less what each city's own pool supplies.
        let n = cities.len();
        let mut lead = vec![[(0.0, 0.0); 2]; n];
        let mut expert_days = vec![(0.0, 0.0); n];
        let specialties = Specialty::ALL.len();
        let mut specialist = vec![vec![(0.0, 0.0); specialties]; n];
        for (d, &e) in due.enterprise_index.iter().enumerate() {
            let firm = &instance.enterprises[e];
            let Some(&c) = district_city.get(firm.district.as_str()) else {
                continue;
            };
            let req = requirements::derive(instance, firm);
            let share = ((req.duration_min as f64 + 60.0) / window).min(1.0);
            let weight = due.due[d].weight;
            for (t, tier) in LEAD_TIERS.iter().enumerate() {
                if req.min_tier >= *tier {
                    lead[c][t].0 += share;
                    lead[c][t].1 += weight * share;
                }
            }
            expert_days[c].0 += req.team_size as f64 * share;
            expert_days[c].1 += weight * share;
            for s in &req.specialties {
                specialist[c][*s as usize].0 += share;
                specialist[c][*s as usize].1 += weight * share;
            }
        }
        let mut own_days = vec![0.0; n];
        let mut own_lead = vec![[0.0; 2]; n];
        let mut own_skill = vec![vec![0.0; specialties]; n];
        for (e, x) in instance.experts.iter().enumerate() {
            if let Some(&c) = x.city.as_deref().and_then(|c| city_index.get(c)) {
                own_days[c] += available(e);
                for s in &x.specialties {
                    own_skill[c][*s as usize] += available(e);
                }
                for (t, tier) in LEAD_TIERS.iter().enumerate() {
                    if x.tier >= *tier {
                        own_lead[c][t] += available(e);
                    }
                }
            }
        }
        let per_unit =
            |(amount, weight): (f64, f64)| if amount > 0.0 { weight / amount } else { 0.0 };
        let lead = (0..n)
            .map(|c| {
                [0, 1].map(|t| {
                    pieces(
                        (lead[c][t].0 - own_lead[c][t]).max(0.0),
                        lead[c][t].0,
                        per_unit(lead[c][t]),
                    )
                })
            })
            .collect();
        let extra = (0..n)
            .map(|c| {
                pieces(
                    (expert_days[c].0 - own_days[c]).max(0.0),
                    expert_days[c].0,
                    per_unit(expert_days[c]),
                )
            })
            .collect();
        let specialist = (0..n)
            .map(|c| {
                (0..specialties)
                    .map(|s| {
                        pieces(
                            (specialist[c][s].0 - own_skill[c][s]).max(0.0),
                            specialist[c][s].0,
                            per_unit(specialist[c][s]),
                        )
                    })
                    .collect()
            })
            .collect();
        let skills = shared
            .iter()
            .map(|&e| {
                instance.experts[e]
                    .specialties
                    .iter()
                    .map(|s| *s as usize)
                    .collect()
            })
            .collect();

        let centres: Vec<(f64, f64)> = (0..n)
            .map(|c| {
                let bases: Vec<_> = instance
                    .districts
                    .iter()
                    .filter(|d| district_city.get(d.id.as_str()) == Some(&c))
                    .map(|d| d.base)
                    .collect();
                let k = bases.len().max(1) as f64;
                (
                    bases.iter().map(|b| b.lat).sum::<f64>() / k,
                    bases.iter().map(|b| b.lon).sum::<f64>() / k,
                )
            })
            .collect();
        let candidates = shared
            .iter()
            .map(|&e| {
                let home = instance.experts[e].home;
                let mut near: Vec<(usize, f64)> = centres
                    .iter()
                    .enumerate()
                    .map(|(c, &(lat, lon))| {
                        (c, home.great_circle_km(crate::model::Location { lat, lon }))
                    })
                    .collect();
                near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                near.truncate(CANDIDATE_CITIES);
                near
            })
            .collect();
        let days = shared.iter().map(|&e| available(e)).collect();
        Master {
            cities: n,
            days,
            tiers: shared.iter().map(|&e| instance.experts[e].tier).collect(),
            candidates,
            lead,
            extra,
            specialist,
            skills,
        }
    }

    /// What expert e adds to a city's supply.
    fn add(&self, supply: &mut Supply, e: usize, sign: f64) {
        let days = sign * self.days[e];
        supply.total += days;
        for (t, tier) in LEAD_TIERS.iter().enumerate() {
            if self.tiers[e] >= *tier {
                supply.lead[t] += days;
            }
        }
        for &s in &self.skills[e] {
            supply.skill[s] += days;
        }
    }

    /// The value of city c's demand met by `supply`.
    fn city_value(&self, c: usize, supply: &Supply) -> f64 {
        self.lead[c]
            .iter()
            .zip(supply.lead)
            .map(|(pieces, days)| fill(pieces, days))
            .sum::<f64>()
            + fill(&self.extra[c], supply.total)
            + self.specialist[c]
                .iter()
                .zip(&supply.skill)
                .map(|(pieces, &days)| fill(pieces, days))
                .sum::<f64>()
    }

    fn km(&self, e: usize, c: usize) -> f64 {
        self.candidates[e]
            .iter()
            .find(|(city, _)| *city == c)
            .map_or(0.0, |(_, km)| *km)
    }

    fn supplies(&self, city: &[Option<usize>]) -> Vec<Supply> {
        let mut supplies = vec![Supply::new(); self.cities];
        for (e, c) in city.iter().enumerate() {
            if let Some(c) = *c {
                self.add(&mut supplies[c], e, 1.0);
            }
        }
        supplies
    }

    /// The exact objective of an allocation.
    fn value(&self, city: &[Option<usize>]) -> f64 {
        let supplies = self.supplies(city);
        let tie_break: f64 = city
            .iter()
            .enumerate()
            .filter_map(|(e, c)| c.map(|c| KM_TIE_BREAK * self.km(e, c)))
            .sum();
        (0..self.cities)
            .map(|c| self.city_value(c, &supplies[c]))
            .sum::<f64>()
            - tie_break
    }

    /// The model over x (continuous or binary, as the caller made them): `x[e]` holds one
    /// variable per candidate city of expert e.
    fn model(
        &self,
        vars: &mut ProblemVariables,
        x: &[Vec<Variable>],
    ) -> (Expression, Vec<good_lp::Constraint>) {
        let mut objective = Expression::from(0.0);
        let mut constraints = Vec::new();
        let mut at_city: Vec<Vec<(usize, Variable)>> = vec![Vec::new(); self.cities];
        for (e, row) in x.iter().enumerate() {
            constraints.push(row.iter().copied().sum::<Expression>().eq(1.0));
            for (&(c, km), &v) in self.candidates[e].iter().zip(row) {
                at_city[c].push((e, v));
                objective -= KM_TIE_BREAK * km * v;
            }
        }
        // Pieces filled from supply: Σ pieces ≤ supply; concavity makes the LP fill them in order.
        let mut demand = |pieces: &[Piece],
                          supply: Expression,
                          objective: &mut Expression,
                          constraints: &mut Vec<good_lp::Constraint>| {
            if pieces.is_empty() {
                return;
            }
            let mut used = Expression::from(0.0);
            for p in pieces {
                let v = vars.add(variable().min(0.0).max(p.amount));
                *objective += p.weight * v;
                used += v;
            }
            constraints.push((used - supply).leq(0.0));
        };
        for (c, here) in at_city.iter().enumerate() {
            let supply = |keep: &dyn Fn(usize) -> bool| -> Expression {
                here.iter()
                    .filter(|(e, _)| keep(*e))
                    .map(|&(e, v)| self.days[e] * v)
                    .sum()
            };
            for (t, tier) in LEAD_TIERS.iter().enumerate() {
                demand(
                    &self.lead[c][t],
                    supply(&|e| self.tiers[e] >= *tier),
                    &mut objective,
                    &mut constraints,
                );
            }
            demand(
                &self.extra[c],
                supply(&|_| true),
                &mut objective,
                &mut constraints,
            );
            for (s, pieces) in self.specialist[c].iter().enumerate() {
                if !pieces.is_empty() {
                    demand(
                        pieces,
                        supply(&|e| self.skills[e].contains(&s)),
                        &mut objective,
                        &mut constraints,
                    );
                }
            }
        }
        (objective, constraints)
    }

    /// The LP relaxation: its value and, per expert, the fraction for each candidate city.
    fn relaxation(&self) -> Option<(f64, Vec<Vec<f64>>)> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Vec<Variable>> = self
            .candidates
            .iter()
            .map(|near| {
                near.iter()
                    .map(|_| vars.add(variable().min(0.0).max(1.0)))
                    .collect()
            })
            .collect();
        let (objective, constraints) = self.model(&mut vars, &x);
        let solution = vars
            .maximise(objective.clone())
            .using(clarabel)
            .with_all(constraints)
            .solve()
            .ok()?;
        let value = solution.eval(&objective);
        Some((
            value + 1e-6 * (1.0 + value.abs()),
            x.iter()
                .map(|row| row.iter().map(|&v| solution.value(v)).collect())
                .collect(),
        ))
    }

    /// Moves single experts to another candidate city while the value rises; each move is
    /// scored on the two cities it changes.
    fn improve(&self, city: &mut [Option<usize>]) {
        let mut supplies = self.supplies(city);
        for _ in 0..50 {
            let mut better = false;
            // By index: the loop moves `city[e]` as it goes.
            #[allow(clippy::needless_range_loop)]
            for e in 0..city.len() {
                let Some(from) = city[e] else { continue };
                let before_from = self.city_value(from, &supplies[from]);
                let mut without = supplies[from].clone();
                self.add(&mut without, e, -1.0);
                let after_from = self.city_value(from, &without);
                let mut best: Option<(f64, usize)> = None;
                for &(to, km) in &self.candidates[e] {
                    if to == from {
                        continue;
                    }
                    let mut with = supplies[to].clone();
                    self.add(&mut with, e, 1.0);
                    let gain = after_from - before_from + self.city_value(to, &with)
                        - self.city_value(to, &supplies[to])
                        - KM_TIE_BREAK * (km - self.km(e, from));
                    if gain > 1e-9 && best.is_none_or(|(g, _)| gain > g) {
                        best = Some((gain, to));
                    }
                }
                if let Some((_, to)) = best {
                    supplies[from] = without;
                    self.add(&mut supplies[to], e, 1.0);
                    city[e] = Some(to);
                    better = true;
                }
            }
            if !better {
                break;
            }
        }
    }
}

/// Days a city gets from its shared experts: in all, per lead tier, per specialty.
#[derive(Debug, Clone)]
struct Supply {
    total: f64,
    lead: [f64; 2],
    skill: Vec<f64>,
}

impl Supply {
    fn new() -> Supply {
        Supply {
            total: 0.0,
            lead: [0.0; 2],
            skill: vec![0.0; Specialty::ALL.len()],
        }
    }
}

/// Shares the experts listed in `shared` out between `cities` (see the module docs).
pub fn share_out(
    instance: &Instance,
    due: &DueList,
    cities: &[String],
    shared: &[usize],
) -> Allocation {
    if shared.is_empty() || cities.is_empty() {
        return Allocation {
            city: vec![None; shared.len()],
            value: 0.0,
            bound: 0.0,
            reach: vec![Vec::new(); shared.len()],
            method: "nothing to share",
        };
    }
    allocate(&Master::new(instance, due, cities, shared))
}

/// Solves the master problem: LP relaxation, rounding, single moves (then HiGHS, if built).
fn allocate(master: &Master) -> Allocation {
    let (bound, fractions) = match master.relaxation() {
        Some(lp) => lp,
        // Without an LP, start from the nearest city (candidates come nearest first).
        None => (
            f64::INFINITY,
            master
                .candidates
                .iter()
                .map(|near| near.iter().enumerate().map(|(k, _)| -(k as f64)).collect())
                .collect(),
        ),
    };
    let mut city: Vec<Option<usize>> = fractions
        .iter()
        .zip(&master.candidates)
        .map(|(row, near)| {
            row.iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
                .map(|(k, _)| near[k].0)
        })
        .collect();
    master.improve(&mut city);
    let reach = master
        .candidates
        .iter()
        .map(|near| near.iter().map(|(c, _)| *c).collect())
        .collect();
    #[cfg_attr(not(feature = "highs"), allow(unused_mut))]
    let mut allocation = Allocation {
        value: master.value(&city),
        city,
        bound,
        reach,
        method: "MILP: LP relaxation, rounding and single moves",
    };
    #[cfg(feature = "highs")]
    milp::solve(master, &mut allocation);
    allocation
}

#[cfg(feature = "highs")]
mod milp {
    use good_lp::solvers::highs::highs;
    use good_lp::{
        ProblemVariables, Solution, SolutionStatus, SolverModel, Variable, WithInitialSolution,
        variable,
    };

    use super::{Allocation, Master};

    /// Solves the MILP with HiGHS from the heuristic allocation; keeps it if HiGHS fails.
    pub(super) fn solve(master: &Master, allocation: &mut Allocation) {
        let mut vars = ProblemVariables::new();
        let x: Vec<Vec<Variable>> = master
            .candidates
            .iter()
            .map(|near| near.iter().map(|_| vars.add(variable().binary())).collect())
            .collect();
        let (objective, constraints) = master.model(&mut vars, &x);
        let initial: Vec<(Variable, f64)> = x
            .iter()
            .zip(&allocation.city)
            .zip(&master.candidates)
            .flat_map(|((row, c), near)| {
                row.iter()
                    .zip(near)
                    .map(move |(&v, &(city, _))| (v, (Some(city) == *c) as u8 as f64))
            })
            .collect();
        let model = vars
            .maximise(objective)
            .using(highs)
            .set_time_limit(10.0)
            .set_threads(1)
            .with_initial_solution(initial)
            .with_all(constraints);
        let Ok(solution) = model.solve() else { return };
        let city: Vec<Option<usize>> = x
            .iter()
            .zip(&master.candidates)
            .map(|(row, near)| {
                row.iter()
                    .position(|&v| solution.value(v) > 0.5)
                    .map(|k| near[k].0)
            })
            .collect();
        let value = master.value(&city);
        if value >= allocation.value - 1e-9 {
            let optimal = matches!(solution.status(), SolutionStatus::Optimal);
            allocation.city = city;
            allocation.value = value;
            if optimal {
                allocation.bound = value;
            }
            allocation.method = if optimal {
                "MILP (HiGHS, optimal)"
            } else {
                "MILP (HiGHS, time limit)"
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two cities each short of 4 provincial lead days, the second's days worth twice as
    /// much; two provincial experts of 4 days, both nearer the first city; and a city-tier
    /// expert with the only process skill, which the first city lacks.
    fn two_cities() -> Master {
        let lead = |days: f64, weight: f64| [pieces(days, days, weight), Vec::new()];
        let mut specialist = vec![vec![Vec::new(); Specialty::ALL.len()]; 2];
        specialist[0][Specialty::Process as usize] = pieces(3.0, 3.0, 1.0);
        Master {
            cities: 2,
            days: vec![4.0, 4.0, 3.0],
            tiers: vec![Tier::Provincial, Tier::Provincial, Tier::City],
            candidates: vec![vec![(0, 10.0), (1, 50.0)]; 3],
            lead: vec![lead(4.0, 1.0), lead(4.0, 2.0)],
            extra: vec![Vec::new(), Vec::new()],
            specialist,
            skills: vec![vec![], vec![], vec![Specialty::Process as usize]],
        }
    }

    #[test]
    fn each_city_gets_what_it_lacks_and_the_value_stays_under_the_lp_bound() {
        let master = two_cities();
        let allocation = allocate(&master);
        let mut provincial: Vec<Option<usize>> = allocation.city[..2].to_vec();
        provincial.sort();
        assert_eq!(
            provincial,
            vec![Some(0), Some(1)],
            "one lead expert each: {:?}",
            allocation.city
        );
        assert_eq!(
            allocation.city[2],
            Some(0),
            "the process expert goes where process is missing"
        );
        // 4 lead days at 1 + 4 at 2 + 3 process days at 1, less the km tie-break.
        assert!(
            (allocation.value - 15.0).abs() < 1e-3,
            "{}",
            allocation.value
        );
        assert!(
            allocation.bound >= allocation.value - 1e-9,
            "{} < {}",
            allocation.bound,
            allocation.value
        );
    }

    #[test]
    fn single_moves_never_lower_the_value() {
        let master = two_cities();
        let mut city = vec![Some(0), Some(0), Some(1)];
        let before = master.value(&city);
        master.improve(&mut city);
        assert!(master.value(&city) >= before);
        assert_eq!(city[2], Some(0));
    }
}
