//! Files as Discord attachments: in a DM, in a channel, and in ephemeral interaction replies
//! (the response, a follow-up and a deferred response's edit), arriving byte for byte as
//! multipart `files[0]` parts named in `payload_json`; and a file too large refused before
//! anything is sent. (A module of the `fake` test binary, to share its set-up and build.)

use crate::WAIT;
use crate::support::{Bot, calendar};
use fake_discord::Message as Sent;
use hearth_chat::{Block, DeliveryError, Message, Outbound, Place, Target, Visibility};
use serde_json::json;

fn every_byte() -> Vec<u8> {
    (0..=255u8).collect()
}

/// The one file a message carries: its name, content type and bytes.
fn attached(message: &Sent) -> (String, String, Vec<u8>) {
    assert_eq!(message.attachments.len(), 1, "{message:?}");
    let file = &message.attachments[0];
    (file.filename.clone(), file.content_type.clone(), file.bytes.clone())
}

fn calendar_file(name: &str) -> (String, String, Vec<u8>) {
    (name.to_owned(), "text/calendar".to_owned(), every_byte())
}

fn with_file(target: Target, text: &str, name: &str) -> Outbound {
    Outbound {
        target,
        visibility: Visibility::OnlyActor,
        message: Message { blocks: vec![Block::Text(text.into()), calendar(name)], controls: None },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_carries_a_file_intact() {
    let bot = Bot::start().await;
    let to_ana = Target::Person { team: bot.team(), user_id: bot.ana.to_string() };
    let outbound = with_file(to_ana, "Your next supervision", "next-session.ics");
    bot.discord.delivery().deliver(outbound, "hearth-40-1").await.unwrap();
    let dms = bot.fake.wait_for_dms_to(bot.ana, 1, WAIT).await.unwrap();
    assert_eq!(dms.len(), 1, "text and file in one message");
    assert_eq!(dms[0].content, "Your next supervision");
    assert_eq!(attached(&dms[0]), calendar_file("next-session.ics"));
    assert_eq!(
        dms[0].body["attachments"],
        json!([{"id": 0, "filename": "next-session.ics", "description": null}])
    );
    assert_eq!(dms[0].body["enforce_nonce"], true, "still idempotent");
    assert!(bot.fake.mention_risks().is_empty(), "{:?}", bot.fake.mention_risks());
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_message_carries_text_and_a_file() {
    let bot = Bot::start().await;
    let place = Place::Channel { id: bot.channel.to_string() };
    let mut outbound = with_file(Target::Place { team: bot.team(), place }, "Agenda", "agenda.ics");
    outbound.visibility = Visibility::Everyone;
    // A file only and no text is a message too.
    outbound.message.blocks.push(calendar("second.ics"));
    bot.discord.delivery().deliver(outbound, "hearth-41-1").await.unwrap();
    let posted = bot.fake.messages_in(bot.channel);
    assert_eq!(posted.len(), 2, "one file a message: {posted:?}");
    assert_eq!(posted[0].content, "Agenda");
    assert_eq!(attached(&posted[0]), calendar_file("agenda.ics"));
    assert_eq!(posted[1].content, "");
    assert_eq!(attached(&posted[1]), calendar_file("second.ics"));
    assert_ne!(posted[0].body["nonce"], posted[1].body["nonce"]);
    assert!(posted.iter().all(|m| !m.is_ephemeral()));
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ephemeral_reply_keeps_its_file_private() {
    let bot = Bot::start().await;
    let option = json!([{"name": "command", "type": 3, "value": "file"}]);
    let slash =
        bot.fake.slash_command(bot.channel_origin(), bot.ana, "help", option).await.unwrap();
    let response = slash.response(WAIT).await.unwrap();
    assert_eq!((response.kind, response.data()["flags"].clone()), (4, json!(64 | 4)));
    let original = slash.original().unwrap();
    assert!(original.is_ephemeral(), "only ana, who asked, sees it");
    assert_eq!(original.content, "Your next session");
    assert_eq!(attached(&original), calendar_file("next.ics"));
    // The second reply, a file alone, is an ephemeral follow-up.
    let followup = slash.followup(0, WAIT).await.unwrap();
    assert!(followup.is_ephemeral());
    assert_eq!(followup.content, "");
    assert_eq!(attached(&followup), calendar_file("later.ics"));
    let public: Vec<_> =
        bot.fake.messages_in(bot.channel).into_iter().filter(|m| !m.is_ephemeral()).collect();
    assert!(public.is_empty(), "nothing for everyone: {public:?}");

    // A slow answer edits the private deferral: the file goes with the edit.
    let option = json!([{"name": "command", "type": 3, "value": "file-slow"}]);
    let slow = bot.fake.slash_command(bot.channel_origin(), bot.ana, "help", option).await.unwrap();
    assert_eq!(slow.response(WAIT).await.unwrap().kind, 5);
    let edited = slow.original_edited(WAIT).await.unwrap();
    assert!(edited.is_ephemeral());
    assert_eq!(edited.content, "Slowly");
    assert_eq!(attached(&edited), calendar_file("slow.ics"));
    assert!(bot.fake.mention_risks().is_empty(), "{:?}", bot.fake.mention_risks());
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_too_large_is_refused_before_anything_is_sent() {
    let bot = Bot::start().await;
    let to_ana = Target::Person { team: bot.team(), user_id: bot.ana.to_string() };
    let mut outbound = with_file(to_ana, "Your data", "export.json");
    outbound.message.blocks[1] = Block::File {
        name: "export.json".into(),
        mime: "application/json".into(),
        bytes: vec![b' '; 8 * 1024 * 1024 + 1],
    };
    let refused = bot.discord.delivery().deliver(outbound, "hearth-42-1").await;
    assert_eq!(refused, Err(DeliveryError::Forbidden));
    let sent: Vec<_> = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/messages") || r.path.ends_with("/@me/channels"))
        .map(|r| r.path)
        .collect();
    assert!(sent.is_empty(), "nothing was sent, no DM channel opened: {sent:?}");
}
