//! The store: every SQL statement of the service lives here, so that another database
//! (PostgreSQL for shared deployments) means another implementation of this module, not
//! changes in the handlers.

use std::str::FromStr;

use chrono::Utc;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, FromRow, Row};
use sweep_registry::RegistryRecord;
use sweep_solver::model::{Horizon, Instance};

/// A store failure (the database is unreachable or broken; never bad input).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Another process holds the database (a second `serve` on the same file).
    #[error("{0}")]
    Locked(String),
    /// The database file was removed or replaced while the service ran: what it would
    /// write now would vanish with the process.
    #[error(
        "the database file {0} was removed or replaced while the service ran; restart the service"
    )]
    Replaced(String),
    /// A stored document no longer reads as its type (edited outside the service).
    #[error("stored {what} is corrupt: {message}")]
    Corrupt {
        /// Which document.
        what: String,
        /// The parse error.
        message: String,
    },
}

impl StoreError {
    /// Whether the fault may clear by itself: the disk full, the file read-only or
    /// locked, an I/O error, the pool busy. A missing table, a broken constraint or a
    /// replaced database file will not.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => {
                // SQLite's primary result code is the low byte of the extended one:
                // BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14, PROTOCOL 15.
                let code = e
                    .code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .map(|c| c & 0xff);
                matches!(code, Some(5 | 6 | 8 | 10 | 13 | 14 | 15))
            }
            StoreError::Database(
                sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::WorkerCrashed,
            ) => true,
            _ => false,
        }
    }
}

/// Where a plan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    /// Improvement iterations per thread at most (`None`: no cap, the time limit ends
    /// the search).
    pub iterations: Option<i64>,
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
    /// `inline` (the instance was posted) or `registries` (built from the stored registries).
    pub source: String,
    /// First day of the plan.
    pub horizon_start: Option<String>,
    /// Last day of the plan.
    pub horizon_end: Option<String>,
    /// When the plan was published (frozen); `None` for a draft.
    pub published_at: Option<String>,
    /// When its solve started (plans are solved one at a time, first come, first served).
    pub started_at: Option<String>,
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
            iterations: row.try_get("iteration_cap")?,
            time_limit: row.try_get("time_limit")?,
            error: row.try_get("error")?,
            coverage: row.try_get("coverage")?,
            bound: row.try_get("bound")?,
            seconds: row.try_get("seconds")?,
            source: row.try_get("source")?,
            horizon_start: row.try_get("horizon_start")?,
            horizon_end: row.try_get("horizon_end")?,
            published_at: row.try_get("published_at")?,
            started_at: row.try_get("started_at")?,
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
    /// Improvement iterations per thread at most (`None`: no cap, the time limit ends
    /// the search).
    pub iterations: Option<i64>,
    /// Time limit, seconds.
    pub time_limit: Option<f64>,
    /// `inline` or `registries`.
    pub source: &'static str,
    /// The plan's first and last day (YYYY-MM-DD).
    pub horizon: (String, String),
}

/// The columns of a plan's summary, as a literal so that queries stay literal SQL.
macro_rules! summary_columns {
    () => {
        "id, status, name, created_at, updated_at, threads, iteration_cap, time_limit, error, coverage, bound, seconds, source, horizon_start, horizon_end, published_at, started_at"
    };
}

/// The SQLite store.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The database file and the inode it had when opened (none in memory).
    file: Option<Arc<DatabaseFile>>,
}

