//! A community's topic requests for its next gathering (`topic`, `topic-anonymous`,
//! `topics`, `vote`) and its shared resources (`share`, `resources`). Members only.

use super::say;
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::Tx;
use crate::store::communities::{self, Community, members, topics};

/// At most this many topics wait for one gathering, and this many resources are kept.
const MAX_TOPICS: usize = 50;
const MAX_RESOURCES: usize = 100;

pub fn add(tx: &Tx, turn: &Turn, c: &Community, text: &str, anonymous: bool) -> Result<Reply> {
    let text = text.trim();
    let name = c.name.as_str();
    if text.is_empty() {
        return say(Line::new(k::COP_TOPIC_EMPTY).arg("name", name));
    }
    if topics::of(tx, c.id)?.len() >= MAX_TOPICS {
        return say(Line::new(k::COP_TOPICS_FULL).arg("name", name).arg("max", MAX_TOPICS));
    }
    let author = (!anonymous).then_some(turn.member.id);
    let id = topics::add(tx, c.id, author, text)?;
    let key = if anonymous { k::COP_TOPIC_ADDED_ANONYMOUS } else { k::COP_TOPIC_ADDED };
    say(Line::new(key).arg("name", name).arg("id", id))
}

pub fn list(tx: &Tx, c: &Community) -> Result<Reply> {
    let all = topics::of(tx, c.id)?;
    let name = c.name.as_str();
    if all.is_empty() {
        return say(Line::new(k::COP_TOPICS_NONE).arg("name", name));
    }
    let mut parts = vec![Part::Heading(Line::new(k::COP_TOPICS_HEADING).arg("name", name))];
    for topic in all {
        let line = Line::new(k::COP_TOPIC_LINE)
            .arg("id", topic.id)
            .arg("text", topic.text)
            .arg("votes", topic.votes)
            .arg("anonymous", if topic.author.is_some() { "no" } else { "yes" });
        parts.push(Part::Text(line));
        parts.extend(topic.author.map(Part::Person));
    }
    parts.push(Part::Text(k::COP_TOPICS_HOW.into()));
    Ok(Reply::say(vec![Say::actor(parts)]))
}

/// `/cop vote ID`: one vote per person, on a topic of a community the actor belongs to.
pub fn vote(tx: &Tx, turn: &Turn, id: Option<i64>) -> Result<Reply> {
    let Some(topic) = id.map(|id| topics::get(tx, id)).transpose()?.flatten() else {
        return say(Line::new(k::COP_TOPIC_UNKNOWN));
    };
    if !members::is_member(tx, topic.community_id, turn.member.id)? {
        return say(Line::new(k::COP_TOPIC_UNKNOWN));
    }
    let key = if topics::vote(tx, topic.id, turn.member.id)? {
        k::COP_VOTED
    } else {
        k::COP_VOTED_ALREADY
    };
    say(Line::new(key).arg("id", topic.id))
}

pub fn share(tx: &Tx, turn: &Turn, c: &Community, text: &str) -> Result<Reply> {
    let text = text.trim();
    let name = c.name.as_str();
    if text.is_empty() {
        return say(Line::new(k::COP_SHARE_EMPTY).arg("name", name));
    }
    if topics::resources(tx, c.id)?.len() >= MAX_RESOURCES {
        return say(Line::new(k::COP_RESOURCES_FULL).arg("name", name).arg("max", MAX_RESOURCES));
    }
    topics::share(tx, c.id, turn.member.id, text, turn.now)?;
    say(Line::new(k::COP_SHARED).arg("name", name))
}

pub fn resources(tx: &Tx, turn: &Turn, c: &Community) -> Result<Reply> {
    let all = communities::topics::resources(tx, c.id)?;
    let name = c.name.as_str();
    if all.is_empty() {
        return say(Line::new(k::COP_RESOURCES_NONE).arg("name", name));
    }
    let mut parts = vec![Part::Heading(Line::new(k::COP_RESOURCES_HEADING).arg("name", name))];
    for resource in all {
        let day = resource.shared_at.with_timezone(&turn.team.timezone).format("%Y-%m-%d");
        parts.push(Part::Text(
            Line::new(k::COP_RESOURCE_LINE).arg("text", resource.text).arg("date", day.to_string()),
        ));
        parts.push(Part::Person(resource.author));
    }
    Ok(Reply::say(vec![Say::actor(parts)]))
}
