//! Reads a bureau's registries (CSV files plus `calendar.toml` and `policy.toml`, and an
//! optional road network) into one plan instance.
//!
//! Every problem is collected, never only the first: each with a stable code, the file,
//! the line, the column, the value and what to do. If any is an error, nothing is
//! returned. The column layout of every file is in docs/data-format.md.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;
use sweep_solver::model::*;
use sweep_solver::validate::{Level, Problem, validate};

/// One problem in the registries, located in its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportProblem {
    /// Stable code, e.g. `E1301`.
    pub code: &'static str,
    /// Error or warning.
    pub level: Level,
    /// The file (or `--month` for the command-line argument).
    pub file: String,
    /// Line in the file (1 = the header of a CSV file), where known.
    pub line: Option<usize>,
    /// Column or field name, where known.
    pub column: Option<String>,
    /// The offending value.
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl ImportProblem {
    /// An error about a file (or a line of it) rather than one of its fields.
    pub fn in_file(
        code: &'static str,
        file: &str,
        line: Option<usize>,
        message: String,
        hint: &str,
    ) -> ImportProblem {
        ImportProblem {
            code,
            level: Level::Error,
            file: file.into(),
            line,
            column: None,
            value: String::new(),
            message,
            hint: hint.into(),
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}[{}] {}", self.code, self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, " column `{column}`")?;
        }
        if !self.value.is_empty() {
            write!(f, " value `{}`", self.value)?;
        }
        write!(f, ": {}. {}", self.message, self.hint)
    }
}

/// The result of an import: the instance if there were no errors, and every problem.
#[derive(Debug)]
pub struct Imported {
    /// The instance, unless an error was found.
    pub instance: Option<Instance>,
    /// Errors and warnings, in file order.
    pub problems: Vec<ImportProblem>,
}

/// The registry files, in the order they are read.
pub const DISTRICTS: &str = "districts.csv";
/// Officers registry.
pub const OFFICERS: &str = "officers.csv";
/// Experts registry.
pub const EXPERTS: &str = "experts.csv";
/// Enterprises registry.
pub const ENTERPRISES: &str = "enterprises.csv";
/// Past inspections.
pub const HISTORY: &str = "history.csv";
/// Hazard findings.
pub const FINDINGS: &str = "findings.csv";
/// Calendar.
pub const CALENDAR: &str = "calendar.toml";
/// Policy.
pub const POLICY: &str = "policy.toml";
/// Optional road network nodes.
pub const ROAD_NODES: &str = "road_nodes.csv";
/// Optional road network edges.
pub const ROAD_EDGES: &str = "road_edges.csv";
/// Optional travel matrix (replaces the road network).
pub const MATRIX: &str = "matrix.csv";

/// Parses `YYYY-MM` into the first and last day of that month.
// Called once per command; the error is the same located problem every import reports.
#[allow(clippy::result_large_err)]
pub fn month_horizon(month: &str) -> Result<Horizon, ImportProblem> {
    let bad = || ImportProblem {
        code: "E1006",
        level: Level::Error,
        file: "--month".into(),
        line: None,
        column: None,
        value: month.into(),
        message: format!("`{month}` is not a month"),
        hint: "give the month as YYYY-MM between 2000-01 and 2100-12, e.g. 2027-03".into(),
    };
    // Exactly `YYYY-MM` (chrono alone takes `2027-3`, `+10000-01` and a trailing newline),
    // from 2000 to 2100 like every horizon.
    let bytes = month.as_bytes();
    let shaped = bytes.len() == 7
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit());
    if !shaped {
        return Err(bad());
    }
    let start = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    if !sweep_solver::limits::HORIZON_YEARS.contains(&chrono::Datelike::year(&start)) {
        return Err(ImportProblem {
            message: format!("`{month}` is outside the years 2000–2100"),
            ..bad()
        });
    }
    let next = start
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad)?;
    Ok(Horizon {
        start,
        end: next.pred_opt().ok_or_else(bad)?,
    })
}

