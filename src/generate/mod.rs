//! Deterministic generator of realistic registries: a Cangzhou-like city, and the tiny,
//! province and nation scales built from the same template.
//!
//! Same scale, seed and month → byte-identical files. The output is the CSV/TOML layout
//! that `import` reads (docs/data-format.md), so generated data exercises the same path as
//! a bureau's own.

mod geography;
mod names;
mod write;

use chrono::{Datelike, Months, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sweep_solver::model::*;
use sweep_solver::travel::round_km;

pub use write::write_registries;

use geography::{
    CANGZHOU, CHEMICAL_PARKS, DistrictSeed, EXPRESSWAYS, HEBEI, NATIONAL_ROADS, SECTOR_MIX, shift,
};

/// How big a data set to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// One district: ~420 firms, ~30 due visits a month, 10 experts, 2 officers.
    Tiny,
    /// A Cangzhou-like city: 16 divisions, ~7,900 firms, 150 experts, 18 officers.
    City,
    /// 11 such cities (Hebei): ~87,000 firms, ~1,650 experts, ~200 officers.
    Province,
    /// 330 such cities: a benchmark only.
    Nation,
}

/// Registries of one data set, before they are written.
pub struct Registries {
    /// The instance minus its horizon and name (which the import sets).
    pub instance: Instance,
}

/// Generates the registries for `month` (history runs up to the month before).
pub fn generate(scale: Scale, seed: u64, month: NaiveDate) -> Registries {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cities: Vec<(String, String, (f64, f64))> = match scale {
        Scale::Tiny | Scale::City => vec![("".into(), "沧州".into(), geography::CANGZHOU_CENTRE)],
        Scale::Province => HEBEI
            .iter()
            .map(|(c, n, p)| (format!("{c}-"), n.to_string(), *p))
            .collect(),
        Scale::Nation => (0..330)
            .map(|i| {
                let lat = 23.0 + (i % 22) as f64 * 1.0 + rng.random::<f64>() * 0.5;
                let lon = 101.0 + (i / 22) as f64 * 1.3 + rng.random::<f64>() * 0.5;
                (format!("C{i:03}-"), format!("城市{i:03}"), (lat, lon))
            })
            .collect(),
    };
    let mut b = Builder {
        rng,
        month,
        instance: empty_instance(month),
        seed,
    };
    for (prefix, name, centre) in &cities {
        match scale {
            Scale::Tiny => b.city(prefix, name, *centre, &CANGZHOU[13..14], 0.65, 10),
            _ => b.city(prefix, name, *centre, CANGZHOU, 1.0, 150),
        }
    }
    b.lattice();
    if cities.len() > 1 {
        b.link_cities(&cities);
    }
    b.calendar();
    Registries {
        instance: b.instance,
    }
}

fn empty_instance(month: NaiveDate) -> Instance {
    Instance {
        name: String::new(),
        horizon: Horizon {
            start: month,
            end: month,
        },
        calendar: Calendar::default(),
        policy: Policy {
            seed: 2027,
            ..Policy::default()
        },
        districts: Vec::new(),
        officers: Vec::new(),
        experts: Vec::new(),
        enterprises: Vec::new(),
        history: Vec::new(),
        findings: Vec::new(),
        travel: Some(Travel {
            network: Some(Network::default()),
            matrix: None,
        }),
    }
}

struct Builder {
    rng: ChaCha8Rng,
    month: NaiveDate,
    instance: Instance,
    seed: u64,
}

impl Builder {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    /// Roughly normal noise (Irwin–Hall of 4 uniforms), standard deviation `sd`.
    fn noise(&mut self, sd: f64) -> f64 {
        let sum: f64 = (0..4).map(|_| self.rng.random::<f64>()).sum();
        (sum - 2.0) * sd * 1.732
    }

