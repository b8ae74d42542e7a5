//! Benchmark commands that print a table and write CSV: public benchmark instances
//! solved by our solvers, each result checked against the raw data.

pub mod gap;
pub mod scale;
pub mod solomon;

use std::path::Path;

use anyhow::{Context, Result};

/// Writes rows as CSV with a header.
pub fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(header)?;
    for row in rows {
        w.write_record(row)?;
    }
    w.flush()?;
    Ok(())
}

/// The names selected by `--only a,b,c` (all when empty).
pub fn selected(only: &Option<String>, name: &str) -> bool {
    only.as_ref()
        .is_none_or(|list| list.split(',').any(|n| n.trim().eq_ignore_ascii_case(name)))
}
