//! `serve --demo`: the Cangzhou registries (the repository's fixture, built into the
//! binary so it works from any directory) loaded into an empty database, through the same
//! readers and checks as an upload, in one transaction.

use chrono::NaiveDate;
use sweep_registry::{ImportProblem, read_toml};
use sweep_solver::model::*;
use sweep_solver::validate::{Level, validate};

use crate::AppState;

macro_rules! fixture {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/cangzhou/",
            $file
        ))
    };
}

/// Why the demo could not be loaded (a broken fixture is a bug of this build).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The built-in fixture does not read.
    #[error("the built-in Cangzhou fixture has problems: {0}")]
    Fixture(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The Cangzhou registries as one instance (horizon: March 2027, the fixture's month).
pub fn cangzhou() -> Result<Instance, DemoError> {
    let mut problems: Vec<ImportProblem> = Vec::new();
    let nodes = sweep_registry::read_road_nodes(fixture!("road_nodes.csv"), &mut problems).records;
    let edges = sweep_registry::read_road_edges(fixture!("road_edges.csv"), &mut problems).records;
    let instance = Instance {
        name: "cangzhou".into(),
        horizon: Horizon {
            start: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default(),
            end: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default(),
        },
        calendar: read_toml(fixture!("calendar.toml"), "calendar.toml", &mut problems)
            .unwrap_or_default(),
        policy: read_toml(fixture!("policy.toml"), "policy.toml", &mut problems)
            .unwrap_or_default(),
        districts: sweep_registry::read_districts(fixture!("districts.csv"), &mut problems).records,
        officers: sweep_registry::read_officers(fixture!("officers.csv"), &mut problems).records,
        experts: sweep_registry::read_experts(fixture!("experts.csv"), &mut problems).records,
        enterprises: sweep_registry::read_enterprises(fixture!("enterprises.csv"), &mut problems)
            .records,
        history: sweep_registry::read_history(fixture!("history.csv"), &mut problems).records,
        findings: sweep_registry::read_findings(fixture!("findings.csv"), &mut problems).records,
        travel: Some(Travel {
            network: Some(Network { nodes, edges }),
            matrix: None,
        }),
    };
    let errors: Vec<String> = problems
        .iter()
        .map(ToString::to_string)
        .chain(
            validate(&instance)
                .into_iter()
                .filter(|p| p.level == Level::Error)
                .map(|p| format!("{}: {}", p.code, p.message)),
        )
        .collect();
    if errors.is_empty() {
        Ok(instance)
    } else {
        Err(DemoError::Fixture(errors.join("; ")))
    }
}

/// Loads the demo registries if the database holds none; says what it did.
pub async fn load(state: &AppState) -> Result<(), DemoError> {
    if !state.store.registries_empty().await? {
        tracing::info!("--demo: the database already holds registries; left as they are");
        return Ok(());
    }
    let instance = cangzhou()?;
    state.store.replace_registries(&instance).await?;
    tracing::info!(
        districts = instance.districts.len(),
        officers = instance.officers.len(),
        experts = instance.experts.len(),
        enterprises = instance.enterprises.len(),
        "--demo: the Cangzhou registries are loaded; plan a month with POST /api/v1/plans {{\"month\": \"2027-03\"}}"
    );
    Ok(())
}