/// Reads the registries in `dir` for the given horizon.
pub fn import_dir(dir: &Path, horizon: Horizon, name: &str) -> Imported {
    let mut reader = Reader {
        dir: dir.to_path_buf(),
        problems: Vec::new(),
    };
    // The policy is read first (a firm's missing opening or closing time is the policy's),
    // its problems listed where they always were: after the CSV files and the calendar.
    let policy: Policy = reader.toml(POLICY).unwrap_or_default();
    let policy_problems = std::mem::take(&mut reader.problems);
    let districts = reader.section(DISTRICTS, true, read_districts);
    let officers = reader.section(OFFICERS, true, read_officers);
    let experts = reader.section(EXPERTS, true, read_experts);
    let enterprises = match reader.text(ENTERPRISES, true) {
        Some(text) => read_enterprises_with(&text, &policy, &mut reader.problems),
        None => Section {
            records: Vec::new(),
            lines: Vec::new(),
        },
    };
    let history = reader.section(HISTORY, false, read_history);
    let findings = reader.section(FINDINGS, false, read_findings);
    let calendar: Calendar = reader.toml(CALENDAR).unwrap_or_default();
    reader.problems.extend(policy_problems);
    let network = if dir.join(ROAD_NODES).exists() || dir.join(ROAD_EDGES).exists() {
        let nodes = reader.section(ROAD_NODES, true, read_road_nodes);
        let edges = reader.section(ROAD_EDGES, true, read_road_edges);
        Some(Network {
            nodes: nodes.records,
            edges: edges.records,
        })
    } else {
        None
    };
    // With a road network as well, validation refuses the pair (E1524).
    let (matrix, matrix_lines) = match reader.text(MATRIX, false) {
        Some(text) => read_matrix(&text, &mut reader.problems),
        None => (None, MatrixLines::default()),
    };
    let travel = (network.is_some() || matrix.is_some()).then_some(Travel { network, matrix });

    let lines = Lines {
        districts: districts.lines,
        officers: officers.lines,
        experts: experts.lines,
        enterprises: enterprises.lines,
        history: history.lines,
        findings: findings.lines,
        matrix: matrix_lines,
    };
    let instance = Instance {
        name: name.to_string(),
        horizon,
        calendar,
        policy,
        districts: districts.records,
        officers: officers.records,
        experts: experts.records,
        enterprises: enterprises.records,
        history: history.records,
        findings: findings.records,
        travel,
    };
    let mut problems = reader.problems;
    let parse_failed = problems.iter().any(|p| p.level == Level::Error);
    // Semantic checks on a partly-read instance would report dangling references to the
    // rows that failed to parse; run them only on a complete read.
    if !parse_failed {
        problems.extend(validate(&instance).into_iter().map(|p| lines.locate(p)));
    }
    let ok = !problems.iter().any(|p| p.level == Level::Error);
    Imported {
        instance: ok.then_some(instance),
        problems,
    }
}

// Each reader reads every field of a row before it gives up on the row, so a row with
// several bad fields gets a problem for each, not only for the first.

/// Reads `districts.csv` text; problems are added to `problems`.
pub fn read_districts(text: &str, problems: &mut Vec<ImportProblem>) -> Section<District> {
    parse_csv(
        text,
        DISTRICTS,
        &["id", "name", "lat", "lon"],
        problems,
        |r| {
            let (id, name, base) = (r.text("id"), r.text("name"), r.location("lat", "lon"));
            Some(District {
                id: id?,
                name: name?,
                base: base?,
                city: r.optional_text("city"),
            })
        },
    )
}

