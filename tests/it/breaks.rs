//! Breaks through the real core: each kind, the welcome back on the fixed clock, five more
//! minutes, ending early, puzzles answered and revealed, nudges and their rules, a restart
//! mid-break, and bad input.

use crate::harness::{Recorder, TestBot, count, scheduler, text, tick};
use chrono::{DateTime, Duration, TimeZone, Utc};
use hearth_chat::{Controls, Event};
use insta::assert_snapshot;

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

#[tokio::test]
async fn each_kind_of_break_and_the_welcome_back_at_five_minutes() {
    let mut t = TestBot::new().await;
    let (s, recorder) = scheduler(&t);
    let start = t.bot.now();
    t.script(&["/break", "1"]).await;
    assert!(tick(&t, &s, &recorder, start + Duration::seconds(299)).await.is_empty());
    let back = tick(&t, &s, &recorder, start + Duration::minutes(5)).await;
    assert_eq!(back.len(), 1, "{back:?}");
    assert!(back[0].contains(r#"user_id: "ana""#) && back[0].contains("Welcome back"));
    assert!(tick(&t, &s, &recorder, start + Duration::minutes(6)).await.is_empty());
    // The break's buttons went with it.
    t.script(&["2"]).await;

    for kind in ["2", "3", "5"] {
        t.script(&["/break 2", kind]).await;
        let now = t.bot.now() + Duration::minutes(2);
        assert_eq!(tick(&t, &s, &recorder, now).await.len(), 1);
    }
    t.script(&["/break", "6"]).await;
    assert_snapshot!(t.transcript());
    assert_eq!(t.rows("flow_sessions").await, 0);
}

#[tokio::test]
async fn five_more_minutes_ending_early_and_a_break_already_running() {
    let mut t = TestBot::new().await;
    let (s, recorder) = scheduler(&t);
    let start = t.bot.now();
    t.script(&["/break", "1", "/break", "/served", "1"]).await;
    assert!(tick(&t, &s, &recorder, start + Duration::minutes(9)).await.is_empty());
    let back = tick(&t, &s, &recorder, start + Duration::minutes(10)).await;
    assert_eq!(back.len(), 1, "welcome back after 5 + 5 minutes: {back:?}");
    t.script(&["/served", "4", "end"]).await;
    let later = t.bot.now() + Duration::minutes(30);
    assert!(tick(&t, &s, &recorder, later).await.is_empty(), "no welcome back after ending");
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn a_puzzle_answered_wrong_then_right_or_revealed() {
    // Riddles only: a team's own collection, checked with their accepted answers.
    let mut t = TestBot::new().await;
    t.script(&["/break", "4"]).await;
    let asked = t.transcript().to_owned();
    let answer = solve(&asked);
    t.script(&["1", "definitely not this", "1", &answer, "2"]).await;
    t.script(&["/break", "4", "2", "2"]).await;
    let transcript = t.transcript();
    assert!(transcript.contains("Not quite. Have another go"), "{transcript}");
    assert!(transcript.contains("That's it! Well done."), "{transcript}");
    assert!(transcript.contains("The answer: "), "{transcript}");
}

/// Works out the puzzle on screen the way a person would, from what hearth showed.
fn solve(transcript: &str) -> String {
    let line = transcript.lines().rev().find(|l| {
        l.contains("Unscramble this word:")
            || l.contains("What comes next?")
            || l.contains("A riddle:")
    });
    let line = line.unwrap_or_else(|| panic!("no puzzle in {transcript}")).trim();
    if let Some(letters) = line.strip_prefix("Unscramble this word: ") {
        let mut wanted: Vec<char> = letters.replace(' ', "").to_lowercase().chars().collect();
        wanted.sort_unstable();
        let words = include_str!("../../prompts/en/breaks.ftl")
            .lines()
            .find_map(|l| l.strip_prefix("puzzle-words = "))
            .unwrap();
        return words
            .split(", ")
            .find(|w| {
                let mut have: Vec<char> = w.chars().collect();
                have.sort_unstable();
                have == wanted
            })
            .unwrap()
            .to_owned();
    }
    if let Some(numbers) = line.strip_prefix("What comes next? ") {
        let n: Vec<i64> =
            numbers.trim_end_matches(", …").split(", ").map(|x| x.parse().unwrap()).collect();
        let d: Vec<i64> = n.windows(2).map(|w| w[1] - w[0]).collect();
        let next = if d.windows(2).all(|w| w[0] == w[1]) {
            n[4] + d[3]
        } else if n.windows(2).all(|w| w[1] == w[0] * 2) {
            n[4] * 2
        } else if n[2] == n[0] + n[1] && n[4] == n[2] + n[3] {
            n[3] + n[4]
        } else {
            // Differences that grow by a fixed amount: squares, or a step growing by one.
            n[4] + d[3] + (d[3] - d[2])
        };
        return next.to_string();
    }
    let riddle = line.strip_prefix("A riddle: ").unwrap();
    let file = include_str!("../../prompts/en/breaks.ftl");
    let key = file.lines().find(|l| l.ends_with(riddle)).unwrap().split(" = ").next().unwrap();
    let answers = file.lines().find_map(|l| l.strip_prefix(&format!("{key}-answer = "))).unwrap();
    answers.split(" | ").next().unwrap().to_uppercase()
}

#[tokio::test]
async fn puzzles_vary_across_a_week_of_breaks() {
    let mut t = TestBot::new().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..25 {
        let before = t.transcript().len();
        t.script(&["/break 1", "4"]).await;
        let shown = t.transcript()[before..]
            .lines()
            .find(|l| {
                l.contains("Unscramble") || l.contains("What comes next") || l.contains("riddle")
            })
            .unwrap()
            .trim()
            .to_owned();
        assert!(seen.insert(shown.clone()), "{shown} came back");
        t.script(&["end"]).await;
    }
}

#[tokio::test]
async fn a_restart_mid_break_still_says_welcome_back_within_grace() {
    let mut t = TestBot::new().await;
    let start = t.bot.now();
    t.script(&["/break 5", "5"]).await;
    t.restart().await;
    let (s, recorder) = scheduler(&t);
    // hearth was down when the break ended, and is back 10 minutes later: still within grace.
    let back = tick(&t, &s, &recorder, start + Duration::minutes(15)).await;
    assert_eq!(back.len(), 1, "{back:?}");
    // Down for longer than the grace period: nothing late and out of place.
    t.script(&["/break 5", "5"]).await;
    let later = t.bot.now() + Duration::minutes(60);
    assert!(tick(&t, &s, &recorder, later).await.is_empty());
}

#[tokio::test]
async fn nudges_keep_to_their_interval_cap_quiet_hours_and_shifts() {
    let mut t = TestBot::with_config(|c| c.breaks.nudges_per_shift = 3).await;
    // Monday 23 November, 09:00 UTC: a shift 09:00-17:00 every weekday, quiet from 12:00.
    t.script(&[
        "/setup shift every weekday 09:00-17:00",
        "/setup quiet 12:00-13:00",
        "/breaks auto on every 60m",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    let mut nudges = Vec::new();
    let mut minute = at(23, 9, 0);
    while minute <= at(23, 18, 0) {
        for sent in tick(&t, &s, &recorder, minute).await {
            nudges.push((minute.format("%H:%M").to_string(), sent));
        }
        minute += Duration::minutes(5);
    }
    let times: Vec<&str> = nudges.iter().map(|(at, _)| at.as_str()).collect();
    // Not before an hour into the shift; then an hour apart, but not in quiet hours; three a
    // shift at most; none after the shift.
    assert_eq!(times, ["10:00", "11:00", "13:00"], "{nudges:?}");
    assert!(nudges[0].1.contains("It's been 1h since your last break"), "{nudges:?}");

    // The next day, a break taken at 09:30 moves the next nudge to 10:30; the nudge's
    // buttons snooze it, then turn nudges off.
    t.clock.set(at(24, 9, 30));
    t.script(&["/break 5", "5"]).await;
    nudges.clear();
    let mut minute = at(24, 9, 35);
    while minute <= at(24, 11, 0) {
        for sent in tick(&t, &s, &recorder, minute).await {
            nudges.push((minute.format("%H:%M").to_string(), sent));
        }
        minute += Duration::minutes(5);
    }
    let times: Vec<&str> = nudges
        .iter()
        .filter(|(_, n)| n.contains("since your last break"))
        .map(|(at, _)| at.as_str())
        .collect();
    assert_eq!(times, ["10:35"], "{nudges:?}");
    // Snoozed at 11:00 from the nudge's own button: asked again at 11:30, once.
    let said = press(&t, &recorder, "snooze").await;
    assert!(said.contains("I'll ask again in 30 minutes"), "{said}");
    assert!(tick(&t, &s, &recorder, at(24, 11, 25)).await.is_empty(), "snoozed");
    let snoozed = tick(&t, &s, &recorder, at(24, 11, 30)).await;
    assert_eq!(snoozed.len(), 1, "{snoozed:?}");
    let said = press(&t, &recorder, "off").await;
    assert!(said.contains("No more break nudges"), "{said}");
    for minute in [at(24, 13, 0), at(24, 14, 30), at(24, 16, 0)] {
        assert!(tick(&t, &s, &recorder, minute).await.is_empty());
    }
    let checks = "SELECT count(*) FROM schedules WHERE kind = 'break_nudge'";
    assert_eq!(count(&t, checks).await, 0, "turned off from the nudge itself");
    assert_snapshot!(t.transcript());
}

/// Presses `option` on the last scheduled message with buttons, as its recipient would.
async fn press(t: &TestBot, recorder: &Recorder, option: &str) -> String {
    let token = recorder
        .sent
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find_map(|(o, _)| match &o.message.controls {
            Some(Controls::Choices { token, .. }) => Some(token.clone()),
            _ => None,
        })
        .expect("a message with buttons");
    let replies = t.event("ana", false, Event::Choice { token, option: option.to_owned() }).await;
    text(&replies)
}

#[tokio::test]
async fn nudges_wait_for_a_shift_and_for_a_conversation_to_end() {
    let mut t = TestBot::new().await;
    t.script(&["/breaks auto on every 30m"]).await;
    let (s, recorder) = scheduler(&t);
    // No shift: no nudges, all day.
    let mut minute = at(23, 9, 0);
    while minute <= at(23, 12, 0) {
        assert!(tick(&t, &s, &recorder, minute).await.is_empty());
        minute += Duration::minutes(5);
    }
    // A shift started by hand; a check-in still open holds the nudge back.
    t.clock.set(at(23, 12, 0));
    t.script(&["/shift start 16:00", "/checkin"]).await;
    assert!(tick(&t, &s, &recorder, at(23, 12, 30)).await.is_empty());
    t.script(&["5"]).await;
    let sent = tick(&t, &s, &recorder, at(23, 12, 35)).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    // After the shift ends, nothing.
    t.script(&["3", "/shift end"]).await;
    assert!(tick(&t, &s, &recorder, at(23, 14, 0)).await.is_empty());
}

#[tokio::test]
async fn a_yellow_check_in_offers_a_break() {
    let mut t = TestBot::new().await;
    t.script(&["/checkin", "2", "2", "3"]).await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn bad_input_about_breaks() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/break 0",
        "/break -5",
        "/break 10000",
        "/break soon",
        "/breaks auto on every now",
        "/breaks auto on every 5m",
        "/breaks auto maybe",
        "/break 3",
        "9",
        "stretch please",
        "2",
        "/break",
        "/served",
        "answer",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

#[tokio::test]
async fn a_team_extends_the_exercises_and_riddles_in_its_own_prompts() {
    let words = tempfile::tempdir().unwrap();
    std::fs::create_dir(words.path().join("en")).unwrap();
    std::fs::write(
        words.path().join("en/ours.ftl"),
        "break-rest-4 = Our own: sit by the window for a while.\n\
         riddle-16 = What is ours alone?\n\
         riddle-16-answer = our riddle\n",
    )
    .unwrap();
    let dir = words.path().to_owned();
    let t = TestBot::with_config(|c| c.prompts_dir = Some(dir)).await;
    let collections = t.bot.core().collections;
    assert_eq!((collections.rest, collections.puzzles.riddles), (4, 16));
}

#[tokio::test]
async fn starting_a_break_wakes_the_scheduler() {
    let mut t = TestBot::new().await;
    t.script(&["/break"]).await;
    let wake = t.bot.schedules_changed();
    // Nothing scheduled yet: no permit waiting.
    let early = tokio::time::timeout(std::time::Duration::from_millis(50), wake.notified()).await;
    assert!(early.is_err());
    t.script(&["1"]).await;
    let woken = tokio::time::timeout(std::time::Duration::from_secs(1), wake.notified()).await;
    assert!(woken.is_ok(), "the run loop would sleep past the welcome back");
}
