//! Travel times and distances between places (CONTRACT.md's travel model).
//!
//! Legs are asked for between [`Place`]s: the id the instance names a place by (a firm,
//! an officer's base, a district's base, an expert's home) and its location.
//!
//! With a travel matrix (`travel.matrix`): the leg is the matrix's cell for the two ids,
//! its minutes as given and its km rounded to 0.01; a place the matrix does not list has
//! no leg. With a road network: each location is joined to its nearest node
//! (great-circle) by a connector of great-circle km × 1.3 at 30 km/h; between nodes, the
//! time-shortest path over two-way edges at their class speed. Without either:
//! great-circle km × 1.3 at 50 km/h. The network and great-circle models route by
//! location only, so two places at one location have the same legs there (and a zero
//! leg between them); a matrix routes by id only. A leg's minutes are its exact time
//! rounded up to a whole minute; its km are rounded to 0.01 km so that sums over a
//! roster compare exactly.

use std::collections::HashMap;
use std::ops::Add;

use petgraph::algo::dijkstra;
use petgraph::graph::{NodeIndex, UnGraph};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::limits;
use crate::model::{Enterprise, Expert, Instance, Location, Matrix, Network, Officer};

/// Detour factor from great-circle to road km.
pub const DETOUR: f64 = 1.3;
/// Speed of a connector between a location and its nearest node, km/h.
pub const CONNECTOR_KMH: f64 = 30.0;
/// Speed without a network, km/h.
pub const FALLBACK_KMH: f64 = 50.0;

/// One trip between two locations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    /// Whole minutes, rounded up.
    pub minutes: u32,
    /// Road km, rounded to 0.01.
    pub km: f64,
}

impl Leg {
    /// The leg from a place to itself.
    pub const ZERO: Leg = Leg {
        minutes: 0,
        km: 0.0,
    };

    fn from_exact(minutes: f64, km: f64) -> Leg {
        // Subtract a hair before rounding up so that 12.000000001 minutes of float noise
        // does not become 13.
        Leg {
            minutes: (minutes - 1e-7).ceil().max(0.0) as u32,
            km: round_km(km),
        }
    }
}

/// Rounds km to 0.01, the precision rosters carry.
pub fn round_km(km: f64) -> f64 {
    (km * 100.0).round() / 100.0
}

/// Where a leg starts or ends: the id the instance names the place by, and its location.
///
/// The network and great-circle models route by `at`; a travel matrix by `id`. A bare
/// [`Location`] converts to a place with no id (`""`), which only those two can route.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'a> {
    /// The id of the place in `travel.matrix.ids`: an enterprise, officer, district or
    /// expert id.
    pub id: &'a str,
    /// Where the place is.
    pub at: Location,
}

impl<'a> Place<'a> {
    /// A firm's site, named by its enterprise id.
    pub fn firm(firm: &'a Enterprise) -> Place<'a> {
        Place {
            id: &firm.id,
            at: firm.location,
        }
    }

    /// An expert's home, named by the expert id.
    pub fn home(expert: &'a Expert) -> Place<'a> {
        Place {
            id: &expert.id,
            at: expert.home,
        }
    }

    /// Where the officer's crews start and end, as [`Instance::officer_base`] decides: the
    /// officer's own base (named by the officer id), else their district's base (named by
    /// the district id); `None` without either.
    pub fn officer_base(instance: &'a Instance, officer: &'a Officer) -> Option<Place<'a>> {
        match officer.base {
            Some(at) => Some(Place {
                id: &officer.id,
                at,
            }),
            None => instance
                .districts
                .iter()
                .find(|d| d.id == officer.district)
                .map(|d| Place {
                    id: &d.id,
                    at: d.base,
                }),
        }
    }
}

impl From<Location> for Place<'static> {
    fn from(at: Location) -> Place<'static> {
        Place { id: "", at }
    }
}

