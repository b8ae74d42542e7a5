//! The store: every SQL statement of the service lives here, so that another database
//! (PostgreSQL for shared deployments) means another implementation of this module, not
//! changes in the handlers.

use std::str::FromStr;

use chrono::Utc;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, Row};

/// A store failure (the database is unreachable or broken; never bad input).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Where a plan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Waiting for a solver slot.
    Queued,
    /// Being solved.
    Running,
    /// Solved: the roster is stored.
    Done,
    /// The solve failed or was interrupted; `error` says why.
    Failed,
}

impl PlanStatus {
    fn parse(text: &str) -> PlanStatus {
        match text {
            "queued" => PlanStatus::Queued,
            "running" => PlanStatus::Running,
            "done" => PlanStatus::Done,
            _ => PlanStatus::Failed,
        }
    }
}

/// A plan as stored, without its (large) instance and roster documents.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    /// Plan id.
    pub id: i64,
    /// Status.
    pub status: PlanStatus,
    /// The instance's name.
    pub name: String,
    /// When the plan was created (RFC 3339, UTC).
    pub created_at: String,
    /// When its status last changed.
    pub updated_at: String,
    /// Solver threads.
    pub threads: i64,
    /// Improvement iterations per thread.
    pub iterations: i64,
    /// Time limit, seconds.
    pub time_limit: Option<f64>,
    /// Why the plan failed.
    pub error: Option<String>,
    /// Weighted coverage of the roster (0–1).
    pub coverage: Option<f64>,
    /// Proven bound on the weighted coverage.
    pub bound: Option<f64>,
    /// Solve time, seconds.
    pub seconds: Option<f64>,
}

impl<'r> FromRow<'r, sqlx::sqlite::SqliteRow> for PlanSummary {
    fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
        Ok(PlanSummary {
            id: row.try_get("id")?,
            status: PlanStatus::parse(row.try_get::<&str, _>("status")?),
            name: row.try_get("name")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            threads: row.try_get("threads")?,
            iterations: row.try_get("iterations")?,
            time_limit: row.try_get("time_limit")?,
            error: row.try_get("error")?,
            coverage: row.try_get("coverage")?,
            bound: row.try_get("bound")?,
            seconds: row.try_get("seconds")?,
        })
    }
}

/// How a new plan is to be solved.
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// The instance's name.
    pub name: String,
    /// The instance document (contract JSON), stored exactly as solved.
    pub instance: String,
    /// Solver threads.
    pub threads: i64,
    /// Improvement iterations per thread.
    pub iterations: i64,
    /// Time limit, seconds.
    pub time_limit: Option<f64>,
}

/// The columns of a plan's summary, as a literal so that queries stay literal SQL.
macro_rules! summary_columns {
    () => {
        "id, status, name, created_at, updated_at, threads, iterations, time_limit, error, coverage, bound, seconds"
    };
}

/// The SQLite store.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Opens (creating if needed) the database at `url` (`sqlite://path.db`,
    /// `sqlite::memory:`), in WAL mode with full sync, and applies the migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A committed plan survives a power cut, not just a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Marks plans left queued or running by a previous process as failed, so nothing is
    /// stuck after a crash or kill. Returns how many.
    pub async fn fail_interrupted(&self) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE plans SET status = 'failed', error = 'interrupted: the service stopped before the solve finished; create the plan again', updated_at = ? WHERE status IN ('queued', 'running')")
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Stores a new queued plan and returns its id.
    pub async fn insert_plan(&self, plan: &NewPlan) -> Result<i64, StoreError> {
        let at = now();
        let row = sqlx::query(
            "INSERT INTO plans (status, created_at, updated_at, name, threads, iterations, time_limit, instance) VALUES ('queued', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&at)
        .bind(&at)
        .bind(&plan.name)
        .bind(plan.threads)
        .bind(plan.iterations)
        .bind(plan.time_limit)
        .bind(&plan.instance)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// One plan's summary.
    pub async fn plan(&self, id: i64) -> Result<Option<PlanSummary>, StoreError> {
        Ok(sqlx::query_as(concat!("SELECT ", summary_columns!(), " FROM plans WHERE id = ?")).bind(id).fetch_optional(&self.pool).await?)
    }

    /// Every plan, newest first.
    pub async fn plans(&self) -> Result<Vec<PlanSummary>, StoreError> {
        Ok(sqlx::query_as(concat!("SELECT ", summary_columns!(), " FROM plans ORDER BY id DESC")).fetch_all(&self.pool).await?)
    }

    /// The instance document a plan is solved from.
    pub async fn instance(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query("SELECT instance FROM plans WHERE id = ?").bind(id).fetch_optional(&self.pool).await?.map(|r| r.get("instance")))
    }

    /// The roster document of a solved plan.
    pub async fn roster(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query("SELECT roster FROM plans WHERE id = ?").bind(id).fetch_optional(&self.pool).await?.and_then(|r| r.get("roster")))
    }

    /// Marks a plan running.
    pub async fn set_running(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE plans SET status = 'running', updated_at = ? WHERE id = ?").bind(now()).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Stores a plan's roster and figures, and marks it done, in one statement.
    pub async fn set_done(&self, id: i64, roster: &str, coverage: f64, bound: Option<f64>, seconds: f64) -> Result<(), StoreError> {
        sqlx::query("UPDATE plans SET status = 'done', roster = ?, coverage = ?, bound = ?, seconds = ?, updated_at = ? WHERE id = ?")
            .bind(roster)
            .bind(coverage)
            .bind(bound)
            .bind(seconds)
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a plan failed with the reason.
    pub async fn set_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE plans SET status = 'failed', error = ?, updated_at = ? WHERE id = ?").bind(error).bind(now()).bind(id).execute(&self.pool).await?;
        Ok(())
    }
}
