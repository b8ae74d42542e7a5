//! Property tests: random small instances, whatever their quirks, give rosters that pass
//! the independent checker, account for every due firm, and repeat exactly.

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use sweep_solver::model::*;
use sweep_solver::{SolveOptions, check, solve};

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 1).unwrap() + chrono::Duration::days(offset as i64)
}

prop_compose! {
    fn arb_expert(index: usize)(
        tier in 0usize..3,
        title in 0usize..3,
        specs in prop::collection::vec(0usize..Specialty::ALL.len(), 1..4),
        cert in 0u32..40,
        away in prop::collection::vec(0u32..14, 0..3),
        max_days in prop::option::of(0u32..5),
        avoid in prop::collection::vec(0usize..12, 0..2),
        city in prop::option::of(0usize..2),
    ) -> Expert {
        let mut specialties: Vec<Specialty> = specs.into_iter().map(|s| Specialty::ALL[s]).collect();
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
            city: city.map(|c| format!("C{c}")),
        }
    }
}

prop_compose! {
    fn arb_firm(index: usize, districts: usize)(
        district in 0..districts,
        dlat in -0.3f64..0.3,
        dlon in -0.3f64..0.3,
        sector in 0usize..Sector::ALL.len(),
        risk in 0usize..4,
        hazard in 0u8..5,
        process in prop::option::of(0usize..18),
        grade in prop::option::of(1u8..4),
        open in 7u32..12,
        closed in prop::collection::vec(0u32..14, 0..4),
        last_sweep in prop::option::of(1u32..400),
    ) -> (Enterprise, Option<u32>) {
        let firm = Enterprise {
            id: format!("F{index}"),
            name: format!("企业{index}"),
            district: format!("D{district}"),
            location: Location { lat: 38.3 + dlat, lon: 116.8 + dlon },
            group: None,
            sector: Sector::ALL[sector],
            risk: Risk::ALL[risk],
            major_hazard_level: hazard,
            processes: process.map(|p| vec![Process::ALL[p]]).unwrap_or_default(),
            standardization: grade,
            blacklisted: false,
            officer: format!("O{district}"),
            hours: Some(Hours { open: Clock::hm(open, 0), close: Clock::hm(open + 9, 0) }),
            closed_dates: closed.into_iter().map(day).collect(),
            required_specialties: None,
            min_tier: None,
            team_size: None,
            duration_min: None,
        };
        (firm, last_sweep)
    }
}

