//! A scheduler takes only the occurrences it can deliver: those of the platforms its process
//! serves, and hearth's own. Of several processes on one database only one serves Matrix, so
//! the others must leave Matrix teams' occurrences, missed or half-delivered ones included, to
//! it — and a process that begins serving Matrix takes them from then on.

use crate::harness::{Recorder, TestBot};
use chrono::{DateTime, TimeZone, Utc};
use hearth::scheduler::{Deliveries, Scheduler};
use hearth::store::schedules::{self, EVERY_PLATFORM, RunStatus};
use hearth_chat::TeamRef;
use hearth_chat::{
    Actor, Delivery, DeliveryError, Event, Handler, Inbound, Outbound, Place, Platform,
};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A [`Recorder`] standing in for a platform's adapter.
struct On(Platform, Recorder);

#[async_trait::async_trait]
impl Delivery for On {
    fn platform(&self) -> Platform {
        self.0
    }

    async fn deliver(&self, outbound: Outbound, key: &str) -> Result<(), DeliveryError> {
        self.1.deliver(outbound, key).await
    }
}

fn at(day: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, s).unwrap()
}

/// The console team and a Matrix team, each with a shift starting every day at 08:30.
async fn two_teams() -> TestBot {
    let mut t = TestBot::new().await;
    t.say("/setup shift every day 08:30").await;
    let room = "!team:localhost";
    let call = t.bot.catalogue().parse("setup shift every day 08:30").unwrap();
    t.bot
        .handle(Inbound {
            team: TeamRef { platform: Platform::Matrix, id: room.into() },
            actor: Actor {
                user_id: "@ana:localhost".into(),
                display_name: "ana".into(),
                is_team_admin: true,
            },
            place: Place::Channel { id: room.into() },
            event: Event::Command(call),
        })
        .await;
    t
}

async fn earliest(t: &TestBot, served: &'static [Platform]) -> Option<DateTime<Utc>> {
    t.bot.store().run(move |tx| schedules::earliest(tx, served)).await.unwrap()
}

#[tokio::test]
async fn a_scheduler_takes_only_what_it_can_deliver_and_the_rest_once_it_can() {
    let t = two_teams().await;
    let console = Arc::new(On(Platform::Console, Recorder::default()));
    let matrix = Arc::new(On(Platform::Matrix, Recorder::default()));
    let s = Scheduler::new(t.bot.clone(), Deliveries::default().with(console.clone()));

    let now = at(24, 8, 30, 0);
    t.clock.set(now);
    let due = s.tick(now).await.unwrap();
    assert_eq!(due.len(), 1, "the console team's only");
    assert_eq!(due[0].due.team.as_ref().unwrap().team.platform, Platform::Console);
    for firing in due {
        assert_eq!(s.deliver(firing).await, RunStatus::Delivered);
    }
    // The Matrix team's occurrence stays due, for whoever serves Matrix; it does not wake
    // this scheduler.
    assert_eq!(earliest(&t, EVERY_PLATFORM).await, Some(now));
    assert_eq!(earliest(&t, &[Platform::Console]).await, Some(at(25, 8, 30, 0)));
    assert!(s.tick(at(24, 8, 35, 0)).await.unwrap().is_empty());

    // Serving Matrix from now on: its occurrence, still within its grace, is taken.
    s.add_delivery(matrix.clone());
    let later = at(24, 8, 36, 0);
    t.clock.set(later);
    let due = s.tick(later).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].due.team.as_ref().unwrap().team.platform, Platform::Matrix);
    assert_eq!(s.deliver(due.into_iter().next().unwrap()).await, RunStatus::Delivered);
    assert_eq!((console.1.sent.lock().unwrap().len(), matrix.1.sent.lock().unwrap().len()), (1, 1));
}

#[tokio::test]
async fn what_a_process_left_half_delivered_is_recovered_only_where_its_platform_is_served() {
    let t = two_teams().await;
    // A process serving both claims the next occurrences and stops before delivering them.
    let both = Deliveries::default()
        .with(Arc::new(On(Platform::Console, Recorder::default())))
        .with(Arc::new(On(Platform::Matrix, Recorder::default())));
    let gone = Scheduler::new(t.bot.clone(), both);
    let claimed_at = at(24, 8, 30, 0);
    t.clock.set(claimed_at);
    assert_eq!(gone.tick(claimed_at).await.unwrap().len(), 2);
    drop(gone);

    // The next process serves the console only at first (past the claims' lease, as a process
    // on a shared database would look for them).
    let now = claimed_at + hearth::scheduler::CLAIM_LEASE + Duration::from_secs(10);
    t.clock.set(now);
    let console = Arc::new(On(Platform::Console, Recorder::default()));
    let matrix = Arc::new(On(Platform::Matrix, Recorder::default()));
    let s = Arc::new(Scheduler::new(t.bot.clone(), Deliveries::default().with(console.clone())));
    let stop = CancellationToken::new();
    let running = tokio::spawn(s.clone().run(stop.clone()));
    let sent = |on: &On| on.1.sent.lock().unwrap().len();
    let settle = || tokio::time::sleep(Duration::from_millis(300));
    for _ in 0..50 {
        if sent(&console) == 1 {
            break;
        }
        settle().await;
    }
    settle().await;
    assert_eq!((sent(&console), sent(&matrix)), (1, 0), "the console's only");
    let claimed = t.bot.store().run(schedules::run_counts).await.unwrap();
    assert!(claimed.contains(&("claimed".to_owned(), 1)), "{claimed:?}");

    // Once it serves Matrix too, the Matrix team's is delivered, and nothing twice.
    s.add_delivery(matrix.clone());
    for _ in 0..50 {
        if sent(&matrix) == 1 {
            break;
        }
        settle().await;
    }
    settle().await;
    assert_eq!((sent(&console), sent(&matrix)), (1, 1));
    stop.cancel();
    running.await.unwrap();
    let runs = t.bot.store().run(schedules::run_counts).await.unwrap();
    assert_eq!(runs, [("delivered".to_owned(), 2)], "both teams', once each");
}
