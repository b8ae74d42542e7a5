//! The travel model against a brute-force reference (Floyd–Warshall over all node pairs)
//! on random small road networks.

use proptest::prelude::*;
use sweep_solver::model::*;
use sweep_solver::travel::TravelModel;

fn instance_with(network: Option<Network>) -> Instance {
    let mut instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
    instance.travel = network.map(|n| Travel {
        network: Some(n),
        matrix: None,
    });
    instance
}

const CLASSES: [RoadClass; 4] = [
    RoadClass::Expressway,
    RoadClass::National,
    RoadClass::County,
    RoadClass::Local,
];

/// Reference legs: nearest node by great-circle, all-pairs shortest (time, km) paths.
fn reference(network: &Network, places: &[Location]) -> Vec<Vec<Option<(u32, f64)>>> {
    let n = network.nodes.len();
    let inf = (f64::INFINITY, f64::INFINITY);
    let mut dist = vec![vec![inf; n]; n];
    for (i, row) in dist.iter_mut().enumerate() {
        row[i] = (0.0, 0.0);
    }
    let index = |id: &str| network.nodes.iter().position(|x| x.id == id).unwrap();
    for e in &network.edges {
        let (a, b) = (index(&e.from), index(&e.to));
        let cost = (e.km / e.class.speed_kmh() * 60.0, e.km);
        for (x, y) in [(a, b), (b, a)] {
            if cost < dist[x][y] {
                dist[x][y] = cost;
            }
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                let via = (dist[i][k].0 + dist[k][j].0, dist[i][k].1 + dist[k][j].1);
                if via < dist[i][j] {
                    dist[i][j] = via;
                }
            }
        }
    }
    let snap = |p: Location| {
        let (i, km) = network
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                (
                    i,
                    p.great_circle_km(Location {
                        lat: node.lat,
                        lon: node.lon,
                    }),
                )
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .unwrap();
        (i, km * 1.3 / 30.0 * 60.0, km * 1.3)
    };
    places
        .iter()
        .map(|&a| {
            places
                .iter()
                .map(|&b| {
                    if a == b {
                        return Some((0, 0.0));
                    }
                    let ((i, ta, ka), (j, tb, kb)) = (snap(a), snap(b));
                    let (t, k) = dist[i][j];
                    t.is_finite()
                        .then(|| (((ta + t + tb) - 1e-7).ceil() as u32, ka + k + kb))
                })
                .collect()
        })
        .collect()
}

