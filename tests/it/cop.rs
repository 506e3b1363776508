//! Communities of practice through the real core: a community over several gatherings on the
//! fixed clock (reminders at the right local times, topics with one anonymous, the opening
//! post, the facilitation rotation, leaving, calling a gathering off), a community open to
//! another team, and bad input.

use crate::harness::{TestBot, count, scheduler, text, tick};
use chrono::{DateTime, TimeZone, Utc};
use hearth_chat::{Actor, Event, Handler, Inbound, Outbound, Place, Platform, TeamRef};
use insta::assert_snapshot;

fn at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, h, m, 0).unwrap()
}

/// The numbers hearth gave topics, in the order they were added (they are drawn at random).
pub fn topic_numbers(transcript: &str) -> Vec<String> {
    transcript
        .match_indices("Added topic #")
        .map(|(at, found)| {
            transcript[at + found.len()..].chars().take_while(char::is_ascii_digit).collect()
        })
        .collect()
}

/// The transcript with each topic's number replaced by its place in the order topics were
/// added (#1, #2, …), so that snapshots do not depend on chance.
pub fn numbered_in_order(transcript: &str) -> String {
    let mut out = transcript.to_owned();
    for (place, number) in topic_numbers(transcript).iter().enumerate() {
        let place = place + 1;
        out = out.replace(&format!("#{number}"), &format!("#{place}"));
        out = out.replace(&format!("vote {number}"), &format!("vote {place}"));
    }
    out
}

