//! One test per import validation code: a clean tiny registry, one edit, and the code the
//! planner must see (with its file, line and column where it has them).

mod common;

use std::path::Path;

use hazard_sweep::import::{self, ImportProblem, import_dir, month_horizon, read_instance_json};
use sweep_solver::Level;

/// Rewrites one CSV file: `edit` gets the header and the rows.
fn edit_csv(dir: &Path, file: &str, edit: impl FnOnce(&mut Vec<String>, &mut Vec<Vec<String>>)) {
    let path = dir.join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    edit(&mut header, &mut rows);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&path)
        .unwrap();
    writer.write_record(&header).unwrap();
    for row in rows {
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
}

/// Sets column `column` of data row `row` (0-based) to `value`.
fn set(dir: &Path, file: &str, row: usize, column: &str, value: &str) {
    edit_csv(dir, file, |header, rows| {
        let c = header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("{file} has no column {column}"));
        rows[row][c] = value.to_string();
    });
}

fn append_text(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    let mut content = std::fs::read_to_string(&path).unwrap_or_default();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

/// Imports the tiny registry after `edit` and returns every problem.
fn problems_after(edit: impl FnOnce(&Path)) -> Vec<ImportProblem> {
    let dir = tempfile::tempdir().unwrap();
    common::write_tiny(dir.path(), 3);
    edit(dir.path());
    let imported = import_dir(dir.path(), month_horizon("2027-03").unwrap(), "tiny");
    if imported.problems.iter().any(|p| p.level == Level::Error) {
        assert!(
            imported.instance.is_none(),
            "an import with errors returns no instance"
        );
    }
    imported.problems
}

/// Asserts that the edit produces `code`, and returns that problem.
fn expect_code(code: &str, edit: impl FnOnce(&Path)) -> ImportProblem {
    let problems = problems_after(edit);
    problems
        .iter()
        .find(|p| p.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("expected {code}, got {problems:#?}"))
}

#[test]
fn the_clean_registry_imports_without_errors() {
    let problems = problems_after(|_| {});
    assert!(
        problems.iter().all(|p| p.level == Level::Warning),
        "{problems:#?}"
    );
}

#[test]
fn e1001_missing_file() {
    let p = expect_code("E1001", |d| {
        std::fs::remove_file(d.join("experts.csv")).unwrap()
    });
    assert_eq!(p.file, "experts.csv");
}

#[test]
fn e1002_not_utf8() {
    let p = expect_code("E1002", |d| {
        let path = d.join("enterprises.csv");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"X-1,\xc4\xe3\xba\xc3,RQ\n"); // GBK for 你好
        std::fs::write(path, bytes).unwrap();
    });
    assert!(p.line.unwrap() > 400, "the line of the bad byte: {p:?}");
    assert!(p.hint.contains("UTF-8"));
}

#[test]
fn e1003_missing_column() {
    let p = expect_code("E1003", |d| {
        edit_csv(d, "enterprises.csv", |header, rows| {
            let c = header.iter().position(|h| h == "sector").unwrap();
            header.remove(c);
            for r in rows {
                r.remove(c);
            }
        })
    });
    assert_eq!(p.column.as_deref(), Some("sector"));
}

#[test]
fn e1004_row_with_wrong_field_count() {
    let p = expect_code("E1004", |d| append_text(d, "districts.csv", "ZZ,短行\n"));
    assert_eq!(p.file, "districts.csv");
    assert_eq!(p.line, Some(3));
}

#[test]
fn e1005_bad_toml() {
    let p = expect_code("E1005", |d| {
        std::fs::write(d.join("policy.toml"), "seed = = 3\n").unwrap()
    });
    assert_eq!((p.file.as_str(), p.line), ("policy.toml", Some(1)));
}

#[test]
fn e1006_bad_month() {
    for bad in ["2027-13", "March", "2027/03", ""] {
        let p = month_horizon(bad).unwrap_err();
        assert_eq!(p.code, "E1006", "{bad}");
    }
    let h = month_horizon("2027-02").unwrap();
    assert_eq!(
        (h.start.to_string(), h.end.to_string()),
        ("2027-02-01".into(), "2027-02-28".into())
    );
}

