//! Messages, DMs, threads, commands, members and roles, and the errors Discord gives.

use serenity::all::{
    AutoArchiveDuration, ChannelId, ChannelType, Command, CreateAllowedMentions, CreateAttachment,
    CreateCommand, CreateEmbed, CreateEmbedFooter, CreateMessage, CreateThread, EditMessage,
    EditThread, GuildId, HttpBuilder, UserId,
};

use crate::common::{discord_error, http, world};

#[tokio::test]
async fn messages_are_stored_edited_and_deleted() {
    let w = world().await;
    let http = http(&w.discord);
    let channel = ChannelId::new(w.general);
    let message = CreateMessage::new()
        .content("Hello <@1>")
        .allowed_mentions(CreateAllowedMentions::new().empty_users().empty_roles());
    let sent = channel.send_message(&http, message).await.unwrap();
    assert_eq!(sent.author.id.get(), w.discord.bot_user_id());
    assert_eq!(sent.channel_id, channel);
    let edited =
        channel.edit_message(&http, sent.id, EditMessage::new().content("Hi")).await.unwrap();
    assert_eq!(edited.content, "Hi");
    assert!(edited.edited_timestamp.is_some());

    let stored = w.discord.messages_in(w.general);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content, "Hi");
    assert_eq!(stored[0].edits.len(), 1);
    assert!(w.discord.mention_risks().is_empty(), "{:?}", w.discord.mention_risks());

    let embed = CreateEmbed::new()
        .title("Team weather")
        .description("Mostly ready")
        .field("Ready", "3", true)
        .footer(CreateEmbedFooter::new("Only counts of 3 or more are shown"))
        .colour(0x0033_6699);
    let with_embed = channel.send_message(&http, CreateMessage::new().embed(embed)).await.unwrap();
    assert_eq!(with_embed.embeds[0].title.as_deref(), Some("Team weather"));
    channel.delete_message(&http, with_embed.id).await.unwrap();

    let with_file = CreateMessage::new()
        .content("See attached")
        .add_file(CreateAttachment::bytes(b"weather".to_vec(), "weather.txt"));
    channel.send_message(&http, with_file).await.expect("multipart is read for payload_json");
    assert_eq!(w.discord.messages_in(w.general)[2].content, "See attached");

    channel.delete_message(&http, sent.id).await.unwrap();
    assert!(w.discord.messages_in(w.general)[0].deleted);
    let (status, code) = discord_error(channel.delete_message(&http, sent.id).await);
    assert_eq!((status, code), (404, 10008));

    let pinging = CreateMessage::new()
        .content("@everyone")
        .allowed_mentions(CreateAllowedMentions::new().everyone(true));
    channel.send_message(&http, pinging).await.unwrap();
    assert_eq!(w.discord.mention_risks().len(), 1);
    assert!(w.discord.unknown_routes().is_empty());
}

#[tokio::test]
async fn channel_errors_match_discord() {
    let w = world().await;
    let http = http(&w.discord);
    let unknown = ChannelId::new(w.discord.fresh_id()).say(&http, "x").await;
    assert_eq!(discord_error(unknown), (404, 10003));
    w.discord.set_bot_may_post(w.general, false);
    assert_eq!(discord_error(ChannelId::new(w.general).say(&http, "x").await), (403, 50001));
    w.discord.set_bot_may_post(w.general, true);
    assert_eq!(discord_error(ChannelId::new(w.general).say(&http, "").await), (400, 50006));

    w.discord.inject_rate_limit(Some("POST"), "/messages", 1.5, 1);
    // Discord's 429 body has no `code`; serenity reports -1 for it.
    let limited = ChannelId::new(w.general).say(&http, "x").await;
    assert_eq!(discord_error(limited).0, 429);
    let last = w.discord.requests().pop().unwrap();
    assert_eq!(last.status, 429);
    ChannelId::new(w.general).say(&http, "x").await.expect("only one request was limited");

    let stranger = HttpBuilder::new("not-the-token")
        .proxy(w.discord.base_url())
        .ratelimiter_disabled(true)
        .build();
    assert_eq!(discord_error(stranger.get_current_user().await).0, 401);
}

