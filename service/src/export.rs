//! A plan's roster as a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel shows
//! the Chinese right) and XLSX, one row a visit, headers in Chinese by default and in
//! English with `?lang=en`. The XLSX has a second sheet with the firms left unscheduled.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sweep_solver::model::DueReason;

use crate::AppState;
use crate::error::{ApiError, Detail};
use crate::plans::{Solved, plan_id, solved};

/// The export routes (under `/api/v1`, behind the staff middleware, beside the plans').
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/plans/{id}/export.csv", axum::routing::get(csv))
        .route("/plans/{id}/export.xlsx", axum::routing::get(xlsx))
}

/// `?lang=zh|en`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lang {
    lang: Option<String>,
}

/// The language of headers and words.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Language {
    /// 中文 (the default).
    Chinese,
    /// English.
    English,
}

fn language(
    query: Result<Query<Lang>, axum::extract::rejection::QueryRejection>,
) -> Result<Language, ApiError> {
    let Query(lang) = query?;
    match lang.lang.as_deref() {
        None | Some("zh") => Ok(Language::Chinese),
        Some("en") => Ok(Language::English),
        Some(other) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("lang `{other}` is not offered; use zh or en"),
        )
        .with_details(vec![Detail::new("lang", "unknown_value", "zh or en")])),
    }
}

const VISIT_HEADERS: [(&str, &str); 15] = [
    ("日期", "date"),
    ("检查组", "crew"),
    ("执法人员", "officer"),
    ("专家", "experts"),
    ("组长", "lead"),
    ("企业编号", "enterprise_id"),
    ("企业名称", "enterprise_name"),
    ("区县", "district"),
    ("行业", "sector"),
    ("到达时间", "arrive"),
    ("开始时间", "start"),
    ("结束时间", "end"),
    ("行车时间(分钟)", "travel_min"),
    ("行车距离(公里)", "distance_km"),
    ("检查原因", "reason"),
];

const UNSCHEDULED_HEADERS: [(&str, &str); 5] = [
    ("企业编号", "enterprise_id"),
    ("企业名称", "enterprise_name"),
    ("必检", "mandatory"),
    ("代码", "code"),
    ("原因", "message"),
];

/// A due reason in words.
pub(crate) fn reason(reason: DueReason, lang: Language) -> String {
    let (zh, en) = match reason {
        DueReason::FollowUp => ("隐患复查", "follow_up"),
        DueReason::Overdue => ("超期未检", "overdue"),
        DueReason::Frequency => ("按频次检查", "frequency"),
        DueReason::RandomDraw => ("随机抽查", "random_draw"),
        DueReason::Pinned => ("指定检查", "pinned"),
    };
    if lang == Language::Chinese {
        zh.into()
    } else {
        en.into()
    }
}

/// A cell: text or a number.
enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as CSV text. A text that a spreadsheet would read as a formula (one that
    /// starts with `=`, `+`, `-`, `@`, a tab or a carriage return: `=HYPERLINK(…)` as a firm's
    /// name) is prefixed with `'`, which spreadsheets show as text (OWASP's CSV injection
    /// advice). Numbers are written as numbers; the XLSX writes texts as strings anyway.
    fn csv_text(&self) -> String {
        match self {
            Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => format!("{n}"),
        }
    }
}

fn headers<const N: usize>(columns: &[(&str, &str); N], lang: Language) -> Vec<String> {
    columns
        .iter()
        .map(|(zh, en)| {
            if lang == Language::Chinese {
                zh.to_string()
            } else {
                en.to_string()
            }
        })
        .collect()
}