fn arb_instance() -> impl Strategy<Value = Instance> {
    (
        1usize..3,
        2usize..8,
        1usize..12,
        0.0f64..0.5,
        any::<u64>(),
        prop::option::of(0u32..10),
        any::<bool>(),
    )
        .prop_flat_map(
            |(districts, experts, firms, share, seed, blackout, cities)| {
                let experts = (0..experts).map(arb_expert).collect::<Vec<_>>();
                let firms = (0..firms)
                    .map(move |i| arb_firm(i, districts))
                    .collect::<Vec<_>>();
                (
                    Just(districts),
                    experts,
                    firms,
                    Just(share),
                    Just(seed),
                    Just(blackout),
                    Just(cities),
                )
            },
        )
        .prop_map(
            |(districts, mut experts, firms, share, seed, blackout, cities)| {
                // With `cities`, each district is a city of its own ("C0", "C1"); experts keep
                // their drawn city (or none: shared). Without, nobody has a city.
                let city_of = |d: usize| cities.then(|| format!("C{d}"));
                for e in &mut experts {
                    e.city = e
                        .city
                        .take()
                        .filter(|_| cities)
                        .map(|c| if districts == 1 { "C0".into() } else { c });
                }
                let mut officers: Vec<Officer> = (0..districts)
                    .map(|d| Officer {
                        id: format!("O{d}"),
                        name: format!("干部{d}"),
                        district: format!("D{d}"),
                        base: None,
                        unavailable: vec![day(d as u32)],
                        max_days: Some(4),
                        city: None,
                    })
                    .collect();
                officers.push(Officer {
                    id: "OC".into(),
                    name: "市级".into(),
                    district: CITY_LEVEL.into(),
                    base: Some(Location {
                        lat: 38.3,
                        lon: 116.8,
                    }),
                    unavailable: vec![],
                    max_days: None,
                    city: city_of(0),
                });
                let history = firms
                    .iter()
                    .filter_map(|(f, last)| {
                        last.map(|d| Inspection {
                            enterprise: f.id.clone(),
                            date: day(0) - chrono::Duration::days(d as i64),
                            experts: vec!["E0".into()],
                            kind: InspectionKind::ExpertSweep,
                        })
                    })
                    .collect();
                let findings = firms
                    .iter()
                    .take(2)
                    .enumerate()
                    .map(|(i, (f, _))| Finding {
                        id: format!("H{i}"),
                        enterprise: f.id.clone(),
                        severity: Severity::Major,
                        found_on: day(0) - chrono::Duration::days(20),
                        deadline: day(3 + i as u32 * 4),
                        rectified: false,
                    })
                    .collect();
                Instance {
                    name: "random".into(),
                    horizon: Horizon {
                        start: day(0),
                        end: day(13),
                    },
                    calendar: Calendar {
                        holidays: vec![day(4)],
                        extra_workdays: vec![day(6)],
                        periods: blackout
                            .map(|b| Period {
                                name: "停检".into(),
                                start: day(b),
                                end: day(b + 2),
                                kind: PeriodKind::Blackout,
                                sectors: vec![],
                                boost: 0.0,
                            })
                            .into_iter()
                            .collect(),
                    },
                    policy: Policy {
                        random_share: share,
                        seed,
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
                            city: city_of(d),
                        })
                        .collect(),
                    officers,
                    experts,
                    enterprises: firms.into_iter().map(|(f, _)| f).collect(),
                    history,
                    findings,
                    travel: None,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn random_instances_give_valid_fully_accounted_rosters(instance in arb_instance(), threads in 1usize..3, iterations in 0usize..25) {
        let roster = solve(&instance, &SolveOptions { threads, iterations: Some(iterations), ..Default::default() }).unwrap();
        let violations = check(&instance, &roster);
        prop_assert!(violations.is_empty(), "{:#?}", violations);
        let visited: Vec<&str> = roster.crews.iter().flat_map(|c| c.visits.iter().map(|v| v.enterprise.as_str())).collect();
        for due in &roster.due {
            let placed = visited.contains(&due.enterprise.as_str());
            let explained = roster.unscheduled.iter().find(|u| u.enterprise == due.enterprise);
            prop_assert!(placed != explained.is_some(), "{} must be scheduled or explained, once", due.enterprise);
            if let Some(u) = explained {
                prop_assert!(!u.code.is_empty() && u.message.len() > 20, "{:?}", u);
            }
        }
    }

    #[test]
    fn same_instance_seed_and_threads_give_the_same_roster(instance in arb_instance(), threads in 1usize..3, iterations in 0usize..25) {
        let options = SolveOptions { threads, iterations: Some(iterations), ..Default::default() };
        let mut a = solve(&instance, &options).unwrap();
        let mut b = solve(&instance, &options).unwrap();
        a.solver.seconds = 0.0;
        b.solver.seconds = 0.0;
        prop_assert_eq!(a, b);
    }

    #[test]
    fn the_construction_does_not_depend_on_the_thread_count(instance in arb_instance()) {
        let with = |threads| {
            let mut r = solve(&instance, &SolveOptions { threads, ..Default::default() }).unwrap();
            r.solver.seconds = 0.0;
            r.solver.threads = 0;
            r
        };
        prop_assert_eq!(with(1), with(4));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn improvement_never_loses_a_mandatory_visit_or_weight(instance in arb_instance()) {
        let greedy = solve(&instance, &SolveOptions::default()).unwrap();
        let improved = solve(&instance, &SolveOptions { iterations: Some(30), threads: 2, ..Default::default() }).unwrap();
        prop_assert!(check(&instance, &improved).is_empty());
        let key = |r: &sweep_solver::model::Roster| (r.kpis.mandatory_scheduled, (r.kpis.weighted_coverage * 1e6).round() as i64);
        prop_assert!(key(&improved) >= key(&greedy), "{:?} < {:?}", key(&improved), key(&greedy));
    }
}
