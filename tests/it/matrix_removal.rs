//! hearth removed from Matrix team rooms, on a real Synapse: kicked by a room admin, left alone
//! when the last teammate left, and kicked while hearth was not running. Each time the core
//! forgets that team; a teammate leaving, a restart of hearth (a gap in what it heard) and the
//! other teams lose nothing.

use crate::matrix::restartable::Restartable;
use crate::matrix::{Person, first_help, synapse};
use matrix_sdk::ruma::OwnedRoomId;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use std::time::{Duration, Instant};

impl Restartable {
    /// Rows of the team of `room` in `table` (`teams`: the team itself).
    async fn rows(&self, table: &'static str, room: &OwnedRoomId) -> i64 {
        let sql = if table == "teams" {
            format!(
                "SELECT count(*) FROM teams WHERE platform = 'matrix' AND platform_team_id = '{room}'"
            )
        } else {
            format!(
                "SELECT count(*) FROM {table} WHERE team_id IN
                 (SELECT id FROM teams WHERE platform = 'matrix' AND platform_team_id = '{room}')"
            )
        };
        crate::harness::Db::of(&self.bot).number(&sql).await
    }

    /// Waits until the team of `room` is forgotten.
    async fn forgets(&self, room: &OwnedRoomId, how: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.rows("teams", room).await > 0 {
            assert!(Instant::now() < deadline, "{how}: the team was not forgotten");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(self.rows("members", room).await, 0, "{how}");
    }
}

/// A plain room of `owner` (power level 100) with `others` and hearth invited.
async fn room_with(owner: &Person, others: &[&Person], hearth: &Restartable) -> OwnedRoomId {
    let mut request = CreateRoom::new();
    request.invite = others.iter().map(|p| p.id.clone()).chain([hearth.id.clone()]).collect();
    owner.client.create_room(request).await.unwrap().room_id().to_owned()
}

/// `person` says they are available in `team`, which stores them as a member of it.
async fn available(person: &Person, team: &OwnedRoomId, hearth: &Restartable) {
    let n = person.count();
    person.say(team, "!available on").await;
    person.expect(&hearth.id, "You're now taking debrief requests", n).await;
    assert_eq!(hearth.rows("teams", team).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removed_from_a_team_room_hearth_forgets_the_team() {
    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start(&synapse, None).await;
    let (ana, bo) = tokio::join!(Person::new(&synapse, "ana"), Person::new(&synapse, "bo"));
    let h = hearth.id.clone();
    let kicked = room_with(&ana, &[&bo], &hearth).await;
    let ended = room_with(&bo, &[], &hearth).await;
    let stays = room_with(&ana, &[&bo], &hearth).await;
    let away = room_with(&ana, &[], &hearth).await;
    for (person, room) in [(&ana, &kicked), (&bo, &kicked), (&bo, &ended), (&ana, &stays)] {
        first_help(person, room, &h).await;
        available(person, room, &hearth).await;
    }
    first_help(&ana, &away, &h).await;
    available(&ana, &away, &hearth).await;

    // A teammate leaving a room others are still in is not the end of the team.
    bo.room(&stays).await.leave().await.unwrap();
    // A room admin kicks hearth.
    ana.room(&kicked).await.kick_user(&h, Some("we're done with the bot")).await.unwrap();
    hearth.forgets(&kicked, "kicked").await;
    // The last teammate leaves: hearth, alone, leaves too, and the team is over.
    bo.room(&ended).await.leave().await.unwrap();
    hearth.forgets(&ended, "left alone").await;

    // Kicked while hearth was not running: noticed at the next start.
    hearth.stop().await;
    ana.room(&away).await.kick_user(&h, None).await.unwrap();
    assert_eq!(hearth.rows("teams", &away).await, 1);
    hearth.run().await;
    hearth.forgets(&away, "kicked while away").await;

    // The team that is still there has everything and is still answered.
    assert_eq!(hearth.rows("teams", &stays).await, 1, "a team that was not removed");
    assert_eq!(hearth.rows("members", &stays).await, 1);
    first_help(&ana, &stays, &h).await;
    assert_eq!(hearth.rows("teams", &stays).await, 1);
}
