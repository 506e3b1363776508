//! Deletions as plans: per table, how many rows go and by which rule. A plan is counted while
//! its deletes run inside a savepoint, which a dry run then rolls back — so a dry run reports
//! exactly what the same deletion removes, rows that go with others (`ON DELETE CASCADE`)
//! included. Plans hold counts only, never anything a row contains.

use super::sql::params;
use super::{Result, Tx};
use crate::inventory::INVENTORY;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Whether a deletion is kept or only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Apply,
    DryRun,
}

/// Rows of one table that go (or would go), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub table: String,
    pub rows: u64,
    pub rule: String,
}

/// What a deletion removes (or, in a dry run, would remove).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub lines: Vec<Line>,
}

impl Plan {
    /// Rows of all tables together.
    pub fn total(&self) -> u64 {
        self.lines.iter().map(|l| l.rows).sum()
    }

    /// Rows of one table, over all rules.
    pub fn rows(&self, table: &str) -> u64 {
        self.lines.iter().filter(|l| l.table == table).map(|l| l.rows).sum()
    }

    pub(crate) fn add(&mut self, table: &str, rows: usize, rule: impl Into<String>) {
        let rows = u64::try_from(rows).unwrap_or(u64::MAX);
        self.lines.push(Line { table: table.to_owned(), rows, rule: rule.into() });
    }
}

/// A table of lines for a person at a terminal: table, rows, rule.
impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = self.lines.iter().map(|l| l.table.len()).max().unwrap_or(0).max(5);
        writeln!(f, "{:<width$}  {:>7}  rule", "table", "rows")?;
        for line in &self.lines {
            writeln!(f, "{:<width$}  {:>7}  {}", line.table, line.rows, line.rule)?;
        }
        Ok(())
    }
}

/// Runs `work` in a savepoint that is kept (`Apply`) or rolled back (`DryRun`, or on error),
/// and returns the plan it counted.
pub(crate) fn within(
    tx: &Tx,
    mode: Mode,
    work: impl FnOnce(&Tx, &mut Plan) -> Result<()>,
) -> Result<Plan> {
    tx.batch("SAVEPOINT plan")?;
    let mut plan = Plan::default();
    let result = work(tx, &mut plan);
    let end = match (&result, mode) {
        (Ok(()), Mode::Apply) => "RELEASE plan",
        _ => "ROLLBACK TO plan; RELEASE plan",
    };
    tx.batch(end)?;
    result.map(|()| plan)
}

/// One delete from `table` by `rule`, counted, with the rows that go with the deleted ones
/// (counted per table, under `cascade_rule`, when there are any). `delete` returns how many
/// rows of `table` it deleted and must do the same when run again.
pub(crate) fn step(
    tx: &Tx,
    plan: &mut Plan,
    table: &str,
    rule: impl Into<String>,
    cascade_rule: &str,
    delete: impl Fn(&Tx) -> Result<usize>,
) -> Result<()> {
    step_among(tx, plan, (table, &cascades_from(table)), rule, cascade_rule, delete)
}

/// [`step`], given the tables whose rows go with `table`'s.
fn step_among(
    tx: &Tx,
    plan: &mut Plan,
    (table, children): (&str, &[String]),
    rule: impl Into<String>,
    cascade_rule: &str,
    delete: impl Fn(&Tx) -> Result<usize>,
) -> Result<()> {
    tx.batch("SAVEPOINT step")?;
    let outcome = counted(tx, children, &delete);
    let end = if outcome.is_ok() { "RELEASE step" } else { "ROLLBACK TO step; RELEASE step" };
    tx.batch(end)?;
    let (rows, gone) = outcome?;
    plan.add(table, rows, rule);
    for (child, rows) in children.iter().zip(gone) {
        if rows > 0 {
            plan.add(child, rows, cascade_rule);
        }
    }
    Ok(())
}

/// Runs `delete` inside the savepoint `step`: the rows it deleted, and those that went with
/// them from each of `children` (all zero when none did).
fn counted(
    tx: &Tx,
    children: &[String],
    delete: &impl Fn(&Tx) -> Result<usize>,
) -> Result<(usize, Vec<usize>)> {
    let rows = delete(tx)?;
    if rows == 0 || children.is_empty() {
        return Ok((rows, vec![0; children.len()]));
    }
    // Rows that cascade can only be counted as whole tables before and after. That is worth
    // doing only when something went, so then the delete is undone and done again between the
    // counts; a pass that deletes nothing (the usual one) counts nothing.
    tx.batch("ROLLBACK TO step")?;
    let before = counts(tx, children)?;
    let rows = delete(tx)?;
    let after = counts(tx, children)?;
    Ok((rows, before.into_iter().zip(after).map(|(b, a)| b.saturating_sub(a)).collect()))
}

/// Every table of the schema, by name: the inventory's list, which a test holds each
/// backend's schema to.
pub fn tables() -> Vec<String> {
    let mut tables: Vec<String> = INVENTORY.iter().map(|h| h.table.to_owned()).collect();
    tables.sort();
    tables
}

