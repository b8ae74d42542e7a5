//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use hazard_sweep::import::{self, read_instance_json};
use sweep_solver::model::{Clock, Crew, Instance, Roster};
use sweep_solver::requirements;
use sweep_solver::travel::TravelModel;
use sweep_solver::{SolveOptions, check, solve};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A named case from fixtures/cases/.
pub fn case(name: &str) -> Instance {
    let path = root().join("fixtures/cases").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let imported = read_instance_json(&text, name);
    assert!(
        imported.problems.is_empty(),
        "{name}: {:?}",
        imported.problems
    );
    imported.instance.expect("valid case")
}

/// Iterations of the improvement search in the tests' solves: a cap, not a clock, so
/// what a test asserts does not depend on the machine's speed.
pub const TEST_ITERATIONS: usize = 300;

/// Solves (construction and [`TEST_ITERATIONS`] of the search) and asserts that the
/// independent checker finds nothing.
pub fn solve_checked(instance: &Instance, threads: usize) -> Roster {
    let roster = solve(
        instance,
        &SolveOptions {
            threads,
            iterations: Some(TEST_ITERATIONS),
            ..Default::default()
        },
    )
    .expect("solve runs");
    let violations = check(instance, &roster);
    assert!(
        violations.is_empty(),
        "{}: checker found {violations:#?}",
        instance.name
    );
    roster
}

/// Imports a registry folder for a month, asserting there are no errors.
pub fn import_month(dir: &Path, month: &str) -> Instance {
    let horizon = import::month_horizon(month).expect("valid month");
    let imported = import::import_dir(dir, horizon, "test");
    let errors: Vec<_> = imported
        .problems
        .iter()
        .filter(|p| p.level == sweep_solver::Level::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    imported.instance.expect("no errors")
}

/// Writes the tiny generated registries into `dir`.
pub fn write_tiny(dir: &Path, seed: u64) {
    let month = "2027-03-01".parse().unwrap();
    let data = hazard_sweep::generate::generate(hazard_sweep::generate::Scale::Tiny, seed, month);
    hazard_sweep::generate::write_registries(&data.instance, dir).expect("write");
}

/// Re-times a crew's visits in their current order with the travel model, as a planner's
/// tool would after editing a roster by hand: leaving at the day's start, each check as
/// soon as the crew is there and the firm open, and the lunch break (when the policy has
/// one) at each place it could go, keeping the timing that is back soonest among those
/// that keep the windows and the break rule (the first tried when none does). Written
/// here from the rules' wording, not from the solver.
pub fn retime(instance: &Instance, crew: &mut Crew) {
    let officer = instance
        .officers
        .iter()
        .find(|o| o.id == crew.officer)
        .expect("known officer");
    let base = instance.officer_base(officer).expect("base");
    let firms: Vec<_> = crew
        .visits
        .iter()
        .map(|v| {
            instance
                .enterprises
                .iter()
                .find(|f| f.id == v.enterprise)
                .expect("known firm")
        })
        .collect();
    let mut places = vec![base];
    places.extend(firms.iter().map(|f| f.location));
    let legs = TravelModel::new(instance).unwrap().matrix(&places);
    let n = firms.len();
    let leg = |k: usize| legs.get(k, (k + 1) % (n + 1)).expect("road");
    let reqs: Vec<_> = firms
        .iter()
        .map(|f| requirements::derive(instance, f))
        .collect();
    let policy = &instance.policy;
    let lunch = policy.lunch_break;
    let (from, until, rest) = (lunch.from.minutes(), lunch.until.minutes(), lunch.minutes);
    // Where the break goes: nowhere, at the base before leaving, at firm k before driving
    // on (k = n: before driving home), on arriving at firm k, or during its check.
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Nowhere,
        Base,
        Before(usize),
        Arriving(usize),
        During(usize),
    }
    let mut places_to_break = vec![At::Nowhere];
    if rest > 0 {
        places_to_break.push(At::Base);
        for k in 0..=n {
            places_to_break.push(At::Before(k));
        }
        for k in 0..n {
            places_to_break.push(At::Arriving(k));
            places_to_break.push(At::During(k));
        }
    }
    let mut best: Option<(u32, Crew)> = None;
    let mut first: Option<Crew> = None;
    for at in places_to_break {
        let mut timed = crew.clone();
        let mut ok = true;
        let mut taken: Option<u32> = None;
        let mut take = |ready: u32, ok: &mut bool| {
            let b = ready.max(from);
            *ok &= b + rest <= until;
            taken = Some(b);
            b + rest
        };
        let day_start = policy.day_start.minutes();
        let mut clock = if at == At::Base {
            day_start.max(from + rest)
        } else {
            day_start
        };
        let depart = clock;
        let mut km = 0.0;
        for (k, visit) in timed.visits.iter_mut().enumerate() {
            if at == At::Before(k) && k > 0 {
                clock = take(clock, &mut ok);
            }
            let l = leg(k);
            visit.travel_min = l.minutes;
            visit.distance_km = l.km;
            visit.arrive = Clock(clock + l.minutes);
            let mut ready = visit.arrive.minutes();
            if at == At::Arriving(k) {
                ready = take(ready, &mut ok);
            }
            let req = &reqs[k];
            let start = ready.max(req.hours.open.minutes());
            let mut end = start + req.duration_min;
            if at == At::During(k) {
                let b = start.max(from);
                ok &= b < end;
                take(start, &mut ok);
                end += rest;
            }
            ok &= end <= req.hours.close.minutes();
            visit.start = Clock(start);
            visit.end = Clock(end);
            clock = end;
            km += l.km;
        }
        if at == At::Before(n) && n > 0 {
            clock = take(clock, &mut ok);
        }
        if at == At::Before(0) {
            ok = false; // That is leaving after a meal at the base.
        }
        let back = leg(n);
        timed.depart = Clock(depart);
        timed.return_ = Clock(clock + back.minutes);
        timed.distance_km = km + back.km;
        timed.breaks = taken
            .map(|b| {
                vec![sweep_solver::model::Break {
                    start: Clock(b),
                    end: Clock(b + rest),
                }]
            })
            .unwrap_or_default();
        let ret = timed.return_.minutes();
        let needs_break = rest > 0 && depart < from + rest && ret + rest > until;
        ok &= ret <= policy.day_end.minutes() && (taken.is_some() || !needs_break);
        if first.is_none() {
            first = Some(timed.clone());
        }
        if ok && best.as_ref().is_none_or(|(r, _)| ret < *r) {
            best = Some((ret, timed));
        }
    }
    *crew = best.map(|(_, c)| c).or(first).expect("one timing tried");
}

