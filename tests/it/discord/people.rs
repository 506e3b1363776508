//! Naming a teammate on Discord without any privileged intent: slash-command arguments that
//! name a person are `USER` options (Discord's picker; the value is the user id), and a form's
//! person field is a user select menu in the message, with "Not now" beside it when it may
//! be left empty. hearth identifies with the GUILDS intent only and never lists or searches
//! the server's members.

use super::{Team, WAIT, sub};
use fake_discord::Member;
use insta::assert_snapshot;
use serde_json::{Value, json};

/// A subcommand call whose options are given as Discord sends them (`USER` options carry
/// the picked user's id as a string).
fn call(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

fn user(name: &str, id: u64) -> Value {
    json!({"name": name, "type": 6, "value": id.to_string()})
}

fn text(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_flow_that_names_a_teammate_uses_discords_user_picker() {
    let mut team = Team::start().await;
    // Only GUILDS (1 << 0): no Server Members intent, no message content.
    let identify = team.fake.last_identify().expect("hearth identified");
    assert_eq!(identify["intents"], 1, "{identify}");

    let bo = team.fake.fresh_id();
    team.fake.add_member(team.guild, Member::new(bo, "bo"));
    let cy = team.fake.fresh_id();
    team.fake.add_member(team.guild, Member::new(cy, "cy"));
    // bo is known to hearth once they have used it; cy never has.
    team.actor = (bo, "bo");
    let asked = team.slash("checkin", sub("now", &[]), "/checkin now").await;
    team.click(&asked, "|pass").await;
    team.slash("available", json!([text("state", "on")]), "/available on").await;

    team.actor = (team.ana, "ana");
    let asked = team.slash("checkin", sub("now", &[]), "/checkin now").await;
    team.click(&asked, "|pass").await;

    team.actor = (team.coordinator, "jo");
    let role = json!([text("role", "supervisor"), user("person", bo)]);
    team.slash("setup", call("role", role), "/setup role supervisor (picks bo)").await;
    let role = json!([text("role", "coordinator"), user("person", cy)]);
    team.slash("setup", call("role", role), "/setup role coordinator (picks cy)").await;
    let with = json!([user("person", team.ana), text("when", "every tuesday 10:00")]);
    team.slash(
        "supervision",
        call("with", with),
        "/supervision with (picks ana) every tuesday 10:00",
    )
    .await;
    team.slash(
        "supervision",
        call("backup", json!([user("person", bo)])),
        "/supervision backup (picks bo)",
    )
    .await;

    team.actor = (team.ana, "ana");
    let action = json!([user("person", bo), text("text", "Ask the clinic about referrals")]);
    team.slash("agenda", call("action", action), "/agenda action (picks bo) Ask the clinic …")
        .await;
    let asked = team
        .slash(
            "debrief",
            call("request", json!([user("person", cy)])),
            "/debrief request (picks cy)",
        )
        .await;
    assert!(asked.iter().any(|m| m.content.contains("hasn't used hearth")), "{}", team.transcript);
    let asked = team
        .slash(
            "debrief",
            call("request", json!([user("person", bo)])),
            "/debrief request (picks bo)",
        )
        .await;
    team.click(&asked, "|cancel").await;

    // The red check-in: the person to alert is picked in the message, never typed.
    let asked = team.slash("checkin", sub("now", &[]), "/checkin now").await;
    let (offer, _) = team.click(&asked, "|red").await;
    let (picker, _) = team.click(&offer, "|alert").await;
    let shown = picker.iter().find(|m| m.components.to_string().contains("\"type\":5")).unwrap();
    assert!(shown.is_ephemeral(), "only ana sees whom she might ask");
    let again = team.pick(&picker, cy, "cy").await;
    assert!(again.iter().any(|m| m.content.contains("hasn't used hearth")), "{}", team.transcript);
    let weather = team.pick(&again, bo, "bo").await;
    let to_bo = team.fake.wait_for_dms_to(bo, 1, WAIT).await.unwrap();
    team.transcript.push_str(&format!("(DM to bo) {}\n", to_bo[0].content));
    assert!(weather.iter().any(|m| m.content.contains("team weather")), "{}", team.transcript);

    // The members list is never asked for: Discord refuses it without the members intent.
    let asked_members: Vec<String> = team
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/members"))
        .map(|r| r.path)
        .collect();
    assert!(asked_members.is_empty(), "{asked_members:?}");
    assert!(team.fake.mention_risks().is_empty(), "{:?}", team.fake.mention_risks());
    assert!(team.fake.unknown_routes().is_empty(), "{:?}", team.fake.unknown_routes());
    let transcript = team
        .transcript
        .replace(&format!("<@{bo}>"), "<@bo>")
        .replace(&format!("<@{cy}>"), "<@cy>")
        .replace(&format!("<@{}>", team.ana), "<@ana>");
    assert_snapshot!(transcript);
}

/// "Not now" beside the picker leaves the form empty: nobody is asked, and the check-in goes
/// on. The picker, once answered, cannot be used again, and an old one gets "expired".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_to_alert_can_be_skipped_and_a_stale_picker_expires() {
    let mut team = Team::start().await;
    let bo = team.fake.fresh_id();
    team.fake.add_member(team.guild, Member::new(bo, "bo"));
    team.actor = (bo, "bo");
    let asked = team.slash("checkin", sub("now", &[]), "/checkin now").await;
    team.click(&asked, "|pass").await;

    team.actor = (team.ana, "ana");
    let asked = team.slash("checkin", sub("now", &[]), "/checkin now").await;
    let (offer, _) = team.click(&asked, "|red").await;
    let (picker, _) = team.click(&offer, "|alert").await;
    let (weather, _) = team.click(&picker, "h|k|").await;
    assert!(weather.iter().any(|m| m.content.contains("team weather")), "{}", team.transcript);
    assert!(team.fake.dm_messages_to(bo).is_empty(), "nobody was asked");

    // The answered picker was disabled; one left open by a newer check-in has expired.
    let asked = team.slash("checkin", sub("now", &[]), "/checkin now").await;
    let (offer, _) = team.click(&asked, "|red").await;
    let (left_open, _) = team.click(&offer, "|alert").await;
    team.slash("checkin", sub("now", &[]), "/checkin now").await;
    let expired = team.pick(&left_open, bo, "bo").await;
    assert!(expired.iter().any(|m| m.content.contains("expired")), "{}", team.transcript);
    assert!(team.fake.dm_messages_to(bo).is_empty(), "nobody was asked");
    assert!(team.fake.unknown_routes().is_empty(), "{:?}", team.fake.unknown_routes());
    assert_snapshot!(team.transcript);
}