#[test]
fn e1101_duplicate_id() {
    let p = expect_code("E1101", |d| set(d, "experts.csv", 1, "id", "E001"));
    assert_eq!(
        (p.file.as_str(), p.line, p.column.as_deref()),
        ("experts.csv", Some(3), Some("id"))
    );
}

#[test]
fn e1102_empty_required_field() {
    let p = expect_code("E1102", |d| set(d, "enterprises.csv", 4, "name", ""));
    assert_eq!((p.line, p.column.as_deref()), (Some(6), Some("name")));
}

#[test]
fn e1201_unknown_district() {
    let p = expect_code("E1201", |d| set(d, "enterprises.csv", 0, "district", "ZZ"));
    assert_eq!(
        (p.file.as_str(), p.line, p.value.as_str()),
        ("enterprises.csv", Some(2), "ZZ")
    );
}

#[test]
fn e1202_unknown_officer() {
    expect_code("E1202", |d| set(d, "enterprises.csv", 0, "officer", "O-ZZ"));
}

#[test]
fn e1203_unknown_expert() {
    let p = expect_code("E1203", |d| set(d, "history.csv", 0, "experts", "E999"));
    assert_eq!(p.file, "history.csv");
}

#[test]
fn e1204_unknown_enterprise() {
    expect_code("E1204", |d| set(d, "findings.csv", 0, "enterprise", "NOPE"));
}

#[test]
fn e1301_bad_date() {
    let p = expect_code("E1301", |d| {
        set(d, "experts.csv", 0, "certified_until", "2027-02-30")
    });
    assert_eq!(
        (p.column.as_deref(), p.value.as_str()),
        (Some("certified_until"), "2027-02-30")
    );
}

#[test]
fn e1302_bad_clock_time() {
    expect_code("E1302", |d| set(d, "enterprises.csv", 0, "open", "8h30"));
}

#[test]
fn e1303_bad_number() {
    expect_code("E1303", |d| set(d, "districts.csv", 0, "lat", "north"));
}

#[test]
fn e1304_bad_boolean() {
    expect_code("E1304", |d| {
        set(d, "enterprises.csv", 0, "blacklisted", "maybe")
    });
}

#[test]
fn e1401_unknown_sector() {
    let p = expect_code("E1401", |d| {
        set(d, "enterprises.csv", 0, "sector", "chemicals")
    });
    assert!(
        p.message.contains("hazardous_chemicals"),
        "names the accepted words: {}",
        p.message
    );
}

#[test]
fn e1402_unknown_specialty() {
    let p = expect_code("E1402", |d| {
        set(d, "experts.csv", 0, "specialties", "process;plumbing")
    });
    assert_eq!(p.value, "plumbing");
}

#[test]
fn e1403_unknown_process() {
    expect_code("E1403", |d| {
        set(d, "enterprises.csv", 0, "processes", "nitration;cooking")
    });
}

#[test]
fn e1404_unknown_tier() {
    expect_code("E1404", |d| set(d, "experts.csv", 0, "tier", "county"));
}

#[test]
fn e1405_unknown_title() {
    expect_code("E1405", |d| set(d, "experts.csv", 0, "title", "professor"));
}

#[test]
fn e1406_unknown_risk_grade() {
    expect_code("E1406", |d| set(d, "enterprises.csv", 0, "risk", "purple"));
}

#[test]
fn e1407_unknown_inspection_kind() {
    expect_code("E1407", |d| set(d, "history.csv", 0, "kind", "audit"));
}

#[test]
fn e1408_unknown_severity() {
    expect_code("E1408", |d| set(d, "findings.csv", 0, "severity", "minor"));
}

#[test]
fn e1409_major_hazard_level_out_of_range() {
    let p = expect_code("E1409", |d| {
        set(d, "enterprises.csv", 0, "major_hazard_level", "7")
    });
    assert_eq!(p.line, Some(2));
}

