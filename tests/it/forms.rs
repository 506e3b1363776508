//! A form described again: an adapter that must show a form it did not render (another
//! process rendered it, or this one restarted since) asks the core, which describes the
//! person's current step's form exactly as it was offered, and changes nothing in doing so.

use crate::harness::{Db, TEAM, TestBot, text, token};
use hearth_chat::{Actor, Controls, Event, Form, Handler, Outbound, Platform, TeamRef};

fn console(id: &str) -> TeamRef {
    TeamRef { platform: Platform::Console, id: id.into() }
}

fn actor(user: &str) -> Actor {
    Actor { user_id: user.into(), display_name: user.into(), is_team_admin: false }
}

fn offered(replies: &[Outbound]) -> Form {
    let form = replies.iter().find_map(|o| match &o.message.controls {
        Some(Controls::Form(form)) => Some(form.clone()),
        _ => None,
    });
    form.unwrap_or_else(|| panic!("a form was offered: {}", text(replies)))
}

/// Everything the calls below could have written: every session (with its nonce and
/// lifetime), and how many teams and people hearth knows.
async fn stored(t: &TestBot) -> Vec<Vec<crate::harness::Cell>> {
    let db = Db::of(&t.bot);
    let mut rows = db
        .rows("SELECT id, member_id, state, nonce, expires_at FROM flow_sessions ORDER BY id")
        .await;
    rows.extend(db.rows("SELECT count(*) FROM teams").await);
    rows.extend(db.rows("SELECT count(*) FROM members").await);
    rows
}

#[tokio::test]
async fn a_steps_form_is_described_again_as_offered_and_nothing_changes() {
    let t = TestBot::new().await;
    let team = console(TEAM);
    let asked = t.command("ana", false, "checkin").await;
    let colours = token(&asked);
    let offer = t
        .event("ana", false, Event::Choice { token: colours.clone(), option: "green".into() })
        .await;
    assert_eq!(t.bot.form(team.clone(), actor("ana"), colours).await, None, "answered: stale");
    let share = token(&offer);
    assert_eq!(t.bot.form(team.clone(), actor("ana"), share.clone()).await, None, "no form asked");
    let form = offered(
        &t.event("ana", false, Event::Choice { token: share, option: "share".into() }).await,
    );
    // bo has a conversation of their own, with a form that names a person.
    let bo_asked = t.command("bo", false, "checkin").await;
    let bo_offer =
        t.event("bo", false, Event::Choice { token: token(&bo_asked), option: "red".into() }).await;
    let bo_form = offered(
        &t.event("bo", false, Event::Choice { token: token(&bo_offer), option: "alert".into() })
            .await,
    );
    assert!(bo_form.fields.iter().any(|f| f.names_person) && bo_form.skip.is_some());

    let before = stored(&t).await;
    let again = t.bot.form(team.clone(), actor("ana"), form.token.clone()).await;
    assert_eq!(again.as_ref(), Some(&form), "the same token, title and fields");
    assert_eq!(t.bot.form(team.clone(), actor("bo"), bo_form.token.clone()).await, Some(bo_form));
    // Another person's step, a person or a team hearth does not know, or no token of hearth's.
    assert_eq!(t.bot.form(team.clone(), actor("bo"), form.token.clone()).await, None);
    assert_eq!(t.bot.form(team.clone(), actor("cy"), form.token.clone()).await, None);
    assert_eq!(t.bot.form(console("elsewhere"), actor("ana"), form.token.clone()).await, None);
    let discord = TeamRef { platform: Platform::Discord, id: TEAM.into() };
    assert_eq!(t.bot.form(discord, actor("ana"), form.token.clone()).await, None);
    assert_eq!(t.bot.form(team.clone(), actor("ana"), "not a token".into()).await, None);
    assert_eq!(stored(&t).await, before, "nothing was written, nobody was created");

    // The form described again is answered as the one first offered: its token still holds.
    let shared =
        t.event("ana", false, Event::Form { token: form.token.clone(), fields: Vec::new() }).await;
    assert!(text(&shared).contains("team weather"), "{}", text(&shared));
    assert_eq!(t.bot.form(team, actor("ana"), form.token).await, None, "answered: stale");
}