/// Reads `officers.csv` text.
pub fn read_officers(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Officer> {
    parse_csv(text, OFFICERS, &["id", "name", "district"], problems, |r| {
        let (id, name, district) = (r.text("id"), r.text("name"), r.text("district"));
        let base = r.optional_location("base_lat", "base_lon");
        let unavailable = r.list("unavailable", "E1301");
        let max_days = r.optional("max_days", "E1303");
        Some(Officer {
            id: id?,
            name: name?,
            district: district?,
            base: base?,
            unavailable: unavailable?,
            max_days: max_days?,
            city: r.optional_text("city"),
        })
    })
}

/// Reads `experts.csv` text.
pub fn read_experts(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Expert> {
    parse_csv(
        text,
        EXPERTS,
        &[
            "id",
            "name",
            "tier",
            "title",
            "specialties",
            "certified_until",
            "home_lat",
            "home_lon",
        ],
        problems,
        |r| {
            let (id, name) = (r.text("id"), r.text("name"));
            let tier = r.parse("tier", "E1404");
            let title = r.parse("title", "E1405");
            let specialties = r.list("specialties", "E1402");
            let certified_until = r.parse("certified_until", "E1301");
            let home = r.location("home_lat", "home_lon");
            let unavailable = r.list("unavailable", "E1301");
            let max_days = r.optional("max_days", "E1303");
            let day_rate = r.optional("day_rate", "E1303");
            let avoid_enterprises = r.list("avoid_enterprises", "");
            let avoid_groups = r.list("avoid_groups", "");
            Some(Expert {
                id: id?,
                name: name?,
                tier: tier?,
                title: title?,
                specialties: specialties?,
                certified_until: certified_until?,
                home: home?,
                unavailable: unavailable?,
                max_days: max_days?,
                day_rate: day_rate?,
                avoid_enterprises: avoid_enterprises?,
                avoid_groups: avoid_groups?,
                city: r.optional_text("city"),
            })
        },
    )
}

/// Reads `enterprises.csv` text under the default policy (see [`read_enterprises_with`]).
pub fn read_enterprises(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Enterprise> {
    read_enterprises_with(text, &Policy::default(), problems)
}

/// Reads `enterprises.csv` text. A row that gives only one of `open` and `close` takes the
/// other from `policy.default_hours`; a row that gives neither has no hours of its own
/// (the policy's apply when the plan is made).
pub fn read_enterprises_with(
    text: &str,
    policy: &Policy,
    problems: &mut Vec<ImportProblem>,
) -> Section<Enterprise> {
    parse_csv(
        text,
        ENTERPRISES,
        &[
            "id", "name", "district", "lat", "lon", "sector", "risk", "officer",
        ],
        problems,
        |r| {
            let (id, name, district) = (r.text("id"), r.text("name"), r.text("district"));
            let location = r.location("lat", "lon");
            let sector = r.parse("sector", "E1401");
            let risk = r.parse("risk", "E1406");
            let major_hazard_level = r.optional("major_hazard_level", "E1409");
            let processes = r.list("processes", "E1403");
            let standardization = r.optional("standardization", "E1410");
            let blacklisted = r.flag("blacklisted");
            let officer = r.text("officer");
            let open: Option<Option<Clock>> = r.optional("open", "E1302");
            let close: Option<Option<Clock>> = r.optional("close", "E1302");
            let closed_dates = r.list("closed_dates", "E1301");
            let required_specialties = r.optional_list("required_specialties", "E1402");
            let min_tier = r.optional("min_tier", "E1404");
            let team_size = r.optional("team_size", "E1303");
            let duration_min = r.optional("duration_min", "E1303");
            let hours = match (open?, close?) {
                (None, None) => None,
                (open, close) => {
                    let default = policy.default_hours;
                    Some(Hours {
                        open: open.unwrap_or(default.open),
                        close: close.unwrap_or(default.close),
                    })
                }
            };
            Some(Enterprise {
                id: id?,
                name: name?,
                district: district?,
                location: location?,
                group: r.optional_text("group"),
                sector: sector?,
                risk: risk?,
                major_hazard_level: major_hazard_level?.unwrap_or(0),
                processes: processes?,
                standardization: standardization?,
                blacklisted: blacklisted?,
                officer: officer?,
                hours,
                closed_dates: closed_dates?,
                required_specialties: required_specialties?,
                min_tier: min_tier?,
                team_size: team_size?,
                duration_min: duration_min?,
            })
        },
    )
}

/// Reads `history.csv` text.
pub fn read_history(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Inspection> {
    parse_csv(
        text,
        HISTORY,
        &["enterprise", "date", "kind"],
        problems,
        |r| {
            let (enterprise, date, experts, kind) = (
                r.text("enterprise"),
                r.parse("date", "E1301"),
                r.list("experts", ""),
                r.parse("kind", "E1407"),
            );
            Some(Inspection {
                enterprise: enterprise?,
                date: date?,
                experts: experts?,
                kind: kind?,
            })
        },
    )
}

/// Reads `findings.csv` text.
pub fn read_findings(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Finding> {
    parse_csv(
        text,
        FINDINGS,
        &[
            "id",
            "enterprise",
            "severity",
            "found_on",
            "deadline",
            "rectified",
        ],
        problems,
        |r| {
            let (id, enterprise) = (r.text("id"), r.text("enterprise"));
            let severity = r.parse("severity", "E1408");
            let (found_on, deadline) = (r.parse("found_on", "E1301"), r.parse("deadline", "E1301"));
            let rectified = r.flag("rectified");
            Some(Finding {
                id: id?,
                enterprise: enterprise?,
                severity: severity?,
                found_on: found_on?,
                deadline: deadline?,
                rectified: rectified?,
            })
        },
    )
}

/// Reads `road_nodes.csv` text.
pub fn read_road_nodes(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Node> {
    parse_csv(text, ROAD_NODES, &["id", "lat", "lon"], problems, |r| {
        let (id, at) = (r.text("id"), r.location("lat", "lon"));
        let at = at?;
        Some(Node {
            id: id?,
            lat: at.lat,
            lon: at.lon,
        })
    })
}

/// Reads `road_edges.csv` text.
pub fn read_road_edges(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Edge> {
    parse_csv(
        text,
        ROAD_EDGES,
        &["from", "to", "km", "class"],
        problems,
        |r| {
            let (from, to, km, class) = (
                r.text("from"),
                r.text("to"),
                r.parse("km", "E1303"),
                r.parse("class", "E1411"),
            );
            Some(Edge {
                from: from?,
                to: to?,
                km: km?,
                class: class?,
            })
        },
    )
}

/// One row of `matrix.csv`: the leg from one place to another.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    /// The id of the place the leg starts at.
    pub from: String,
    /// The id of the place it ends at.
    pub to: String,
    /// Whole minutes.
    pub minutes: u32,
    /// Road km.
    pub km: f64,
}

/// Reads the rows of `matrix.csv` text, each on its own (see [`read_matrix`]).
pub fn read_matrix_rows(text: &str, problems: &mut Vec<ImportProblem>) -> Section<MatrixRow> {
    parse_csv(
        text,
        MATRIX,
        &["from", "to", "minutes", "km"],
        problems,
        |r| {
            let (from, to, minutes, km) = (
                r.text("from"),
                r.text("to"),
                r.parse("minutes", "E1303"),
                r.parse("km", "E1303"),
            );
            Some(MatrixRow {
                from: from?,
                to: to?,
                minutes: minutes?,
                km: km?,
            })
        },
    )
}

/// Where the cells of a matrix read from `matrix.csv` came from.
#[derive(Debug, Default, Clone)]
pub struct MatrixLines {
    /// Per id: the first line naming it, and the column (`from` or `to`).
    pub ids: Vec<(usize, &'static str)>,
    /// Per cell `from * ids + to`: the line that gave it (0: not from a line, the leg
    /// from a place to itself).
    pub cells: Vec<usize>,
}

/// Reads `matrix.csv` text (`from,to,minutes,km`, one row per ordered pair of places)
/// into a travel matrix. The ids are the places in the order they first appear, in
/// `from` and then in `to`. A pair given twice is `E1521` on its second line; a pair of
/// two different places with no row is `E1520` (the first 1,000 listed, the rest
/// counted by `E1007`); the leg from a place to itself may be left out and is then 0
/// minutes and 0 km. With any error there is no matrix.
pub fn read_matrix(text: &str, problems: &mut Vec<ImportProblem>) -> (Option<Matrix>, MatrixLines) {
    let before = problems.len();
    let rows = read_matrix_rows(text, problems);
    let parsed = !problems[before..].iter().any(|p| p.level == Level::Error);
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut lines = MatrixLines::default();
    let mut ids = Vec::new();
    for (column, pick) in [
        (
            "from",
            (|r: &MatrixRow| &r.from) as fn(&MatrixRow) -> &String,
        ),
        ("to", |r: &MatrixRow| &r.to),
    ] {
        for (row, &line) in rows.records.iter().zip(&rows.lines) {
            let id = pick(row);
            if !index.contains_key(id) {
                index.insert(id.clone(), ids.len());
                ids.push(id.clone());
                lines.ids.push((line, column));
            }
        }
    }
    let n = ids.len();
    // The legs by (from, to) in a map first: a file of distinct ids and few rows must not
    // allocate the square of its ids before it is known to be complete.
    let mut given: std::collections::HashMap<(usize, usize), (usize, u32, f64)> =
        std::collections::HashMap::with_capacity(rows.records.len());
    let mut errors = !parsed;
    for (row, &line) in rows.records.iter().zip(&rows.lines) {
        let pair = (index[&row.from], index[&row.to]);
        if let Some(&(first, _, _)) = given.get(&pair) {
            problems.push(ImportProblem {
                code: "E1521",
                level: Level::Error,
                file: MATRIX.into(),
                line: Some(line),
                column: Some("to".into()),
                value: format!("{} → {}", row.from, row.to),
                message: format!(
                    "the leg from {} to {} is given twice (first on line {first})",
                    row.from, row.to
                ),
                hint: "give each ordered pair of places once".into(),
            });
            errors = true;
            continue;
        }
        given.insert(pair, (line, row.minutes, row.km));
    }
    if parsed {
        let off_diagonal = given.keys().filter(|(i, j)| i != j).count();
        let missing = n * n.saturating_sub(1) - off_diagonal;
        let mut listed = 0;
        'pairs: for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                if listed == missing.min(MAX_FILE_PROBLEMS) {
                    break 'pairs;
                }
                if given.contains_key(&(i, j)) {
                    continue;
                }
                listed += 1;
                problems.push(ImportProblem {
                    code: "E1520",
                    level: Level::Error,
                    file: MATRIX.into(),
                    line: None,
                    column: Some("to".into()),
                    value: format!("{} → {}", ids[i], ids[j]),
                    message: format!("no row gives the leg from {} to {}", ids[i], ids[j]),
                    hint: "give one row for every ordered pair of places (both directions)".into(),
                });
            }
        }
        if missing > MAX_FILE_PROBLEMS {
            let rest = missing - MAX_FILE_PROBLEMS;
            problems.push(ImportProblem {
                value: rest.to_string(),
                ..ImportProblem::in_file(
                    "E1007",
                    MATRIX,
                    None,
                    format!(
                        "{rest} more missing legs are not listed (the first {MAX_FILE_PROBLEMS} are)"
                    ),
                    "give one row for every ordered pair of places (both directions)",
                )
            });
        }
        errors |= missing > 0;
    }
    if errors {
        return (None, lines);
    }
    // Complete: n² is at most the rows plus the diagonal.
    let mut matrix = Matrix {
        ids,
        minutes: vec![vec![0; n]; n],
        km: vec![vec![0.0; n]; n],
    };
    lines.cells = vec![0; n * n];
    for (&(i, j), &(line, minutes, km)) in &given {
        matrix.minutes[i][j] = minutes;
        matrix.km[i][j] = km;
        lines.cells[i * n + j] = line;
    }
    (Some(matrix), lines)
}

/// Line numbers of each section's records, to place semantic problems in their file.
/// A section read from somewhere other than a CSV file (the service's stored records)
/// has no lines: its problems name the record's position instead.
#[derive(Debug, Default)]
pub struct Lines {
    /// Lines of `districts.csv`'s records.
    pub districts: Vec<usize>,
    /// Lines of `officers.csv`'s records.
    pub officers: Vec<usize>,
    /// Lines of `experts.csv`'s records.
    pub experts: Vec<usize>,
    /// Lines of `enterprises.csv`'s records.
    pub enterprises: Vec<usize>,
    /// Lines of `history.csv`'s records.
    pub history: Vec<usize>,
    /// Lines of `findings.csv`'s records.
    pub findings: Vec<usize>,
    /// Lines of `matrix.csv`'s ids and legs.
    pub matrix: MatrixLines,
}

impl Lines {
    /// Places a semantic problem in its file, line and column.
    pub fn locate(&self, p: Problem) -> ImportProblem {
        let (file, lines): (&str, &[usize]) = match p.place.section {
            "districts" => (DISTRICTS, &self.districts),
            "officers" => (OFFICERS, &self.officers),
            "experts" => (EXPERTS, &self.experts),
            "enterprises" => (ENTERPRISES, &self.enterprises),
            "history" => (HISTORY, &self.history),
            "findings" => (FINDINGS, &self.findings),
            "policy" => (POLICY, &[]),
            "calendar.periods" => (CALENDAR, &[]),
            "horizon" => ("--month", &[]),
            "travel.network.nodes" => (ROAD_NODES, &[]),
            "travel.network.edges" => (ROAD_EDGES, &[]),
            "travel.matrix" => return self.locate_in_matrix(p),
            other => (other, &[]),
        };
        // Road files have no skipped rows, so their line is the index plus the header.
        let line = match p.place.index {
            Some(i) if !lines.is_empty() => lines.get(i).copied(),
            Some(i) if file.ends_with(".csv") => Some(i + 2),
            _ => None,
        };
        let column = match (p.place.section, p.place.field) {
            ("enterprises", "hours") => "open".to_string(),
            ("enterprises", "location") | ("travel.network.nodes", "lat") => "lat".to_string(),
            ("districts", "base") => "lat".to_string(),
            ("officers", "base") => "base_lat".to_string(),
            ("experts", "home") => "home_lat".to_string(),
            (_, field) => field.to_string(),
        };
        ImportProblem {
            code: p.code,
            level: p.level,
            file: file.into(),
            line,
            column: Some(column),
            value: p.value,
            message: p.message,
            hint: p.hint,
        }
    }

    /// A problem in `travel.matrix`, placed on the `matrix.csv` line of its id or leg.
    fn locate_in_matrix(&self, p: Problem) -> ImportProblem {
        let n = self.matrix.ids.len();
        let (line, column) = match (p.place.field, p.place.subscripts.as_slice()) {
            ("ids", &[i]) => match self.matrix.ids.get(i) {
                Some(&(line, column)) => (Some(line), column.to_string()),
                None => (None, "from".to_string()),
            },
            ("ids", _) => (None, "from".to_string()),
            (field, &[i, j]) if i < n && j < n => {
                let line = self.matrix.cells.get(i * n + j).copied().filter(|l| *l > 0);
                (line, field.to_string())
            }
            (field, _) => (None, field.to_string()),
        };
        ImportProblem {
            code: p.code,
            level: p.level,
            file: MATRIX.into(),
            line,
            column: Some(column),
            value: p.value,
            message: p.message,
            hint: p.hint,
        }
    }
}

struct Reader {
    dir: PathBuf,
    problems: Vec<ImportProblem>,
}

/// The records read from one CSV file, with the line each came from.
#[derive(Debug)]
pub struct Section<T> {
    /// The records, in file order.
    pub records: Vec<T>,
    /// The line of each record (1 = the header).
    pub lines: Vec<usize>,
}

impl Reader {
    fn file_problem(
        &mut self,
        code: &'static str,
        file: &str,
        line: Option<usize>,
        message: String,
        hint: &str,
    ) {
        self.problems
            .push(ImportProblem::in_file(code, file, line, message, hint));
    }

    /// Reads a file as UTF-8 text (a leading byte-order mark is dropped), or reports why not.
    fn text(&mut self, file: &str, required: bool) -> Option<String> {
        let path = self.dir.join(file);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if required {
                    self.file_problem(
                        "E1001",
                        file,
                        None,
                        format!("{} is missing", path.display()),
                        "every registry file must be present; see docs/data-format.md",
                    );
                }
                return None;
            }
            Err(e) => {
                self.file_problem(
                    "E1001",
                    file,
                    None,
                    format!("{} cannot be read: {e}", path.display()),
                    "check the file's permissions",
                );
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => Some(
                text.strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text),
            ),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
                self.file_problem(
                    "E1002",
                    file,
                    Some(line),
                    format!("the file is not UTF-8 (bad byte at offset {at})"),
                    "save the file as UTF-8 (Excel: \"CSV UTF-8\"); GBK is not accepted",
                );
                None
            }
        }
    }

    fn toml<T: serde::de::DeserializeOwned>(&mut self, file: &str) -> Option<T> {
        let text = self.text(file, false)?;
        read_toml(&text, file, &mut self.problems)
    }

    /// Reads one CSV file (if present) with its section reader.
    fn section<T>(
        &mut self,
        file: &str,
        required: bool,
        read: fn(&str, &mut Vec<ImportProblem>) -> Section<T>,
    ) -> Section<T> {
        match self.text(file, required) {
            Some(text) => read(&text, &mut self.problems),
            None => Section {
                records: Vec::new(),
                lines: Vec::new(),
            },
        }
    }
}

/// Most problems one CSV file lists. Past them every row is still read (its record kept,
/// its problems counted), and one `E1007` closes the list with the count of the rest: a
/// 200,000-row file with six bad fields a row once held 1.2 million problems (600 MB)
/// that no planner would read.
pub const MAX_FILE_PROBLEMS: usize = 1000;

/// Parses one CSV text: checks the header for `required_columns`, then builds a record
/// from each non-empty row, recording every problem (a bad row is skipped, never fatal;
/// at most [`MAX_FILE_PROBLEMS`] are listed, the rest counted).
fn parse_csv<T>(
    text: &str,
    file: &str,
    required_columns: &[&str],
    problems: &mut Vec<ImportProblem>,
    mut build: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Section<T> {
    let mut section = Section {
        records: Vec::new(),
        lines: Vec::new(),
    };
    let problem = |code: &'static str, line: Option<usize>, message: String, hint: &str| {
        ImportProblem::in_file(code, file, line, message, hint)
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Line endings become `\n` first: the csv crate counts lines by `\n` and dates a
    // record from where the previous one's terminator began, so after Excel's `\r\n`
    // every record was placed a line too early, and Excel for Mac's bare `\r` was never
    // counted (found by fuzzing). A line break inside a quoted field becomes `\n` too.
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            problems.push(problem(
                "E1004",
                Some(1),
                format!("the header cannot be read: {e}"),
                "the first line must name the columns",
            ));
            return section;
        }
    };
    let missing: Vec<&&str> = required_columns
        .iter()
        .filter(|c| !headers.iter().any(|h| h == **c))
        .collect();
    for column in &missing {
        problems.push(ImportProblem {
            column: Some(column.to_string()),
            ..problem(
                "E1003",
                Some(1),
                format!("column `{column}` is missing"),
                "add the column; see docs/data-format.md for each file's columns",
            )
        });
    }
    if !missing.is_empty() {
        return section;
    }
    let keep = problems.len() + MAX_FILE_PROBLEMS;
    let mut omitted = 0;
    for record in reader.records() {
        if problems.len() > keep {
            omitted += problems.len() - keep;
            problems.truncate(keep);
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(problem("E1004", line, format!("the row cannot be read: {e}"), "every row must have as many fields as the header; quote fields that contain commas"));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut row = Row {
            file,
            line,
            headers: &headers,
            record: &record,
            problems,
        };
        if let Some(value) = build(&mut row) {
            section.records.push(value);
            section.lines.push(line);
        }
    }
    if problems.len() > keep {
        omitted += problems.len() - keep;
        problems.truncate(keep);
    }
    if omitted > 0 {
        problems.push(ImportProblem {
            value: omitted.to_string(),
            ..problem(
                "E1007",
                None,
                format!("{omitted} more problems in this file are not listed (the first {MAX_FILE_PROBLEMS} are)"),
                "fix the problems listed, most often a column that is wrong in every row, and read the file again",
            )
        });
    }
    section
}

/// One CSV row being read; each accessor records a problem and returns `None` on bad data.
struct Row<'a> {
    file: &'a str,
    line: usize,
    headers: &'a [String],
    record: &'a csv::StringRecord,
    problems: &'a mut Vec<ImportProblem>,
}