/// The tables whose rows are deleted with a row of `table` by `ON DELETE CASCADE`, followed
/// through every level, nearest first (by name within a level), as the inventory lists them.
pub fn cascades_from(table: &str) -> Vec<String> {
    cascades_in(INVENTORY.iter().map(|h| (h.table, h.goes_with)), table)
}

/// [`cascades_from`] over any list of tables and the tables each goes with.
fn cascades_in<'a>(
    schema: impl Iterator<Item = (&'a str, &'a [&'a str])>,
    table: &str,
) -> Vec<String> {
    let mut children: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (child, parents) in schema {
        for parent in parents {
            children.entry(parent).or_default().insert(child);
        }
    }
    let mut found: Vec<String> = Vec::new();
    let mut queue = VecDeque::from([table]);
    while let Some(parent) = queue.pop_front() {
        for &child in children.get(parent).into_iter().flatten() {
            if child != table && !found.iter().any(|f| f == child) {
                found.push(child.to_owned());
                queue.push_back(child);
            }
        }
    }
    found
}

/// Rows in each table.
fn counts(tx: &Tx, tables: &[String]) -> Result<Vec<usize>> {
    tables
        .iter()
        .map(|table| {
            let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
            let rows: i64 = tx.one(&sql, params![], |r| r.get(0))?;
            Ok(rows.try_into().unwrap_or(0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables `a` ← `b` ← `c` by cascades, and `d` referring to `a` without one.
    const SCHEMA: [(&str, &[&str]); 4] = [("a", &[]), ("b", &["a"]), ("c", &["b"]), ("d", &[])];

    fn database() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE a (id INTEGER PRIMARY KEY);
             CREATE TABLE b (id INTEGER PRIMARY KEY, a INTEGER REFERENCES a (id) ON DELETE CASCADE);
             CREATE TABLE c (b INTEGER REFERENCES b (id) ON DELETE CASCADE);
             CREATE TABLE d (a INTEGER REFERENCES a (id));
             INSERT INTO a VALUES (1), (2);
             INSERT INTO b VALUES (10, 1), (11, 1), (20, 2);
             INSERT INTO c VALUES (10), (10), (11), (20);",
        )
        .unwrap();
        conn
    }

    fn count(tx: &Tx, table: &str) -> i64 {
        tx.one(&format!("SELECT count(*) FROM {table}"), params![], |r| r.get(0)).unwrap()
    }

    fn delete_a(tx: &Tx, plan: &mut Plan, sql: &str) -> Result<()> {
        let children = cascades_in(SCHEMA.into_iter(), "a");
        step_among(tx, plan, ("a", &children), "rule", "with a", |tx| tx.execute(sql, params![]))
    }

    #[test]
    fn cascades_are_followed_through_every_level_and_only_cascades() {
        assert_eq!(cascades_in(SCHEMA.into_iter(), "a"), ["b", "c"]);
        assert_eq!(cascades_in(SCHEMA.into_iter(), "c"), Vec::<String>::new());
        assert_eq!(cascades_from("schedules"), ["schedule_runs"]);
        let with_teams = cascades_from("teams");
        assert!(with_teams.contains(&"members".to_owned()), "{with_teams:?}");
        assert!(with_teams.contains(&"agenda_votes".to_owned()), "{with_teams:?}");
        assert!(!with_teams.contains(&"teams".to_owned()), "{with_teams:?}");
    }

    #[test]
    fn a_dry_run_counts_what_the_real_run_then_deletes() {
        let conn = database();
        let tx = Tx::sqlite(&conn);
        let run = |mode| {
            within(&tx, mode, |tx, plan| delete_a(tx, plan, "DELETE FROM a WHERE id = 1")).unwrap()
        };
        let dry = run(Mode::DryRun);
        assert_eq!((count(&tx, "a"), count(&tx, "b"), count(&tx, "c")), (2, 3, 4));
        assert_eq!((dry.rows("a"), dry.rows("b"), dry.rows("c")), (1, 2, 3));
        let applied = run(Mode::Apply);
        assert_eq!(applied, dry);
        assert_eq!((count(&tx, "a"), count(&tx, "b"), count(&tx, "c")), (1, 1, 1));
        let shown = applied.to_string();
        let words: Vec<Vec<&str>> = shown.lines().map(|l| l.split_whitespace().collect()).collect();
        assert!(words.contains(&vec!["a", "1", "rule"]), "{shown}");
        assert!(words.contains(&vec!["c", "3", "with", "a"]), "{shown}");
    }

    #[test]
    fn a_failing_step_keeps_nothing() {
        let conn = database();
        let tx = Tx::sqlite(&conn);
        let result = within(&tx, Mode::Apply, |tx, plan| {
            delete_a(tx, plan, "DELETE FROM a")?;
            Err(crate::store::StoreError::Corrupt("on purpose".into()))
        });
        assert!(result.is_err());
        assert_eq!(count(&tx, "a"), 2);
    }
}
