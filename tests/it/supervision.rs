//! Supervision sessions through the real core: group and one-to-one series, the supervisees'
//! style, reminders a day and a quarter of an hour before on the fixed clock, cancelling, who
//! may do what, and bad input.

use crate::harness::{TestBot, count, scheduler, text, tick};
use chrono::{DateTime, TimeZone, Utc};
use hearth_chat::{Actor, Event, Handler, Inbound, Place, Platform, TeamRef};
use insta::assert_snapshot;

mod when;

fn at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, h, m, 0).unwrap()
}

#[tokio::test]
async fn a_group_series_reminds_the_channel_and_a_one_to_one_series_the_two_people() {
    let mut t = TestBot::new().await;
    // Monday 23 November, 09:00.
    t.script(&[
        "/as bo",
        "/help",
        "/as ana",
        "/supervision",
        "/supervision schedule every 2 weeks tuesday 14:00",
        "/supervision with bo every monday 10:00",
        "/supervision",
        "/supervision style reflective 1",
        "/as bo",
        "/supervision style reflective 1",
        "/supervision style wellbeing 2",
        "/supervision",
        "/as ana",
        "/supervision style skills 2",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    assert!(tick(&t, &s, &recorder, at(11, 23, 13, 59)).await.is_empty());
    let day_before = tick(&t, &s, &recorder, at(11, 23, 14, 0)).await;
    assert_eq!(day_before.len(), 1, "{day_before:?}");
    assert!(day_before[0].contains(r#"Channel { id: "team" }"#), "{day_before:?}");
    assert!(
        day_before[0]
            .contains("Supervision tomorrow, 2026-11-24 14:00 (team time). Style: reflective.")
    );
    let soon = tick(&t, &s, &recorder, at(11, 24, 13, 45)).await;
    assert_eq!(soon.len(), 1, "{soon:?}");
    assert!(soon[0].contains("Supervision in 15 minutes, at 2026-11-24 14:00"), "{soon:?}");
    // The one-to-one series: Monday 30 November 10:00, privately to both.
    let one = tick(&t, &s, &recorder, at(11, 29, 10, 0)).await;
    assert_eq!(one.len(), 2, "{one:?}");
    assert!(one.iter().any(|m| m.contains(r#"user_id: "ana""#)));
    assert!(one.iter().any(|m| m.contains(r#"user_id: "bo""#) && m.contains("Style: wellbeing")));
    // Fortnightly: nothing on 1 December, the next on 8 December.
    assert!(tick(&t, &s, &recorder, at(11, 30, 14, 0)).await.is_empty());
    assert_eq!(tick(&t, &s, &recorder, at(12, 7, 14, 0)).await.len(), 1);

    t.script(&["/supervision cancel 1"]).await;
    assert_eq!(count(&t, "SELECT count(*) FROM supervision_series").await, 1);
    assert!(
        tick(&t, &s, &recorder, at(12, 21, 14, 0)).await.iter().all(|m| !m.contains("Channel"))
    );
    assert_snapshot!(t.transcript());
}

/// Who may do what: a member, the supervisor, an admin, and someone from another team.
#[tokio::test]
async fn only_the_supervisor_and_admins_organise_and_other_teams_see_nothing() {
    let mut t = TestBot::new().await;
    t.script(&["/as sam", "/help", "/as ana", "/setup role supervisor sam"]).await;
    let as_member = |user: &str, line: &str| {
        let call = t.bot.catalogue().parse(line).unwrap();
        (user.to_owned(), Event::Command(call))
    };
    let mut said = Vec::new();
    for (user, admin, line) in [
        ("bo", false, "supervision schedule every friday 15:00"),
        ("sam", false, "supervision schedule every friday 15:00"),
        ("bo", false, "supervision cancel 1"),
        ("bo", false, "supervision style skills 1"),
        ("ana", true, "supervision cancel 1"),
    ] {
        let (user, event) = as_member(user, line);
        let replies = t.event(&user, admin, event).await;
        said.push(format!(
            "{user} ({}) /{line}\n  {}",
            if admin { "admin" } else { "member" },
            text(&replies)
        ));
    }
    // Someone from another team can neither see nor touch this team's series.
    t.script(&["/supervision schedule every friday 15:00"]).await;
    let other = |line: &str| Inbound {
        team: TeamRef { platform: Platform::Console, id: "another-team".into() },
        actor: Actor { user_id: "zed".into(), display_name: "zed".into(), is_team_admin: true },
        place: Place::Channel { id: "elsewhere".into() },
        event: Event::Command(t.bot.catalogue().parse(line).unwrap()),
    };
    for line in ["supervision", "supervision cancel 2", "supervision style admin 2"] {
        let replies = t.bot.handle(other(line)).await;
        said.push(format!("zed (another team, admin) /{line}\n  {}", text(&replies)));
    }
    assert_eq!(count(&t, "SELECT count(*) FROM supervision_series").await, 1);
    assert_snapshot!(said.join("\n"));
}

#[tokio::test]
async fn bad_input_about_supervision() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/supervision schedule 2026-11-20 10:00",
        "/supervision schedule every funday 10:00",
        "/supervision with nobody-here every monday 10:00",
        "/supervision with ana every monday 10:00",
        "/supervision style mystical",
        "/supervision style skills",
        "/supervision cancel 99",
        "/supervision cancel 0",
        "/supervision schedule every tuesday 14:00",
        "/agenda add",
        "/agenda add    ",
        &format!("/agenda add {}", "x".repeat(301)),
        "/agenda vote 42",
        "/agenda done first",
    ])
    .await;
    assert_snapshot!(t.transcript());
}

/// An agenda over two sessions: items from two supervisees (one private), votes, the digest a
/// day before with shared items only, and after the session the undone items carried over
/// with their date; action items.
#[tokio::test]
async fn an_agenda_is_carried_over_and_its_digest_shows_shared_items_only() {
    let mut t = TestBot::new().await;
    // Monday 23 November, 09:00: weekly group supervision on Tuesdays at 14:00.
    t.script(&[
        "/supervision schedule every tuesday 14:00",
        "/agenda",
        "/as bo",
        "/agenda add Handing over when a peer moves between services",
        "/agenda private Something I'm not sure I want to raise yet",
        "/agenda",
        "/as cy",
        "/agenda add Boundaries after hours",
        "/agenda vote 3",
        "/agenda vote 3",
        "/agenda",
        "/agenda share 2",
        "/agenda vote 2",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    let digest = tick(&t, &s, &recorder, at(11, 23, 14, 0)).await;
    assert_eq!(digest.len(), 1, "{digest:?}");
    assert!(digest[0].contains("Boundaries after hours (1 vote)"), "{digest:?}");
    assert!(digest[0].contains("Handing over"), "{digest:?}");
    assert!(!digest[0].contains("not sure I want to raise"), "private items stay private");
    // The session on the 24th: one item done; the next week the other is carried.
    t.clock.set(at(11, 24, 15, 0));
    t.script(&[
        "/agenda done 3",
        "/agenda action bo Find the service directory for hand-overs due 2026-12-01",
        "/agenda action bo Something due someday",
        "/as bo",
        "/agenda",
        "/agenda share 2",
        "/agenda actions",
        "/as cy",
        "/agenda drop 1",
    ])
    .await;
    let next_week = tick(&t, &s, &recorder, at(11, 30, 14, 0)).await;
    assert!(next_week[0].contains("carried from 2026-11-24"), "{next_week:?}");
    assert_snapshot!(t.transcript());
}

/// Gap planning: the supervisor's "away" names the affected sessions to the participants and
/// the backup, once; a series with nothing planned within the horizon gets one notice.
#[tokio::test]
async fn away_and_gaps_give_advance_notice_once() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as bo",
        "/help",
        "/as cy",
        "/help",
        "/as ana",
        "/supervision backup cy",
        "/supervision schedule every tuesday 14:00",
        "/supervision with bo 2026-12-03 10:00",
        "/supervision away 2026-12-01 2026-12-08",
        "/supervision away 2026-12-20 2026-12-10",
        "/supervision away someday soon",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    // The one-to-one session on 3 December is within the six-week horizon until it passes.
    assert!(tick(&t, &s, &recorder, at(11, 24, 8, 0)).await.is_empty());
    assert!(
        tick(&t, &s, &recorder, at(12, 3, 8, 0))
            .await
            .iter()
            .all(|m| !m.contains("no session planned"))
    );
    let gap: Vec<String> = tick(&t, &s, &recorder, at(12, 4, 8, 0))
        .await
        .into_iter()
        .filter(|m| m.contains("no session planned"))
        .collect();
    let told: Vec<&str> = ["ana", "bo", "cy"]
        .into_iter()
        .filter(|who| gap.iter().any(|m| m.contains(&format!(r#"user_id: "{who}""#))))
        .collect();
    assert_eq!(told, ["ana", "bo", "cy"], "{gap:?}");
    let again = tick(&t, &s, &recorder, at(12, 5, 8, 0)).await;
    assert!(again.iter().all(|m| !m.contains("no session planned")), "once: {again:?}");
    assert_snapshot!(t.transcript());
}

/// Every supervision and agenda command as each kind of person: a member, the supervisor, the
/// backup, the coordinator, a team admin, and an admin of another team. Each cell is the
/// start of hearth's answer; the snapshot is the reviewed matrix.
#[tokio::test]
async fn the_authorization_matrix() {
    let mut t = TestBot::new().await;
    t.script(&["/as sam", "/help", "/as cy", "/help", "/as cora", "/help", "/as bo", "/help"])
        .await;
    t.script(&[
        "/as ana",
        "/setup role supervisor sam",
        "/setup role coordinator cora",
        "/supervision backup cy",
        "/supervision schedule every tuesday 14:00",
        "/agenda add Ana's item",
    ])
    .await;
    let people = [
        ("member", "bo", false, "demo"),
        ("supervisor", "sam", false, "demo"),
        ("backup", "cy", false, "demo"),
        ("coordinator", "cora", false, "demo"),
        ("admin", "ana", true, "demo"),
        ("other team", "zed", true, "another-team"),
    ];
    let commands = [
        "supervision",
        "supervision schedule every friday 15:00",
        "supervision with bo every monday 10:00",
        "supervision style skills 1",
        "supervision backup cy",
        "supervision away 2026-12-01 2026-12-02",
        "agenda",
        "agenda add An item",
        "agenda vote 1",
        "agenda done 99",
        "agenda drop 1",
        "agenda actions",
        "supervision cancel 1",
    ];
    let mut matrix = String::new();
    for command in commands {
        matrix.push_str(&format!("/{command}\n"));
        for (role, user, admin, team) in people {
            let inbound = Inbound {
                team: TeamRef { platform: Platform::Console, id: team.into() },
                actor: Actor {
                    user_id: user.into(),
                    display_name: user.into(),
                    is_team_admin: admin,
                },
                place: Place::Channel { id: "team".into() },
                event: Event::Command(t.bot.catalogue().parse(command).unwrap()),
            };
            let replies = t.bot.handle(inbound).await;
            let first = replies
                .first()
                .and_then(|o| {
                    o.message.blocks.iter().find_map(|b| match b {
                        hearth_chat::Block::Text(text) | hearth_chat::Block::Heading(text) => {
                            Some(text.clone())
                        }
                        _ => None,
                    })
                })
                .unwrap_or_default();
            let cell: String = first.chars().take(70).collect();
            matrix.push_str(&format!("  {role:<12} {cell}\n"));
        }
    }
    assert_snapshot!(matrix);
}

#[tokio::test]
async fn a_new_team_timezone_keeps_sessions_at_their_local_time() {
    let mut t = TestBot::new().await;
    t.script(&["/supervision schedule every tuesday 14:00", "/setup timezone Europe/Berlin"]).await;
    let (s, recorder) = scheduler(&t);
    // 14:00 in Berlin is 13:00 UTC in November: the day-before reminder comes at 13:00 UTC.
    assert!(tick(&t, &s, &recorder, at(11, 23, 12, 59)).await.is_empty());
    let reminder = tick(&t, &s, &recorder, at(11, 23, 13, 0)).await;
    assert_eq!(reminder.len(), 1, "{reminder:?}");
    assert!(reminder[0].contains("Supervision tomorrow, 2026-11-24 14:00"), "{reminder:?}");
}

#[tokio::test]
async fn the_next_session_comes_as_a_calendar_entry() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/supervision schedule every tuesday 14:00",
        "/as bo",
        "/supervision style skills 1",
    ])
    .await;
    let replies = t.command("bo", false, "supervision").await;
    let ics = replies
        .iter()
        .flat_map(|o| &o.message.blocks)
        .find_map(|b| match b {
            hearth_chat::Block::File { name, mime, bytes } if name == "supervision.ics" => {
                assert_eq!(mime, "text/calendar");
                Some(String::from_utf8(bytes.clone()).unwrap())
            }
            _ => None,
        })
        .expect("a calendar file");
    for line in [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "DTSTART:20261124T140000Z",
        "DTEND:20261124T150000Z",
        "SUMMARY:Supervision (skills)",
        "UID:supervision-1-1795528800@hearth",
        "END:VCALENDAR",
    ] {
        assert!(ics.lines().any(|l| l == line), "{line} missing from\n{ics}");
    }
}

/// A supervisor erasing their data ends their series, but the supervisees' items are theirs:
/// they stay, private to their authors, and come along to their author's next session. Item
/// numbers are never given out again, so an old number finds nothing.
#[tokio::test]
async fn a_supervisors_erasure_leaves_the_agenda_with_its_authors_and_numbers_are_not_reused() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as sam",
        "/supervision schedule every tuesday 14:00",
        "/as bo",
        "/agenda add BO-ITEM hand-overs",
        "/agenda private BO-PRIVATE not sure yet",
        "/as cy",
        "/agenda add CY-ITEM boundaries",
        "/agenda vote 1",
        "/as dee",
        "/agenda private DEE-ITEM",
        "/as sam",
        "/agenda add SAM-ITEM the rota",
        "/mydata delete",
        "1",
    ])
    .await;
    let texts = "SELECT text FROM agenda_items ORDER BY id";
    let left = crate::harness::Db::of(&t.bot).texts(texts).await;
    assert_eq!(
        left.join(" | "),
        "BO-ITEM hand-overs | BO-PRIVATE not sure yet | CY-ITEM boundaries | DEE-ITEM"
    );
    assert_eq!(count(&t, "SELECT count(*) FROM supervision_series").await, 0);
    assert_eq!(count(&t, "SELECT count(*) FROM agenda_items WHERE private = 0").await, 0);
    assert_eq!(count(&t, "SELECT count(*) FROM agenda_votes").await, 1, "cy's vote stays");

    // A new series: each author finds their own items carried, and only their own.
    t.script(&[
        "/as ana",
        "/supervision schedule every wednesday 10:00",
        "/as bo",
        "/agenda",
        "/agenda share 1",
        "/as cy",
        "/agenda",
        "/agenda add CY-NEW after the change",
        "/agenda vote 5",
        "/agenda",
    ])
    .await;
    let transcript = t.transcript().to_owned();
    let cy_view = transcript.rsplit("> cy: /agenda\n").next().unwrap();
    assert!(cy_view.contains("#1 BO-ITEM") && cy_view.contains("#6 CY-NEW"), "{cy_view}");
    assert!(!cy_view.contains("BO-PRIVATE") && !cy_view.contains("DEE-ITEM"), "{cy_view}");
    // #5 was sam's, erased with sam: the number finds nothing.
    let after_vote = transcript.split("> cy: /agenda vote 5\n").nth(1).unwrap();
    assert!(after_vote.contains("I can't find that item"), "{after_vote}");
    assert!(transcript.contains("Scheduled supervision #2"), "series numbers are not reused");
    assert_snapshot!(transcript);

    // dee never looked at an agenda again: a year after the series ended, housekeeping
    // deletes the item no session took up, and only that one.
    let retention = hearth::store::Retention::from(&t.bot.config().retention);
    let later = t.bot.now() + chrono::Duration::days(366);
    let plan = t.bot.store().purge(later, retention, hearth::store::Mode::Apply).await.unwrap();
    assert_eq!(plan.rows("agenda_items"), 1, "{plan}");
    assert_eq!(count(&t, "SELECT count(*) FROM agenda_items WHERE text = 'DEE-ITEM'").await, 0);
    assert_eq!(count(&t, "SELECT count(*) FROM agenda_items").await, 4);
}

/// Text people type is echoed isolated (U+2068 … U+2069): an unterminated right-to-left
/// override in an agenda item or a topic cannot reorder hearth's own words around it.
#[tokio::test]
async fn an_override_in_typed_text_stays_inside_it() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/supervision schedule every tuesday 14:00",
        "/agenda add abc\u{202E}def",
        "/cop create peer-work",
        "/cop topic peer-work rota\u{202E} changes",
    ])
    .await;
    let agenda = t.say("/agenda").await;
    assert!(agenda.contains("#1 \u{2068}abc\u{202E}def\u{2069}\n"), "{agenda:?}");
    let topics = t.say("/cop topics peer-work").await;
    assert!(topics.contains("\u{2068}rota\u{202E} changes\u{2069}"), "{topics:?}");
    // Plain text is left as it is.
    assert!(!t.say("/agenda add plain words").await.contains('\u{2068}'));
}