/// Parses a list field element: vocabulary words, dates, or plain ids (code "").
trait Field: Sized {
    fn parse_field(text: &str) -> Result<Self, String>;
}

impl Field for String {
    fn parse_field(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
}

macro_rules! fields_from_str {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn parse_field(text: &str) -> Result<Self, String> {
                <$t as FromStr>::from_str(text).map_err(|e| e.to_string())
            }
        }
    )*};
}
fields_from_str!(
    NaiveDate,
    Clock,
    u8,
    u32,
    f64,
    Tier,
    Title,
    Risk,
    Sector,
    Specialty,
    Process,
    InspectionKind,
    Severity,
    RoadClass
);

fn hint_for(code: &str) -> &'static str {
    match code {
        "E1301" => "write dates as YYYY-MM-DD",
        "E1302" => "write clock times as HH:MM, e.g. 08:30",
        "E1303" | "E1409" | "E1410" => "write a plain number",
        "E1304" => "write true or false (or 是/否, 1/0)",
        _ => "use one of the words listed in docs/data-format.md",
    }
}

impl Row<'_> {
    fn raw(&self, column: &str) -> Option<&str> {
        let i = self.headers.iter().position(|h| h == column)?;
        self.record.get(i).filter(|v| !v.is_empty())
    }

    fn problem(&mut self, code: &'static str, column: &str, value: &str, message: String) {
        self.problems.push(ImportProblem {
            code,
            level: Level::Error,
            file: self.file.into(),
            line: Some(self.line),
            column: Some(column.into()),
            value: value.into(),
            message,
            hint: hint_for(code).into(),
        });
    }

    fn text(&mut self, column: &str) -> Option<String> {
        match self.raw(column) {
            Some(v) => Some(v.to_string()),
            None => {
                self.problems.push(ImportProblem {
                    code: "E1102",
                    level: Level::Error,
                    file: self.file.into(),
                    line: Some(self.line),
                    column: Some(column.into()),
                    value: String::new(),
                    message: format!("`{column}` is empty"),
                    hint: "fill in the field; it is required".into(),
                });
                None
            }
        }
    }

    fn optional_text(&mut self, column: &str) -> Option<String> {
        self.raw(column).map(str::to_string)
    }

    fn parse_value<T: Field>(
        &mut self,
        column: &str,
        code: &'static str,
        value: &str,
    ) -> Option<T> {
        match T::parse_field(value) {
            Ok(v) => Some(v),
            Err(message) => {
                let message = if code == "E1301" {
                    format!("`{value}` is not a date YYYY-MM-DD")
                } else {
                    message
                };
                self.problem(code, column, value, message);
                None
            }
        }
    }

    fn parse<T: Field>(&mut self, column: &str, code: &'static str) -> Option<T> {
        let value = self.text(column)?;
        self.parse_value(column, code, &value)
    }

    /// `Some(None)` for an empty field, `None` after recording a problem.
    fn optional<T: Field>(&mut self, column: &str, code: &'static str) -> Option<Option<T>> {
        match self.raw(column).map(str::to_string) {
            None => Some(None),
            Some(v) => self.parse_value(column, code, &v).map(Some),
        }
    }

    /// A `;`-separated list; an empty field is an empty list.
    fn list<T: Field>(&mut self, column: &str, code: &'static str) -> Option<Vec<T>> {
        Some(self.optional_list(column, code)?.unwrap_or_default())
    }

    fn optional_list<T: Field>(
        &mut self,
        column: &str,
        code: &'static str,
    ) -> Option<Option<Vec<T>>> {
        let Some(raw) = self.raw(column).map(str::to_string) else {
            return Some(None);
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in raw.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            match self.parse_value(column, code, item) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(Some(out))
    }

    fn flag(&mut self, column: &str) -> Option<bool> {
        match self.raw(column).map(|s| s.to_lowercase()) {
            None => Some(false),
            Some(v) => match v.as_str() {
                "true" | "1" | "yes" | "y" | "是" => Some(true),
                "false" | "0" | "no" | "n" | "否" => Some(false),
                _ => {
                    self.problem("E1304", column, &v, format!("`{v}` is not true or false"));
                    None
                }
            },
        }
    }

    fn location(&mut self, lat: &str, lon: &str) -> Option<Location> {
        let la: Option<f64> = self.parse(lat, "E1303");
        let lo: Option<f64> = self.parse(lon, "E1303");
        Some(Location { lat: la?, lon: lo? })
    }

    fn optional_location(&mut self, lat: &str, lon: &str) -> Option<Option<Location>> {
        match (self.raw(lat), self.raw(lon)) {
            (None, None) => Some(None),
            _ => self.location(lat, lon).map(Some),
        }
    }
}