/// The database file a store holds: its path, its inode at open, and the lock that keeps
/// a second process off it (held until the store is dropped).
struct DatabaseFile {
    path: PathBuf,
    identity: (u64, u64),
    _lock: std::fs::File,
}

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Opens (creating if needed) the database at `url` (`sqlite://path.db`,
    /// `sqlite::memory:`) and applies the migrations. A file database is locked first
    /// (`<file>.lock`): a second process on the same file stops here with
    /// [`StoreError::Locked`] before it reads or changes anything.
    ///
    /// The journal is SQLite's rollback journal (`DELETE`), not WAL, with full sync: WAL
    /// keeps its index in a memory-mapped `-shm` file, and when that file cannot grow (a
    /// full disk, an immutable file) the next access kills the process with SIGBUS; and
    /// a `-wal` file removed under a running process silently takes every write since the
    /// last checkpoint with it. A rollback journal exists only during a write and maps
    /// nothing; reads still run in parallel, writes wait for each other.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Delete)
            // A committed plan survives a power cut, not just a crash of the process: with
            // a rollback journal the commit is the journal's deletion, and only EXTRA
            // syncs the folder after it (with FULL a power cut could bring the journal
            // back and roll a confirmed write back).
            .synchronous(SqliteSynchronous::Extra)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let (file, options) = match options.get_filename() {
            _ if url.contains(":memory:") || url.contains("mode=memory") => (None, options),
            // The file exists once locked: a connection opened later never creates an
            // empty database in place of one removed under the service.
            path => (
                Some(Arc::new(DatabaseFile::lock(path)?)),
                options.create_if_missing(false),
            ),
        };
        // The connection is not pinged before each use (a local file does not drop
        // connections), which halves the round trips of a request. But a connection whose
        // COMMIT or ROLLBACK failed (disk full, read-only file) is still inside a
        // transaction: handed out again, every write on it would be answered as done and
        // never committed, and every read would see the old snapshot. Such a connection
        // is closed on release, and never handed out.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .before_acquire(|connection, _| Box::pin(async move { Ok(!connection.is_in_transaction()) }))
            .after_release(|connection, _| {
                Box::pin(async move {
                    // The rollback of a dropped transaction is queued on the connection's
                    // worker; a ping runs after it, so the depth read next is settled.
                    connection.ping().await?;
                    let clean = !connection.is_in_transaction();
                    if !clean {
                        tracing::warn!("a database connection is left inside a transaction (its commit or rollback failed); closing it");
                    }
                    Ok(clean)
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool, file })
    }

    /// Whether the store can take writes now: the database file is the one opened, and a
    /// write of the heartbeat row commits (a full disk or a read-only file fails here).
    /// Another connection's write holding the lock past the busy timeout (a large CSV
    /// replace) is a working database, not an unready one.
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        let heartbeat = sqlx::query("INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at").bind(now()).execute(self.db()?).await;
        match heartbeat {
            Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("5" | "6")) => {
                Ok(())
            }
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    /// The pool, once the database file is checked to be the one opened: every statement
    /// goes through here, so none reads from or writes to a database file removed or
    /// replaced under the process (what it wrote would live only in an unlinked file).
    fn db(&self) -> Result<&SqlitePool, StoreError> {
        let Some(file) = &self.file else {
            return Ok(&self.pool);
        };
        match identity(&file.path) {
            Some(id) if id == file.identity => Ok(&self.pool),
            _ => Err(StoreError::Replaced(file.path.display().to_string())),
        }
    }

    /// Marks plans left queued or running by a previous process as failed, so nothing is
    /// stuck after a crash or kill. Returns how many.
    pub async fn fail_interrupted(&self) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE plans SET status = 'failed', error = 'interrupted: the service stopped before the solve finished; create the plan again', updated_at = ? WHERE status IN ('queued', 'running')")
            .bind(now())
            .execute(self.db()?)
            .await?;
        Ok(done.rows_affected())
    }

    /// Stores a new queued plan with its instance, in one transaction; returns it.
    pub async fn insert_plan(&self, plan: &NewPlan) -> Result<PlanSummary, StoreError> {
        let at = now();
        let mut tx = self.db()?.begin().await?;
        // `execute` (not `RETURNING` with `fetch_one`): the statement runs to its end, so
        // every error it meets is returned (see `insert_token`).
        let id = sqlx::query(
            "INSERT INTO plans (status, created_at, updated_at, name, threads, iteration_cap, time_limit, source, horizon_start, horizon_end) VALUES ('queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&at)
        .bind(&at)
        .bind(&plan.name)
        .bind(plan.threads)
        .bind(plan.iterations)
        .bind(plan.time_limit)
        .bind(plan.source)
        .bind(&plan.horizon.0)
        .bind(&plan.horizon.1)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        sqlx::query("INSERT INTO plan_documents (plan_id, kind, body) VALUES (?, 'instance', ?)")
            .bind(id)
            .bind(&plan.instance)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        // The answer is built from what was written, not read back: a read that failed
        // after the commit would tell the client that a stored plan was not.
        Ok(PlanSummary {
            id,
            status: PlanStatus::Queued,
            name: plan.name.clone(),
            created_at: at.clone(),
            updated_at: at,
            threads: plan.threads,
            iterations: plan.iterations,
            time_limit: plan.time_limit,
            error: None,
            coverage: None,
            bound: None,
            seconds: None,
            source: plan.source.to_string(),
            horizon_start: Some(plan.horizon.0.clone()),
            horizon_end: Some(plan.horizon.1.clone()),
            published_at: None,
            started_at: None,
        })
    }

    /// One plan's summary.
    pub async fn plan(&self, id: i64) -> Result<Option<PlanSummary>, StoreError> {
        Ok(sqlx::query_as(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM plans WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(self.db()?)
        .await?)
    }

    /// A page of the plans, newest first.
    pub async fn plans(&self, limit: i64, offset: i64) -> Result<Vec<PlanSummary>, StoreError> {
        Ok(sqlx::query_as(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM plans ORDER BY id DESC LIMIT ? OFFSET ?"
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(self.db()?)
        .await?)
    }

    /// The instance document a plan is solved from.
    pub async fn instance(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.document(id, "instance").await
    }

    /// The roster document of a solved plan.
    pub async fn roster(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.document(id, "roster").await
    }

    async fn document(&self, id: i64, kind: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query("SELECT body FROM plan_documents WHERE plan_id = ? AND kind = ?")
                .bind(id)
                .bind(kind)
                .fetch_optional(self.db()?)
                .await?
                .map(|r| r.get("body")),
        )
    }

    /// Marks a queued plan running; `false` if it is neither queued nor running (cancelled
    /// or deleted). Only the worker marks plans running, so finding it running already is
    /// this call's own earlier try: a commit can be applied and still report an error (the
    /// journal deleted under the service: `IOERR_DELETE_NOENT`), and the retry must not
    /// take its own success for a cancel.
    ///
    /// Every change of a plan's status is conditional on the status it leaves, so two
    /// writers (the worker and a planner's cancel) cannot both win: a plan goes queued →
    /// running → done or failed, or queued → failed, once.
    pub async fn set_running(&self, id: i64) -> Result<bool, StoreError> {
        let at = now();
        let done = sqlx::query("UPDATE plans SET status = 'running', started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ? AND status IN ('queued', 'running')")
            .bind(&at)
            .bind(&at)
            .bind(id)
            .execute(self.db()?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores a running plan's roster and figures and marks it done, in one transaction: a
    /// reader sees a running plan without a roster or a done plan with one. `false` if the
    /// plan is no longer running (nothing is stored).
    pub async fn set_done(
        &self,
        id: i64,
        roster: &str,
        coverage: f64,
        bound: Option<f64>,
        seconds: f64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.db()?.begin().await?;
        let done = sqlx::query("UPDATE plans SET status = 'done', coverage = ?, bound = ?, seconds = ?, updated_at = ? WHERE id = ? AND status = 'running'")
            .bind(coverage)
            .bind(bound)
            .bind(seconds)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("INSERT INTO plan_documents (plan_id, kind, body) VALUES (?, 'roster', ?)")
            .bind(id)
            .bind(roster)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Marks a queued or running plan failed with the reason; `false` if it had ended
    /// already (done, failed, deleted).
    pub async fn set_failed(&self, id: i64, error: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE plans SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'running')")
            .bind(error)
            .bind(now())
            .bind(id)
            .execute(self.db()?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Publishes a solved plan: sets `published_at` if it is done and not yet published.
    /// Returns whether it changed (the caller tells apart "not done" and "already").
    pub async fn publish(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE plans SET published_at = ?, updated_at = ? WHERE id = ? AND status = 'done' AND published_at IS NULL")
            .bind(now())
            .bind(now())
            .bind(id)
            .execute(self.db()?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a plan that is neither published nor being solved. Returns whether it did.
    pub async fn delete_plan(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM plans WHERE id = ? AND published_at IS NULL AND status IN ('done', 'failed')").bind(id).execute(self.db()?).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Published plans whose horizon overlaps `[start, end]`, newest first.
    pub async fn published_overlapping(
        &self,
        start: &str,
        end: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query("SELECT id FROM plans WHERE published_at IS NOT NULL AND status = 'done' AND horizon_start <= ? AND horizon_end >= ? ORDER BY published_at DESC, id DESC")
            .bind(end)
            .bind(start)
            .fetch_all(self.db()?)
            .await?;
        Ok(rows.into_iter().map(|r| r.get("id")).collect())
    }

    // ---- registries -------------------------------------------------------------

    /// Every record of a registry, in order.
    pub async fn records<T: RegistryRecord>(&self) -> Result<Vec<T>, StoreError> {
        records_on(&mut *self.db()?.acquire().await?).await
    }

    /// How many records a registry holds.
    pub async fn record_count<T: RegistryRecord>(&self) -> Result<usize, StoreError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM registry_records WHERE registry = ?")
            .bind(T::NAME)
            .fetch_one(self.db()?)
            .await?
            .get("n");
        Ok(n as usize)
    }

    /// A page of a registry's records.
    pub async fn records_page<T: RegistryRecord>(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<T>, i64), StoreError> {
        let rows = sqlx::query("SELECT key, body FROM registry_records WHERE registry = ? ORDER BY position LIMIT ? OFFSET ?")
            .bind(T::NAME)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.db()?)
            .await?;
        let total = self.record_count::<T>().await? as i64;
        let records = rows
            .iter()
            .map(|r| {
                parse_body(
                    &format!("{} `{}`", T::NAME, r.get::<&str, _>("key")),
                    r.get("body"),
                )
            })
            .collect::<Result<_, _>>()?;
        Ok((records, total))
    }

    /// One record.
    pub async fn record<T: RegistryRecord>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let row = sqlx::query("SELECT body FROM registry_records WHERE registry = ? AND key = ?")
            .bind(T::NAME)
            .bind(key)
            .fetch_optional(self.db()?)
            .await?;
        row.map(|r| parse_body(&format!("{} `{key}`", T::NAME), r.get("body")))
            .transpose()
    }

    /// Adds a record after the others, or replaces the record with its key in place.
    pub async fn put_record<T: RegistryRecord>(&self, record: &T) -> Result<(), StoreError> {
        let body = serde_json::to_string(record).map_err(|e| StoreError::Corrupt {
            what: T::NAME.into(),
            message: e.to_string(),
        })?;
        sqlx::query(
            "INSERT INTO registry_records (registry, key, position, body, updated_at) \
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM registry_records WHERE registry = ?1), ?3, ?4) \
             ON CONFLICT (registry, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(T::NAME)
        .bind(record.key())
        .bind(body)
        .bind(now())
        .execute(self.db()?)
        .await?;
        Ok(())
    }

    /// Deletes a record; returns whether it existed.
    pub async fn delete_record<T: RegistryRecord>(&self, key: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM registry_records WHERE registry = ? AND key = ?")
            .bind(T::NAME)
            .bind(key)
            .execute(self.db()?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces a whole registry in one transaction: readers see the old records or the new.
    pub async fn replace_records<T: RegistryRecord>(
        &self,
        records: &[T],
    ) -> Result<(), StoreError> {
        let mut tx = self.db()?.begin().await?;
        replace_in::<T>(&mut tx, records, &now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces every registry and setting with an instance's, in one transaction.
    pub async fn replace_registries(&self, instance: &Instance) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.db()?.begin().await?;
        replace_in(&mut tx, &instance.districts, &at).await?;
        replace_in(&mut tx, &instance.officers, &at).await?;
        replace_in(&mut tx, &instance.experts, &at).await?;
        replace_in(&mut tx, &instance.enterprises, &at).await?;
        replace_in(&mut tx, &instance.history, &at).await?;
        replace_in(&mut tx, &instance.findings, &at).await?;
        let settings = [
            ("policy", serde_json::to_string(&instance.policy)),
            ("calendar", serde_json::to_string(&instance.calendar)),
            (
                "travel",
                serde_json::to_string(&instance.travel.clone().unwrap_or_default()),
            ),
        ];
        for (name, body) in settings {
            let body = body.map_err(|e| StoreError::Corrupt {
                what: name.into(),
                message: e.to_string(),
            })?;
            sqlx::query("INSERT INTO settings (name, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")
                .bind(name)
                .bind(body)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A bureau-wide document (`policy`, `calendar`, `travel`), if set.
    pub async fn setting<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, StoreError> {
        setting_on(&mut *self.db()?.acquire().await?, name).await
    }

    /// Sets a bureau-wide document.
    pub async fn put_setting<T: Serialize>(&self, name: &str, value: &T) -> Result<(), StoreError> {
        let body = serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
            what: name.into(),
            message: e.to_string(),
        })?;
        sqlx::query("INSERT INTO settings (name, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")
            .bind(name)
            .bind(body)
            .bind(now())
            .execute(self.db()?)
            .await?;
        Ok(())
    }

    /// Every registry and setting as one instance (name and horizon are the caller's).
    /// Read in one transaction, so a write in between cannot mix old and new registries.
    pub async fn registries(&self, name: &str, horizon: Horizon) -> Result<Instance, StoreError> {
        let mut tx = self.db()?.begin().await?;
        Ok(Instance {
            name: name.into(),
            horizon,
            calendar: setting_on(&mut tx, "calendar").await?.unwrap_or_default(),
            policy: setting_on(&mut tx, "policy").await?.unwrap_or_default(),
            districts: records_on(&mut tx).await?,
            officers: records_on(&mut tx).await?,
            experts: records_on(&mut tx).await?,
            enterprises: records_on(&mut tx).await?,
            history: records_on(&mut tx).await?,
            findings: records_on(&mut tx).await?,
            travel: setting_on(&mut tx, "travel").await?,
        })
    }

    /// Whether the database holds no registry record at all (a new bureau).
    pub async fn registries_empty(&self) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM registry_records LIMIT 1")
            .fetch_optional(self.db()?)
            .await?
            .is_none())
    }

    // ---- tokens -----------------------------------------------------------------

    /// How many tokens were ever issued (0 on a new database).
    pub async fn token_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM tokens")
            .fetch_one(self.db()?)
            .await?
            .get("n"))
    }

    /// Stores a token's hash; returns its id.
    pub async fn insert_token(
        &self,
        hash: &str,
        role: &str,
        subject: Option<&str>,
    ) -> Result<i64, StoreError> {
        // Not `INSERT ... RETURNING id` read with `fetch_one`: SQLite hands out the row on
        // the statement's first step and commits an autocommit statement when it runs to
        // its end, and `fetch_one` stops at the row, so a failed commit (a read-only file)
        // went unseen and a token was answered 201 that was never stored. `execute` runs
        // the statement to its end and returns its error.
        let done =
            sqlx::query("INSERT INTO tokens (hash, role, subject, created_at) VALUES (?, ?, ?, ?)")
                .bind(hash)
                .bind(role)
                .bind(subject)
                .bind(now())
                .execute(self.db()?)
                .await?;
        Ok(done.last_insert_rowid())
    }

    /// The live token with this hash: its id, role and subject. A token is live while it
    /// is not revoked and the expert or officer it speaks for is in the registries (a
    /// person removed from the registry loses their access with the record).
    pub async fn token(
        &self,
        hash: &str,
    ) -> Result<Option<(i64, String, Option<String>)>, StoreError> {
        let row = sqlx::query(
            "SELECT t.id, t.role, t.subject FROM tokens t WHERE t.hash = ? AND t.revoked_at IS NULL \
             AND (t.subject IS NULL OR EXISTS (SELECT 1 FROM registry_records r WHERE r.key = t.subject \
                  AND r.registry = CASE t.role WHEN 'expert' THEN 'experts' WHEN 'officer' THEN 'officers' END))",
        )
        .bind(hash)
        .fetch_optional(self.db()?)
        .await?;
        Ok(row.map(|r| (r.get("id"), r.get("role"), r.get("subject"))))
    }

    /// A page of the tokens (never the secret), newest first.
    pub async fn tokens(&self, limit: i64, offset: i64) -> Result<Vec<TokenInfo>, StoreError> {
        Ok(sqlx::query_as("SELECT id, role, subject, created_at, revoked_at FROM tokens ORDER BY id DESC LIMIT ? OFFSET ?").bind(limit).bind(offset).fetch_all(self.db()?).await?)
    }

    /// Revokes a token; returns whether a live token was revoked.
    pub async fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(now())
                .bind(id)
                .execute(self.db()?)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    // ---- declines ---------------------------------------------------------------

    /// Records an expert's decline of a visit; `false` if they already declined it.
    pub async fn insert_decline(
        &self,
        plan: i64,
        enterprise: &str,
        expert: &str,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("INSERT INTO declines (plan_id, enterprise, expert, reason, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(plan)
            .bind(enterprise)
            .bind(expert)
            .bind(reason)
            .bind(now())
            .execute(self.db()?)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A plan's declines, oldest first.
    pub async fn declines(&self, plan: i64) -> Result<Vec<Decline>, StoreError> {
        Ok(sqlx::query_as("SELECT plan_id, enterprise, expert, reason, created_at FROM declines WHERE plan_id = ? ORDER BY id").bind(plan).fetch_all(self.db()?).await?)
    }
}

async fn records_on<T: RegistryRecord>(
    connection: &mut sqlx::SqliteConnection,
) -> Result<Vec<T>, StoreError> {
    let rows =
        sqlx::query("SELECT key, body FROM registry_records WHERE registry = ? ORDER BY position")
            .bind(T::NAME)
            .fetch_all(&mut *connection)
            .await?;
    rows.iter()
        .map(|r| {
            parse_body(
                &format!("{} `{}`", T::NAME, r.get::<&str, _>("key")),
                r.get("body"),
            )
        })
        .collect()
}

async fn setting_on<T: serde::de::DeserializeOwned>(
    connection: &mut sqlx::SqliteConnection,
    name: &str,
) -> Result<Option<T>, StoreError> {
    let row = sqlx::query("SELECT body FROM settings WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|r| parse_body(name, r.get("body"))).transpose()
}

async fn replace_in<T: RegistryRecord>(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    records: &[T],
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM registry_records WHERE registry = ?")
        .bind(T::NAME)
        .execute(&mut **tx)
        .await?;
    for (position, record) in records.iter().enumerate() {
        let body = serde_json::to_string(record).map_err(|e| StoreError::Corrupt {
            what: T::NAME.into(),
            message: e.to_string(),
        })?;
        sqlx::query("INSERT INTO registry_records (registry, key, position, body, updated_at) VALUES (?, ?, ?, ?, ?)")
            .bind(T::NAME)
            .bind(record.key())
            .bind(position as i64 + 1)
            .bind(body)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn parse_body<T: serde::de::DeserializeOwned>(what: &str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt {
        what: what.into(),
        message: e.to_string(),
    })
}

/// A token as listed to planners (the secret itself is never stored).
#[derive(Debug, Clone, Serialize, FromRow, schemars::JsonSchema)]
pub struct TokenInfo {
    /// Token id (to revoke it).
    pub id: i64,
    /// `planner`, `officer` or `expert`.
    pub role: String,
    /// The expert or officer id the token speaks for.
    pub subject: Option<String>,
    /// When it was issued.
    pub created_at: String,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

/// An expert's decline of a visit.
#[derive(Debug, Clone, Serialize, FromRow, schemars::JsonSchema)]
pub struct Decline {
    /// The plan.
    #[sqlx(rename = "plan_id")]
    pub plan: i64,
    /// The visit's firm (a firm is visited at most once in a plan).
    pub enterprise: String,
    /// The expert who declined.
    pub expert: String,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: String,
}

impl DatabaseFile {
    /// Takes `<path>.lock` (an advisory lock the operating system drops with the process,
    /// so a killed service never leaves it behind) and notes the database's identity. The
    /// path is made canonical first, so a symbolic link or another spelling of the same
    /// file finds the same lock.
    fn lock(path: &Path) -> Result<DatabaseFile, StoreError> {
        let locked = |what: String| StoreError::Locked(what);
        // SQLite would create the file on first connect; it is created here so that it
        // can be made canonical and its identity is known.
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .append(true)
            .open(path)
            .map_err(|e| locked(format!("cannot open the database {}: {e}", path.display())))?;
        let path = std::fs::canonicalize(path).map_err(|e| {
            locked(format!(
                "cannot resolve the database path {}: {e}",
                path.display()
            ))
        })?;
        let mut lock_path = path.as_os_str().to_owned();
        lock_path.push(".lock");
        let lock_path = PathBuf::from(lock_path);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| {
                locked(format!(
                    "cannot open the lock file {}: {e}",
                    lock_path.display()
                ))
            })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(locked(format!(
                    "another hazard-sweep process is using the database {} (it holds {}); stop it first, or give this one its own --database-url",
                    path.display(),
                    lock_path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(locked(format!("cannot lock {}: {e}", lock_path.display())));
            }
        }
        let identity = identity(&path)
            .ok_or_else(|| locked(format!("cannot read the database file {}", path.display())))?;
        Ok(DatabaseFile {
            path,
            identity,
            _lock: lock,
        })
    }
}

/// A file's identity: its device and inode (a file removed and created again, or another
/// file moved into its place, has another).
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Elsewhere the file's existence stands in for its identity.
#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    path.exists().then_some((0, 0))
}