fn visit_rows(plan: &Solved, lang: Language) -> Vec<Vec<Cell>> {
    let named = |name: &str, id: &str| {
        if name.is_empty() {
            id.to_string()
        } else {
            format!("{name}({id})")
        }
    };
    let mut rows = Vec::new();
    for crew in &plan.roster.crews {
        let officer = named(plan.officer_name(&crew.officer), &crew.officer);
        let experts = crew
            .experts
            .iter()
            .map(|e| named(plan.expert_name(e), e))
            .collect::<Vec<_>>()
            .join(if lang == Language::Chinese {
                "、"
            } else {
                "; "
            });
        let lead = crew
            .lead
            .as_deref()
            .map(|e| named(plan.expert_name(e), e))
            .unwrap_or_default();
        for visit in &crew.visits {
            let firm = plan.firm(&visit.enterprise);
            let district = firm
                .map(|f| plan.district_name(&f.district).to_string())
                .unwrap_or_default();
            rows.push(vec![
                Cell::Text(crew.date.to_string()),
                Cell::Text(crew.id.clone()),
                Cell::Text(officer.clone()),
                Cell::Text(experts.clone()),
                Cell::Text(lead.clone()),
                Cell::Text(visit.enterprise.clone()),
                Cell::Text(firm.map(|f| f.name.clone()).unwrap_or_default()),
                Cell::Text(district),
                Cell::Text(firm.map(|f| f.sector.to_string()).unwrap_or_default()),
                Cell::Text(visit.arrive.to_string()),
                Cell::Text(visit.start.to_string()),
                Cell::Text(visit.end.to_string()),
                Cell::Number(f64::from(visit.travel_min)),
                Cell::Number((visit.distance_km * 100.0).round() / 100.0),
                Cell::Text(reason(visit.reason, lang)),
            ]);
        }
    }
    rows
}

fn unscheduled_rows(plan: &Solved, lang: Language) -> Vec<Vec<Cell>> {
    let yes_no = |b: bool| match (lang, b) {
        (Language::Chinese, true) => "是",
        (Language::Chinese, false) => "否",
        (Language::English, b) => {
            if b {
                "true"
            } else {
                "false"
            }
        }
    };
    plan.roster
        .unscheduled
        .iter()
        .map(|u| {
            let name = plan
                .firm(&u.enterprise)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            vec![
                Cell::Text(u.enterprise.clone()),
                Cell::Text(name),
                Cell::Text(yes_no(u.mandatory).into()),
                Cell::Text(u.code.clone()),
                Cell::Text(u.message.clone()),
            ]
        })
        .collect()
}

fn attachment(content_type: &'static str, file: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition(&file)),
        ],
        body,
    )
        .into_response()
}

/// `attachment` with the file name twice (RFC 6266): plain ASCII for old clients, and
/// UTF-8 percent-encoded (RFC 5987) so a plan named 沧州-2027-03 keeps its name.
fn disposition(file: &str) -> String {
    let ascii: String = file
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// `GET /api/v1/plans/{id}/export.csv`
pub async fn csv(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    query: Result<Query<Lang>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = language(query)?;
    let plan = solved(&state, plan_id(&raw)?).await?;
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let failed = |e: csv::Error| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "export_failed",
            e.to_string(),
        )
    };
    writer
        .write_record(headers(&VISIT_HEADERS, lang))
        .map_err(failed)?;
    for row in visit_rows(&plan, lang) {
        writer
            .write_record(row.iter().map(Cell::csv_text))
            .map_err(failed)?;
    }
    let body = writer.into_inner().map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "export_failed",
            e.to_string(),
        )
    })?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        format!("{}.csv", plan.name),
        body,
    ))
}

/// `GET /api/v1/plans/{id}/export.xlsx`
pub async fn xlsx(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    query: Result<Query<Lang>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = language(query)?;
    let plan = solved(&state, plan_id(&raw)?).await?;
    let name = plan.name.clone();
    // Writing and zipping a workbook is CPU work: off the async runtime.
    let body = tokio::task::spawn_blocking(move || workbook(&plan, lang))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "export_failed",
                e.to_string(),
            )
        })?
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "export_failed",
                e.to_string(),
            )
        })?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{name}.xlsx"),
        body,
    ))
}

fn workbook(plan: &Solved, lang: Language) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheets = [
        (
            if lang == Language::Chinese {
                "排班"
            } else {
                "roster"
            },
            headers(&VISIT_HEADERS, lang),
            visit_rows(plan, lang),
        ),
        (
            if lang == Language::Chinese {
                "未安排"
            } else {
                "unscheduled"
            },
            headers(&UNSCHEDULED_HEADERS, lang),
            unscheduled_rows(plan, lang),
        ),
    ];
    for (name, head, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (c, h) in head.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t)?,
                    Cell::Number(n) => sheet.write_number(r, c, *n)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::Cell;

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_written_as_text() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(Cell::Text(formula.into()).csv_text(), format!("'{formula}"));
        }
        assert_eq!(
            Cell::Text("沧州新天化工有限公司".into()).csv_text(),
            "沧州新天化工有限公司"
        );
        assert_eq!(Cell::Number(-3.5).csv_text(), "-3.5");
    }
}
