//! Tests of the statements whose SQL was respelt so that PostgreSQL can run the same text
//! (`RETURNING id`, `IS [NOT] DISTINCT FROM`, a boolean parameter compared `= 1`, a column
//! named by its table in `ON CONFLICT DO UPDATE`): each pins what the SQLite spelling did.

use super::communities::{self, NewCommunity};
use super::requests::{self, NewRequest, Outcome};
use super::schedules::{self, NewSchedule};
use super::sql::params;
use super::{Member, Result, Store, StoreError, Team, Tx, agenda, breaks, members, supervision};
use crate::schedule::{BREAK_END, Payload, When};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hearth_chat::{Platform, TeamRef};

/// Runs `work` in a job of a new store, over a team "t" with members "ana" and "bo".
async fn with_team<T: Send + 'static>(
    work: impl FnOnce(&Tx, &Team, [Member; 2], DateTime<Utc>) -> Result<T> + Send + 'static,
) -> T {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = DateTime::from_timestamp_millis(1_765_000_000_000).unwrap();
    let out = store
        .run(move |tx| {
            let team = team(tx, "t", now)?;
            let ana = members::get_or_create(tx, team.id, "ana", now)?;
            let bo = members::get_or_create(tx, team.id, "bo", now)?;
            work(tx, &team, [ana, bo], now)
        })
        .await
        .unwrap();
    store.close().await;
    out
}

fn team(tx: &Tx, id: &str, now: DateTime<Utc>) -> Result<Team> {
    let team = TeamRef { platform: Platform::Console, id: id.into() };
    super::teams::get_or_create(tx, &team, &crate::config::TeamDefaults::default(), now)
}

#[tokio::test]
async fn new_rows_come_back_with_the_ids_they_were_given() {
    with_team(|tx, team, [ana, _], now| {
        assert_eq!(self::team(tx, "t", now)?, *team);
        assert!(ana.is_new);
        let again = members::get_or_create(tx, team.id, "ana", now)?;
        assert_eq!((again.id, again.is_new, again.keep_history), (ana.id, false, None));
        let when = When::Once(now + Duration::days(1));
        let series = supervision::NewSeries {
            team_id: team.id,
            when: &when,
            timezone: team.timezone,
            channel: Some("room"),
            supervisor: "bo",
            supervisee: None,
            style: "reflective",
        };
        let series = supervision::insert(tx, &series, now)?;
        assert_eq!(supervision::get(tx, series, now)?.map(|s| s.supervisor), Some("bo".into()));
        let item = agenda::NewItem {
            series_id: series,
            author_id: ana.id,
            action: true,
            text: "rota",
            private: false,
            owner: Some("bo"),
            due: NaiveDate::from_ymd_opt(2026, 12, 24),
            session_at: now,
        };
        let first = agenda::add(tx, &item, now)?;
        let second = agenda::add(tx, &item, now)?;
        assert_ne!(first, second);
        let read = agenda::get(tx, second)?.expect("the item just added");
        assert_eq!((read.text.as_str(), read.due.as_deref()), ("rota", Some("2026-12-24")));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_nudge_count_goes_on_within_a_shift_and_starts_again_in_the_next() {
    let sent = with_team(|tx, _, [ana, _], _| {
        let mut sent = vec![breaks::nudges(tx, ana.id)?.sent];
        for shift in [7, 7, 8] {
            breaks::count_nudge(tx, ana.id, shift)?;
            let nudges = breaks::nudges(tx, ana.id)?;
            sent.push(nudges.sent);
            assert_eq!(nudges.shift, Some(shift));
        }
        Ok(sent)
    })
    .await;
    assert_eq!(sent, [0, 1, 2, 1]);
}

#[tokio::test]
async fn schedules_read_for_no_member_are_the_teams_own_only() {
    with_team(|tx, team, [ana, _], now| {
        let new = |member_id| NewSchedule {
            team_id: Some(team.id),
            member_id,
            payload: Payload::BreakEnd,
            when: When::Once(now + Duration::minutes(5)),
            timezone: team.timezone,
        };
        let teams = schedules::insert(tx, &new(None), now)?;
        let anas = schedules::insert(tx, &new(Some(ana.id)), now)?;
        let ids = |member| -> Result<Vec<i64>> {
            Ok(schedules::read(tx, team.id, member, BREAK_END)?.into_iter().map(|s| s.0).collect())
        };
        assert_eq!(ids(None)?, [teams]);
        assert_eq!(ids(Some(ana.id))?, [anas]);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_name_in_use_leaves_out_only_the_community_named_and_counts_others_when_open() {
    with_team(|tx, team, [ana, _], now| {
        let new = NewCommunity {
            team_id: team.id,
            name: "peers",
            about: None,
            created_by: ana.id,
            timezone: team.timezone,
        };
        let id = communities::insert(tx, &new, now)?;
        assert!(communities::members::is_member(tx, id, ana.id)?);
        let console = Platform::Console;
        assert!(communities::name_in_use(tx, team.id, console, "peers", false, None)?);
        assert!(!communities::name_in_use(tx, team.id, console, "peers", false, Some(id))?);
        assert!(communities::name_in_use(tx, team.id, console, "peers", true, Some(id + 1))?);
        let other = self::team(tx, "other", now)?;
        assert!(!communities::name_in_use(tx, other.id, console, "peers", false, None)?);
        assert!(communities::name_in_use(tx, other.id, console, "peers", true, None)?);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_second_open_request_is_refused_and_closed_ones_add_up_by_day() {
    let counted = with_team(|tx, team, [ana, bo], now| {
        let new = |requester_id| NewRequest {
            team_id: team.id,
            requester_id,
            target_id: None,
            show_name: true,
            tell_supervisor: false,
        };
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let first = requests::open(tx, &new(ana.id), now)?.expect("the first request opens");
        assert_eq!((first.requester_user_id.as_str(), first.show_name), ("ana", true));
        assert_eq!(requests::open(tx, &new(ana.id), now)?, None);
        assert!(requests::close(tx, &first, day, Outcome::Accepted)?);
        assert!(!requests::close(tx, &first, day, Outcome::Accepted)?);
        let second = requests::open(tx, &new(bo.id), now)?.expect("bo's request opens");
        assert!(requests::close(tx, &second, day, Outcome::Accepted)?);
        tx.one(
            "SELECT requests FROM debrief_request_counts WHERE team_id = $1 AND outcome = $2",
            params![team.id, Outcome::Accepted.as_str()],
            |r| r.get::<i64>(0),
        )
    })
    .await;
    assert_eq!(counted, 2);
}

#[tokio::test]
async fn a_teammate_is_found_whatever_the_case_and_an_exact_match_wins() {
    with_team(|tx, team, [ana, _], now| {
        let upper = members::get_or_create(tx, team.id, "Ana", now)?;
        let found =
            |name| -> Result<Option<i64>> { Ok(members::find(tx, team.id, name)?.map(|m| m.id)) };
        assert_eq!(found("ana")?, Some(ana.id));
        assert_eq!(found("Ana")?, Some(upper.id));
        assert!(found("ANA")?.is_some());
        assert_eq!(found("bo")?, members::find(tx, team.id, "BO")?.map(|m| m.id));
        assert_eq!(found("cy")?, None);
        Ok::<_, StoreError>(())
    })
    .await;
}