#[test]
fn e1410_standardisation_grade_out_of_range() {
    expect_code("E1410", |d| {
        set(d, "enterprises.csv", 0, "standardization", "5")
    });
}

#[test]
fn e1411_unknown_road_class() {
    expect_code("E1411", |d| set(d, "road_edges.csv", 0, "class", "dirt"));
}

#[test]
fn e1501_coordinates_outside_china() {
    let p = expect_code("E1501", |d| {
        set(d, "enterprises.csv", 2, "lat", "116.1");
        set(d, "enterprises.csv", 2, "lon", "38.7");
    });
    assert_eq!((p.line, p.column.as_deref()), (Some(4), Some("lat")));
}

#[test]
fn e1502_horizon_too_long() {
    let p = expect_code("E1502", |d| set_policy(d, "max_horizon_days = 20"));
    assert_eq!(p.file, "--month");
}

/// Replaces the `key = value` line of policy.toml whose key `line` names.
fn set_policy(dir: &Path, line: &str) {
    let path = dir.join("policy.toml");
    let key = line.split('=').next().unwrap().trim();
    let text = std::fs::read_to_string(&path).unwrap();
    let replaced: Vec<String> = text
        .lines()
        .map(|l| {
            if l.split('=').next().map(str::trim) == Some(key) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(path, replaced.join("\n")).unwrap();
}

#[test]
fn e1503_city_officer_without_base() {
    let p = expect_code("E1503", |d| {
        set(d, "officers.csv", 1, "base_lat", "");
        set(d, "officers.csv", 1, "base_lon", "");
    });
    assert_eq!((p.file.as_str(), p.line), ("officers.csv", Some(3)));
}

#[test]
fn e1504_expert_without_specialty() {
    expect_code("E1504", |d| set(d, "experts.csv", 3, "specialties", ""));
}

#[test]
fn w2005_specialty_nobody_has_warns_and_the_month_is_still_planned() {
    let dir = tempfile::tempdir().unwrap();
    common::write_tiny(dir.path(), 3);
    edit_csv(dir.path(), "experts.csv", |header, rows| {
        let c = header.iter().position(|h| h == "specialties").unwrap();
        for r in rows.iter_mut() {
            let kept: Vec<&str> = r[c].split(';').filter(|s| *s != "power").collect();
            r[c] = if kept.is_empty() {
                "process".into()
            } else {
                kept.join(";")
            };
        }
    });
    set(
        dir.path(),
        "enterprises.csv",
        0,
        "required_specialties",
        "power",
    );
    let imported = import_dir(dir.path(), month_horizon("2027-03").unwrap(), "tiny");
    let p = imported
        .problems
        .iter()
        .find(|p| p.code == "W2005")
        .unwrap_or_else(|| panic!("{:#?}", imported.problems));
    assert_eq!((p.level, p.value.as_str()), (Level::Warning, "power"));
    assert!(
        imported.instance.is_some(),
        "one firm no expert can check does not block the month"
    );
}

#[test]
fn e1506_opening_hours_too_short_for_the_visit() {
    expect_code("E1506", |d| {
        set(d, "enterprises.csv", 0, "open", "17:00");
        set(d, "enterprises.csv", 0, "close", "17:30");
    });
}

#[test]
fn e1507_team_size_out_of_range() {
    expect_code("E1507", |d| set(d, "enterprises.csv", 0, "team_size", "9"));
}

#[test]
fn e1508_finding_deadline_before_it_was_found() {
    expect_code("E1508", |d| {
        set(d, "findings.csv", 0, "deadline", "2020-01-01")
    });
}

#[test]
fn e1510_policy_value_out_of_range() {
    let p = expect_code("E1510", |d| set_policy(d, "random_share = 1.5"));
    assert_eq!(
        (p.file.as_str(), p.column.as_deref()),
        ("policy.toml", Some("random_share"))
    );
}

#[test]
fn e1510_a_major_chemical_team_larger_than_any_policy_allows() {
    let p = expect_code("E1510", |d| set_policy(d, "major_chemical_team = 13"));
    assert_eq!(p.column.as_deref(), Some("major_chemical_team"));
    assert!(p.message.contains("0–12"), "{}", p.message);
}

#[test]
fn e1510_a_lunch_break_longer_than_its_window() {
    // The generated policy gives `[lunch_break]` from 11:30 until 13:30.
    let p = expect_code("E1510", |d| set_policy(d, "minutes = 150"));
    assert_eq!(p.column.as_deref(), Some("lunch_break"));
    assert!(
        p.message.contains("minutes 0 means no break"),
        "{}",
        p.message
    );
}

#[test]
fn e1510_a_negative_budget() {
    let p = expect_code("E1510", |d| {
        append_text(d, "policy.toml", "\n[budget]\ncny = -5.0\n")
    });
    assert_eq!(p.column.as_deref(), Some("budget.cny"));
}

#[test]
fn e1511_day_start_after_day_end() {
    expect_code("E1511", |d| set_policy(d, "day_start = \"19:00\""));
}

#[test]
fn e1512_period_ends_before_it_starts() {
    expect_code("E1512", |d| {
        append_text(
            d,
            "calendar.toml",
            "\n[[periods]]\nname = \"bad\"\nstart = \"2027-03-10\"\nend = \"2027-03-01\"\nkind = \"blackout\"\n",
        );
    });
}

#[test]
fn e1513_edge_with_unknown_node() {
    let p = expect_code("E1513", |d| set(d, "road_edges.csv", 0, "to", "NOWHERE"));
    assert_eq!(p.file, "road_edges.csv");
}

#[test]
fn e1514_history_inside_the_horizon() {
    expect_code("E1514", |d| set(d, "history.csv", 0, "date", "2027-03-05"));
}

#[test]
fn e1515_negative_day_rate() {
    expect_code("E1515", |d| set(d, "experts.csv", 0, "day_rate", "-5"));
}

#[test]
fn e1516_responsible_officer_of_another_district() {
    expect_code("E1516", |d| {
        append_text(d, "districts.csv", "ZZ,别区,38.2,116.2\n");
        append_text(d, "officers.csv", "O-ZZ,别人,ZZ,,,,\n");
        set(d, "enterprises.csv", 0, "officer", "O-ZZ");
    });
}

#[test]
fn e1517_cities_named_by_some_districts_only() {
    let p = expect_code("E1517", |d| {
        edit_csv(d, "districts.csv", |header, rows| {
            header.push("city".into());
            for (k, row) in rows.iter_mut().enumerate() {
                row.push(if k == 0 {
                    "沧州".into()
                } else {
                    String::new()
                });
            }
        });
        append_text(d, "districts.csv", "ZZ,别区,38.2,116.2,\n");
    });
    assert_eq!(p.file, "districts.csv");
}

#[test]
fn e1517_expert_of_an_unknown_city() {
    let p = expect_code("E1517", |d| {
        edit_csv(d, "experts.csv", |header, rows| {
            header.push("city".into());
            for row in rows.iter_mut() {
                row.push("衡水".into());
            }
        });
    });
    assert!(
        p.message.contains("no district has a city"),
        "{}",
        p.message
    );
}

#[test]
fn w2001_portfolio_over_the_cap_is_a_warning() {
    let p = expect_code("W2001", |d| set_policy(d, "max_firms_per_officer = 100"));
    assert_eq!(p.level, Level::Warning);
}

#[test]
fn w2002_avoiding_an_unknown_firm_is_a_warning() {
    let p = expect_code("W2002", |d| {
        set(d, "experts.csv", 0, "avoid_enterprises", "NOPE")
    });
    assert_eq!(p.level, Level::Warning);
}

#[test]
fn w2003_certification_over_before_the_horizon() {
    expect_code("W2003", |d| {
        set(d, "experts.csv", 0, "certified_until", "2026-01-01")
    });
}

#[test]
fn w2004_district_nobody_serves() {
    expect_code("W2004", |d| {
        edit_csv(d, "officers.csv", |_, rows| rows.retain(|r| r[2] != "city"));
        append_text(d, "districts.csv", "ZZ,别区,38.2,116.2\n");
    });
}

#[test]
fn every_problem_is_collected_not_only_the_first() {
    let problems = problems_after(|d| {
        set(d, "enterprises.csv", 0, "sector", "chemicals");
        set(d, "enterprises.csv", 1, "risk", "purple");
        set(d, "experts.csv", 0, "tier", "county");
    });
    let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
    for code in ["E1401", "E1406", "E1404"] {
        assert!(codes.contains(&code), "{codes:?}");
    }
}

#[test]
fn a_byte_order_mark_from_excel_is_accepted() {
    let problems = problems_after(|d| {
        let path = d.join("districts.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(path, format!("\u{feff}{text}")).unwrap();
    });
    assert!(
        problems.iter().all(|p| p.level == Level::Warning),
        "{problems:#?}"
    );
}

#[test]
fn e1000_json_that_does_not_match_the_schema() {
    let text = sweep_solver::examples::TWO_FIRMS
        .replace("\"construction\", \"risk\"", "\"chemicals\", \"risk\"");
    let imported = read_instance_json(&text, "bad.json");
    let p = &imported.problems[0];
    assert_eq!(p.code, "E1000");
    assert_eq!(p.column.as_deref(), Some("enterprises[0].sector"));
    assert!(imported.instance.is_none());
}

#[test]
fn json_instances_get_the_same_semantic_validation() {
    let text = sweep_solver::examples::TWO_FIRMS.replace(
        "\"district\": \"D1\", \"location\"",
        "\"district\": \"D9\", \"location\"",
    );
    let imported = read_instance_json(&text, "bad.json");
    let p = imported
        .problems
        .iter()
        .find(|p| p.code == "E1201")
        .expect("unknown district");
    assert_eq!(p.column.as_deref(), Some("enterprises[0].district"));
}

#[test]
fn csv_to_instance_to_json_to_instance_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    common::write_tiny(dir.path(), 5);
    let first = common::import_month(dir.path(), "2027-03");
    let json = serde_json::to_string(&first).unwrap();
    let back = read_instance_json(&json, "round-trip")
        .instance
        .expect("valid");
    assert_eq!(first, back);
    // And back to CSV: writing the instance's registries and importing them again.
    let again = tempfile::tempdir().unwrap();
    hazard_sweep::generate::write_registries(&first, again.path()).unwrap();
    let second = common::import_month(again.path(), "2027-03");
    assert_eq!(
        first,
        Instance {
            name: first.name.clone(),
            ..second
        }
    );
}

use sweep_solver::model::Instance;

#[test]
fn the_registry_files_are_named_as_documented() {
    for f in [
        import::DISTRICTS,
        import::OFFICERS,
        import::EXPERTS,
        import::ENTERPRISES,
        import::HISTORY,
        import::FINDINGS,
    ] {
        let doc = std::fs::read_to_string(common::root().join("docs/data-format.md")).unwrap();
        assert!(doc.contains(f), "docs/data-format.md documents {f}");
    }
}

#[test]
fn a_file_bad_in_every_row_lists_its_first_problems_and_counts_the_rest() {
    let mut text =
        String::from("id,name,tier,title,specialties,certified_until,home_lat,home_lon\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "X{i},名,galactic,senior,process,2028-01-01,38.3,116.8\n"
        ));
    }
    let mut problems = Vec::new();
    let section = import::read_experts(&text, &mut problems);
    assert!(section.records.is_empty());
    assert_eq!(problems.len(), import::MAX_FILE_PROBLEMS + 1);
    let last = problems.last().unwrap();
    assert_eq!(
        (last.code, last.value.as_str()),
        ("E1007", "1000"),
        "{last:?}"
    );
    assert!(
        problems[..import::MAX_FILE_PROBLEMS]
            .iter()
            .all(|p| p.code == "E1404")
    );
}

