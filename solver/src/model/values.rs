//! Value types shared by the instance and the roster: clock times, locations and the
//! closed vocabularies of CONTRACT.md (tiers, sectors, specialties, processes, ...).

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that is not one of a closed vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`; expected one of: {expected}")]
pub struct UnknownWord {
    /// The vocabulary, e.g. `sector`.
    pub kind: &'static str,
    /// The text that was given.
    pub value: String,
    /// The accepted words, comma-separated.
    pub expected: String,
}

/// Defines a closed vocabulary: an enum whose JSON and CSV form is the given word.
///
/// Reading (JSON and CSV alike, through `FromStr`) is forgiving where it costs nothing:
/// case, surrounding spaces, and `-` or a space for `_` do not matter, and a variant may
/// list other spellings after its word (`"polymerisation" | "polymerization"`). Writing
/// always gives the canonical word.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident ($kind:literal) { $($(#[$vmeta:meta])* $variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[doc = concat!("`", $text, "`")] #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every word of the vocabulary, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word as written in JSON and CSV.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(text: &str) -> Result<Self, UnknownWord> {
                match normalise_word(text).as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(UnknownWord {
                        kind: $kind,
                        value: text.to_string(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A vocabulary word as compared: trimmed, lower case, `-` and spaces as `_`.
fn normalise_word(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| {
            if c == '-' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

vocabulary! {
    /// The expert pool an expert belongs to. Ordered: `City < Provincial < National`.
    Tier ("tier") { City = "city", Provincial = "provincial", National = "national" }
}

vocabulary! {
    /// An expert's professional title.
    Title ("title") { Intermediate = "intermediate", AssociateSenior = "associate_senior", Senior = "senior" }
}

vocabulary! {
    /// The four-colour risk grade of an enterprise; red is the highest risk.
    Risk ("risk grade") { Red = "red", Orange = "orange", Yellow = "yellow", Blue = "blue" }
}

vocabulary! {
    /// An enterprise's industry sector.
    Sector ("sector") {
        HazardousChemicals = "hazardous_chemicals",
        Fireworks = "fireworks",
        NonCoalMining = "non_coal_mining",
        Metallurgy = "metallurgy",
        SpecialEquipment = "special_equipment",
        Construction = "construction",
        CrowdedVenue = "crowded_venue",
        OccupationalHealth = "occupational_health",
        DangerousGoodsTransport = "dangerous_goods_transport",
        CityGas = "city_gas",
    }
}

vocabulary! {
    /// An expert specialty.
    Specialty ("specialty") {
        Process = "process",
        Equipment = "equipment",
        Electrical = "electrical",
        SafetyManagement = "safety_management",
        FireSafety = "fire_safety",
        Fireworks = "fireworks",
        Mining = "mining",
        Blasting = "blasting",
        Metallurgy = "metallurgy",
        SpecialEquipment = "special_equipment",
        Construction = "construction",
        Transport = "transport",
        OccupationalHealth = "occupational_health",
        Gas = "gas",
        Power = "power",
    }
}

vocabulary! {
    /// The 18 key hazardous chemical processes (重点监管危险化工工艺).
    Process ("process") {
        Phosgenation = "phosgenation",
        ChlorAlkali = "chlor_alkali_electrolysis" | "chloralkali_electrolysis",
        Chlorination = "chlorination",
        Nitration = "nitration",
        AmmoniaSynthesis = "ammonia_synthesis",
        Cracking = "cracking",
        Fluorination = "fluorination",
        Hydrogenation = "hydrogenation",
        Diazotisation = "diazotisation" | "diazotization",
        Oxidation = "oxidation",
        Peroxidation = "peroxidation",
        Amination = "amination",
        Sulfonation = "sulfonation" | "sulphonation",
        Polymerisation = "polymerisation" | "polymerization",
        Alkylation = "alkylation",
        NewCoalChemistry = "new_coal_chemistry",
        CalciumCarbide = "calcium_carbide",
        Azo = "azo",
    }
}

vocabulary! {
    /// The kind of a past inspection.
    InspectionKind ("inspection kind") { ExpertSweep = "expert_sweep", Enforcement = "enforcement" }
}

vocabulary! {
    /// The severity of a hazard found on a visit.
    Severity ("severity") { Major = "major", General = "general" }
}

vocabulary! {
    /// A named calendar period: no routine sweeps (`blackout`) or a sector boost (`focus`).
    PeriodKind ("period kind") { Blackout = "blackout", Focus = "focus" }
}

vocabulary! {
    /// The speed class of a road.
    RoadClass ("road class") { Expressway = "expressway", National = "national", County = "county", Local = "local" }
}

vocabulary! {
    /// Why a firm is on the due list (and so why a visit was scheduled).
    DueReason ("due reason") {
        /// Re-check of an unrectified finding whose deadline is due.
        FollowUp = "follow_up",
        /// Past its frequency before the horizon starts.
        Overdue = "overdue",
        /// Its frequency comes due inside the horizon.
        Frequency = "frequency",
        /// Drawn by the auditable random draw.
        RandomDraw = "random_draw",
        /// Put on the plan by the planner.
        Pinned = "pinned",
    }
}

impl RoadClass {
    /// Travel speed on this class of road, km/h (CONTRACT.md).
    pub fn speed_kmh(self) -> f64 {
        match self {
            RoadClass::Expressway => 100.0,
            RoadClass::National => 70.0,
            RoadClass::County => 50.0,
            RoadClass::Local => 30.0,
        }
    }
}

/// A local clock time of day in whole minutes since midnight; written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Clock(pub u32);

impl Clock {
    /// Builds a clock time from hours and minutes.
    pub const fn hm(hours: u32, minutes: u32) -> Clock {
        Clock(hours * 60 + minutes)
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        self.0
    }
}

/// A clock time that is not `HH:MM` within one day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a clock time HH:MM between 00:00 and 24:00")]
pub struct BadClock(pub String);

impl FromStr for Clock {
    type Err = BadClock;
    fn from_str(text: &str) -> Result<Clock, BadClock> {
        let bad = || BadClock(text.to_string());
        let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u32 = h.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(Clock::hm(h, m))
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Clock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Clock, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Clock {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Clock".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$|^24:00$",
            "description": "Local clock time HH:MM, whole minutes."
        })
    }
}

/// A WGS84 position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl Location {
    /// Great-circle distance in km (haversine on a 6,371 km sphere).
    pub fn great_circle_km(self, other: Location) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = la2 - la1;
        let dlon = (other.lon - self.lon).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().min(1.0).asin()
    }

    /// Whether the point lies in the bounding box of mainland China and Hainan (lat 18–54, lon 73–136).
    ///
    /// A coarse but useful guard: swapped lat/lon or a missing minus sign lands outside.
    pub fn in_china(self) -> bool {
        (18.0..=54.0).contains(&self.lat) && (73.0..=136.0).contains(&self.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_words_are_read_forgivingly_and_written_canonically() {
        for (text, process) in [
            ("polymerization", Process::Polymerisation),
            ("Diazotization", Process::Diazotisation),
            (" sulphonation ", Process::Sulfonation),
            ("chlor-alkali electrolysis", Process::ChlorAlkali),
        ] {
            assert_eq!(text.parse::<Process>(), Ok(process), "{text}");
            let read: Process = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(
                serde_json::to_value(read).unwrap(),
                serde_json::json!(process.as_str())
            );
        }
        assert_eq!(
            "Non-Coal Mining".parse::<Sector>(),
            Ok(Sector::NonCoalMining)
        );
        let unknown = serde_json::from_value::<Risk>(serde_json::json!("purple"))
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("unknown risk grade `purple`")
                && unknown.contains("red, orange, yellow, blue"),
            "{unknown}"
        );
        assert!(serde_json::from_value::<Risk>(serde_json::json!(3)).is_err());
    }

    #[test]
    fn clock_round_trips_and_rejects_garbage() {
        assert_eq!("08:30".parse::<Clock>().unwrap(), Clock::hm(8, 30));
        assert_eq!(Clock::hm(8, 5).to_string(), "08:05");
        for bad in ["8", "25:00", "08:60", "ab:cd", "08:5", "24:01", ""] {
            assert!(bad.parse::<Clock>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn vocabulary_parses_its_words_and_names_the_alternatives() {
        assert_eq!("fireworks".parse::<Sector>().unwrap(), Sector::Fireworks);
        let err = "chem".parse::<Sector>().unwrap_err();
        assert!(err.to_string().contains("hazardous_chemicals"));
        assert!(Tier::City < Tier::National);
        assert_eq!(Process::ALL.len(), 18);
    }

    #[test]
    fn great_circle_is_about_right() {
        // Cangzhou to Tianjin is roughly 100 km as the crow flies.
        let cangzhou = Location {
            lat: 38.30,
            lon: 116.84,
        };
        let tianjin = Location {
            lat: 39.08,
            lon: 117.20,
        };
        let km = cangzhou.great_circle_km(tianjin);
        assert!((80.0..100.0).contains(&km), "{km}");
    }
}
