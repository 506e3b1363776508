//! The flow engine: loads a person's session, checks the step token, advances the pure flow,
//! has its effects applied and saves the next state in the event's transaction, and renders
//! what the flow said into outbound messages. Effects are the features' business: the engine
//! hands each one to the table in `Core::features` and only orders what they say.

use crate::context::{Core, Reply, Turn};
use crate::error::{CoreError, Result};
use crate::flows::{
    Ctx, Effect, FieldKind, FieldValue, FlowState, Input, Line, PersonLookup, Say, Step,
};
use crate::prompts::keys as k;
use crate::store::{Tx, breaks, members, sessions};
use crate::token::Token;
use chrono::{DateTime, Utc};
use hearth_chat::{Controls, Form, Place};

/// Where a step's state is saved: a new session (its lifetime starts now) or the open one.
#[derive(Clone, Copy, Debug)]
enum Session {
    Start,
    Open(i64),
}

pub fn ctx(core: &Core, turn: &Turn) -> Ctx {
    Ctx {
        actor_name: turn.inbound.actor.display_name.clone(),
        ids_read_as_names: turn.inbound.team.platform.user_ids_read_as_names(),
        in_shared_place: !matches!(turn.inbound.place, Place::Direct),
        team_room: (matches!(turn.inbound.place, Place::Direct)
            && turn.inbound.team.platform.team_is_a_room())
        .then(|| turn.inbound.team.id.clone()),
        keep_history: turn.member.keep_history,
        weather_min_people: turn.team.weather_min_people,
        history_days: core.config.retention.history_days,
        has_supervisor: turn.team.supervisor.is_some(),
        has_coordinator: turn.team.coordinator.is_some(),
        collections: core.collections,
        seed: seed(turn),
        recent: Vec::new(),
        request_wait_minutes: turn.team.request_wait_minutes,
        nobody_reachable: false,
    }
}

