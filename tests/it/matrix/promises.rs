//! Promises that hold on Matrix, where commands are typed in rooms others read: a private
//! command typed in the team room is refused there with its answer in the direct room, and
//! taken back (hearth is a moderator here); the same command in the direct room works. A
//! teammate is named by user id, by mention (a pill) or by display name. A green check-in
//! answered in the direct room can still share a line, posted in the team room. Formatted
//! bodies name commands with `!`, as plain ones do, and help says where private commands go.

use super::{Hearth, Login, Person, first_help, synapse, team_room};
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::client::room::get_room_event::v3::Request as GetEvent;
use matrix_sdk::ruma::events::room::message::{
    MessageFormat, MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::{Int, OwnedEventId, OwnedRoomId, OwnedUserId, RoomVersionId};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The formatted (HTML) bodies of hearth's messages a person received.
type Formatted = Arc<Mutex<Vec<String>>>;

fn keep_formatted(person: &Person, hearth: &OwnedUserId) -> Formatted {
    let kept: Formatted = Arc::default();
    person.client.add_event_handler_context((kept.clone(), hearth.clone()));
    person.client.add_event_handler(
        |event: OriginalSyncRoomMessageEvent, ctx: Ctx<(Formatted, OwnedUserId)>| async move {
            let (kept, hearth) = &*ctx;
            if &event.sender != hearth {
                return;
            }
            if let MessageType::Text(text) = &event.content.msgtype
                && let Some(formatted) = &text.formatted
                && formatted.format == MessageFormat::Html
            {
                kept.lock().unwrap().push(formatted.body.clone());
            }
        },
    );
    kept
}

/// Waits until the homeserver serves `event` redacted.
async fn redacted(person: &Person, room: &OwnedRoomId, event: &OwnedEventId) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let request = GetEvent::new(room.clone(), event.clone());
        let raw = person.client.send(request).await.unwrap().event;
        if raw.json().get().contains("redacted_because") {
            return;
        }
        assert!(Instant::now() < deadline, "the private command was never taken back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn say_html(person: &Person, room: &OwnedRoomId, plain: &str, html: &str) {
    let room: Room = person.room(room).await;
    room.send(RoomMessageEventContent::text_html(plain, html)).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promises_hold_on_matrix() {
    let Some(synapse) = synapse() else { return };
    let hearth = Hearth::start(&synapse, Login::Password).await;
    let (ana, bo) = tokio::join!(Person::new(&synapse, "ana"), Person::new(&synapse, "bo"));
    bo.client.account().set_display_name(Some("Bo Lind")).await.unwrap();
    let team = team_room(&ana, &[&bo], &hearth, true, RoomVersionId::V12).await;
    let h = &hearth.id;
    let formatted = keep_formatted(&ana, h);
    let (ana_dm, bo_dm) = tokio::join!(first_help(&ana, &team, h), first_help(&bo, &team, h));
    // hearth moderates the team room, so it may take back what people type there.
    let moderator = Int::new(50).unwrap();
    ana.room(&team).await.update_power_levels(vec![(h, moderator)]).await.unwrap();

    // Help names the private commands and where to type them, in both bodies.
    let mut n = ana.count();
    ana.say(&team, "!help").await;
    let (_, _, help) = ana.expect(h, "What I can do", n).await;
    assert!(help.contains("type them in your direct room with me"), "{help}");
    assert!(help.contains("!capacity") && help.contains("!debrief request"), "{help}");
    let html = formatted.lock().unwrap().last().cloned().unwrap();
    assert!(html.contains("!checkin") && !html.contains("/checkin"), "{html}");
    assert!(html.contains("!capacity") && !html.contains("/capacity"), "{html}");
    n = ana.count();
    ana.say(&team, "!help agenda").await;
    let (_, _, help) = ana.expect(h, "!agenda private TEXT", n).await;
    assert!(
        help.contains(
            "!agenda private TEXT: Add an item only you see until you share it (in our direct room)"
        ),
        "{help}"
    );

    // A private command in the team room: refused there, answered in the direct room, taken
    // back from the room; nothing changes until it is typed in the direct room.
    let mut m = bo.count();
    let typed = bo.room(&team).await;
    let sent = typed.send(RoomMessageEventContent::text_plain("!capacity low")).await.unwrap();
    let (room, _, refusal) = bo.expect(h, "stays between you and me", m).await;
    assert_eq!(room, bo_dm, "{refusal}");
    assert!(refusal.contains("!capacity") && !refusal.contains("/capacity"), "{refusal}");
    redacted(&bo, &team, &sent.response.event_id).await;
    m = bo.count();
    bo.say(&bo_dm, "!shift").await;
    let (_, _, shift) = bo.expect(h, "", m).await;
    assert!(!shift.contains("capacity is marked as reduced"), "{shift}");
    m = bo.count();
    bo.say(&bo_dm, "!capacity low").await;
    bo.expect(h, "no debrief requests will reach you", m).await;
    m = bo.count();
    bo.say(&bo_dm, "!capacity normal").await;
    bo.expect(h, "capacity is normal", m).await;

    // Naming a teammate: a mention (pill) whose text is a display name with a space, the
    // display name typed, the user name typed, and the user id.
    n = ana.count();
    let pill = format!("<a href=\"https://matrix.to/#/{}\">Bo Lind</a>", bo.id);
    say_html(
        &ana,
        &team,
        "!setup role supervisor Bo Lind",
        &format!("!setup role supervisor {pill}"),
    )
    .await;
    let (_, _, saved) = ana.expect(h, "The team's supervisor is now", n).await;
    assert!(saved.contains(bo.id.as_str()), "{saved}");
    for typed in ["Bo Lind", "bo lind", bo.id.localpart(), &format!("@{}", bo.id.localpart())] {
        n = ana.count();
        ana.say(&team, &format!("!setup role coordinator {typed}")).await;
        let (_, _, saved) = ana.expect(h, "The team's coordinator is now", n).await;
        assert!(saved.contains(bo.id.as_str()), "{typed}: {saved}");
    }
    // Roles cleared again: the request below then asks nothing about a supervisor.
    for role in ["supervisor", "coordinator"] {
        n = ana.count();
        ana.say(&team, &format!("!setup role {role}")).await;
        ana.expect(h, "is named now", n).await;
    }
    // Nobody has said they take requests yet: said at once, before any question.
    n = ana.count();
    ana.say(&ana_dm, "!debrief request").await;
    let (_, _, nobody) = ana.expect(h, "Nobody can be asked for a debrief right now", n).await;
    assert!(nobody.contains("!available on") && !nobody.contains("Should they see"), "{nobody}");
    m = bo.count();
    bo.say(&team, "!available on").await;
    bo.expect(h, "You're now taking debrief requests", m).await;
    n = ana.count();
    m = bo.count();
    ana.say(&ana_dm, &format!("!debrief request {}", bo.id)).await;
    ana.expect(h, "Should they see your name now", n).await;
    n = ana.count();
    ana.say(&ana_dm, "1").await;
    ana.expect(h, "Type - to send without one", n).await;
    n = ana.count();
    ana.say(&ana_dm, "-").await;
    ana.expect(h, "I've asked", n).await;
    let (room, _, ask) = bo.expect(h, "would like a debrief", m).await;
    assert_eq!(room, bo_dm, "{ask}");
    n = ana.count();
    ana.say(&ana_dm, "!debrief cancel").await;
    ana.expect(h, "Your request is closed", n).await;

    // A green check-in answered in the direct room shares a line in the team room.
    n = ana.count();
    ana.say(&team, "!checkin").await;
    ana.expect(h, "How are you arriving today?", n).await;
    n = ana.count();
    ana.say(&ana_dm, "1").await;
    ana.expect(h, "I'll post it in the team room", n).await;
    n = ana.count();
    ana.say(&ana_dm, "1").await;
    ana.expect(h, "Everyone in the team room will see it with your name", n).await;
    m = bo.count();
    n = ana.count();
    ana.say(&ana_dm, "Slept well, ready for today").await;
    let (room, _, post) = bo.expect(h, "Slept well, ready for today", m).await;
    assert_eq!(room, team, "{post}");
    ana.expect(h, "team weather", n).await;
    for (answer, next) in [("1", "private history"), ("2", "Thank you for checking in")] {
        n = ana.count();
        ana.say(&ana_dm, answer).await;
        ana.expect(h, next, n).await;
    }
    // ana has never said whether requests may reach her: invited once, after a green check-in.
    let (room, _, invite) = ana.expect(h, "I'll only say it once", n).await;
    assert_eq!(room, ana_dm, "{invite}");

    // A monthly rhythm, read back in words; an override typed in an agenda item stays inside
    // it; bare `!breaks` says what it does.
    for (command, answer) in [
        ("!supervision schedule every 1st thursday 12:30", "every month on the 1st Thursday"),
        ("!agenda add \u{202E}gnitseretni", "Added as #1"),
        ("!agenda", "\u{2068}\u{202E}gnitseretni\u{2069}"),
        ("!breaks", "Break nudges are off for you"),
    ] {
        n = ana.count();
        ana.say(&team, command).await;
        ana.expect(h, answer, n).await;
    }

    // The formatted body of a Matrix-only answer says `!`, as the plain one does.
    n = ana.count();
    ana.say(&team, "!").await;
    let (_, _, empty) = ana.expect(h, "Type a command after the “!”", n).await;
    assert!(empty.contains("!checkin"), "{empty}");
    let html = formatted.lock().unwrap().last().cloned().unwrap();
    assert!(html.contains("!checkin") && !html.contains("/checkin"), "{html}");
    assert!(!html.contains("slash"), "{html}");
    drop(hearth);
}