/// A problem with the travel data that makes it unusable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TravelError {
    /// An edge names a node that is not in the network.
    #[error("edge {edge} names unknown node `{node}`")]
    UnknownNode {
        /// Index of the edge.
        edge: usize,
        /// The missing node id.
        node: String,
    },
    /// A network with no nodes.
    #[error("the road network has no nodes")]
    Empty,
    /// Both a network and a matrix: the matrix replaces the network, so one must go.
    #[error("travel has both a network and a matrix")]
    NetworkAndMatrix,
    /// A matrix whose `minutes` or `km` is not one row of one entry per id.
    #[error("travel.matrix.{field} is not {n} rows of {n} entries")]
    MatrixShape {
        /// `minutes` or `km`.
        field: &'static str,
        /// The number of ids.
        n: usize,
    },
    /// A matrix naming one place twice.
    #[error("travel.matrix.ids lists `{0}` twice")]
    MatrixDuplicate(String),
    /// A leg outside the documented ranges (`limits`).
    #[error("the matrix leg from `{from}` to `{to}` is out of range")]
    MatrixLeg {
        /// The place the leg starts at.
        from: String,
        /// The place it ends at.
        to: String,
    },
}

/// Time and distance along a path: ordered by time, then km, so Dijkstra finds the
/// fastest path and, among equally fast ones, the shortest.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
struct PathCost {
    minutes: f64,
    km: f64,
}

impl Add for PathCost {
    type Output = PathCost;
    fn add(self, other: PathCost) -> PathCost {
        PathCost {
            minutes: self.minutes + other.minutes,
            km: self.km + other.km,
        }
    }
}

struct RoadGraph {
    graph: UnGraph<Location, PathCost>,
    /// The nodes as points on the unit sphere: straight-line (chord) distance grows with
    /// great-circle distance, so the R-tree's nearest node is the great-circle nearest.
    nodes: RTree<GeomWithData<[f64; 3], NodeIndex>>,
}