fn to(messages: &[String], who: &str) -> Vec<String> {
    let target = format!(r#"user_id: "{who}""#);
    messages.iter().filter(|m| m.contains(&target)).cloned().collect()
}

#[tokio::test]
async fn a_community_over_several_gatherings() {
    let mut t = TestBot::new().await;
    // Monday 23 November 2026, 09:00 UTC; the team is in Berlin (UTC+1).
    t.script(&[
        "/setup timezone Europe/Berlin",
        "/cop",
        "/cop create peer-work Learning from our work with peers",
        "/as bo",
        "/cop list",
        "/cop info peer-work",
        "/cop join peer-work",
        "/cop facilitate peer-work on",
        "/as cy",
        "/cop join peer-work",
        "/cop facilitate peer-work on",
        "/as dee",
        "/cop join peer-work",
        "/as ana",
        "/cop schedule peer-work every thursday 12:30",
        "/cop info peer-work",
        "/as bo",
        "/cop topic peer-work Boundaries after hours",
        "/as cy",
        "/cop topic-anonymous peer-work When someone we support goes back to using",
    ])
    .await;
    let anonymous = topic_numbers(t.transcript())[1].clone();
    t.script(&[
        "/as dee",
        &format!("/cop vote {anonymous}"),
        &format!("/cop vote {anonymous}"),
        "/cop topics peer-work",
        "/cop share peer-work https://example.org/boundaries A short guide on boundaries",
        "/cop resources peer-work",
        "/cop next",
    ])
    .await;
    // The anonymous topic is stored with no author, and nothing else about who sent it.
    assert_eq!(count(&t, "SELECT count(*) FROM community_topics WHERE author_id IS NULL").await, 1);
    let columns = crate::harness::Db::of(&t.bot).columns("community_topics").await;
    assert_eq!(
        columns.len(),
        4,
        "id, community, author, text: nothing else to link a topic to anyone"
    );

    let (s, recorder) = scheduler(&t);
    // Reminders at 12:30 Berlin time less a day and 15 minutes: 11:30 and 11:15 UTC.
    assert!(tick(&t, &s, &recorder, at(11, 25, 11, 29)).await.is_empty());
    let day_before = tick(&t, &s, &recorder, at(11, 25, 11, 30)).await;
    assert_eq!(day_before.len(), 4, "{day_before:?}");
    for who in ["ana", "bo", "cy", "dee"] {
        let mine = to(&day_before, who);
        assert_eq!(mine.len(), 1, "{who}: {day_before:?}");
        assert!(mine[0].contains("peer-work gathers tomorrow, 2026-11-26 12:30 (team time)."));
        assert!(mine[0].contains(r#"File { name: "peer-work.ics", mime: "text/calendar""#));
        assert!(mine[0].contains("2 topics asked for so far."), "{mine:?}");
    }
    assert!(tick(&t, &s, &recorder, at(11, 26, 11, 14)).await.is_empty());
    let soon = tick(&t, &s, &recorder, at(11, 26, 11, 15)).await;
    assert_eq!(soon.len(), 4);
    assert!(soon[0].contains("gathers in 15 minutes, at 2026-11-26 12:30"), "{soon:?}");

    // The first gathering: bo facilitates (first to offer), the topics by votes, the notice;
    // then the topics are forgotten and cy, next in the rotation, hears in advance.
    let first = tick(&t, &s, &recorder, at(11, 26, 11, 30)).await;
    assert_eq!(first.len(), 2, "{first:?}");
    let post = first.iter().find(|m| m.contains(r#"Channel { id: "team" }"#)).unwrap();
    assert!(post.contains(r#"Person("bo")"#), "{post}");
    let anonymous = post.find("goes back to using (1 vote)").unwrap();
    assert!(anonymous < post.find("Boundaries after hours").unwrap(), "by votes: {post}");
    assert!(post.contains("What people share here stays here."));
    assert!(post.contains("leave out anything that could identify"));
    assert!(!post.contains(r#"Person("cy")"#), "topics are posted without names");
    assert!(
        to(&first, "cy")[0]
            .contains("You're facilitating peer-work's gathering on 2026-12-03 12:30")
    );
    assert_eq!(count(&t, "SELECT count(*) FROM community_topics").await, 0);

    // The second: cy facilitates; bo, who facilitated longest ago, is next.
    let second = tick(&t, &s, &recorder, at(12, 3, 11, 30)).await;
    let post = second.iter().find(|m| m.contains("Channel")).unwrap();
    assert!(post.contains(r#"Person("cy")"#) && post.contains("Nobody asked for a topic"));
    assert!(to(&second, "bo")[0].contains("2026-12-10 12:30"), "{second:?}");

    // bo leaves: off the roster and the rotation, so cy is down for the next one. Then the
    // gathering of 10 December is called off and the following one goes ahead.
    t.clock.set(at(12, 4, 9, 0));
    t.script(&[
        "/as bo",
        "/cop leave peer-work",
        "/cop topics peer-work",
        "/as ana",
        "/cop info peer-work",
        "/cop cancel peer-work",
        "/cop cancel peer-work",
        "/cop next peer-work",
    ])
    .await;
    assert_eq!(
        count(&t, "SELECT count(*) FROM community_members cm JOIN members m ON m.id = cm.member_id WHERE m.platform_user_id = 'bo'").await,
        0
    );
    assert!(tick(&t, &s, &recorder, at(12, 9, 11, 30)).await.is_empty(), "called off");
    assert!(tick(&t, &s, &recorder, at(12, 10, 11, 30)).await.is_empty(), "called off");
    let reminders = tick(&t, &s, &recorder, at(12, 16, 11, 30)).await;
    let told: Vec<&str> =
        ["ana", "bo", "cy", "dee"].into_iter().filter(|w| !to(&reminders, w).is_empty()).collect();
    assert_eq!(told, ["ana", "cy", "dee"], "{reminders:?}");
    let third = tick(&t, &s, &recorder, at(12, 17, 11, 30)).await;
    let post = third.iter().find(|m| m.contains("Channel")).unwrap();
    assert!(post.contains(r#"Person("cy")"#), "{post}");
    assert_snapshot!(numbered_in_order(t.transcript()));
}

/// When someone's member row goes (as `/mydata delete` will do), they leave rosters,
/// rotations and their named topics; anonymous topics stay.
#[tokio::test]
async fn a_person_who_is_erased_leaves_no_trace_but_anonymous_topics() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/cop create peer-work",
        "/as bo",
        "/cop join peer-work",
        "/cop facilitate peer-work on",
        "/cop topic peer-work Named topic",
        "/cop topic-anonymous peer-work Anonymous topic",
        "/cop share peer-work https://example.org",
        "/as ana",
        "/cop schedule peer-work every friday 15:00",
    ])
    .await;
    let named = topic_numbers(t.transcript())[0].clone();
    t.say(&format!("/cop vote {named}")).await;
    assert_eq!(
        count(&t, "SELECT count(*) FROM communities WHERE facilitator_id IS NOT NULL").await,
        1
    );
    crate::harness::Db::of(&t.bot)
        .execute("DELETE FROM members WHERE platform_user_id = 'bo'")
        .await;
    assert_eq!(count(&t, "SELECT count(*) FROM community_members").await, 1);
    assert_eq!(count(&t, "SELECT count(*) FROM communities WHERE facilitator_id IS NULL").await, 1);
    assert_eq!(count(&t, "SELECT count(*) FROM community_resources").await, 0);
    assert_eq!(
        count(&t, "SELECT count(*) FROM community_topic_votes").await,
        0,
        "votes on bo's topic"
    );
    assert_eq!(count(&t, "SELECT count(*) FROM community_topics WHERE author_id IS NULL").await, 1);
    assert_eq!(count(&t, "SELECT count(*) FROM community_topics").await, 1);
}

fn elsewhere(t: &TestBot, user: &str, admin: bool, line: &str) -> Inbound {
    Inbound {
        team: TeamRef { platform: Platform::Console, id: "north".into() },
        actor: Actor { user_id: user.into(), display_name: user.into(), is_team_admin: admin },
        place: Place::Channel { id: "north-lounge".into() },
        event: Event::Command(t.bot.catalogue().parse(line).unwrap()),
    }
}

/// A community open to the other teams on the platform: another team sees it and joins; its
/// reminders reach that team's members in their own time; closing it to its team takes them
/// off and tells them. A name clash across teams stops opening.
#[tokio::test]
async fn a_community_open_to_another_team() {
    let mut t = TestBot::new().await;
    let mut said = Vec::new();
    let mut north = async |t: &TestBot, user: &str, line: &str| -> Vec<Outbound> {
        let replies = t.bot.handle(elsewhere(t, user, true, line)).await;
        said.push(format!("north/{user}> /{line}\n  {}", text(&replies)));
        replies
    };
    north(&t, "zed", "setup timezone America/New_York").await;
    north(&t, "zed", "cop create circle").await;
    t.script(&["/cop create recovery-talk", "/cop create circle", "/cop open circle on"]).await;
    north(&t, "zed", "cop list").await;
    north(&t, "zed", "cop join recovery-talk").await;
    t.script(&["/cop open recovery-talk on", "/cop schedule recovery-talk every wednesday 18:00"])
        .await;
    north(&t, "zed", "cop list").await;
    north(&t, "zed", "cop join recovery-talk").await;
    north(&t, "zed", "cop facilitate recovery-talk on").await;
    north(&t, "zed", "cop schedule recovery-talk every monday 09:00").await;
    north(&t, "zed", "cop info recovery-talk").await;
    let (s, recorder) = scheduler(&t);
    // Wednesday 25 November 18:00 UTC (the home team's zone): 13:00 in New York.
    let reminders = tick(&t, &s, &recorder, at(11, 24, 18, 0)).await;
    let zed = to(&reminders, "zed");
    assert_eq!(zed.len(), 1, "{reminders:?}");
    assert!(zed[0].contains(r#"id: "north""#), "{zed:?}");
    assert!(zed[0].contains("tomorrow, 2026-11-25 13:00 (team time)"), "{zed:?}");
    assert!(to(&reminders, "ana")[0].contains("tomorrow, 2026-11-25 18:00"), "{reminders:?}");
    // At the start: the post in the home team's channel, and privately to zed, who isn't in it.
    let start = tick(&t, &s, &recorder, at(11, 25, 18, 0)).await;
    let zed = to(&start, "zed");
    assert_eq!(zed.len(), 2, "the post and the next turn to facilitate: {start:?}");
    assert!(zed[0].contains("recovery-talk is gathering now") && zed[0].contains("stays here"));
    assert!(zed[1].contains("You're facilitating recovery-talk's gathering on 2026-12-02 13:00"));
    assert_eq!(start.iter().filter(|m| m.contains("is gathering now")).count(), 2, "{start:?}");
    t.clock.set(at(11, 25, 19, 0));
    t.script(&["/cop open recovery-talk off"]).await;
    north(&t, "zed", "cop list").await;
    let roster = "SELECT count(*) FROM community_members cm
        JOIN communities c ON c.id = cm.community_id WHERE c.name = 'recovery-talk'";
    assert_eq!(count(&t, roster).await, 1, "ana alone again");
    let transcript = format!("{}\n{}", t.transcript(), said.join("\n"));
    assert_snapshot!(transcript);
}

#[tokio::test]
async fn bad_input_about_communities() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/cop create",
        "/cop create x",
        "/cop create peer_work",
        "/cop create <@123>",
        "/cop create @everyone",
        &format!("/cop create {}", "a".repeat(33)),
        "/cop create Peer-Work",
        "/cop create peer-work",
        "/cop join peer-work",
        "/cop join nowhere",
        "/cop info nowhere",
        "/cop topic peer-work",
        "/cop topic peer-work    ",
        &format!("/cop topic peer-work {}", "x".repeat(301)),
        "/cop topic peer-work @everyone see [this](https://evil.example) <@123> **now**",
        "/cop topics peer-work",
        "/cop vote 99",
        "/cop vote first",
        "/cop swap peer-work",
        "/cop cancel peer-work",
        "/cop schedule peer-work someday",
        "/cop schedule peer-work 2026-11-01 10:00",
        "/cop facilitate peer-work maybe",
        "/cop share peer-work",
    ])
    .await;
    // Someone who is neither a member nor an admin.
    let mut said = Vec::new();
    let topic = topic_numbers(t.transcript())[0].clone();
    for line in [
        "cop topics peer-work",
        &format!("cop vote {topic}"),
        "cop leave peer-work",
        "cop facilitate peer-work on",
        "cop schedule peer-work every friday 10:00",
        "cop cancel peer-work",
        "cop open peer-work on",
        "cop close peer-work",
    ] {
        let replies = t.command("bo", false, line).await;
        said.push(format!(
            "bo (member of the team, not of peer-work) /{line}\n  {}",
            text(&replies)
        ));
    }
    // Scheduling from a private conversation is refused kindly.
    let call = t.bot.catalogue().parse("cop schedule peer-work every friday 10:00").unwrap();
    let direct = Inbound {
        team: TeamRef { platform: Platform::Console, id: crate::harness::TEAM.into() },
        actor: Actor { user_id: "ana".into(), display_name: "ana".into(), is_team_admin: true },
        place: Place::Direct,
        event: Event::Command(call),
    };
    let replies = t.bot.handle(direct).await;
    assert!(text(&replies).contains("from the channel where it will gather"), "{replies:?}");
    assert_eq!(count(&t, "SELECT count(*) FROM communities WHERE pattern IS NOT NULL").await, 0);
    // The last member leaving closes the community.
    t.script(&["/cop leave peer-work", "/cop list"]).await;
    assert_eq!(count(&t, "SELECT count(*) FROM communities").await, 0);
    let transcript = format!("{}\n{}", t.transcript(), said.join("\n"));
    assert_snapshot!(numbered_in_order(&transcript));
}

/// Topic numbers are drawn at random, so an anonymous topic's number says nothing about when
/// it was asked for, or between whose named topics: across a dozen topics, named and anonymous
/// in turn, the numbers follow no order of asking, and the list (by votes, then number) does
/// not either. Votes still find a topic by its number.
#[tokio::test]
async fn topic_numbers_say_nothing_about_when_or_next_to_whose() {
    let mut t = TestBot::new().await;
    t.script(&["/cop create peer-work", "/as bo", "/cop join peer-work"]).await;
    let mut asked = Vec::new();
    for i in 0..12 {
        let (who, how) = if i % 2 == 0 { ("ana", "topic") } else { ("bo", "topic-anonymous") };
        t.say(&format!("/as {who}")).await;
        t.say(&format!("/cop {how} peer-work Topic {i:02}")).await;
        asked.push(format!("Topic {i:02}"));
    }
    let numbers: Vec<i64> =
        topic_numbers(t.transcript()).iter().map(|n| n.parse().unwrap()).collect();
    assert_eq!(numbers.len(), 12);
    assert!(numbers.iter().all(|n| (1000..=9999).contains(n)), "{numbers:?}");
    let distinct: std::collections::BTreeSet<i64> = numbers.iter().copied().collect();
    assert_eq!(distinct.len(), 12, "{numbers:?}");
    // In the order asked, the numbers neither rise nor fall (counting up would give that away;
    // twelve random numbers fall in either order once in about 240 million tries).
    let rising = numbers.windows(2).all(|w| w[0] < w[1]);
    let falling = numbers.windows(2).all(|w| w[0] > w[1]);
    assert!(!rising && !falling, "numbers follow the order of asking: {numbers:?}");
    // The anonymous ones are not told apart by their numbers: some named topic has a higher
    // number than some anonymous one, and the other way round.
    let named: Vec<i64> = numbers.iter().step_by(2).copied().collect();
    let anonymous: Vec<i64> = numbers.iter().skip(1).step_by(2).copied().collect();
    assert!(named.iter().any(|n| anonymous.iter().any(|a| n > a)), "{numbers:?}");
    assert!(anonymous.iter().any(|a| named.iter().any(|n| a > n)), "{numbers:?}");

    // With no votes, the list is by number: an order that says nothing about the asking.
    let listed = t.say("/cop topics peer-work").await;
    let order: Vec<&String> = {
        let mut by_place: Vec<(usize, &String)> =
            asked.iter().map(|a| (listed.find(a.as_str()).unwrap(), a)).collect();
        by_place.sort();
        by_place.into_iter().map(|(_, a)| a).collect()
    };
    let mut by_number: Vec<(i64, &String)> = numbers.iter().copied().zip(&asked).collect();
    by_number.sort();
    assert_eq!(order, by_number.into_iter().map(|(_, a)| a).collect::<Vec<_>>(), "{listed}");

    // A vote finds the anonymous topic by its number, and it goes to the top.
    let voted = t.say(&format!("/cop vote {}", anonymous[0])).await;
    assert!(voted.contains(&format!("Voted for topic #{}", anonymous[0])), "{voted}");
    let listed = t.say("/cop topics peer-work").await;
    let top = listed.find(&format!("#{} Topic 01 (1 vote), anonymous", anonymous[0]));
    assert!(top.is_some_and(|at| asked.iter().all(|a| listed.find(a.as_str()) >= Some(at))));
}

/// A gathering four minutes away is promised no reminder, and none comes; a monthly rhythm is
/// read back in words, and its gatherings fall on the first Thursday of each month.
#[tokio::test]
async fn gatherings_soon_and_monthly_are_said_as_they_will_be() {
    let mut t = TestBot::new().await;
    // Monday 23 November 2026, 09:00 UTC.
    t.script(&[
        "/cop create peer-work",
        "/cop schedule peer-work in 4 minutes",
        "/cop schedule peer-work tomorrow 08:50",
    ])
    .await;
    let (s, recorder) = scheduler(&t);
    assert!(tick(&t, &s, &recorder, at(11, 23, 9, 4)).await.iter().all(|m| !m.contains("gathers")));
    let before = tick(&t, &s, &recorder, at(11, 24, 8, 35)).await;
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(before[0].contains("peer-work gathers in 15 minutes, at 2026-11-24 08:50"));
    t.script(&["/cop schedule peer-work every 1st thursday 12:30", "/cop info peer-work"]).await;
    let december = tick(&t, &s, &recorder, at(12, 2, 12, 30)).await;
    assert!(december[0].contains("gathers tomorrow, 2026-12-03 12:30"), "{december:?}");
    assert!(tick(&t, &s, &recorder, at(12, 9, 12, 30)).await.is_empty());
    let january =
        tick(&t, &s, &recorder, Utc.with_ymd_and_hms(2027, 1, 6, 12, 30, 0).unwrap()).await;
    assert!(january[0].contains("gathers tomorrow, 2027-01-07 12:30"), "{january:?}");
    let transcript = t.transcript();
    assert!(transcript.contains("It's too soon for a reminder before it."), "{transcript}");
    assert_snapshot!(transcript);
}