    fn date_in(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0);
        from + chrono::Duration::days(self.rng.random_range(0..=days))
    }

    fn network(&mut self) -> &mut Network {
        self.instance
            .travel
            .as_mut()
            .and_then(|t| t.network.as_mut())
            .expect("generator always builds a network")
    }

    /// One city from the template: districts, officers, experts, firms, history, findings, roads.
    fn city(
        &mut self,
        prefix: &str,
        city_name: &str,
        centre: (f64, f64),
        template: &[DistrictSeed],
        firm_factor: f64,
        experts: usize,
    ) {
        let first_firm = self.instance.enterprises.len();
        let first_expert = self.instance.experts.len();
        // Multi-city scales name each record's city so that cities are planned apart.
        let city = (!prefix.is_empty()).then(|| city_name.to_string());
        for seed in template {
            let base = shift(seed.seat, centre);
            let id = format!("{prefix}{}", seed.code);
            let name = if prefix.is_empty() {
                seed.name.to_string()
            } else {
                format!("{city_name}{}", seed.name)
            };
            self.instance.districts.push(District {
                id: id.clone(),
                name,
                base,
                city: city.clone(),
            });
            let officer = names::person(&mut self.rng);
            self.instance.officers.push(Officer {
                id: format!("{prefix}O-{}", seed.code),
                name: officer,
                district: id.clone(),
                base: None,
                unavailable: Vec::new(),
                max_days: None,
                city: None,
            });
        }
        // City-level officers take the firms beyond a district officer's 443.
        let city_officers = if template.len() > 1 { 2 } else { 1 };
        for k in 1..=city_officers {
            let name = names::person(&mut self.rng);
            self.instance.officers.push(Officer {
                id: format!("{prefix}O-CITY{k}"),
                name,
                district: CITY_LEVEL.to_string(),
                base: Some(shift(template[0].seat, centre)),
                unavailable: Vec::new(),
                max_days: None,
                city: city.clone(),
            });
        }
        for officer in self
            .instance
            .officers
            .iter_mut()
            .rev()
            .take(template.len() + city_officers)
        {
            let absent = 0..self.rng.random_range(0..3u32);
            for _ in absent {
                let day = self.month + chrono::Duration::days(self.rng.random_range(0..28));
                if !officer.unavailable.contains(&day) {
                    officer.unavailable.push(day);
                }
            }
            officer.unavailable.sort();
        }

        for seed in template {
            self.firms(prefix, centre, seed, firm_factor, city_officers);
        }
        self.experts(prefix, city.as_deref(), centre, experts, first_firm);
        self.history_and_findings(first_firm, first_expert);
        self.city_roads(prefix, centre, template);
    }

    fn firms(
        &mut self,
        prefix: &str,
        centre: (f64, f64),
        seed: &DistrictSeed,
        factor: f64,
        city_officers: usize,
    ) {
        let district = format!("{prefix}{}", seed.code);
        let count = (seed.firms as f64 * factor).round() as u32;
        let cap = self.instance.policy.max_firms_per_officer;
        let base = shift(seed.seat, centre);
        let mut chem_index = 0;
        for n in 0..count {
            let sector = if n < seed.fireworks {
                Sector::Fireworks
            } else {
                self.sector(seed)
            };
            // Chemical firms of the coastal division cluster in the Bohai New Area parks.
            let mut at = (base.lat + self.noise(0.07), base.lon + self.noise(0.09));
            let mut park = None;
            if sector == Sector::HazardousChemicals && seed.code == "HH" {
                chem_index += 1;
                let r = (chem_index as f64 * 0.618).fract();
                let mut acc = 0.0;
                for (name, p, share) in CHEMICAL_PARKS {
                    acc += share;
                    if r < acc {
                        let c = shift(*p, centre);
                        at = (c.lat + self.noise(0.02), c.lon + self.noise(0.025));
                        park = Some(*name);
                        break;
                    }
                }
            }
            let officer = if n < cap {
                format!("{prefix}O-{}", seed.code)
            } else {
                format!(
                    "{prefix}O-CITY{}",
                    1 + (n as usize + seed.firms as usize) % city_officers
                )
            };
            let firm = self.firm(
                format!("{district}-{n:04}"),
                district.clone(),
                Location {
                    lat: at.0,
                    lon: at.1,
                },
                sector,
                officer,
                park,
            );
            self.instance.enterprises.push(firm);
        }
    }

    fn sector(&mut self, seed: &DistrictSeed) -> Sector {
        let weights: Vec<(Sector, f64)> = SECTOR_MIX
            .iter()
            .map(|(s, w)| {
                (
                    *s,
                    w * seed
                        .emphasis
                        .iter()
                        .find(|(e, _)| e == s)
                        .map_or(1.0, |(_, m)| *m),
                )
            })
            .collect();
        let total: f64 = weights.iter().map(|(_, w)| w).sum();
        let mut r = self.rng.random::<f64>() * total;
        for (s, w) in &weights {
            if r < *w {
                return *s;
            }
            r -= w;
        }
        weights[0].0
    }

    fn firm(
        &mut self,
        id: String,
        district: String,
        location: Location,
        sector: Sector,
        officer: String,
        park: Option<&str>,
    ) -> Enterprise {
        let chem = matches!(sector, Sector::HazardousChemicals);
        let risk_draw = self.rng.random::<f64>();
        let (red, orange, yellow) = if chem || sector == Sector::Fireworks {
            (0.07, 0.25, 0.45)
        } else {
            (0.02, 0.08, 0.28)
        };
        let risk = if risk_draw < red {
            Risk::Red
        } else if risk_draw < red + orange {
            Risk::Orange
        } else if risk_draw < red + orange + yellow {
            Risk::Yellow
        } else {
            Risk::Blue
        };
        let mut processes = Vec::new();
        let mut major_hazard_level = 0;
        if chem {
            if self.chance(0.30) {
                for _ in 0..self.rng.random_range(1..=3) {
                    let p = *self.pick(Process::ALL);
                    if !processes.contains(&p) {
                        processes.push(p);
                    }
                }
            }
            if self.chance(0.30) {
                major_hazard_level = *self.pick(&[1, 2, 3, 3, 4, 4, 4]);
            }
        }
        let standardization = *self.pick(&[
            Some(1),
            Some(2),
            Some(2),
            Some(3),
            Some(3),
            Some(3),
            None,
            None,
        ]);
        let group = if chem && self.chance(0.12) {
            Some(self.pick(names::GROUPS).to_string())
        } else {
            None
        };
        let hours = match sector {
            Sector::CrowdedVenue => Some(Hours {
                open: Clock::hm(9, 0),
                close: Clock::hm(21, 0),
            }),
            Sector::Construction => Some(Hours {
                open: Clock::hm(7, 30),
                close: Clock::hm(17, 30),
            }),
            _ => None,
        };
        let mut closed_dates = Vec::new();
        if self.chance(0.03) {
            // A maintenance shutdown of a few days.
            let start = self.month + chrono::Duration::days(self.rng.random_range(0..25));
            closed_dates.extend(
                (0..self.rng.random_range(2..6)).map(|d| start + chrono::Duration::days(d)),
            );
        }
        let name = names::firm(&mut self.rng, sector, park);
        let required_specialties = if sector == Sector::NonCoalMining && self.chance(0.5) {
            Some(vec![Specialty::Mining, Specialty::Blasting])
        } else {
            None
        };
        Enterprise {
            id,
            name,
            district,
            location,
            group,
            sector,
            risk,
            major_hazard_level,
            processes,
            standardization,
            blacklisted: self.chance(0.004),
            officer,
            hours,
            closed_dates,
            required_specialties,
            min_tier: None,
            team_size: None,
            duration_min: None,
        }
    }

    fn experts(
        &mut self,
        prefix: &str,
        city: Option<&str>,
        centre: (f64, f64),
        count: usize,
        first_firm: usize,
    ) {
        use Specialty as S;
        // Primary specialties weighted by the demand of the sector mix.
        let primary: &[(S, u32)] = &[
            (S::Process, 16),
            (S::Equipment, 16),
            (S::Electrical, 14),
            (S::SafetyManagement, 8),
            (S::FireSafety, 9),
            (S::Fireworks, 3),
            (S::Mining, 3),
            (S::Blasting, 2),
            (S::Metallurgy, 7),
            (S::SpecialEquipment, 7),
            (S::Construction, 7),
            (S::Transport, 4),
            (S::OccupationalHealth, 6),
            (S::Gas, 3),
            (S::Power, 2),
        ];
        let total: u32 = primary.iter().map(|p| p.1).sum();
        let tiers: Vec<Tier> = if count <= 10 {
            vec![
                Tier::National,
                Tier::Provincial,
                Tier::Provincial,
                Tier::Provincial,
                Tier::City,
                Tier::City,
                Tier::City,
                Tier::City,
                Tier::City,
                Tier::City,
            ]
        } else {
            (0..count)
                .map(|i| {
                    if i < count / 15 {
                        Tier::National
                    } else if i < count * 50 / 150 {
                        Tier::Provincial
                    } else {
                        Tier::City
                    }
                })
                .collect()
        };
        let firms = self.instance.enterprises.len() - first_firm;
        for (i, &tier) in tiers.iter().enumerate().take(count) {
            // Cycle through the specialties first so that every one is in the pool.
            let spec = if i < primary.len() && count > 10 {
                primary[i].0
            } else if count <= 10 {
                [
                    S::Process,
                    S::Equipment,
                    S::Electrical,
                    S::Mining,
                    S::Construction,
                    S::FireSafety,
                    S::Electrical,
                    S::Process,
                    S::Equipment,
                    S::Blasting,
                ][i % 10]
            } else {
                let mut r = self.rng.random_range(0..total);
                primary
                    .iter()
                    .find(|(_, w)| {
                        if r < *w {
                            true
                        } else {
                            r -= w;
                            false
                        }
                    })
                    .map_or(S::Process, |p| p.0)
            };
            let mut specialties = vec![spec];
            for _ in 0..self.rng.random_range(0..=2) {
                let extra = primary[self.rng.random_range(0..primary.len())].0;
                if !specialties.contains(&extra) {
                    specialties.push(extra);
                }
            }
            if count <= 10 {
                let more = [
                    S::SpecialEquipment,
                    S::OccupationalHealth,
                    S::Metallurgy,
                    S::Gas,
                    S::Transport,
                    S::SafetyManagement,
                    S::FireSafety,
                    S::Construction,
                    S::Fireworks,
                    S::Power,
                ][i % 10];
                if !specialties.contains(&more) {
                    specialties.push(more);
                }
            }
            let title = match tier {
                Tier::National => Title::Senior,
                Tier::Provincial => *self.pick(&[Title::Senior, Title::AssociateSenior]),
                Tier::City => *self.pick(&[
                    Title::Senior,
                    Title::AssociateSenior,
                    Title::AssociateSenior,
                    Title::Intermediate,
                ]),
            };
            let end_of_month = self
                .month
                .checked_add_months(Months::new(1))
                .expect("valid month")
                - chrono::Duration::days(1);
            // A few appointments run out during the plan's month.
            let certified_until = if i % 37 == 5 {
                self.date_in(
                    self.month + chrono::Duration::days(5),
                    end_of_month - chrono::Duration::days(5),
                )
            } else {
                self.date_in(self.month + Months::new(4), self.month + Months::new(34))
            };
            let home = shift(
                (
                    geography::CANGZHOU_CENTRE.0 + self.noise(0.25),
                    geography::CANGZHOU_CENTRE.1 + self.noise(0.35),
                ),
                centre,
            );
            let mut unavailable = Vec::new();
            for _ in 0..self.rng.random_range(0..4) {
                let d = self.month + chrono::Duration::days(self.rng.random_range(0..28));
                if !unavailable.contains(&d) {
                    unavailable.push(d);
                }
            }
            unavailable.sort();
            let mut avoid_enterprises = Vec::new();
            let mut avoid_groups = Vec::new();
            if firms > 0 && self.chance(0.25) {
                for _ in 0..self.rng.random_range(1..=3) {
                    let f = first_firm + self.rng.random_range(0..firms);
                    avoid_enterprises.push(self.instance.enterprises[f].id.clone());
                }
            }
            if self.chance(0.06) {
                avoid_groups.push(self.pick(names::GROUPS).to_string());
            }
            let name = names::person(&mut self.rng);
            self.instance.experts.push(Expert {
                id: format!("{prefix}E{:03}", i + 1),
                name,
                tier,
                title,
                specialties,
                certified_until,
                home,
                unavailable,
                max_days: None,
                day_rate: None,
                avoid_enterprises,
                avoid_groups,
                // Provincial and national experts are the province's shared pool.
                city: if tier == Tier::City {
                    city.map(str::to_string)
                } else {
                    None
                },
            });
        }
    }

    /// A year of expert sweeps at each firm's frequency (with a random phase, some late),
    /// enforcement inspections, and findings from the last months.
    fn history_and_findings(&mut self, first_firm: usize, first_expert: usize) {
        let start = self.month;
        let year_ago = start - Months::new(12);
        let experts: Vec<String> = self.instance.experts[first_expert..]
            .iter()
            .map(|e| e.id.clone())
            .collect();
        for f in first_firm..self.instance.enterprises.len() {
            let (id, risk) = (
                self.instance.enterprises[f].id.clone(),
                self.instance.enterprises[f].risk,
            );
            let months = match risk {
                Risk::Red => 3,
                Risk::Orange => 6,
                Risk::Yellow => 12,
                Risk::Blue => 0,
            };
            if months > 0 {
                // Phase: days since the last sweep, mostly within the period, 4 % late.
                let period_days = months as i64 * 30;
                let late = self.chance(0.04);
                let since = if late {
                    period_days + self.rng.random_range(5..60)
                } else {
                    self.rng.random_range(1..=period_days)
                };
                let mut date = start - chrono::Duration::days(since);
                while date >= year_ago {
                    let crew: Vec<String> = (0..3).map(|_| self.pick(&experts).clone()).collect();
                    self.instance.history.push(Inspection {
                        enterprise: id.clone(),
                        date,
                        experts: crew,
                        kind: InspectionKind::ExpertSweep,
                    });
                    date = date - Months::new(months);
                }
            } else if self.chance(0.08) {
                let date = self.date_in(year_ago, start - chrono::Duration::days(1));
                let crew: Vec<String> = (0..2).map(|_| self.pick(&experts).clone()).collect();
                self.instance.history.push(Inspection {
                    enterprise: id.clone(),
                    date,
                    experts: crew,
                    kind: InspectionKind::ExpertSweep,
                });
            }
            if self.chance(0.35) {
                let date = self.date_in(year_ago, start - chrono::Duration::days(1));
                self.instance.history.push(Inspection {
                    enterprise: id.clone(),
                    date,
                    experts: Vec::new(),
                    kind: InspectionKind::Enforcement,
                });
            }
            let finding_odds = match risk {
                Risk::Red => 0.12,
                Risk::Orange => 0.05,
                Risk::Yellow => 0.012,
                Risk::Blue => 0.003,
            };
            if self.chance(finding_odds) {
                let found_on =
                    self.date_in(start - Months::new(3), start - chrono::Duration::days(3));
                let severity = if self.chance(0.3) {
                    Severity::Major
                } else {
                    Severity::General
                };
                let deadline = found_on
                    + chrono::Duration::days(if severity == Severity::Major { 60 } else { 30 });
                let rectified = self.chance(0.35);
                let n = self.instance.findings.len() + 1;
                self.instance.findings.push(Finding {
                    id: format!("H{n:05}"),
                    enterprise: id,
                    severity,
                    found_on,
                    deadline,
                    rectified,
                });
            }
        }
        self.instance.history.sort_by(|a, b| {
            a.date
                .cmp(&b.date)
                .then_with(|| a.enterprise.cmp(&b.enterprise))
        });
    }

    /// A city's seats with the expressways and national roads between them.
    fn city_roads(&mut self, prefix: &str, centre: (f64, f64), template: &[DistrictSeed]) {
        let seat = |code: &str| {
            template
                .iter()
                .find(|s| s.code == code)
                .map(|s| shift(s.seat, centre))
        };
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for s in template {
            let at = shift(s.seat, centre);
            nodes.push(Node {
                id: format!("{prefix}S-{}", s.code),
                lat: at.lat,
                lon: at.lon,
            });
        }
        let mut link = |a: &str, b: &str, class: RoadClass| {
            if let (Some(x), Some(y)) = (seat(a), seat(b)) {
                let km = x.great_circle_km(y) * 1.1;
                edges.push(Edge {
                    from: format!("{prefix}S-{a}"),
                    to: format!("{prefix}S-{b}"),
                    km: round_km(km.max(0.1)),
                    class,
                });
            }
        };
        for chain in EXPRESSWAYS {
            for pair in chain.windows(2) {
                link(pair[0], pair[1], RoadClass::Expressway);
            }
        }
        for (a, b) in NATIONAL_ROADS {
            link(a, b, RoadClass::National);
        }
        let net = self.network();
        net.nodes.extend(nodes);
        net.edges.extend(edges);
    }

    /// One county-road lattice every 0.1° over all the seats (every 4th line a county
    /// road, the rest local roads), and every seat joined to its nearest lattice node.
    /// One lattice for all cities, so neighbouring cities' roads meet.
    fn lattice(&mut self) {
        let seats: Vec<Location> = self
            .network()
            .nodes
            .iter()
            .map(|n| Location {
                lat: n.lat,
                lon: n.lon,
            })
            .collect();
        let margin = 0.25;
        let lat0 = seats.iter().map(|s| s.lat).fold(f64::MAX, f64::min) - margin;
        let lat1 = seats.iter().map(|s| s.lat).fold(f64::MIN, f64::max) + margin;
        let lon0 = seats.iter().map(|s| s.lon).fold(f64::MAX, f64::min) - margin;
        let lon1 = seats.iter().map(|s| s.lon).fold(f64::MIN, f64::max) + margin;
        let rows = ((lat1 - lat0) / 0.1).ceil() as usize + 1;
        let cols = ((lon1 - lon0) / 0.1).ceil() as usize + 1;
        let width = if rows.max(cols) > 100 { 3 } else { 2 };
        let grid_id = |r: usize, c: usize| format!("G{r:0width$}-{c:0width$}");
        let at = |r: usize, c: usize| Location {
            lat: lat0 + r as f64 * 0.1,
            lon: lon0 + c as f64 * 0.1,
        };
        let detour = 1.15;
        let mut nodes = Vec::with_capacity(rows * cols);
        let mut edges = Vec::with_capacity(rows * cols * 2);
        for r in 0..rows {
            for c in 0..cols {
                let p = at(r, c);
                nodes.push(Node {
                    id: grid_id(r, c),
                    lat: round5(p.lat),
                    lon: round5(p.lon),
                });
                let class = if r % 4 == 0 || c % 4 == 0 {
                    RoadClass::County
                } else {
                    RoadClass::Local
                };
                for (r2, c2) in [(r + 1, c), (r, c + 1)] {
                    if r2 < rows && c2 < cols {
                        let km = p.great_circle_km(at(r2, c2)) * detour;
                        edges.push(Edge {
                            from: grid_id(r, c),
                            to: grid_id(r2, c2),
                            km: round_km(km),
                            class,
                        });
                    }
                }
            }
        }
        let seat_ids: Vec<String> = self.network().nodes.iter().map(|n| n.id.clone()).collect();
        for (id, seat) in seat_ids.into_iter().zip(seats) {
            let r = (((seat.lat - lat0) / 0.1).round() as usize).min(rows - 1);
            let c = (((seat.lon - lon0) / 0.1).round() as usize).min(cols - 1);
            let km = seat.great_circle_km(at(r, c)) * detour;
            edges.push(Edge {
                from: id,
                to: grid_id(r, c),
                km: round_km(km.max(0.1)),
                class: RoadClass::National,
            });
        }
        let net = self.network();
        net.nodes.extend(nodes);
        net.edges.extend(edges);
    }

    /// Expressways between neighbouring cities' first seats, for multi-city scales.
    fn link_cities(&mut self, cities: &[(String, String, (f64, f64))]) {
        let mut edges = Vec::new();
        for (i, (a, _, pa)) in cities.iter().enumerate() {
            let la = Location {
                lat: pa.0,
                lon: pa.1,
            };
            let mut near: Vec<(f64, usize)> = cities
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(j, (_, _, pb))| {
                    (
                        la.great_circle_km(Location {
                            lat: pb.0,
                            lon: pb.1,
                        }),
                        j,
                    )
                })
                .collect();
            near.sort_by(|x, y| x.0.total_cmp(&y.0));
            for (km, j) in near.into_iter().take(3) {
                if j > i || km > 0.0 {
                    edges.push(Edge {
                        from: format!("{a}S-XH"),
                        to: format!("{}S-XH", cities[j].0),
                        km: round_km(km * 1.15),
                        class: RoadClass::Expressway,
                    });
                }
            }
        }
        self.network().edges.extend(edges);
    }

    /// Chinese public holidays and adjusted working days of the month's year, and the
    /// sensitive periods of that year.
    fn calendar(&mut self) {
        let year = self.month.year();
        let (holidays, workdays) = names::public_holidays(year);
        self.instance.calendar.holidays = holidays;
        self.instance.calendar.extra_workdays = workdays;
        let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
        self.instance.calendar.periods = vec![
            Period {
                name: "全国两会".into(),
                start: d(3, 3),
                end: d(3, 12),
                kind: PeriodKind::Focus,
                sectors: vec![
                    Sector::HazardousChemicals,
                    Sector::CrowdedVenue,
                    Sector::Fireworks,
                ],
                boost: 0.5,
            },
            Period {
                name: "国庆前集中整治".into(),
                start: d(9, 15),
                end: d(9, 30),
                kind: PeriodKind::Focus,
                sectors: vec![
                    Sector::Fireworks,
                    Sector::CrowdedVenue,
                    Sector::HazardousChemicals,
                ],
                boost: 0.5,
            },
            Period {
                name: "年终考核".into(),
                start: d(12, 28),
                end: d(12, 31),
                kind: PeriodKind::Blackout,
                sectors: Vec::new(),
                boost: 0.0,
            },
        ];
        self.instance.policy.seed = self.seed;
    }
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}
