//! A community of practice on Discord: created, joined, scheduled in the channel; a topic
//! full of markdown and mentions, an anonymous one, a vote and a shared link; reminders by DM
//! with a calendar file; the opening post in the channel; the rotation moving on. Nothing
//! pings anyone and no message of hearth's shows a link preview.

use super::{Team, WAIT, sub};
use fake_discord::{Member, Message};
use hearth::scheduler::{Deliveries, Scheduler};
use insta::assert_snapshot;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_community_of_practice() {
    let mut team = Team::start().await;
    let cy = team.fake.fresh_id();
    team.fake.add_member(team.guild, Member::new(cy, "cy"));
    let name = ("name", "peer-work");

    team.slash(
        "cop",
        sub("create", &[name, ("about", "Learning from our work")]),
        "/cop create peer-work",
    )
    .await;
    for (who, id) in [("jo", team.coordinator), ("cy", cy)] {
        team.actor = (id, who);
        team.slash("cop", sub("join", &[name]), "/cop join peer-work").await;
        let on = json!([{"name": "facilitate", "type": 1, "options": [
            {"name": "name", "type": 3, "value": "peer-work"},
            {"name": "state", "type": 3, "value": "on"}]}]);
        team.slash("cop", on, "/cop facilitate peer-work on").await;
    }
    team.actor = (team.ana, "ana");
    let when = ("when", "every thursday 12:30");
    team.slash(
        "cop",
        sub("schedule", &[name, when]),
        "/cop schedule peer-work every thursday 12:30",
    )
    .await;
    let risky = "@everyone see [this](https://evil.example) <@123> **now**";
    team.actor = (team.coordinator, "jo");
    team.slash(
        "cop",
        sub("topic", &[name, ("text", risky)]),
        &format!("/cop topic peer-work {risky}"),
    )
    .await;
    team.actor = (cy, "cy");
    let quiet = "When someone we support goes back to using";
    team.slash(
        "cop",
        sub("topic-anonymous", &[name, ("text", quiet)]),
        &format!("/cop topic-anonymous peer-work {quiet}"),
    )
    .await;
    team.actor = (team.ana, "ana");
    // Topic numbers are random: vote for the anonymous one by the number it was given.
    let anonymous: i64 = crate::cop::topic_numbers(&team.transcript)[1].parse().unwrap();
    let vote = json!([{"name": "vote", "type": 1, "options": [
        {"name": "id", "type": 4, "value": anonymous}]}]);
    team.slash("cop", vote, &format!("/cop vote {anonymous}")).await;
    team.slash("cop", sub("topics", &[name]), "/cop topics peer-work").await;
    let link = "https://example.org/boundaries A short guide";
    team.slash(
        "cop",
        sub("share", &[name, ("text", link)]),
        &format!("/cop share peer-work {link}"),
    )
    .await;
    team.slash("cop", sub("resources", &[name]), "/cop resources peer-work").await;
    let next = team.slash("cop", sub("next", &[]), "/cop next").await;
    let files: Vec<_> = next.iter().flat_map(|m| m.attachments.clone()).collect();
    assert_eq!(files.len(), 1, "{next:?}");
    assert_eq!(files[0].filename, "peer-work.ics");
    assert!(String::from_utf8_lossy(&files[0].bytes).contains("DTSTART:20261126T123000Z"));

    let scheduler =
        Scheduler::new(team.bot.clone(), Deliveries::default().with(team.discord.delivery()));
    let tick = async |team: &Team, at: chrono::DateTime<chrono::Utc>| {
        team.clock.set(at);
        for firing in scheduler.tick(at).await.unwrap() {
            scheduler.deliver(firing).await;
        }
    };
    let day_before =
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 25, 12, 30, 0).unwrap();
    tick(&team, day_before).await;
    for (who, id) in [("ana", team.ana), ("jo", team.coordinator), ("cy", cy)] {
        let dms = team.fake.wait_for_dms_to(id, 1, WAIT).await.unwrap();
        let reminder = dms.iter().find(|m| m.content.contains("gathers tomorrow")).unwrap();
        assert_eq!(reminder.attachments.len(), 1, "{who}: {reminder:?}");
        if who == "cy" {
            team.transcript.push_str(&format!("(DM to cy, a day before) {}\n", reminder.content));
        }
    }
    let start = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 26, 12, 30, 0).unwrap();
    tick(&team, start).await;
    let posted = team.posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    team.transcript.push_str(&format!("(channel, at the start) {}\n", posted[0].content));
    assert!(posted[0].content.contains("\\[this\\]"), "markdown stays text: {}", posted[0].content);
    // jo facilitated; cy is next, and hears by DM.
    let to_cy = team.fake.wait_for_dms_to(cy, 2, WAIT).await.unwrap();
    team.transcript.push_str(&format!("(DM to cy, after) {}\n", to_cy.last().unwrap().content));
    assert!(to_cy.last().unwrap().content.contains("2026-12-03 12:30"));

    let everything: Vec<Message> = [team.channel]
        .into_iter()
        .chain(
            [team.ana, team.coordinator, cy].into_iter().filter_map(|u| team.fake.dm_channel_of(u)),
        )
        .flat_map(|c| team.fake.messages_in(c))
        .collect();
    assert!(everything.len() > 10);
    assert!(everything.iter().all(Message::suppresses_embeds), "no link previews");
    assert!(team.fake.mention_risks().is_empty(), "{:?}", team.fake.mention_risks());
    assert!(team.fake.unknown_routes().is_empty(), "{:?}", team.fake.unknown_routes());
    let transcript = crate::cop::numbered_in_order(&team.transcript)
        .replace(&format!("<@{}>", team.ana), "<@ana>")
        .replace(&format!("<@{}>", team.coordinator), "<@jo>")
        .replace(&format!("<@{cy}>"), "<@cy>");
    assert_snapshot!(transcript);
}