#[tokio::test]
async fn dms_open_post_and_surface_closed_dms_as_50007() {
    let w = world().await;
    let http = http(&w.discord);
    let dm = UserId::new(w.bo).create_dm_channel(&http).await.unwrap();
    assert_eq!(dm.recipient.id.get(), w.bo);
    assert_eq!(dm.kind, ChannelType::Private);
    dm.say(&http, "Your check-in is ready").await.unwrap();
    assert_eq!(w.discord.dm_messages_to(w.bo)[0].content, "Your check-in is ready");
    let again = UserId::new(w.bo).create_dm_channel(&http).await.unwrap();
    assert_eq!(again.id, dm.id, "one DM channel per user");

    w.discord.set_dms_closed(w.ada, true);
    let closed = UserId::new(w.ada).create_dm_channel(&http).await.unwrap();
    assert_eq!(discord_error(closed.say(&http, "hi").await), (403, 50007));
    assert!(w.discord.dm_messages_to(w.ada).is_empty());
}

#[tokio::test]
async fn threads_are_created_from_channels_and_messages() {
    let w = world().await;
    let http = http(&w.discord);
    let channel = ChannelId::new(w.general);
    let thread = channel
        .create_thread(
            &http,
            CreateThread::new("Debrief")
                .kind(ChannelType::PrivateThread)
                .auto_archive_duration(AutoArchiveDuration::OneDay),
        )
        .await
        .unwrap();
    assert_eq!(thread.kind, ChannelType::PrivateThread);
    assert_eq!(thread.parent_id, Some(channel));
    thread.say(&http, "In the thread").await.unwrap();
    assert_eq!(w.discord.messages_in(thread.id.get()).len(), 1);

    let starter = channel.say(&http, "Start").await.unwrap();
    let from_message = channel
        .create_thread_from_message(&http, starter.id, CreateThread::new("Replies"))
        .await
        .unwrap();
    assert_eq!(from_message.id.get(), starter.id.get());
    assert_eq!(w.discord.threads().len(), 2);

    thread.id.add_thread_member(&http, UserId::new(w.bo)).await.unwrap();
    let bot = w.discord.bot_user_id();
    assert_eq!(w.discord.threads()[0].members, vec![bot, w.bo], "the creator is a member");
    thread.id.broadcast_typing(&http).await.unwrap();
    let closed = EditThread::new().archived(true).locked(true);
    let archived = thread.id.edit_thread(&http, closed).await.unwrap();
    assert!(archived.thread_metadata.is_some_and(|m| m.archived && m.locked));
    assert_eq!(discord_error(thread.say(&http, "late").await), (400, 50083));
    let fetched = http.get_channel(from_message.id).await.unwrap();
    assert!(fetched.guild().is_some());

    // As in API v10: a thread without a message is private unless asked to be public.
    let unsaid = channel.create_thread(&http, CreateThread::new("Quiet")).await.unwrap();
    assert_eq!(unsaid.kind, ChannelType::PrivateThread);
    // Having left a private thread, the bot can no longer post in it or add anyone.
    unsaid.id.leave_thread(&http).await.unwrap();
    assert!(w.discord.thread_members(unsaid.id.get()).is_empty());
    assert_eq!(discord_error(unsaid.say(&http, "hello?").await), (403, 50001));
    let adding = unsaid.id.add_thread_member(&http, UserId::new(w.bo)).await;
    assert_eq!(discord_error(adding), (403, 50001));
    let public = CreateThread::new("Open")
        .kind(ChannelType::PublicThread)
        .auto_archive_duration(AutoArchiveDuration::OneHour);
    let public = channel.create_thread(&http, public).await.unwrap();
    assert_eq!(public.kind, ChannelType::PublicThread);
    let threads = w.discord.threads_in(w.general);
    assert_eq!(threads.len(), 4);
    assert_eq!(threads[3].name, "Open");
    assert_eq!((threads[3].private, threads[3].auto_archive_duration), (false, 60));
    let too_long = CreateThread::new("x".repeat(101)).kind(ChannelType::PublicThread);
    assert_eq!(discord_error(channel.create_thread(&http, too_long).await), (400, 50035));
    let text = CreateThread::new("Wrong kind").kind(ChannelType::Text);
    assert_eq!(discord_error(channel.create_thread(&http, text).await), (400, 50035));
}