/// Recomputes the roster's KPIs from its crews (after a deliberate edit elsewhere).
pub fn refresh_kpis(instance: &Instance, roster: &mut Roster) {
    let mut days = std::collections::HashMap::<&str, u32>::new();
    let mut rates = 0.0;
    let mut person_days = 0;
    for crew in &roster.crews {
        let mut seen: Vec<&str> = Vec::new();
        for id in &crew.experts {
            if seen.contains(&id.as_str()) {
                continue;
            }
            seen.push(id);
            person_days += 1;
            if let Some(e) = instance.experts.iter().find(|e| &e.id == id) {
                *days.entry(&e.id).or_default() += 1;
                rates += instance.expert_day_rate(e);
            }
        }
    }
    let utilisation: Vec<f64> = instance
        .experts
        .iter()
        .filter(|e| instance.expert_max_days(e) > 0)
        .map(|e| *days.get(e.id.as_str()).unwrap_or(&0) as f64 / instance.expert_max_days(e) as f64)
        .collect();
    let mean = utilisation.iter().sum::<f64>() / utilisation.len().max(1) as f64;
    let spread = (utilisation.iter().map(|u| (u - mean).powi(2)).sum::<f64>()
        / utilisation.len().max(1) as f64)
        .sqrt();
    let visited: std::collections::HashSet<&str> = roster
        .crews
        .iter()
        .flat_map(|c| c.visits.iter().map(|v| v.enterprise.as_str()))
        .collect();
    let due_weight: f64 = roster.due.iter().map(|d| d.weight).sum();
    let done = roster
        .due
        .iter()
        .filter(|d| visited.contains(d.enterprise.as_str()));
    let km: f64 = roster.crews.iter().map(|c| c.distance_km).sum();
    let k = &mut roster.kpis;
    k.scheduled = done.clone().count() as u32;
    k.mandatory_scheduled = done.clone().filter(|d| d.mandatory).count() as u32;
    k.weighted_coverage = if due_weight > 0.0 {
        done.map(|d| d.weight).sum::<f64>() / due_weight
    } else {
        1.0
    };
    k.expert_days = person_days;
    k.distance_km = km;
    k.cost_cny = rates + km * instance.policy.cost_per_km;
    k.workload_spread = spread;
}

/// Path of the built command-line binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hazard-sweep"))
}

/// `TWO_FIRMS` with a travel matrix over its places (district D1's base, where officer O1
/// starts, and firms F1 and F2), with F2 moved onto F1's coordinates: every leg differs
/// from the great-circle one (which would be 0 between F1 and F2), so a test on it fails
/// if the matrix is ignored anywhere.
pub fn matrix_two_firms() -> Instance {
    let mut instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
    instance.enterprises[1].location = instance.enterprises[0].location;
    instance.travel = Some(sweep_solver::model::Travel {
        network: None,
        matrix: Some(sweep_solver::model::Matrix {
            ids: vec!["D1".into(), "F1".into(), "F2".into()],
            minutes: vec![vec![0, 37, 41], vec![36, 0, 23], vec![40, 22, 0]],
            km: vec![
                vec![0.0, 21.456, 24.0],
                vec![21.5, 0.0, 12.25],
                vec![24.1, 12.3, 0.0],
            ],
        }),
    });
    instance
}

/// The leg `(minutes, km)` of `instance`'s travel matrix from place `from` to place `to`.
pub fn matrix_leg(instance: &Instance, from: &str, to: &str) -> (u32, f64) {
    let matrix = instance
        .travel
        .as_ref()
        .and_then(|t| t.matrix.as_ref())
        .expect("a matrix");
    let at = |id: &str| matrix.ids.iter().position(|x| x == id).expect("listed");
    let (i, j) = (at(from), at(to));
    (matrix.minutes[i][j], matrix.km[i][j])
}