/// Reads an instance JSON document and validates it like an import.
///
/// Type errors (an unknown sector, a bad date) stop at the first with its JSON path;
/// semantic problems are all collected.
pub fn read_instance_json(text: &str, file: &str) -> Imported {
    let schema_problem = |path: String, inner: serde_json::Error| Imported {
        instance: None,
        problems: vec![ImportProblem {
            code: "E1000",
            level: Level::Error,
            file: file.into(),
            line: Some(inner.line()),
            column: Some(path),
            value: String::new(),
            message: format!("the document does not match the instance schema: {inner}"),
            hint: "see `hazard-sweep schema instance` and docs/data-format.md".into(),
        }],
    };
    let de = &mut serde_json::Deserializer::from_str(text);
    let instance = match serde_path_to_error::deserialize::<_, Instance>(&mut *de) {
        Ok(instance) => instance,
        Err(e) => {
            let path = e.path().to_string();
            return schema_problem(path, e.into_inner());
        }
    };
    // The whole text is the document: text after it is refused, as serde_json's own
    // readers do (found by fuzzing: `{...} garbage` was read as the `{...}`).
    if let Err(e) = de.end() {
        return schema_problem(String::new(), e);
    }
    let problems: Vec<ImportProblem> = validate(&instance)
        .into_iter()
        .map(|p| ImportProblem {
            code: p.code,
            level: p.level,
            file: file.into(),
            line: None,
            column: Some(p.place.to_string()),
            value: p.value,
            message: p.message,
            hint: p.hint,
        })
        .collect();
    let ok = !problems.iter().any(|p| p.level == Level::Error);
    Imported {
        instance: ok.then_some(instance),
        problems,
    }
}