/// A step's randomness (which exercise or puzzle): from who and when, so that the same moment
/// on a fixed clock gives the same choice and tests can read it back.
fn seed(turn: &Turn) -> u64 {
    let when = turn.now.timestamp_nanos_opt().unwrap_or_default().cast_unsigned();
    when ^ turn.member.id.cast_unsigned().wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Starts a flow for the member, replacing any conversation they had open.
pub fn start(core: &Core, tx: &Tx, turn: &Turn, step: Step<FlowState>) -> Result<Reply> {
    finish_step(core, tx, turn, step, Session::Start)
}

pub fn choice(core: &Core, tx: &Tx, turn: &Turn, token: &Token, option: String) -> Result<Reply> {
    let Some((state, session)) = open_session(tx, turn, Some(token))? else {
        return Ok(Reply::say(vec![Say::text(k::EXPIRED)]));
    };
    let mut ctx = ctx(core, turn);
    if state.picks_activities() {
        ctx.recent = breaks::recent(tx, turn.member.id, turn.now)?;
    }
    let mut step = advance(core, tx, turn, state, Input::Choice(option), &mut ctx)?;
    // Erasing the person comes before the rest of the step, which then has no session left
    // to save.
    if let Some(at) = step.effects.iter().position(|e| *e == Effect::EraseMe) {
        step.effects.remove(at);
        let mut erased = (core.features.apply)(core, tx, turn, Effect::EraseMe)?;
        let rest = finish_step(core, tx, turn, step, session)?;
        erased.says.extend(rest.says);
        erased.elsewhere.extend(rest.elsewhere);
        return Ok(erased);
    }
    finish_step(core, tx, turn, step, session)
}

pub fn form(
    core: &Core,
    tx: &Tx,
    turn: &Turn,
    token: &Token,
    fields: &[(String, String)],
) -> Result<Reply> {
    let Some((state, session)) = open_session(tx, turn, Some(token))? else {
        return Ok(Reply::say(vec![Say::text(k::EXPIRED)]));
    };
    let mut ctx = ctx(core, turn);
    let step = match read_form(core, tx, turn, &state, &ctx, fields)? {
        Ok(input) => advance(core, tx, turn, state, input, &mut ctx)?,
        Err(problem) => again(state, problem, &ctx),
    };
    finish_step(core, tx, turn, step, session)
}

/// An answer to a form whose earlier answers the adapter lost in a restart: say so, and ask
/// the step's question again from the start.
pub fn restarted(core: &Core, tx: &Tx, turn: &Turn, token: &Token) -> Result<Reply> {
    let Some((state, session)) = open_session(tx, turn, Some(token))? else {
        return Ok(Reply::say(vec![Say::text(k::EXPIRED)]));
    };
    let ctx = ctx(core, turn);
    finish_step(core, tx, turn, again(state, Line::new(k::RESTARTED_ASK_AGAIN), &ctx), session)
}

/// Advances the person's flow. A step that goes on into a debrief request (from a check-in or
/// a going-home debrief) is worked out again when nobody could be asked, so the person hears
/// that at once instead of after three questions. Flows are pure, so this costs nothing
/// stored, and the reachability query runs only at that step.
fn advance(
    core: &Core,
    tx: &Tx,
    turn: &Turn,
    state: FlowState,
    input: Input,
    ctx: &mut Ctx,
) -> Result<Step<FlowState>> {
    let asking = matches!(state, FlowState::Request(_));
    let step = state.clone().advance(input.clone(), ctx);
    if asking || !matches!(step.next, Some(FlowState::Request(_))) {
        return Ok(step);
    }
    if !(core.features.anyone_reachable)(tx, turn)? {
        ctx.nobody_reachable = true;
        return Ok(state.advance(input, ctx));
    }
    Ok(step)
}

/// Text that is not a command: inside a conversation, ask its question again; otherwise
/// explain that hearth answers commands. The text itself is dropped, never kept.
pub fn text(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    match open_session(tx, turn, None)? {
        Some((state, session)) => {
            let ctx = ctx(core, turn);
            finish_step(core, tx, turn, again(state, Line::new(k::NOT_AN_ANSWER), &ctx), session)
        }
        None => Ok(Reply::say(vec![Say::text(k::TEXT_WITHOUT_COMMAND)])),
    }
}

/// The member's open session, if it exists, has not expired, and (when a token is given)
/// the token names its current step. A session that has expired, or that this version cannot
/// read, is dropped.
fn open_session(
    tx: &Tx,
    turn: &Turn,
    token: Option<&Token>,
) -> Result<Option<(FlowState, Session)>> {
    match find_session(tx, turn, token)? {
        Found::Current(state, id) => Ok(Some((state, Session::Open(id)))),
        Found::Elsewhere => Ok(None),
        Found::Expired => {
            sessions::delete(tx, turn.member.id)?;
            Ok(None)
        }
        Found::Unreadable(error) => {
            // A state this version cannot read (from an older release): start afresh.
            tracing::warn!(member = turn.member.id, %error, "unreadable session dropped");
            sessions::delete(tx, turn.member.id)?;
            Ok(None)
        }
    }
}

/// What the member's session row says, read without changing anything.
enum Found {
    /// Open, and at the step the token (if any) names.
    Current(FlowState, i64),
    /// No session, or one at another step than the token's.
    Elsewhere,
    Expired,
    Unreadable(serde_json::Error),
}

fn find_session(tx: &Tx, turn: &Turn, token: Option<&Token>) -> Result<Found> {
    let Some(row) = sessions::load(tx, turn.member.id)? else { return Ok(Found::Elsewhere) };
    if row.expires_at <= turn.now {
        return Ok(Found::Expired);
    }
    if let Some(token) = token
        && *token != (Token::Step { session: row.id, nonce: row.nonce })
    {
        return Ok(Found::Elsewhere);
    }
    Ok(match serde_json::from_str(&row.state) {
        Ok(state) => Found::Current(state, row.id),
        Err(error) => Found::Unreadable(error),
    })
}

/// The form the member's current step offers under `token`, described again exactly as it was
/// offered: the step's question (`FlowState::prompt`, which flows also say on entering a step,
/// and `again` says again) put into words by `render_for`, under the same token. `None` when
/// the token is not the current step's or the step asks no form. Reads only: the session, its
/// nonce and its lifetime are left as they are.
pub fn offered_form(core: &Core, tx: &Tx, turn: &Turn, token: &str) -> Result<Option<Form>> {
    let Some(parsed) = Token::parse(token) else { return Ok(None) };
    let Found::Current(state, _) = find_session(tx, turn, Some(&parsed))? else {
        return Ok(None);
    };
    let asked = state.prompt(&ctx(core, turn));
    let rendered = render_for(core, &turn.team, asked, Some(token));
    Ok(rendered.into_iter().find_map(|outbound| match outbound.message.controls {
        Some(Controls::Form(form)) => Some(form),
        _ => None,
    }))
}

/// Checks submitted fields against the form the step is waiting for and looks up people.
fn read_form(
    core: &Core,
    tx: &Tx,
    turn: &Turn,
    state: &FlowState,
    ctx: &Ctx,
    submitted: &[(String, String)],
) -> Result<std::result::Result<Input, Line>> {
    let Some(expected) = state.pending_form(ctx) else {
        return Ok(Err(Line::new(k::NOT_AN_ANSWER)));
    };
    let mut values = Vec::with_capacity(expected.len());
    for field in expected {
        let given = submitted
            .iter()
            .find(|(id, _)| id == field.id)
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        if given.chars().count() > field.max_chars {
            let max = i64::try_from(field.max_chars).unwrap_or(i64::MAX);
            return Ok(Err(Line::new(k::FIELD_TOO_LONG).arg("max", max)));
        }
        if field.required && given.is_empty() {
            return Ok(Err(Line::new(k::FIELD_REQUIRED)));
        }
        let value = match field.kind {
            FieldKind::Text => FieldValue::Text(given.to_owned()),
            FieldKind::Person => FieldValue::Person(find_person(tx, turn, given)?),
            FieldKind::Answer => FieldValue::Answer(state.puzzle().is_some_and(|puzzle| {
                crate::puzzles::accepts(
                    &core.prompts.puzzle_answers(&turn.team.locale, puzzle),
                    given,
                )
            })),
        };
        values.push((field.id.to_owned(), value));
    }
    Ok(Ok(Input::Form(values)))
}

/// A teammate named by their platform user id (`@ana:example.org` on Matrix, where the
/// adapter has already turned mentions and display names into ids), or a console name typed
/// with or without `@`.
pub fn find_person(tx: &Tx, turn: &Turn, given: &str) -> Result<PersonLookup> {
    let given = given.trim();
    let name = given.trim_start_matches('@').trim();
    if name.is_empty() {
        return Ok(PersonLookup::Empty);
    }
    let found = match members::find(tx, turn.team.id, given)? {
        Some(member) => Some(member),
        None => members::find(tx, turn.team.id, name)?,
    };
    Ok(match found {
        Some(m) if m.id == turn.member.id => PersonLookup::Yourself,
        Some(m) => PersonLookup::Found { user_id: m.platform_user_id },
        None => PersonLookup::NotFound { given: name.chars().take(60).collect() },
    })
}

/// Stay on the same step: say why, then ask its question again. Nothing is lost.
fn again(state: FlowState, why: Line, ctx: &Ctx) -> Step<FlowState> {
    let mut say = vec![Say::line(why)];
    say.extend(state.prompt(ctx));
    Step::to(state, say)
}

fn finish_step(
    core: &Core,
    tx: &Tx,
    turn: &Turn,
    mut step: Step<FlowState>,
    session: Session,
) -> Result<Reply> {
    // What effects say comes first: the step's own words usually end with its next question.
    let mut said = Vec::new();
    // Effects may add or move schedules (a break's end, a request's timeout): the scheduler
    // is told to look again rather than find out at its next wake-up.
    let schedules_changed = !step.effects.is_empty();
    // An invitation is an afterthought: it follows the step's own words.
    let mut after = Vec::new();
    // Messages an effect already put into words for other teams go out as they are.
    let mut elsewhere = Vec::new();
    for effect in std::mem::take(&mut step.effects) {
        let afterthought = effect == Effect::InviteAvailable;
        let applied = (core.features.apply)(core, tx, turn, effect)?;
        if afterthought { &mut after } else { &mut said }.extend(applied.says);
        elsewhere.extend(applied.elsewhere);
    }
    said.append(&mut step.say);
    said.append(&mut after);
    step.say = said;
    let token = match &step.next {
        Some(state) => {
            let nonce = Token::nonce();
            let json = serde_json::to_string(state)
                .map_err(|source| CoreError::Json { what: "a conversation's state", source })?;
            let id = match session {
                Session::Start => {
                    let expires_at = turn.now + crate::inventory::SESSION_LIFETIME;
                    sessions::save(tx, turn.member.id, &json, &nonce, expires_at)?
                }
                Session::Open(id) => {
                    sessions::update(tx, id, &json, &nonce)?;
                    id
                }
            };
            Some(Token::Step { session: id, nonce }.to_string())
        }
        None => {
            sessions::delete(tx, turn.member.id)?;
            None
        }
    };
    Ok(Reply { says: step.say, token, schedules_changed, elsewhere, ..Reply::default() })
}

/// Starts a conversation for another member of the team (the requester, when a teammate
/// accepts their request) and returns the token for its question. Any conversation they had
/// open is left alone: then nothing is started and `None` is returned.
pub fn start_for(
    tx: &Tx,
    member_id: i64,
    state: &FlowState,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    if sessions::load(tx, member_id)?.is_some_and(|open| open.expires_at > now) {
        return Ok(None);
    }
    let nonce = Token::nonce();
    let json = serde_json::to_string(state)
        .map_err(|source| CoreError::Json { what: "a conversation's state", source })?;
    let id =
        sessions::save(tx, member_id, &json, &nonce, now + crate::inventory::SESSION_LIFETIME)?;
    Ok(Some(Token::Step { session: id, nonce }.to_string()))
}

mod render;
pub use render::{apology, outside_a_team, render, render_for};
