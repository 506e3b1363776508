//! Private threads with Discord's documented `invitable` rule: while a private thread is not
//! invitable only moderators (`MANAGE_THREADS`) add people; the create → add → make
//! non-invitable order works without it; a refused member is an error the bot sees.

use fake_discord::Member;
use serenity::all::{
    AutoArchiveDuration, ChannelId, ChannelType, CreateThread, EditThread, GuildChannel, UserId,
};
use serenity::http::Http;

use crate::common::{discord_error, http, world};

async fn private_thread(http: &Http, channel: u64, invitable: bool) -> GuildChannel {
    let body = CreateThread::new("Debrief")
        .kind(ChannelType::PrivateThread)
        .auto_archive_duration(AutoArchiveDuration::OneDay)
        .invitable(invitable);
    ChannelId::new(channel).create_thread(http, body).await.expect("the thread opens")
}

#[tokio::test]
async fn a_non_invitable_private_thread_takes_manage_threads_to_add_people() {
    let w = world().await;
    let http = http(&w.discord);
    let closed = private_thread(&http, w.general, false).await;
    assert_eq!(w.discord.thread_invitable(closed.id.get()), Some(false));
    assert_eq!(closed.thread_metadata.map(|m| m.invitable), Some(false));
    let adding = closed.id.add_thread_member(&http, UserId::new(w.bo)).await;
    assert_eq!(discord_error(adding), (403, 50013), "no MANAGE_THREADS");
    assert_eq!(w.discord.thread_members(closed.id.get()), [w.discord.bot_user_id()]);

    w.discord.set_bot_manage_threads(true);
    closed.id.add_thread_member(&http, UserId::new(w.bo)).await.unwrap();
    assert_eq!(w.discord.thread_members(closed.id.get()), [w.discord.bot_user_id(), w.bo]);
}

#[tokio::test]
async fn create_add_then_close_works_without_manage_threads() {
    let w = world().await;
    let http = http(&w.discord);
    let bot = w.discord.bot_user_id();
    let thread = private_thread(&http, w.general, true).await;
    thread.id.add_thread_member(&http, UserId::new(w.ada)).await.unwrap();
    thread.id.add_thread_member(&http, UserId::new(w.bo)).await.unwrap();
    let closed = thread.id.edit_thread(&http, EditThread::new().invitable(false)).await.unwrap();
    assert_eq!(closed.thread_metadata.map(|m| m.invitable), Some(false));
    assert_eq!(w.discord.thread_invitable(thread.id.get()), Some(false));
    thread.id.leave_thread(&http).await.unwrap();
    assert_eq!(w.discord.thread_members(thread.id.get()), [w.ada, w.bo]);
    assert!(!w.discord.thread_members(thread.id.get()).contains(&bot));
    // Out of it, the bot cannot come back or change it.
    let rejoin = thread.id.join_thread(&http).await;
    assert_eq!(discord_error(rejoin), (403, 50001));

    // `invitable` is only for private threads.
    let public = CreateThread::new("Open").kind(ChannelType::PublicThread);
    let public = ChannelId::new(w.general).create_thread(&http, public).await.unwrap();
    let refused = public.id.edit_thread(&http, EditThread::new().invitable(false)).await;
    assert_eq!(discord_error(refused), (400, 50035));
}

#[tokio::test]
async fn adding_someone_discord_refuses_is_an_error() {
    let w = world().await;
    let http = http(&w.discord);
    let thread = private_thread(&http, w.general, true).await;
    w.discord.refuse_thread_member(w.bo, true);
    let refused = thread.id.add_thread_member(&http, UserId::new(w.bo)).await;
    assert_eq!(discord_error(refused), (403, 50001));
    w.discord.refuse_thread_member(w.bo, false);
    thread.id.add_thread_member(&http, UserId::new(w.bo)).await.unwrap();

    // Someone who is not (or no longer) in the server.
    let gone = w.discord.fresh_id();
    w.discord.add_user(gone, "gone");
    let outsider = thread.id.add_thread_member(&http, UserId::new(gone)).await;
    assert_eq!(discord_error(outsider), (404, 10007));
    let cy = w.discord.fresh_id();
    w.discord.add_member(w.guild, Member::new(cy, "cy"));
    // (member_leaves needs a gateway session for its event; removing is what matters here.)
    let _ = w.discord.member_leaves(w.guild, cy);
    let left = thread.id.add_thread_member(&http, UserId::new(cy)).await;
    assert_eq!(discord_error(left), (404, 10007));

    // An archived thread takes no one.
    thread.id.edit_thread(&http, EditThread::new().archived(true)).await.unwrap();
    let archived = thread.id.add_thread_member(&http, UserId::new(w.ada)).await;
    assert_eq!(discord_error(archived), (400, 50083));
}
