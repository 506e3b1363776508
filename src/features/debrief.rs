//! `/debrief` (a personal going-home debrief), `/debrief request [PERSON]`, `/debrief cancel`,
//! the accept buttons a request puts in teammates' private messages, and what happens when a
//! request's wait is over. A request lives in the store only while open; when it closes, a
//! count is all that remains.

use super::shift::reachable;
use crate::context::{Core, Reply, Turn};
use crate::engine;
use crate::error::Result;
use crate::flows::request::Opening;
use crate::flows::{
    Ask, Audience, FlowState, Line, Opt, Part, PersonLookup, Say, debrief, request,
};
use crate::prompts::keys as k;
use crate::schedule::{Payload, REQUEST_TIMEOUT, When};
use crate::store::requests::{self, NewRequest, Outcome, Request};
use crate::store::schedules::{self, NewSchedule};
use crate::store::{Team, Tx};
use crate::token::Token;
use chrono::{DateTime, Duration, Utc};

const ACCEPT: &str = "accept";
const DECLINE: &str = "decline";
const CANCEL: &str = "cancel";

pub fn start(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    engine::start(core, tx, turn, debrief::start().map(FlowState::Debrief))
}

/// `/debrief request [PERSON]`: checks what can be checked now, then asks the questions.
pub fn request(core: &Core, tx: &Tx, turn: &Turn, person: Option<&str>) -> Result<Reply> {
    if requests::of_requester(tx, turn.member.id)?.is_some() {
        return Ok(Reply::say(vec![Say::text(k::REQUEST_ALREADY_OPEN)]));
    }
    let free = reachable(tx, &turn.team, turn.member.id, turn.now)?;
    let target = match engine::find_person(tx, turn, person.unwrap_or_default())? {
        // Nobody can be asked: say so now, not after the questions.
        PersonLookup::Empty if free.is_empty() => return Ok(Reply::say(request::nobody())),
        PersonLookup::Empty => None,
        PersonLookup::Yourself => return Ok(Reply::say(vec![Say::text(k::REQUEST_YOURSELF)])),
        PersonLookup::NotFound { given } => {
            let line = Line::new(k::REQUEST_NOT_FOUND).arg("name", given);
            return Ok(Reply::say(vec![Say::line(line)]));
        }
        PersonLookup::Found { user_id } => {
            if !free.iter().any(|t| t.platform_user_id == user_id) {
                return Ok(Reply::say(vec![Say::text(k::REQUEST_TARGET_AWAY)]));
            }
            Some(user_id)
        }
    };
    let ctx = engine::ctx(core, turn);
    engine::start(core, tx, turn, request::start(target, &ctx).map(FlowState::Request))
}

/// `/debrief cancel`, or the requester's cancel button.
pub fn cancel(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let Some(open) = requests::of_requester(tx, turn.member.id)? else {
        return Ok(Reply::say(vec![Say::text(k::REQUEST_NONE_OPEN)]));
    };
    close(tx, &turn.team, &open, Outcome::Cancelled, turn.now)?;
    let mut reply = Reply::say(vec![Say::text(k::REQUEST_CANCELLED)]);
    reply.schedules_changed = true;
    Ok(reply)
}