#[tokio::test]
async fn commands_are_bulk_overwritten_globally_and_per_guild() {
    let w = world().await;
    let http = http(&w.discord);
    let first = Command::set_global_commands(
        &http,
        vec![
            CreateCommand::new("checkin").description("Check in"),
            CreateCommand::new("weather").description("Team weather"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(first.len(), 2);
    let second = Command::set_global_commands(
        &http,
        vec![CreateCommand::new("checkin").description("Check in!")],
    )
    .await
    .unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, first[0].id, "same name keeps its id");
    assert_eq!(Command::get_global_commands(&http).await.unwrap().len(), 1);

    let guild = GuildId::new(w.guild);
    guild
        .set_commands(&http, vec![CreateCommand::new("setup").description("Set up")])
        .await
        .unwrap();
    assert_eq!(guild.get_commands(&http).await.unwrap()[0].name, "setup");
    let names: Vec<_> = w.discord.commands().into_iter().map(|c| (c.name, c.guild_id)).collect();
    assert_eq!(names, vec![("checkin".to_owned(), None), ("setup".to_owned(), Some(w.guild))]);
}

#[tokio::test]
async fn the_bot_reads_itself_members_roles_and_channels() {
    let w = world().await;
    let http = http(&w.discord);
    assert_eq!(http.get_current_user().await.unwrap().id.get(), w.discord.bot_user_id());
    let app = http.get_current_application_info().await.unwrap();
    assert_eq!(app.id.get(), w.discord.application_id());
    let member = http.get_member(GuildId::new(w.guild), UserId::new(w.ada)).await.unwrap();
    assert_eq!(member.user.name, "ada");
    assert_eq!(UserId::new(w.bo).to_user(&http).await.unwrap().name, "bo");
    let missing = http.get_member(GuildId::new(w.guild), UserId::new(w.discord.fresh_id())).await;
    assert_eq!(discord_error(missing), (404, 10007));
    let roles = http.get_guild_roles(GuildId::new(w.guild)).await.unwrap();
    assert_eq!(roles.len(), 1, "@everyone");
    let channel = http.get_channel(ChannelId::new(w.general)).await.unwrap();
    assert_eq!(channel.guild().unwrap().name, "general");
    let unknown = http.get_channel(ChannelId::new(w.discord.fresh_id())).await;
    assert_eq!(discord_error(unknown), (404, 10003));
    assert!(w.discord.unknown_routes().is_empty());
    let _ = http.get_guild_webhooks(GuildId::new(w.guild)).await;
    assert_eq!(w.discord.unknown_routes().len(), 1, "unserved routes are recorded");
}

#[tokio::test]
async fn the_guild_is_readable_and_commands_deletable() {
    let w = world().await;
    let http = http(&w.discord);
    let guild = http.get_guild(GuildId::new(w.guild)).await.unwrap();
    assert_eq!(guild.name, "Team");
    let commands =
        Command::set_global_commands(&http, vec![CreateCommand::new("a").description("A")])
            .await
            .unwrap();
    Command::delete_global_command(&http, commands[0].id).await.unwrap();
    assert!(w.discord.commands().is_empty());
    assert!(w.discord.unknown_routes().is_empty());
}

#[tokio::test]
async fn a_rate_limit_carries_discords_headers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let w = world().await;
    w.discord.inject_rate_limit(None, "users/@me", 1.5, 1);
    let address = w.discord.base_url().replace("http://", "");
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request = format!(
        "GET /api/v10/users/@me HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bot {}\r\n\
         Connection: close\r\n\r\n",
        w.discord.token()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 429"), "{response}");
    for header in ["retry-after: 2", "x-ratelimit-remaining: 0", "x-ratelimit-reset-after: 1.500"] {
        assert!(response.contains(header), "{header} missing from {response}");
    }
    assert!(response.contains(r#""retry_after":1.5"#) && response.contains(r#""global":false"#));
}
