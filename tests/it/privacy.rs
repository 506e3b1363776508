//! `/privacy` is written from the inventory (`hearth::inventory`), and these tests keep the
//! inventory in step with the schema and with what housekeeping deletes: every table is in
//! it, every listed table exists, the tables it says go with others (`ON DELETE CASCADE`) are
//! the schema's, everything kept for a time has a purge rule, and `/privacy` names the periods
//! in force. They hold whichever database the tests run on; on the PostgreSQL pass one more
//! compares its tables and columns with a freshly migrated SQLite database's.

use crate::harness::{Db, TestBot};
use hearth::inventory::{INVENTORY, Kept, Linked};
use hearth::store::plan::Mode;
use std::collections::BTreeSet;

#[tokio::test]
async fn every_table_is_in_the_inventory_and_every_listed_table_exists() {
    let t = TestBot::new().await;
    let schema: BTreeSet<String> = Db::of(&t.bot).tables().await.into_iter().collect();
    let listed: BTreeSet<String> = INVENTORY.iter().map(|h| h.table.to_owned()).collect();
    assert_eq!(INVENTORY.len(), listed.len(), "a table listed twice");
    assert_eq!(schema, listed, "the schema and the inventory differ");
}

/// Deletions count the rows that cascade by the inventory's `goes_with`, so it must say what
/// the schema does.
#[tokio::test]
async fn the_inventory_knows_every_cascade_of_the_schema() {
    let t = TestBot::new().await;
    let db = Db::of(&t.bot);
    for holding in INVENTORY {
        let cascades = db.cascades(holding.table).await;
        let listed: BTreeSet<String> = holding.goes_with.iter().map(|&t| t.to_owned()).collect();
        assert_eq!(
            cascades, listed,
            "{}: the schema's cascades and the inventory's",
            holding.table
        );
    }
}

/// On the PostgreSQL pass: its schema has the tables and columns, by name and in order, of a
/// freshly migrated SQLite database. Their types differ by design (BIGINT for INTEGER, BYTEA
/// for BLOB, TEXT COLLATE "C" for TEXT: see the header of
/// `migrations/postgres/20261206060000_schema.sql`), so only names are compared.
#[tokio::test]
async fn the_postgres_schema_has_the_tables_and_columns_of_sqlites() {
    let t = TestBot::new().await;
    let postgres = Db::of(&t.bot);
    if postgres.is_sqlite() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    hearth::store::Store::open(dir.path()).unwrap().close().await;
    let sqlite = Db::Sqlite(hearth::store::database_path(dir.path()));
    let tables = sqlite.tables().await;
    assert_eq!(postgres.tables().await, tables);
    for table in &tables {
        let names = |columns: Vec<(String, String)>| -> Vec<String> {
            columns.into_iter().map(|(name, _)| name).collect()
        };
        let expected = names(sqlite.columns(table).await);
        assert!(!expected.is_empty(), "{table}");
        assert_eq!(names(postgres.columns(table).await), expected, "{table}");
    }
}

#[tokio::test]
async fn everything_kept_for_a_time_has_a_purge_rule() {
    let t = TestBot::new().await;
    let retention = hearth::store::purge::Retention::from(&t.bot.config().retention);
    let now = t.bot.now();
    let plan = t
        .bot
        .store()
        .run(move |tx| hearth::store::purge::run(tx, now, retention, Mode::DryRun))
        .await
        .unwrap();
    for holding in INVENTORY.iter().filter(|h| h.kept != Kept::WhileNeeded) {
        assert!(
            plan.lines.iter().any(|l| l.table == holding.table),
            "{} is kept {:?} but nothing deletes it: {plan}",
            holding.table,
            holding.kept
        );
    }
    for line in &plan.lines {
        assert!(INVENTORY.iter().any(|h| h.table == line.table), "{} is not listed", line.table);
    }
}

/// Rows that name nobody hold no member or platform id: the weather counts, the request
/// counts and the team row's own settings cannot be joined back to a person.
#[tokio::test]
async fn tables_not_linked_to_anyone_have_no_column_that_could_link_them() {
    let t = TestBot::new().await;
    for holding in INVENTORY.iter().filter(|h| h.linked == Linked::No && h.table != "teams") {
        let columns = Db::of(&t.bot).columns(holding.table).await;
        for (column, _) in &columns {
            assert!(
                !column.contains("member")
                    && !column.contains("user")
                    && !column.contains("person"),
                "{}.{column} could link a row to someone",
                holding.table
            );
        }
    }
}

#[tokio::test]
async fn privacy_names_the_periods_in_force() {
    let mut t = TestBot::with_config(|config| {
        config.retention.weather_days = 123;
        config.retention.history_days = 45;
        config.retention.agenda_days = 67;
    })
    .await;
    let said = t.say("/privacy").await;
    for period in ["123 days", "45 days", "67 days", "7 days", "30 days"] {
        assert!(said.contains(period), "{period} missing from {said}");
    }
    assert!(said.contains("This conversation runs in a terminal"), "{said}");
    assert!(said.contains("/mydata delete erases it"), "{said}");
}