/// A location on the unit sphere.
fn on_sphere(at: Location) -> [f64; 3] {
    let (lat, lon) = (at.lat.to_radians(), at.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The travel model of one instance.
pub struct TravelModel {
    roads: Option<RoadGraph>,
    matrix: Option<PlaceMatrix>,
}

impl TravelModel {
    /// Builds the model from the instance's travel data.
    pub fn new(instance: &Instance) -> Result<TravelModel, TravelError> {
        let travel = instance.travel.as_ref();
        let network = travel.and_then(|t| t.network.as_ref());
        let matrix = travel.and_then(|t| t.matrix.as_ref());
        if network.is_some() && matrix.is_some() {
            return Err(TravelError::NetworkAndMatrix);
        }
        let roads = network.map(RoadGraph::new).transpose()?;
        let matrix = matrix.map(PlaceMatrix::new).transpose()?;
        Ok(TravelModel { roads, matrix })
    }

    /// A model with no network: great-circle travel.
    pub fn great_circle() -> TravelModel {
        TravelModel {
            roads: None,
            matrix: None,
        }
    }

    /// One leg. For many legs use [`TravelModel::legs`], which shares shortest-path trees.
    pub fn leg<'p>(&self, from: impl Into<Place<'p>>, to: impl Into<Place<'p>>) -> Option<Leg> {
        self.legs(&[from.into()], &[to.into()]).get(0, 0)
    }

    /// All legs between `places` (a square table).
    pub fn matrix<'p, P: Into<Place<'p>> + Copy>(&self, places: &[P]) -> LegMatrix {
        self.legs(places, places)
    }

    /// The legs from every place in `from` to every place in `to`: with a network, one
    /// shortest-path tree per distinct snapped source node, computed in parallel.
    pub fn legs<'p, P: Into<Place<'p>> + Copy>(&self, from: &[P], to: &[P]) -> LegMatrix {
        let from: Vec<Place<'p>> = from.iter().map(|&p| p.into()).collect();
        let to: Vec<Place<'p>> = to.iter().map(|&p| p.into()).collect();
        let cols = to.len();
        let mut legs = vec![None; from.len() * cols];
        match (&self.matrix, &self.roads) {
            (Some(matrix), _) => matrix.fill(&from, &to, &mut legs),
            (None, None) => {
                legs.par_chunks_mut(cols.max(1))
                    .enumerate()
                    .for_each(|(i, row)| {
                        for (j, cell) in row.iter_mut().enumerate() {
                            *cell = Some(great_circle_leg(from[i].at, to[j].at));
                        }
                    });
            }
            (None, Some(roads)) => roads.fill(&from, &to, &mut legs),
        }
        LegMatrix { cols, legs }
    }

    /// The leg of each (from, to) pair: the same legs as [`TravelModel::legs`], computed
    /// pair by pair, for a few legs among many places (a roster's tours) where a matrix
    /// over all the places would not fit in memory.
    pub fn pairs<'p, P: Into<Place<'p>> + Copy>(&self, pairs: &[(P, P)]) -> Vec<Option<Leg>> {
        let pairs: Vec<(Place<'p>, Place<'p>)> = pairs
            .iter()
            .map(|&(from, to)| (from.into(), to.into()))
            .collect();
        match (&self.matrix, &self.roads) {
            (Some(matrix), _) => pairs
                .iter()
                .map(|(from, to)| matrix.leg(from.id, to.id))
                .collect(),
            (None, None) => pairs
                .par_iter()
                .map(|(from, to)| Some(great_circle_leg(from.at, to.at)))
                .collect(),
            (None, Some(roads)) => roads.pairs(&pairs),
        }
    }
}

/// A travel matrix by place id.
struct PlaceMatrix {
    /// Row (and column) of each id.
    index: HashMap<String, usize>,
    /// Number of ids.
    n: usize,
    /// `legs[from * n + to]`.
    legs: Vec<Leg>,
}

impl PlaceMatrix {
    /// Checks the shape and the ranges the solver's arithmetic relies on (the validator
    /// reports each bad cell with its path; this is the guard for an unvalidated instance).
    fn new(matrix: &Matrix) -> Result<PlaceMatrix, TravelError> {
        let n = matrix.ids.len();
        for (field, rows) in [("minutes", matrix.minutes.len()), ("km", matrix.km.len())] {
            let lengths_ok = match field {
                "minutes" => matrix.minutes.iter().all(|r| r.len() == n),
                _ => matrix.km.iter().all(|r| r.len() == n),
            };
            if rows != n || !lengths_ok {
                return Err(TravelError::MatrixShape { field, n });
            }
        }
        let mut index = HashMap::with_capacity(n);
        for (i, id) in matrix.ids.iter().enumerate() {
            if index.insert(id.clone(), i).is_some() {
                return Err(TravelError::MatrixDuplicate(id.clone()));
            }
        }
        let mut legs = Vec::with_capacity(n * n);
        for (i, (minutes, km)) in matrix.minutes.iter().zip(&matrix.km).enumerate() {
            for (j, (&minutes, &km)) in minutes.iter().zip(km).enumerate() {
                if minutes > limits::MAX_LEG_MINUTES || !(0.0..=limits::MAX_LEG_KM).contains(&km) {
                    return Err(TravelError::MatrixLeg {
                        from: matrix.ids[i].clone(),
                        to: matrix.ids[j].clone(),
                    });
                }
                legs.push(Leg {
                    minutes,
                    km: round_km(km),
                });
            }
        }
        Ok(PlaceMatrix { index, n, legs })
    }

    fn leg(&self, from: &str, to: &str) -> Option<Leg> {
        let (a, b) = (*self.index.get(from)?, *self.index.get(to)?);
        Some(self.legs[a * self.n + b])
    }

    fn fill(&self, from: &[Place<'_>], to: &[Place<'_>], legs: &mut [Option<Leg>]) {
        let cols = to.len();
        let rows: Vec<Option<usize>> = from.iter().map(|p| self.index.get(p.id).copied()).collect();
        let columns: Vec<Option<usize>> =
            to.iter().map(|p| self.index.get(p.id).copied()).collect();
        legs.par_chunks_mut(cols.max(1))
            .zip(&rows)
            .for_each(|(row, a)| {
                let Some(a) = *a else { return };
                for (cell, b) in row.iter_mut().zip(&columns) {
                    *cell = b.map(|b| self.legs[a * self.n + b]);
                }
            });
    }
}

fn great_circle_leg(from: Location, to: Location) -> Leg {
    if from == to {
        return Leg::ZERO;
    }
    let km = from.great_circle_km(to) * DETOUR;
    Leg::from_exact(km / FALLBACK_KMH * 60.0, km)
}

impl RoadGraph {
    fn new(network: &Network) -> Result<RoadGraph, TravelError> {
        if network.nodes.is_empty() {
            return Err(TravelError::Empty);
        }
        let mut graph = UnGraph::with_capacity(network.nodes.len(), network.edges.len());
        let mut by_id = HashMap::with_capacity(network.nodes.len());
        for node in &network.nodes {
            let ix = graph.add_node(Location {
                lat: node.lat,
                lon: node.lon,
            });
            by_id.insert(node.id.as_str(), ix);
        }
        for (i, edge) in network.edges.iter().enumerate() {
            let end = |id: &String| {
                by_id
                    .get(id.as_str())
                    .copied()
                    .ok_or_else(|| TravelError::UnknownNode {
                        edge: i,
                        node: id.clone(),
                    })
            };
            let (a, b) = (end(&edge.from)?, end(&edge.to)?);
            let minutes = edge.km / edge.class.speed_kmh() * 60.0;
            graph.add_edge(
                a,
                b,
                PathCost {
                    minutes,
                    km: edge.km,
                },
            );
        }
        let nodes = RTree::bulk_load(
            graph
                .node_indices()
                .map(|ix| GeomWithData::new(on_sphere(graph[ix]), ix))
                .collect(),
        );
        Ok(RoadGraph { graph, nodes })
    }

    /// The nearest node (great-circle; the lowest index among equals) and the connector.
    fn snap(&self, at: Location) -> (NodeIndex, PathCost) {
        let here = on_sphere(at);
        // Candidates in chord order; near-equal chords are re-ranked by great-circle km
        // and index so that the choice does not depend on the tree's layout.
        let mut candidates = self.nodes.nearest_neighbor_iter_with_distance_2(&here);
        let (first, first_d2) = candidates
            .next()
            .expect("a road graph has at least one node");
        let mut best = (at.great_circle_km(self.graph[first.data]), first.data);
        for (node, d2) in candidates {
            if d2 > first_d2 * (1.0 + 1e-9) + 1e-18 {
                break;
            }
            let km = at.great_circle_km(self.graph[node.data]);
            if km < best.0 || (km == best.0 && node.data < best.1) {
                best = (km, node.data);
            }
        }
        let km = best.0 * DETOUR;
        (
            best.1,
            PathCost {
                minutes: km / CONNECTOR_KMH * 60.0,
                km,
            },
        )
    }

    /// The leg of each (from, to) pair, each by a shortest-path search that stops at its
    /// goal (cheap for the short trips of a tour, whatever the network's size).
    fn pairs(&self, pairs: &[(Place<'_>, Place<'_>)]) -> Vec<Option<Leg>> {
        pairs
            .par_iter()
            .map(|&(Place { at: from, .. }, Place { at: to, .. })| {
                if from == to {
                    return Some(Leg::ZERO);
                }
                let ((a, from_conn), (b, to_conn)) = (self.snap(from), self.snap(to));
                let costs = dijkstra(&self.graph, a, Some(b), |e| *e.weight());
                costs.get(&b).map(|path| {
                    let total = from_conn + *path + to_conn;
                    Leg::from_exact(total.minutes, total.km)
                })
            })
            .collect()
    }

    fn fill(&self, from: &[Place<'_>], to: &[Place<'_>], legs: &mut [Option<Leg>]) {
        let cols = to.len();
        let from_snaps: Vec<(NodeIndex, PathCost)> =
            from.par_iter().map(|p| self.snap(p.at)).collect();
        let to_snaps: Vec<(NodeIndex, PathCost)> = to.par_iter().map(|p| self.snap(p.at)).collect();
        let mut sources: Vec<NodeIndex> = from_snaps.iter().map(|s| s.0).collect();
        sources.sort();
        sources.dedup();
        // One shortest-path tree per distinct source node, in `sources` order.
        let trees: Vec<_> = sources
            .par_iter()
            .map(|&s| dijkstra(&self.graph, s, None, |e| *e.weight()))
            .collect();
        legs.par_chunks_mut(cols.max(1))
            .enumerate()
            .for_each(|(i, row)| {
                let (from_node, from_conn) = from_snaps[i];
                let tree = &trees[sources
                    .binary_search(&from_node)
                    .expect("every snapped node is a source")];
                for (j, cell) in row.iter_mut().enumerate() {
                    if from[i].at == to[j].at {
                        *cell = Some(Leg::ZERO);
                        continue;
                    }
                    let (to_node, to_conn) = to_snaps[j];
                    *cell = tree.get(&to_node).map(|path| {
                        let total = from_conn + *path + to_conn;
                        Leg::from_exact(total.minutes, total.km)
                    });
                }
            });
    }
}

/// Legs from a list of places to a list of places, by index; `None` where no road
/// connects them.
#[derive(Debug, Clone)]
pub struct LegMatrix {
    cols: usize,
    legs: Vec<Option<Leg>>,
}

impl LegMatrix {
    /// The leg from place `from` (of the first list) to place `to` (of the second).
    pub fn get(&self, from: usize, to: usize) -> Option<Leg> {
        self.legs[from * self.cols + to]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node, RoadClass};

    fn node(id: &str, lat: f64, lon: f64) -> Node {
        Node {
            id: id.into(),
            lat,
            lon,
        }
    }

    #[test]
    fn prefers_the_faster_road_and_reports_its_km() {
        // a–b direct on a local road (20 km, 40 min) or a–c–b on expressway (30 km, 18 min).
        let net = Network {
            nodes: vec![
                node("a", 38.0, 116.0),
                node("b", 38.0, 116.2),
                node("c", 38.1, 116.1),
            ],
            edges: vec![
                Edge {
                    from: "a".into(),
                    to: "b".into(),
                    km: 20.0,
                    class: RoadClass::Local,
                },
                Edge {
                    from: "a".into(),
                    to: "c".into(),
                    km: 15.0,
                    class: RoadClass::Expressway,
                },
                Edge {
                    from: "c".into(),
                    to: "b".into(),
                    km: 15.0,
                    class: RoadClass::Expressway,
                },
            ],
        };
        let roads = RoadGraph::new(&net).unwrap();
        let model = TravelModel {
            roads: Some(roads),
            matrix: None,
        };
        let leg = model
            .leg(
                Location {
                    lat: 38.0,
                    lon: 116.0,
                },
                Location {
                    lat: 38.0,
                    lon: 116.2,
                },
            )
            .unwrap();
        assert_eq!(
            leg,
            Leg {
                minutes: 18,
                km: 30.0
            }
        );
    }

    #[test]
    fn great_circle_fallback_rounds_minutes_up() {
        let a = Location {
            lat: 38.0,
            lon: 116.0,
        };
        let b = Location {
            lat: 38.0,
            lon: 116.1,
        };
        let leg = TravelModel::great_circle().leg(a, b).unwrap();
        let km = a.great_circle_km(b) * 1.3;
        assert_eq!(leg.minutes, (km / 50.0 * 60.0).ceil() as u32);
        assert_eq!(leg.km, round_km(km));
    }
}
