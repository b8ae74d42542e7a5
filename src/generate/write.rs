//! Writes registries in the import layout (docs/data-format.md).

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use sweep_solver::model::*;

use crate::import;

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(";")
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(T::to_string).unwrap_or_default()
}

fn coord(x: f64) -> String {
    format!("{x:.5}")
}

fn write_csv(
    dir: &Path,
    file: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    let path = dir.join(file);
    let mut w =
        csv::Writer::from_path(&path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_toml<T: Serialize>(dir: &Path, file: &str, comment: &str, value: &T) -> Result<()> {
    let text = format!(
        "{comment}\n{}",
        toml::to_string(value).context("encoding TOML")?
    );
    std::fs::write(dir.join(file), text).with_context(|| format!("writing {file}"))
}

/// Writes the instance's registries (not its name or horizon) as CSV and TOML files.
pub fn write_registries(instance: &Instance, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // The `city` column appears only in multi-city registries, so a single city's files
    // keep the plain layout.
    let cities = instance.districts.iter().any(|d| d.city.is_some());
    let with_city = |mut header: Vec<&'static str>| {
        if cities {
            header.push("city");
        }
        header
    };
    let city_cell = |row: &mut Vec<String>, city: &Option<String>| {
        if cities {
            row.push(city.clone().unwrap_or_default());
        }
    };
    write_csv(
        dir,
        import::DISTRICTS,
        &with_city(vec!["id", "name", "lat", "lon"]),
        instance.districts.iter().map(|d| {
            let mut row = vec![
                d.id.clone(),
                d.name.clone(),
                coord(d.base.lat),
                coord(d.base.lon),
            ];
            city_cell(&mut row, &d.city);
            row
        }),
    )?;
    write_csv(
        dir,
        import::OFFICERS,
        &with_city(vec![
            "id",
            "name",
            "district",
            "base_lat",
            "base_lon",
            "unavailable",
            "max_days",
        ]),
        instance.officers.iter().map(|o| {
            let mut row = vec![
                o.id.clone(),
                o.name.clone(),
                o.district.clone(),
                o.base.map(|b| coord(b.lat)).unwrap_or_default(),
                o.base.map(|b| coord(b.lon)).unwrap_or_default(),
                join(&o.unavailable),
                opt(&o.max_days),
            ];
            city_cell(&mut row, &o.city);
            row
        }),
    )?;
    write_csv(
        dir,
        import::EXPERTS,
        &with_city(vec![
            "id",
            "name",
            "tier",
            "title",
            "specialties",
            "certified_until",
            "home_lat",
            "home_lon",
            "unavailable",
            "max_days",
            "day_rate",
            "avoid_enterprises",
            "avoid_groups",
        ]),
        instance.experts.iter().map(|e| {
            let mut row = vec![
                e.id.clone(),
                e.name.clone(),
                e.tier.to_string(),
                e.title.to_string(),
                join(&e.specialties),
                e.certified_until.to_string(),
                coord(e.home.lat),
                coord(e.home.lon),
                join(&e.unavailable),
                opt(&e.max_days),
                opt(&e.day_rate),
                join(&e.avoid_enterprises),
                join(&e.avoid_groups),
            ];
            city_cell(&mut row, &e.city);
            row
        }),
    )?;
    write_csv(
        dir,
        import::ENTERPRISES,
        &[
            "id",
            "name",
            "district",
            "lat",
            "lon",
            "group",
            "sector",
            "risk",
            "major_hazard_level",
            "processes",
            "standardization",
            "blacklisted",
            "officer",
            "open",
            "close",
            "closed_dates",
            "required_specialties",
            "min_tier",
            "team_size",
            "duration_min",
        ],
        instance.enterprises.iter().map(|f| {
            vec![
                f.id.clone(),
                f.name.clone(),
                f.district.clone(),
                coord(f.location.lat),
                coord(f.location.lon),
                opt(&f.group),
                f.sector.to_string(),
                f.risk.to_string(),
                f.major_hazard_level.to_string(),
                join(&f.processes),
                opt(&f.standardization),
                f.blacklisted.to_string(),
                f.officer.clone(),
                f.hours.map(|h| h.open.to_string()).unwrap_or_default(),
                f.hours.map(|h| h.close.to_string()).unwrap_or_default(),
                join(&f.closed_dates),
                f.required_specialties
                    .as_deref()
                    .map(join)
                    .unwrap_or_default(),
                opt(&f.min_tier),
                opt(&f.team_size),
                opt(&f.duration_min),
            ]
        }),
    )?;
    write_csv(
        dir,
        import::HISTORY,
        &["enterprise", "date", "experts", "kind"],
        instance.history.iter().map(|h| {
            vec![
                h.enterprise.clone(),
                h.date.to_string(),
                join(&h.experts),
                h.kind.to_string(),
            ]
        }),
    )?;
    write_csv(
        dir,
        import::FINDINGS,
        &[
            "id",
            "enterprise",
            "severity",
            "found_on",
            "deadline",
            "rectified",
        ],
        instance.findings.iter().map(|f| {
            vec![
                f.id.clone(),
                f.enterprise.clone(),
                f.severity.to_string(),
                f.found_on.to_string(),
                f.deadline.to_string(),
                f.rectified.to_string(),
            ]
        }),
    )?;
    write_toml(
        dir,
        import::CALENDAR,
        "# Public holidays, adjusted working days (调休) and sensitive periods.",
        &instance.calendar,
    )?;
    write_toml(
        dir,
        import::POLICY,
        "# Bureau policy; any key left out takes the default in docs/rules.md.",
        &instance.policy,
    )?;
    if let Some(net) = instance.travel.as_ref().and_then(|t| t.network.as_ref()) {
        write_csv(
            dir,
            import::ROAD_NODES,
            &["id", "lat", "lon"],
            net.nodes
                .iter()
                .map(|n| vec![n.id.clone(), coord(n.lat), coord(n.lon)]),
        )?;
        write_csv(
            dir,
            import::ROAD_EDGES,
            &["from", "to", "km", "class"],
            net.edges.iter().map(|e| {
                vec![
                    e.from.clone(),
                    e.to.clone(),
                    format!("{}", e.km),
                    e.class.to_string(),
                ]
            }),
        )?;
    }
    if let Some(matrix) = instance.travel.as_ref().and_then(|t| t.matrix.as_ref()) {
        // Every ordered pair, the leg to itself too, so that a matrix reads back as it was.
        let n = matrix.ids.len();
        write_csv(
            dir,
            import::MATRIX,
            &["from", "to", "minutes", "km"],
            // A cell a malformed matrix lacks is left out (the importer then names it).
            (0..n * n).filter_map(|cell| {
                let (i, j) = (cell / n, cell % n);
                let minutes = matrix.minutes.get(i)?.get(j)?;
                let km = matrix.km.get(i)?.get(j)?;
                Some(vec![
                    matrix.ids[i].clone(),
                    matrix.ids[j].clone(),
                    minutes.to_string(),
                    format!("{km}"),
                ])
            }),
        )?;
    }
    Ok(())
}