fn close(
    tx: &Tx,
    team: &Team,
    open: &Request,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<bool> {
    let day = now.with_timezone(&team.timezone).date_naive();
    schedules::delete_of_member(tx, open.requester_id, REQUEST_TIMEOUT)?;
    Ok(requests::close(tx, open, day, outcome)?)
}

fn token(request: &Request) -> String {
    Token::Request { request: request.id, nonce: request.nonce.clone() }.to_string()
}

/// The request a button names, if it is still open in this team.
fn named(tx: &Tx, turn: &Turn, id: i64, nonce: &str) -> Result<Option<Request>> {
    Ok(requests::get(tx, id)?.filter(|r| r.nonce == nonce && r.team_id == turn.team.id))
}

/// Opens a request (the request flow's effect) and tells the teammates it reaches.
pub fn open(tx: &Tx, turn: &Turn, opening: Opening) -> Result<Vec<Say>> {
    let free = reachable(tx, &turn.team, turn.member.id, turn.now)?;
    let asked: Vec<_> = match &opening.target {
        Some(user_id) => free.into_iter().filter(|t| t.platform_user_id == *user_id).collect(),
        None => free,
    };
    if asked.is_empty() {
        // Nobody can be asked now: say so at once rather than after a wait.
        let mut say = vec![Say::actor(vec![
            Part::Text(k::REQUEST_NOBODY.into()),
            Part::Heading(k::RESOURCES_HEADING.into()),
            Part::TeamResources,
        ])];
        if opening.tell_supervisor {
            say.extend(tell_supervisor(&turn.team, &turn.member.platform_user_id));
        }
        return Ok(say);
    }
    let new = NewRequest {
        team_id: turn.team.id,
        requester_id: turn.member.id,
        target_id: match &opening.target {
            Some(_) => asked.first().map(|t| t.id),
            None => None,
        },
        show_name: opening.show_name,
        tell_supervisor: opening.tell_supervisor,
    };
    let Some(request) = requests::open(tx, &new, turn.now)? else {
        return Ok(vec![Say::text(k::REQUEST_ALREADY_OPEN)]);
    };
    let wait = turn.team.request_wait_minutes;
    schedules::insert(
        tx,
        &NewSchedule {
            team_id: Some(turn.team.id),
            member_id: Some(turn.member.id),
            payload: Payload::RequestTimeout { request_id: request.id },
            when: When::Once(turn.now + Duration::minutes(wait.into())),
            timezone: turn.team.timezone,
        },
        turn.now,
    )?;
    let from = if opening.show_name {
        Line::new(k::REQUEST_PING_NAMED).arg("name", turn.inbound.actor.display_name.as_str())
    } else {
        Line::new(k::REQUEST_PING_UNNAMED)
    };
    let note = opening.note.trim();
    let mut parts = vec![Part::Text(from)];
    if !note.is_empty() {
        parts.push(Part::Text(Line::new(k::REQUEST_PING_NOTE).arg("note", note)));
    }
    let who = if opening.target.is_some() { "one" } else { "team" };
    parts.push(Part::Text(Line::new(k::REQUEST_PING_PRIVATE).arg("who", who)));
    let options = vec![
        Opt { id: ACCEPT, label: k::OPTION_ACCEPT },
        Opt { id: DECLINE, label: k::OPTION_DECLINE },
    ];
    let mut say: Vec<Say> = asked
        .iter()
        .map(|t| Say {
            token: Some(token(&request)),
            ..Say::person(t.platform_user_id.clone(), parts.clone())
                .with_ask(Ask::Choose(options.clone()))
        })
        .collect();
    let sent = Line::new(k::REQUEST_SENT)
        .arg("count", i64::try_from(asked.len()).unwrap_or(i64::MAX))
        .arg("minutes", wait)
        .arg("named", if opening.show_name { "yes" } else { "no" });
    say.push(Say {
        token: Some(token(&request)),
        ..Say::line(sent)
            .with_ask(Ask::Choose(vec![Opt { id: CANCEL, label: k::OPTION_CANCEL_REQUEST }]))
    });
    Ok(say)
}

/// A press of a request's button: a teammate accepting or declining, or the requester
/// cancelling.
pub fn choice(tx: &Tx, turn: &Turn, request: i64, nonce: &str, option: &str) -> Result<Reply> {
    let Some(open) = named(tx, turn, request, nonce)? else {
        return Ok(Reply::say(vec![Say::text(k::REQUEST_GONE)]));
    };
    if open.requester_id == turn.member.id {
        return match option {
            CANCEL => cancel(tx, turn),
            _ => Ok(Reply::say(vec![Say::text(k::NOT_AN_ANSWER)])),
        };
    }
    if open.target_id.is_some_and(|target| target != turn.member.id) {
        return Ok(Reply::say(vec![Say::text(k::REQUEST_GONE)]));
    }
    match option {
        ACCEPT => accept(tx, turn, &open),
        DECLINE => Ok(Reply::say(vec![Say::text(k::REQUEST_DECLINED)])),
        _ => Ok(Reply::say(vec![Say::text(k::NOT_AN_ANSWER)])),
    }
}

/// The first to accept is connected with the requester: each gets the other's name, in
/// private. The request closes; others who press later hear it was taken.
fn accept(tx: &Tx, turn: &Turn, open: &Request) -> Result<Reply> {
    if !close(tx, &turn.team, open, Outcome::Accepted, turn.now)? {
        return Ok(Reply::say(vec![Say::text(k::REQUEST_GONE)]));
    }
    let accepter = turn.inbound.actor.display_name.as_str();
    let channel = turn.team.debrief_channel.clone();
    let room = turn.team.platform.opens_private_places(channel.is_some());
    // Each always gets the other's name privately; where the platform allows, a private
    // place for the two of them is opened too (and the hint says so). A Discord private
    // thread is not only theirs: anyone with Manage Threads can read it, and they are told.
    let place = match turn.team.platform {
        _ if !room => "no",
        hearth_chat::Platform::Discord => "thread",
        _ => "yes",
    };
    let hint = Line::new(k::REQUEST_ACCEPTED_HINT).arg("room", place);
    let to_accepter = Say::actor(vec![
        Part::Text(k::REQUEST_ACCEPTED_YOU.into()),
        Part::Person(open.requester_user_id.clone()),
        Part::Text(hint.clone()),
    ]);
    let to_requester = Say::person(
        open.requester_user_id.clone(),
        vec![
            Part::Text(Line::new(k::REQUEST_ACCEPTED_THEM).arg("name", accepter)),
            Part::Person(turn.member.platform_user_id.clone()),
            Part::Text(hint),
        ],
    );
    let mut says = vec![to_accepter, to_requester];
    if room {
        let people = vec![open.requester_user_id.clone(), turn.member.platform_user_id.clone()];
        says.push(Say {
            audience: Audience::Together {
                people,
                title: Line::new(k::TOGETHER_TITLE).arg("place", place),
                channel,
            },
            ..Say::actor(vec![
                Part::Text(Line::new(k::TOGETHER_WELCOME).arg("place", place)),
                Part::Text(k::REQUEST_ACCEPTED_GUIDE.into()),
            ])
        });
    }
    // Offer the requester a later check, unless they are in the middle of something.
    let later = debrief::later().map(FlowState::Debrief);
    if let Some(state) = &later.next
        && let Some(token) = engine::start_for(tx, open.requester_id, state, turn.now)?
    {
        for say in later.say {
            says.push(Say {
                audience: Audience::Person { user_id: open.requester_user_id.clone() },
                token: Some(token.clone()),
                ..say
            });
        }
    }
    let mut reply = Reply::say(says);
    reply.schedules_changed = true;
    Ok(reply)
}

/// A request's wait is over (the scheduler, in its transaction). If it is still open nobody
/// accepted: it closes, the requester hears so kindly with the team's resources, and a
/// supervisor is told only if the requester agreed.
pub fn expire(tx: &Tx, team: &Team, request_id: i64, now: DateTime<Utc>) -> Result<Vec<Say>> {
    let Some(open) = requests::get(tx, request_id)? else { return Ok(Vec::new()) };
    if !close(tx, team, &open, Outcome::Unanswered, now)? {
        return Ok(Vec::new());
    }
    let mut says = vec![Say::person(
        open.requester_user_id.clone(),
        vec![
            Part::Text(k::REQUEST_UNANSWERED.into()),
            Part::Heading(k::RESOURCES_HEADING.into()),
            Part::TeamResources,
        ],
    )];
    if open.tell_supervisor {
        for mut say in tell_supervisor(team, &open.requester_user_id) {
            if say.audience == crate::flows::Audience::Actor {
                say.audience =
                    crate::flows::Audience::Person { user_id: open.requester_user_id.clone() };
            }
            says.push(say);
        }
    }
    Ok(says)
}

/// The supervisor hears that a teammate asked and nobody could, with who it was (they agreed
/// to this); the requester hears that the supervisor was told, or that no supervisor is named.
fn tell_supervisor(team: &Team, requester: &str) -> Vec<Say> {
    match &team.supervisor {
        Some(supervisor) if supervisor != requester => vec![
            Say::person(
                supervisor.clone(),
                vec![Part::Text(k::REQUEST_SUPERVISOR_NOTE.into()), Part::Person(requester.into())],
            ),
            Say::text(k::REQUEST_SUPERVISOR_TOLD),
        ],
        _ => vec![Say::text(k::REQUEST_NO_SUPERVISOR)],
    }
}

/// "Check on me in N days": one private nudge then.
pub fn check_on_me(tx: &Tx, turn: &Turn, days: u32) -> Result<Vec<Say>> {
    schedules::delete_of_member(tx, turn.member.id, crate::schedule::CHECK_ON_ME)?;
    schedules::insert(
        tx,
        &NewSchedule {
            team_id: Some(turn.team.id),
            member_id: Some(turn.member.id),
            payload: Payload::CheckOnMe,
            when: When::Once(turn.now + Duration::days(days.into())),
            timezone: turn.team.timezone,
        },
        turn.now,
    )?;
    Ok(vec![Say::line(Line::new(k::CHECK_ON_ME_SET).arg("days", days))])
}
