//! The travel model against a brute-force reference (Floyd–Warshall over all node pairs)
//! on random small road networks.

use proptest::prelude::*;
use sweep_solver::model::*;
use sweep_solver::travel::TravelModel;

fn instance_with(network: Option<Network>) -> Instance {
    let mut instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
    instance.travel = network.map(|n| Travel { network: Some(n) });
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
