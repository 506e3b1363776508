//! Discord's gateway intent and permission bits that the fake uses.

/// Gateway intent bits the fake honours (Discord's values).
pub mod intents {
    /// `GUILDS`: GUILD_CREATE and GUILD_DELETE.
    pub const GUILDS: u64 = 1;
    /// `GUILD_MEMBERS` (privileged): GUILD_MEMBER_ADD and _REMOVE.
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    /// `GUILD_MESSAGES`: MESSAGE_CREATE in guilds.
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    /// `DIRECT_MESSAGES`: MESSAGE_CREATE in DMs.
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    /// `MESSAGE_CONTENT` (privileged): content of guild messages that do not mention the bot.
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

/// Permission bits the fake uses (Discord's values).
pub mod perms {
    /// `ADMINISTRATOR`: every permission, overwrites ignored.
    pub const ADMINISTRATOR: u64 = 1 << 3;
    /// `MANAGE_GUILD`.
    pub const MANAGE_GUILD: u64 = 1 << 5;
    /// `VIEW_CHANNEL`.
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// `SEND_MESSAGES`.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// `EMBED_LINKS`.
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// `READ_MESSAGE_HISTORY`.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// `USE_APPLICATION_COMMANDS`.
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// `CREATE_PUBLIC_THREADS`.
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    /// `CREATE_PRIVATE_THREADS`.
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    /// `MANAGE_THREADS`: a thread moderator (adds anyone to any thread, sees private ones).
    pub const MANAGE_THREADS: u64 = 1 << 34;
    /// `SEND_MESSAGES_IN_THREADS`.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// What `@everyone` has in a guild the fake creates.
    pub const EVERYONE: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | READ_MESSAGE_HISTORY
        | USE_APPLICATION_COMMANDS;
    /// Every permission bit the fake knows of (what an administrator or owner has).
    pub const ALL: u64 = (1 << 47) - 1;
    /// What the bot has in a channel it may post in.
    pub const BOT: u64 =
        EVERYONE | CREATE_PUBLIC_THREADS | CREATE_PRIVATE_THREADS | SEND_MESSAGES_IN_THREADS;
}