prop_compose! {
    fn network_and_places()(n in 2usize..9)(
        coords in prop::collection::vec((38.0f64..38.6, 116.0f64..116.8), n),
        edges in prop::collection::vec((0..n, 0..n, 1.05f64..1.6, 0usize..4), 0..(n * 2)),
        extra in prop::collection::vec((38.0f64..38.6, 116.0f64..116.8), 1..4),
    ) -> (Network, Vec<Location>) {
        let nodes: Vec<Node> = coords.iter().enumerate().map(|(i, (lat, lon))| Node { id: format!("n{i}"), lat: *lat, lon: *lon }).collect();
        let edges = edges
            .into_iter()
            .filter(|(a, b, _, _)| a != b)
            .map(|(a, b, detour, class)| {
                let (p, q) = (&nodes[a], &nodes[b]);
                let km = Location { lat: p.lat, lon: p.lon }.great_circle_km(Location { lat: q.lat, lon: q.lon }) * detour;
                Edge { from: p.id.clone(), to: q.id.clone(), km, class: CLASSES[class] }
            })
            .collect();
        let mut places: Vec<Location> = nodes.iter().map(|x| Location { lat: x.lat, lon: x.lon }).collect();
        places.extend(extra.into_iter().map(|(lat, lon)| Location { lat, lon }));
        (Network { nodes, edges }, places)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn shortest_paths_match_brute_force((network, places) in network_and_places()) {
        let model = TravelModel::new(&instance_with(Some(network.clone()))).unwrap();
        let matrix = model.matrix(&places);
        let want = reference(&network, &places);
        #[allow(clippy::needless_range_loop)] // the matrix is read by (i, j), like `want`
        for i in 0..places.len() {
            for j in 0..places.len() {
                let got = matrix.get(i, j).map(|l| (l.minutes, l.km));
                match (got, want[i][j]) {
                    (None, None) => {}
                    (Some((m, k)), Some((rm, rk))) => {
                        prop_assert_eq!(m, rm, "minutes {} -> {}", i, j);
                        prop_assert!((k - rk).abs() <= 0.006, "km {} -> {}: {} vs {}", i, j, k, rk);
                    }
                    other => prop_assert!(false, "reachability differs {} -> {}: {:?}", i, j, other),
                }
            }
        }
    }
}

#[test]
fn without_a_network_legs_are_great_circle_times_1_3_at_50_kmh() {
    let model = TravelModel::new(&instance_with(None)).unwrap();
    let a = Location {
        lat: 38.3,
        lon: 116.8,
    };
    let b = Location {
        lat: 38.5,
        lon: 117.1,
    };
    let leg = model.leg(a, b).unwrap();
    let km = a.great_circle_km(b) * 1.3;
    assert_eq!(leg.minutes, (km / 50.0 * 60.0).ceil() as u32);
    assert!((leg.km - km).abs() < 0.006);
    assert_eq!(model.leg(a, a).unwrap().minutes, 0);
}

#[test]
fn a_network_with_an_unknown_node_is_refused() {
    let network = Network {
        nodes: vec![Node {
            id: "a".into(),
            lat: 38.3,
            lon: 116.8,
        }],
        edges: vec![Edge {
            from: "a".into(),
            to: "zz".into(),
            km: 3.0,
            class: RoadClass::Local,
        }],
    };
    assert!(TravelModel::new(&instance_with(Some(network))).is_err());
}

mod common;

/// Every crew's legs (base → visits → base) as the matrix gives them.
fn assert_timed_by_the_matrix(instance: &Instance, roster: &Roster) {
    let mut visits = 0;
    for crew in &roster.crews {
        assert_eq!(crew.officer, "O1");
        let mut at = "D1"; // O1 has no base of their own: the district's.
        let mut km = 0.0;
        for visit in &crew.visits {
            let (minutes, leg_km) = common::matrix_leg(instance, at, &visit.enterprise);
            assert_eq!(visit.travel_min, minutes, "{at} → {}", visit.enterprise);
            assert_eq!(visit.distance_km, sweep_solver::travel::round_km(leg_km));
            assert!(visit.arrive.minutes() >= crew.depart.minutes() + minutes);
            km += sweep_solver::travel::round_km(leg_km);
            at = &visit.enterprise;
            visits += 1;
        }
        let (back, back_km) = common::matrix_leg(instance, at, "D1");
        let last_end = crew.visits.last().expect("a crew visits").end.minutes();
        assert!(crew.return_.minutes() >= last_end + back);
        km += back_km;
        assert!((crew.distance_km - km).abs() < 0.02, "{crew:?}");
    }
    assert_eq!(visits, 2, "both firms are overdue and placed: {roster:#?}");
}

#[test]
fn a_travel_matrix_times_the_solve_and_the_checker() {
    let instance = common::matrix_two_firms();
    let imported = hazard_sweep::import::read_instance_json(
        &serde_json::to_string(&instance).unwrap(),
        "matrix.json",
    );
    assert!(imported.problems.is_empty(), "{:#?}", imported.problems);
    let roster = common::solve_checked(&instance, 2);
    assert_timed_by_the_matrix(&instance, &roster);
    // The two firms share coordinates: the matrix, not the location, gives their leg.
    let model = TravelModel::new(&instance).unwrap();
    let (f1, f2) = (&instance.enterprises[0], &instance.enterprises[1]);
    let leg = model
        .leg(
            sweep_solver::travel::Place::firm(f1),
            sweep_solver::travel::Place::firm(f2),
        )
        .unwrap();
    assert_eq!((leg.minutes, leg.km), (23, 12.25));
    assert_eq!(
        model.leg(f1.location, f2.location),
        None,
        "a bare location names no place"
    );
}

#[test]
fn a_roster_timed_with_other_legs_than_the_matrix_is_reported() {
    let instance = common::matrix_two_firms();
    let roster = common::solve_checked(&instance, 1);
    // The same roster against great-circle travel, and a great-circle roster against the
    // matrix: each leg differs, so each is a travel mismatch.
    let mut great_circle = instance.clone();
    great_circle.travel = None;
    let codes = |i: &Instance, r: &Roster| -> std::collections::BTreeSet<&'static str> {
        sweep_solver::check(i, r).iter().map(|v| v.code).collect()
    };
    assert!(codes(&great_circle, &roster).contains("time.travel_mismatch"));
    let other = common::solve_checked(&great_circle, 1);
    let found = sweep_solver::check(&instance, &other);
    let mismatched: Vec<_> = found
        .iter()
        .filter(|v| v.code == "time.travel_mismatch")
        .collect();
    assert_eq!(
        mismatched.len(),
        other.crews.iter().map(|c| c.visits.len()).sum::<usize>(),
        "every visit's leg: {found:#?}"
    );
    // One leg of the matrix changed under a finished roster: that visit, and only its
    // leg's facts, are reported.
    let mut changed = instance.clone();
    let first = &roster.crews[0].visits[0].enterprise;
    let matrix = changed.travel.as_mut().unwrap().matrix.as_mut().unwrap();
    let j = matrix.ids.iter().position(|id| id == first).unwrap();
    matrix.minutes[0][j] += 30;
    let found = sweep_solver::check(&changed, &roster);
    assert!(
        found
            .iter()
            .any(|v| v.code == "time.travel_mismatch"
                && v.enterprise.as_deref() == Some(first.as_str())),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|v| v.code == "time.arrival_mismatch"),
        "{found:#?}"
    );
}

#[test]
fn a_matrix_missing_a_place_leaves_no_leg_and_no_panic() {
    let mut instance = common::matrix_two_firms();
    instance
        .travel
        .as_mut()
        .unwrap()
        .matrix
        .as_mut()
        .unwrap()
        .minutes[1]
        .pop();
    assert!(TravelModel::new(&instance).is_err());
    assert!(sweep_solver::solve(&instance, &Default::default()).is_err());
    let mut instance = common::matrix_two_firms();
    let matrix = instance.travel.as_mut().unwrap().matrix.as_mut().unwrap();
    matrix.ids[2] = "elsewhere".into();
    let roster = sweep_solver::solve(&instance, &Default::default()).unwrap();
    assert!(
        roster.unscheduled.iter().any(|u| u.enterprise == "F2"),
        "{roster:#?}"
    );
    assert!(sweep_solver::check(&instance, &roster).is_empty());
}
