//! Places: Cangzhou's 16 county-level divisions with approximate seat coordinates and the
//! local industry mix, its coastal chemical parks and expressways; the 11 cities of Hebei
//! for the province scale.

use sweep_solver::model::{Location, Sector};

/// A county-level division of a city template.
pub struct DistrictSeed {
    /// Short code used in ids.
    pub code: &'static str,
    /// Chinese name.
    pub name: &'static str,
    /// Approximate seat (bureau) location.
    pub seat: (f64, f64),
    /// Registered firms at city scale.
    pub firms: u32,
    /// Sectors this division has more of than the city's mix (multiplier).
    pub emphasis: &'static [(Sector, f64)],
    /// Fireworks producers and wholesalers located here.
    pub fireworks: u32,
}

/// Cangzhou (沧州), Hebei: 2 districts, 9 counties and 4 county-level cities, with the
/// coastal chemical industry around Huanghua and the Bohai New Area, petrochemicals at
/// Renqiu (Huabei oilfield), castings and pipe fittings at Botou, Mengcun and Yanshan.
pub const CANGZHOU: &[DistrictSeed] = &[
    DistrictSeed {
        code: "XH",
        name: "新华区",
        seat: (38.314, 116.866),
        firms: 460,
        emphasis: &[(Sector::CrowdedVenue, 2.0), (Sector::SpecialEquipment, 1.5)],
        fireworks: 0,
    },
    DistrictSeed {
        code: "YH",
        name: "运河区",
        seat: (38.310, 116.832),
        firms: 480,
        emphasis: &[(Sector::CrowdedVenue, 2.0), (Sector::Construction, 1.5)],
        fireworks: 0,
    },
    DistrictSeed {
        code: "CX",
        name: "沧县",
        seat: (38.219, 116.750),
        firms: 500,
        emphasis: &[(Sector::HazardousChemicals, 1.3)],
        fireworks: 2,
    },
    DistrictSeed {
        code: "QX",
        name: "青县",
        seat: (38.583, 116.804),
        firms: 443,
        emphasis: &[(Sector::SpecialEquipment, 1.3)],
        fireworks: 1,
    },
    DistrictSeed {
        code: "DG",
        name: "东光县",
        seat: (37.888, 116.537),
        firms: 443,
        emphasis: &[(Sector::OccupationalHealth, 1.4)],
        fireworks: 2,
    },
    DistrictSeed {
        code: "HX",
        name: "海兴县",
        seat: (38.143, 117.497),
        firms: 443,
        emphasis: &[(Sector::HazardousChemicals, 1.5)],
        fireworks: 3,
    },
    DistrictSeed {
        code: "YS",
        name: "盐山县",
        seat: (38.058, 117.231),
        firms: 443,
        emphasis: &[(Sector::Metallurgy, 3.0)],
        fireworks: 2,
    },
    DistrictSeed {
        code: "SN",
        name: "肃宁县",
        seat: (38.423, 115.830),
        firms: 443,
        emphasis: &[(Sector::OccupationalHealth, 1.5)],
        fireworks: 2,
    },
    DistrictSeed {
        code: "NP",
        name: "南皮县",
        seat: (38.039, 116.709),
        firms: 443,
        emphasis: &[(Sector::Metallurgy, 1.5)],
        fireworks: 3,
    },
    DistrictSeed {
        code: "WQ",
        name: "吴桥县",
        seat: (37.628, 116.391),
        firms: 443,
        emphasis: &[(Sector::CrowdedVenue, 2.0)],
        fireworks: 3,
    },
    DistrictSeed {
        code: "XX",
        name: "献县",
        seat: (38.190, 116.123),
        firms: 450,
        emphasis: &[(Sector::Construction, 1.3)],
        fireworks: 3,
    },
    DistrictSeed {
        code: "MC",
        name: "孟村回族自治县",
        seat: (38.054, 117.104),
        firms: 443,
        emphasis: &[(Sector::Metallurgy, 3.0)],
        fireworks: 1,
    },
    DistrictSeed {
        code: "BT",
        name: "泊头市",
        seat: (38.084, 116.578),
        firms: 500,
        emphasis: &[(Sector::Metallurgy, 2.5)],
        fireworks: 1,
    },
    DistrictSeed {
        code: "RQ",
        name: "任丘市",
        seat: (38.712, 116.099),
        firms: 650,
        emphasis: &[
            (Sector::HazardousChemicals, 2.5),
            (Sector::NonCoalMining, 4.0),
            (Sector::CityGas, 1.5),
        ],
        fireworks: 0,
    },
    DistrictSeed {
        code: "HH",
        name: "黄骅市",
        seat: (38.371, 117.330),
        firms: 850,
        emphasis: &[
            (Sector::HazardousChemicals, 3.5),
            (Sector::DangerousGoodsTransport, 2.0),
        ],
        fireworks: 1,
    },
    DistrictSeed {
        code: "HJ",
        name: "河间市",
        seat: (38.446, 116.099),
        firms: 500,
        emphasis: &[(Sector::SpecialEquipment, 1.3)],
        fireworks: 0,
    },
];