#[test]
fn problems_are_on_their_line_whatever_the_line_endings() {
    // Excel writes `\r\n` (Windows) or bare `\r` (Mac); the bad tier is on line 3.
    for ending in ["\n", "\r\n", "\r"] {
        let text = [
            "id,name,tier,title,specialties,certified_until,home_lat,home_lon",
            "E1,李明,city,senior,process,2028-01-01,38.3,116.8",
            "E2,张伟,galactic,senior,process,2028-01-01,38.3,116.8",
            "",
        ]
        .join(ending);
        let mut problems = Vec::new();
        let section = import::read_experts(&text, &mut problems);
        assert_eq!(section.lines, vec![2], "{ending:?}");
        assert_eq!(
            problems
                .iter()
                .map(|p| (p.code, p.line))
                .collect::<Vec<_>>(),
            vec![("E1404", Some(3))],
            "{ending:?}"
        );
    }
}

#[test]
fn an_instance_document_with_text_after_it_is_refused() {
    let text = format!("{} trailing", sweep_solver::examples::TWO_FIRMS);
    let imported = read_instance_json(&text, "instance.json");
    assert!(imported.instance.is_none());
    assert_eq!(
        imported.problems[0].code, "E1000",
        "{:?}",
        imported.problems
    );
    assert!(
        read_instance_json(sweep_solver::examples::TWO_FIRMS, "instance.json")
            .instance
            .is_some()
    );
}

