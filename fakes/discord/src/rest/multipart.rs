//! Request bodies: JSON, or `multipart/form-data` the way Discord takes files — the message's
//! JSON in a `payload_json` part and each file in a `files[n]` part, where `n` matches an entry
//! `{"id": n, "filename": …}` of the payload's `attachments` (which may rename the file).
//! Parsed as bytes, so files arrive intact whatever they hold.

use axum::http::{HeaderMap, header};
use serde_json::Value;

use crate::api::Attachment;

/// A file part of a request, before it becomes an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Upload {
    /// `n` of `files[n]`.
    pub(crate) index: u64,
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
}

/// A request's JSON and files. A multipart body Discord would refuse (no parseable
/// `payload_json`, a part that is neither it nor `files[n]`) is `Err`.
pub(crate) fn decode(headers: &HeaderMap, bytes: &[u8]) -> Result<(Value, Vec<Upload>), ()> {
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
        .map(|b| b.split(';').next().unwrap_or(b).trim().trim_matches('"'));
    let Some(boundary) = boundary else {
        return Ok((serde_json::from_slice(bytes).unwrap_or(Value::Null), Vec::new()));
    };
    let mut payload = None;
    let mut uploads = Vec::new();
    for part in parts(boundary, bytes).ok_or(())? {
        if part.name == "payload_json" {
            payload = Some(serde_json::from_slice::<Value>(&part.body).map_err(|_| ())?);
            continue;
        }
        let index = part
            .name
            .strip_prefix("files[")
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|n| n.parse().ok())
            .ok_or(())?;
        uploads.push(Upload {
            index,
            filename: part.filename.unwrap_or_default(),
            content_type: part.content_type.unwrap_or_else(|| "application/octet-stream".into()),
            bytes: part.body,
        });
    }
    Ok((payload.ok_or(())?, uploads))
}

/// The uploads as attachments with fresh ids (`next_id`), named by the payload's `attachments`
/// entry with the same `id` where it gives a filename.
pub(crate) fn attachments(
    body: &Value,
    uploads: &[Upload],
    mut next_id: impl FnMut() -> u64,
) -> Vec<Attachment> {
    let listed = body.get("attachments").and_then(Value::as_array);
    uploads
        .iter()
        .map(|upload| {
            let renamed = listed
                .into_iter()
                .flatten()
                .find(|a| super::json_id(a.get("id")) == Some(upload.index))
                .and_then(|a| a.get("filename").and_then(Value::as_str));
            Attachment {
                id: next_id(),
                filename: renamed.unwrap_or(&upload.filename).to_owned(),
                content_type: upload.content_type.clone(),
                bytes: upload.bytes.clone(),
            }
        })
        .collect()
}

#[derive(Debug)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The parts of a multipart body (RFC 7578), or `None` if it is malformed.
fn parts(boundary: &str, bytes: &[u8]) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
    let mut at = find(bytes, &delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if bytes[at..].starts_with(b"--") {
            return Some(parts);
        }
        at += 2 * usize::from(bytes[at..].starts_with(b"\r\n"));
        // A delimiter ends a part only when followed by CRLF or by `--` (the last one).
        let mut end = find(bytes, &next_delimiter, at)?;
        while !matches!(
            bytes.get(end + next_delimiter.len()..end + next_delimiter.len() + 2),
            Some(b"\r\n" | b"--")
        ) {
            end = find(bytes, &next_delimiter, end + 1)?;
        }
        let part = &bytes[at..end];
        let head_end = find(part, b"\r\n\r\n", 0)?;
        let head = std::str::from_utf8(&part[..head_end]).ok()?;
        let mut found = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            body: part[head_end + 4..].to_vec(),
        };
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':')?;
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').map(str::trim) {
                        if let Some(name) = param.strip_prefix("name=") {
                            found.name = name.trim_matches('"').to_owned();
                        } else if let Some(name) = param.strip_prefix("filename=") {
                            found.filename = Some(name.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => found.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(found);
        at = end + next_delimiter.len();
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn payload_and_binary_files_are_read_intact() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=XyZ"),
        );
        let file: Vec<u8> = (0..=255).chain(b"\r\n--XyZ-not-quite".iter().copied()).collect();
        let mut body = Vec::new();
        body.extend_from_slice(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a.bin\"\r\n\
              Content-Type: application/octet-stream\r\n\r\n",
        );
        body.extend_from_slice(&file);
        body.extend_from_slice(
            b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\r\n\
              {\"content\":\"hi\",\"attachments\":[{\"id\":0,\"filename\":\"b.bin\"}]}\r\n--XyZ--\r\n",
        );
        let (json, uploads) = decode(&headers, &body).unwrap();
        assert_eq!(json["content"], "hi");
        assert_eq!(uploads.len(), 1);
        assert_eq!(uploads[0].bytes, file);
        assert_eq!(uploads[0].filename, "a.bin");
        let mut ids = 10..;
        let attached = attachments(&json, &uploads, || ids.next().unwrap_or_default());
        assert_eq!(attached[0].filename, "b.bin", "the payload names the file");
        assert_eq!(attached[0].id, 10);
    }
}
