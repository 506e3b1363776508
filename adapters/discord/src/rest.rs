//! Messages that are not interaction replies — to a channel, a thread or a person's DM — and
//! the threads (public, or private with their members) and DM channels they go to, through
//! serenity's HTTP client, with Discord's errors mapped to `DeliveryError`.
//!
//! Requests are built by serenity (`Request`, `Route`) and performed by its ratelimiter when
//! it has one, which waits out rate limits by itself. Without one (tests, where the API base is
//! a fake), they are performed directly. Either way hearth reads the raw response: serenity's
//! error type keeps neither the `Retry-After` header nor the body's `retry_after`.

use hearth_chat::DeliveryError;
use serde_json::Value;
use serenity::all::{
    AutoArchiveDuration, ChannelId, ChannelType, CreateAttachment, CreateMessage, CreateThread,
    Http, LightMethod, Multipart, MultipartUpload, Request, Route, UserId,
};
use std::sync::Arc;
use std::time::Duration;

/// Discord's JSON error codes hearth tells apart.
mod code {
    pub const UNKNOWN_CHANNEL: i64 = 10003;
    pub const UNKNOWN_USER: i64 = 10013;
    pub const MISSING_ACCESS: i64 = 50001;
    pub const CANNOT_DM: i64 = 50007;
}

/// How long to wait on a 429 that says nothing more.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct Rest {
    http: Arc<Http>,
    client: reqwest::Client,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest").field("proxy", &self.http.proxy).finish_non_exhaustive()
    }
}

impl Rest {
    pub fn new(http: Arc<Http>, client: reqwest::Client) -> Self {
        Self { http, client }
    }

    /// The DM channel with `user` (Discord returns the existing one if there is one).
    pub async fn dm_channel(&self, user: UserId) -> Result<ChannelId, DeliveryError> {
        let body = serde_json::json!({ "recipient_id": user.to_string() });
        let answer = self.post(Route::UserMeDmChannels, &body).await?;
        channel_id(&answer)
    }

    /// Opens a thread named `name` (at most 100 characters) in `channel`, archived after a day
    /// without messages, and answers its channel id. A private thread is seen only by the
    /// people added to it (and moderators). It is opened invitable: hearth adds the people
    /// first and only then closes it to invitations (`set_not_invitable`), since whether
    /// Discord lets a bot without Manage Threads add people to a non-invitable thread is not
    /// settled by its documentation.
    pub async fn create_thread(
        &self,
        channel: ChannelId,
        name: &str,
        private: bool,
    ) -> Result<ChannelId, DeliveryError> {
        let body = CreateThread::new(name)
            .auto_archive_duration(AutoArchiveDuration::OneDay)
            .kind(if private { ChannelType::PrivateThread } else { ChannelType::PublicThread });
        let answer = self.post(Route::ChannelThreads { channel_id: channel }, &body).await?;
        channel_id(&answer)
    }

    /// Adds `user` to `thread` (adding someone already in it changes nothing).
    pub async fn add_thread_member(
        &self,
        thread: ChannelId,
        user: UserId,
    ) -> Result<(), DeliveryError> {
        let route = Route::ChannelThreadMember { channel_id: thread, user_id: user };
        self.perform(Request::new(route, LightMethod::Put)).await.map(|_| ())
    }

    /// Takes `user` out of `thread` (a private thread's creator may, without Manage Threads).
    pub async fn remove_thread_member(
        &self,
        thread: ChannelId,
        user: UserId,
    ) -> Result<(), DeliveryError> {
        let route = Route::ChannelThreadMember { channel_id: thread, user_id: user };
        self.perform(Request::new(route, LightMethod::Delete)).await.map(|_| ())
    }

    /// Makes a private thread non-invitable: only moderators can add anyone to it now.
    pub async fn set_not_invitable(&self, thread: ChannelId) -> Result<(), DeliveryError> {
        let body = serde_json::to_vec(&serde_json::json!({ "invitable": false }))
            .map_err(|_| DeliveryError::Transient)?;
        let route = Route::Channel { channel_id: thread };
        self.perform(Request::new(route, LightMethod::Patch).body(Some(body))).await.map(|_| ())
    }

    /// Takes hearth out of `thread`: in a private thread it then sees nothing more.
    pub async fn leave_thread(&self, thread: ChannelId) -> Result<(), DeliveryError> {
        let route = Route::ChannelThreadMemberMe { channel_id: thread };
        self.perform(Request::new(route, LightMethod::Delete)).await.map(|_| ())
    }