// Travel matrices (issue 10, item 5): `matrix.csv` in a folder, `travel.matrix` in JSON.

/// Imports the two-firm instance with its travel matrix, written as a registry folder,
/// after `edit`.
fn matrix_import(edit: impl FnOnce(&Path)) -> import::Imported {
    let dir = tempfile::tempdir().unwrap();
    hazard_sweep::generate::write_registries(&common::matrix_two_firms(), dir.path()).unwrap();
    edit(dir.path());
    import_dir(dir.path(), month_horizon("2027-03").unwrap(), "matrix")
}

fn matrix_csv_problem(code: &str, edit: impl FnOnce(&Path)) -> ImportProblem {
    let imported = matrix_import(edit);
    assert!(imported.instance.is_none(), "{:#?}", imported.problems);
    imported
        .problems
        .iter()
        .find(|p| p.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("expected {code}, got {:#?}", imported.problems))
}

/// Removes the rows of matrix.csv for which `drop(from, to)` holds.
fn drop_legs(dir: &Path, drop: impl Fn(&str, &str) -> bool) {
    edit_csv(dir, "matrix.csv", |_, rows| {
        rows.retain(|r| !drop(&r[0], &r[1]))
    });
}

#[test]
fn matrix_csv_imports_as_the_instance_matrix() {
    let imported = matrix_import(|_| {});
    assert!(imported.problems.is_empty(), "{:#?}", imported.problems);
    let expected = common::matrix_two_firms().travel;
    assert_eq!(imported.instance.unwrap().travel, expected);
    // The leg from a place to itself may be left out: it is 0 minutes and 0 km.
    let imported = matrix_import(|d| drop_legs(d, |from, to| from == to));
    assert_eq!(imported.instance.expect("complete").travel, expected);
}

