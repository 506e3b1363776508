//! Team weather: counts only, above the threshold, one per person per day, unlinkable later.

use crate::harness::TestBot;
use chrono::Duration;
use insta::assert_snapshot;

async fn check_in(t: &mut TestBot, who: &str, colour: &str) {
    t.script(&[&format!("/as {who}"), "/checkin", colour, "not now", "yes", "no"]).await;
}

#[tokio::test]
async fn counts_appear_only_from_three_people_and_never_twice_for_one() {
    let mut t = TestBot::new().await;
    check_in(&mut t, "ana", "1").await;
    check_in(&mut t, "bo", "2").await;
    let below = t.say("/weather").await;
    assert!(below.contains("aren't enough check-ins today"), "{below}");
    // Checking in again the same day moves the person's colour; it does not count twice.
    check_in(&mut t, "bo", "3").await;
    let still_below = t.say("/weather").await;
    assert!(still_below.contains("aren't enough check-ins today"), "{still_below}");
    check_in(&mut t, "cy", "1").await;
    t.say("/weather").await;
    let shown: String = t.transcript().rsplit("> cy: /weather\n").next().unwrap_or_default().into();
    assert_snapshot!(shown);
}

#[tokio::test]
async fn a_days_salt_and_per_person_rows_are_forgotten_when_it_ends() {
    let mut t = TestBot::new().await;
    for who in ["ana", "bo", "cy"] {
        check_in(&mut t, who, "2").await;
    }
    assert_eq!(t.rows("weather_salts").await, 1);
    assert_eq!(t.rows("weather_today").await, 3);

    t.clock.advance(Duration::days(1));
    let retention = hearth::store::Retention::from(&t.bot.config().retention);
    t.bot.store().housekeeping(t.bot.now(), retention).await.unwrap();
    assert_eq!(t.rows("weather_salts").await, 0);
    assert_eq!(t.rows("weather_today").await, 0);
    assert_eq!(t.rows("weather_counts").await, 1);

    // Tuesday: nothing today yet, but Monday's counts still make the week.
    let tuesday = t.say("/weather").await;
    assert_snapshot!(tuesday);

    // A year later the counts themselves are gone.
    t.clock.advance(Duration::days(366));
    t.bot.store().housekeeping(t.bot.now(), retention).await.unwrap();
    assert_eq!(t.rows("weather_counts").await, 0);
}

#[tokio::test]
async fn a_team_can_raise_the_threshold_but_never_below_three() {
    let mut t = TestBot::new().await;
    t.say("/setup threshold 4").await;
    for who in ["ana", "bo", "cy"] {
        check_in(&mut t, who, "1").await;
    }
    assert!(t.say("/weather").await.contains("at least 4 people"));
    check_in(&mut t, "di", "1").await;
    assert!(t.say("/weather").await.contains("🟢 Ready: 4"));
    let refused = t.say("/setup threshold 2").await;
    assert!(refused.contains("from 3 to 50"), "{refused}");
}