    /// Posts one message in a channel, thread or DM channel, with a file if given: then the
    /// request is multipart, the message's JSON in `payload_json` and the file as `files[0]`.
    pub async fn send(
        &self,
        channel: ChannelId,
        message: CreateMessage,
        file: Option<CreateAttachment>,
    ) -> Result<(), DeliveryError> {
        let route = Route::ChannelMessages { channel_id: channel };
        let Some(file) = file else {
            return self.post(route, &message).await.map(|_| ());
        };
        // The message names the file (as attachment 0) and the upload carries its bytes.
        let message = message.add_file(file.clone());
        let payload_json = serde_json::to_string(&message).map_err(|_| DeliveryError::Transient)?;
        let multipart = Multipart {
            upload: MultipartUpload::Attachments(vec![file]),
            fields: Vec::new(),
            payload_json: Some(payload_json),
        };
        let request = Request::new(route, LightMethod::Post).multipart(Some(multipart));
        self.perform(request).await.map(|_| ())
    }

    async fn post(
        &self,
        route: Route<'_>,
        body: &impl serde::Serialize,
    ) -> Result<Value, DeliveryError> {
        let body = serde_json::to_vec(body).map_err(|_| DeliveryError::Transient)?;
        self.perform(Request::new(route, LightMethod::Post).body(Some(body))).await
    }

    async fn perform(&self, request: Request<'_>) -> Result<Value, DeliveryError> {
        let response = match &self.http.ratelimiter {
            Some(limiter) => limiter.perform(request).await.map_err(|error| {
                tracing::warn!(error = %error, "discord request failed");
                DeliveryError::Transient
            })?,
            None => {
                let built = request
                    .build(&self.client, self.http.token(), self.http.proxy.as_deref())
                    .map_err(|_| DeliveryError::Transient)?;
                built.send().await.map_err(|error| {
                    tracing::warn!(error = %error.without_url(), "discord request failed");
                    DeliveryError::Transient
                })?
            }
        };
        let status = response.status().as_u16();
        let retry_header = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok());
        let bytes = response.bytes().await.unwrap_or_default();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let code = body.get("code").and_then(Value::as_i64);
        let retry_after = body.get("retry_after").and_then(Value::as_f64).or(retry_header);
        let error = error_for(status, code, retry_after);
        tracing::info!(status, code, kind = error.kind(), "discord refused a request");
        Err(error)
    }
}

/// The id of the channel object Discord answered with.
fn channel_id(answer: &Value) -> Result<ChannelId, DeliveryError> {
    answer
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| id.parse::<u64>().ok())
        .filter(|id| *id != 0)
        .map(ChannelId::new)
        .ok_or(DeliveryError::Transient)
}

/// What a Discord error response means for a delivery.
pub fn error_for(status: u16, code: Option<i64>, retry_after: Option<f64>) -> DeliveryError {
    match (status, code) {
        (429, _) => DeliveryError::RateLimited {
            retry_after: retry_after
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs_f64),
        },
        (_, Some(code::CANNOT_DM)) => DeliveryError::DirectMessagesClosed,
        (_, Some(code::UNKNOWN_CHANNEL | code::UNKNOWN_USER)) | (404, _) => DeliveryError::Gone,
        (_, Some(code::MISSING_ACCESS)) | (401 | 403, _) => DeliveryError::Forbidden,
        (500..=599, _) => DeliveryError::Transient,
        // Any other refusal (a malformed message) will not pass by trying again.
        _ => DeliveryError::Forbidden,
    }
}

/// A Discord message nonce (at most 25 characters) from an idempotency key, so Discord drops a
/// second copy of the same message (with `enforce_nonce`). `part` tells a long message's pieces
/// apart.
pub fn nonce(idempotency_key: &str, part: usize) -> String {
    // FNV-1a: stable across releases and platforms, which `DefaultHasher` is not.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in idempotency_key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("h{hash:016x}.{part}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_errors_map_to_delivery_errors() {
        assert_eq!(error_for(403, Some(50007), None), DeliveryError::DirectMessagesClosed);
        assert_eq!(error_for(400, Some(50007), None), DeliveryError::DirectMessagesClosed);
        assert_eq!(error_for(403, Some(50001), None), DeliveryError::Forbidden);
        assert_eq!(error_for(403, Some(50013), None), DeliveryError::Forbidden);
        assert_eq!(error_for(404, Some(10003), None), DeliveryError::Gone);
        assert_eq!(error_for(404, Some(10013), None), DeliveryError::Gone);
        assert_eq!(error_for(404, None, None), DeliveryError::Gone);
        assert_eq!(error_for(502, None, None), DeliveryError::Transient);
        assert_eq!(error_for(400, Some(50035), None), DeliveryError::Forbidden);
        assert_eq!(
            error_for(429, None, Some(2.5)),
            DeliveryError::RateLimited { retry_after: Duration::from_millis(2500) }
        );
        assert_eq!(
            error_for(429, None, None),
            DeliveryError::RateLimited { retry_after: DEFAULT_RETRY_AFTER }
        );
    }

    #[test]
    fn nonces_are_short_stable_and_distinct() {
        let a = nonce("hearth-12-1764000000000", 0);
        assert!(a.len() <= 25, "{a}");
        assert_eq!(a, nonce("hearth-12-1764000000000", 0));
        assert_ne!(a, nonce("hearth-12-1764000000000", 1));
        assert_ne!(a, nonce("hearth-13-1764000000000", 0));
    }
}