#[test]
fn e1521_a_pair_given_twice_in_matrix_csv() {
    // The header, nine legs, then F1 → F2 again on line 11.
    let p = matrix_csv_problem("E1521", |d| {
        append_text(d, "matrix.csv", "F1,F2,30,12.25\n")
    });
    assert_eq!(p.file, "matrix.csv");
    assert_eq!((p.line, p.column.as_deref()), (Some(11), Some("to")));
    assert_eq!(p.value, "F1 → F2");
    assert!(p.message.contains("first on line"), "{p:?}");
}

#[test]
fn e1520_a_pair_missing_from_matrix_csv() {
    let p = matrix_csv_problem("E1520", |d| {
        drop_legs(d, |from, to| (from, to) == ("F1", "F2"))
    });
    assert_eq!(
        (p.file.as_str(), p.value.as_str()),
        ("matrix.csv", "F1 → F2")
    );
}

#[test]
fn e1522_a_firm_missing_from_matrix_csv() {
    let p = matrix_csv_problem("E1522", |d| {
        drop_legs(d, |from, to| from == "F2" || to == "F2")
    });
    assert_eq!((p.file.as_str(), p.value.as_str()), ("matrix.csv", "F2"));
    assert!(p.message.contains("enterprise F2"), "{p:?}");
}