/// One kind of registry record as the service stores it: its name in URLs and in the
/// instance, its CSV file and reader, and the key that identifies a record.
pub trait RegistryRecord:
    Clone + Serialize + serde::de::DeserializeOwned + Send + Sync + 'static
{
    /// The registry's name: the URL segment and the instance section (`enterprises`).
    const NAME: &'static str;
    /// The CSV file the command line reads it from.
    const FILE: &'static str;
    /// The record's identity within its registry (its id; for history, firm, date and kind).
    fn key(&self) -> String;
    /// Reads the registry's CSV text.
    fn read_csv(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Self>;
    /// Reads the registry's CSV text where defaults come from `policy` (an enterprise's
    /// missing opening or closing time); the same as [`RegistryRecord::read_csv`] for the
    /// registries without such a default.
    fn read_csv_with(
        text: &str,
        policy: &Policy,
        problems: &mut Vec<ImportProblem>,
    ) -> Section<Self> {
        let _ = policy;
        Self::read_csv(text, problems)
    }
    /// The registry's records in an instance.
    fn records(instance: &Instance) -> &Vec<Self>;
    /// The same, to change them.
    fn records_mut(instance: &mut Instance) -> &mut Vec<Self>;
}

macro_rules! registry_record {
    ($t:ty, $name:literal, $file:ident, $read:ident, $field:ident, |$r:ident| $key:expr) => {
        registry_record!($t, $name, $file, $read, $field, |$r| $key, {});
    };
    ($t:ty, $name:literal, $file:ident, $read:ident, $field:ident, |$r:ident| $key:expr, { $($extra:item)* }) => {
        impl RegistryRecord for $t {
            const NAME: &'static str = $name;
            const FILE: &'static str = $file;
            fn key(&self) -> String {
                let $r = self;
                $key
            }
            fn read_csv(text: &str, problems: &mut Vec<ImportProblem>) -> Section<Self> {
                $read(text, problems)
            }
            $($extra)*
            fn records(instance: &Instance) -> &Vec<Self> {
                &instance.$field
            }
            fn records_mut(instance: &mut Instance) -> &mut Vec<Self> {
                &mut instance.$field
            }
        }
    };
}

registry_record!(
    District,
    "districts",
    DISTRICTS,
    read_districts,
    districts,
    |r| r.id.clone()
);
registry_record!(
    Officer,
    "officers",
    OFFICERS,
    read_officers,
    officers,
    |r| r.id.clone()
);
registry_record!(Expert, "experts", EXPERTS, read_experts, experts, |r| r
    .id
    .clone());
registry_record!(
    Enterprise,
    "enterprises",
    ENTERPRISES,
    read_enterprises,
    enterprises,
    |r| r.id.clone(),
    {
        fn read_csv_with(
            text: &str,
            policy: &Policy,
            problems: &mut Vec<ImportProblem>,
        ) -> Section<Self> {
            read_enterprises_with(text, policy, problems)
        }
    }
);
// A firm can have an enforcement check and an expert sweep on the same day, not two of one kind.
registry_record!(
    Inspection,
    "history",
    HISTORY,
    read_history,
    history,
    |r| format!("{}:{}:{}", r.enterprise, r.date, r.kind)
);
registry_record!(
    Finding,
    "findings",
    FINDINGS,
    read_findings,
    findings,
    |r| r.id.clone()
);

/// Reads a TOML document (`calendar.toml`, `policy.toml`) from text.
pub fn read_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    problems: &mut Vec<ImportProblem>,
) -> Option<T> {
    match toml::from_str(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            let message = format!("the file is not valid: {}", e.message());
            problems.push(ImportProblem::in_file(
                "E1005",
                file,
                line,
                message,
                "see docs/data-format.md for the keys; dates are quoted strings \"YYYY-MM-DD\"",
            ));
            None
        }
    }
}