/// Coastal chemical parks of the Bohai New Area, in 黄骅市 (HH): name, centre, share of
/// the division's chemical firms.
pub const CHEMICAL_PARKS: &[(&str, (f64, f64), f64)] = &[
    ("临港经济技术开发区", (38.330, 117.700), 0.30),
    ("中捷产业园区", (38.540, 117.430), 0.20),
    ("南大港产业园区", (38.470, 117.290), 0.15),
];

/// Expressways as chains of division codes (G3 京沪, G1811 黄石, G45 大广, G18 荣乌,
/// 沿海高速), joined seat to seat.
pub const EXPRESSWAYS: &[&[&str]] = &[
    &["QX", "XH", "BT", "DG", "WQ"],
    &["HH", "YH", "XX", "SN"],
    &["RQ", "HJ", "XX"],
    &["HH", "QX", "RQ"],
    &["HX", "HH"],
];

/// National and provincial roads between seats.
pub const NATIONAL_ROADS: &[(&str, &str)] = &[
    ("XH", "YS"),
    ("YS", "HX"),
    ("XH", "MC"),
    ("MC", "YS"),
    ("YH", "NP"),
    ("NP", "BT"),
    ("NP", "DG"),
    ("HJ", "SN"),
    ("XX", "BT"),
    ("CX", "YH"),
    ("CX", "XX"),
    ("XH", "CX"),
    ("XH", "YH"),
    ("QX", "HJ"),
];

/// City base mix of sectors (share of registered firms, before emphasis).
pub const SECTOR_MIX: &[(Sector, f64)] = &[
    (Sector::HazardousChemicals, 0.10),
    (Sector::NonCoalMining, 0.005),
    (Sector::Metallurgy, 0.09),
    (Sector::SpecialEquipment, 0.12),
    (Sector::Construction, 0.15),
    (Sector::CrowdedVenue, 0.17),
    (Sector::OccupationalHealth, 0.16),
    (Sector::DangerousGoodsTransport, 0.07),
    (Sector::CityGas, 0.03),
];

/// The 11 prefecture-level cities of Hebei, for the province scale: code, name, centre.
pub const HEBEI: &[(&str, &str, (f64, f64))] = &[
    ("SJZ", "石家庄", (38.04, 114.51)),
    ("TS", "唐山", (39.63, 118.18)),
    ("QHD", "秦皇岛", (39.94, 119.60)),
    ("HD", "邯郸", (36.63, 114.54)),
    ("XT", "邢台", (37.07, 114.50)),
    ("BD", "保定", (38.87, 115.46)),
    ("ZJK", "张家口", (40.77, 114.89)),
    ("CD", "承德", (40.95, 117.96)),
    ("CZ", "沧州", (38.30, 116.84)),
    ("LF", "廊坊", (39.54, 116.68)),
    ("HS", "衡水", (37.74, 115.67)),
];

/// Cangzhou's centre, around which the template's offsets are taken.
pub const CANGZHOU_CENTRE: (f64, f64) = (38.30, 116.84);

/// Shifts a template point from Cangzhou to another city's centre.
pub fn shift(point: (f64, f64), centre: (f64, f64)) -> Location {
    Location {
        lat: point.0 - CANGZHOU_CENTRE.0 + centre.0,
        lon: point.1 - CANGZHOU_CENTRE.1 + centre.1,
    }
}