#[test]
fn e1523_a_leg_out_of_range_in_matrix_csv_is_placed_on_its_line() {
    // Data row 1 (line 3) is D1 → F1.
    let p = matrix_csv_problem("E1523", |d| set(d, "matrix.csv", 1, "minutes", "5000"));
    assert_eq!(
        (p.file.as_str(), p.line, p.column.as_deref()),
        ("matrix.csv", Some(3), Some("minutes"))
    );
    let p = matrix_csv_problem("E1523", |d| set(d, "matrix.csv", 5, "km", "-2"));
    assert_eq!((p.line, p.column.as_deref()), (Some(7), Some("km")));
}

#[test]
fn e1524_matrix_csv_with_a_road_network() {
    let p = matrix_csv_problem("E1524", |d| {
        std::fs::write(d.join("road_nodes.csv"), "id,lat,lon\nN1,38.31,116.86\n").unwrap();
        std::fs::write(d.join("road_edges.csv"), "from,to,km,class\n").unwrap();
    });
    assert!(p.hint.contains("matrix.csv"), "{p:?}");
}

#[test]
fn a_bad_number_in_matrix_csv_is_e1303_on_its_line() {
    let p = matrix_csv_problem("E1303", |d| set(d, "matrix.csv", 2, "minutes", "12.5"));
    assert_eq!(
        (p.file.as_str(), p.line, p.column.as_deref()),
        ("matrix.csv", Some(4), Some("minutes"))
    );
}

/// Validates the matrix instance after `edit`, as an instance document.
fn matrix_json(edit: impl FnOnce(&mut Instance)) -> import::Imported {
    let mut instance = common::matrix_two_firms();
    edit(&mut instance);
    read_instance_json(&serde_json::to_string(&instance).unwrap(), "matrix.json")
}

fn matrix_of(instance: &mut Instance) -> &mut sweep_solver::model::Matrix {
    instance.travel.as_mut().unwrap().matrix.as_mut().unwrap()
}

/// The columns (JSON paths) of the problems with `code`.
fn columns(imported: &import::Imported, code: &str) -> Vec<String> {
    imported
        .problems
        .iter()
        .filter(|p| p.code == code)
        .map(|p| p.column.clone().unwrap_or_default())
        .collect()
}

#[test]
fn e1520_a_matrix_not_square() {
    let imported = matrix_json(|i| {
        matrix_of(i).minutes[1].pop();
        matrix_of(i).km.pop();
    });
    assert!(imported.instance.is_none());
    assert_eq!(
        columns(&imported, "E1520"),
        ["travel.matrix.minutes[1]", "travel.matrix.km"]
    );
}

#[test]
fn e1521_a_matrix_id_listed_twice() {
    let imported = matrix_json(|i| matrix_of(i).ids[2] = "F1".into());
    assert_eq!(columns(&imported, "E1521"), ["travel.matrix.ids[2]"]);
    // F2 is then missing as well.
    assert_eq!(columns(&imported, "E1522"), ["travel.matrix.ids"]);
}

#[test]
fn e1522_an_officer_base_missing_from_the_matrix() {
    // With a base of their own, O1 starts there, named by the officer id.
    let imported = matrix_json(|i| i.officers[0].base = Some(i.districts[0].base));
    let p = imported
        .problems
        .iter()
        .find(|p| p.code == "E1522")
        .expect("O1 missing");
    assert_eq!(p.value, "O1");
    assert!(p.message.contains("officer O1's base"), "{p:?}");
    // The district's row is then unused, but the district still names a place.
    assert!(
        columns(&imported, "W2006").is_empty(),
        "{:#?}",
        imported.problems
    );
}

#[test]
fn e1523_matrix_legs_out_of_range() {
    let imported = matrix_json(|i| {
        matrix_of(i).minutes[0][1] = 1441;
        matrix_of(i).km[2][0] = -0.5;
    });
    assert_eq!(
        columns(&imported, "E1523"),
        ["travel.matrix.minutes[0][1]", "travel.matrix.km[2][0]"]
    );
}

#[test]
fn e1524_a_matrix_and_a_network() {
    let imported = matrix_json(|i| {
        i.travel.as_mut().unwrap().network = Some(sweep_solver::model::Network {
            nodes: vec![sweep_solver::model::Node {
                id: "N1".into(),
                lat: 38.31,
                lon: 116.86,
            }],
            edges: vec![],
        })
    });
    assert_eq!(columns(&imported, "E1524"), ["travel.matrix"]);
}

#[test]
fn e1525_an_id_in_two_registries_with_a_matrix() {
    let imported = matrix_json(|i| i.experts[0].id = "F1".into());
    assert_eq!(columns(&imported, "E1525"), ["enterprises[0].id"]);
}

#[test]
fn matrix_ids_that_are_empty_or_too_long_are_refused() {
    let imported = matrix_json(|i| {
        matrix_of(i).ids.push(String::new());
        matrix_of(i).ids.push("X".repeat(65));
        let m = matrix_of(i);
        for row in m.minutes.iter_mut() {
            row.extend([1, 1]);
        }
        for row in m.km.iter_mut() {
            row.extend([1.0, 1.0]);
        }
        m.minutes.extend([vec![1; 5], vec![1; 5]]);
        m.km.extend([vec![1.0; 5], vec![1.0; 5]]);
    });
    assert_eq!(columns(&imported, "E1102"), ["travel.matrix.ids[3]"]);
    assert_eq!(columns(&imported, "E1103"), ["travel.matrix.ids[4]"]);
}

#[test]
fn w2006_a_matrix_id_naming_no_place_is_a_warning() {
    let imported = matrix_json(|i| {
        let m = matrix_of(i);
        m.ids.push("GHOST".into());
        for row in m.minutes.iter_mut() {
            row.push(5);
        }
        for row in m.km.iter_mut() {
            row.push(5.0);
        }
        m.minutes.push(vec![5; 4]);
        m.km.push(vec![5.0; 4]);
    });
    assert_eq!(columns(&imported, "W2006"), ["travel.matrix.ids[3]"]);
    assert!(imported.instance.is_some(), "a warning only");
    // Experts' homes are places (not needed yet, but not unknown either).
    let imported = matrix_json(|i| {
        let m = matrix_of(i);
        m.ids.push("E1".into());
        for row in m.minutes.iter_mut() {
            row.push(5);
        }
        for row in m.km.iter_mut() {
            row.push(5.0);
        }
        m.minutes.push(vec![5; 4]);
        m.km.push(vec![5.0; 4]);
    });
    assert!(imported.problems.is_empty(), "{:#?}", imported.problems);
}

#[test]
fn an_enterprise_row_with_only_one_of_open_and_close_takes_the_other_from_the_policy() {
    let mut instance: Instance = serde_json::from_str(sweep_solver::examples::TWO_FIRMS).unwrap();
    instance.policy.default_hours = sweep_solver::model::Hours {
        open: "08:00".parse().unwrap(),
        close: "16:00".parse().unwrap(),
    };
    let dir = tempfile::tempdir().unwrap();
    hazard_sweep::generate::write_registries(&instance, dir.path()).unwrap();
    set(dir.path(), "enterprises.csv", 0, "open", "09:00");
    set(dir.path(), "enterprises.csv", 1, "close", "15:00");
    let imported = common::import_month(dir.path(), "2027-03");
    let hours: Vec<String> = imported
        .enterprises
        .iter()
        .map(|f| {
            let h = f.hours.expect("hours of its own");
            format!("{}-{}", h.open, h.close)
        })
        .collect();
    assert_eq!(hours, ["09:00-16:00", "08:00-15:00"]);
    // The service reads an uploaded file with its stored policy the same way.
    use import::RegistryRecord;
    let text = std::fs::read_to_string(dir.path().join("enterprises.csv")).unwrap();
    let mut problems = Vec::new();
    let section =
        sweep_solver::model::Enterprise::read_csv_with(&text, &instance.policy, &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(section.records[0].hours.unwrap().close.to_string(), "16:00");
}
