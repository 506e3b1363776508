//! A community of practice on Matrix, typed: created, joined, a facilitator who opts in, an
//! anonymous topic that tries to ping the room, a gathering two minutes ahead; the reminder
//! and its calendar file by direct message a minute before, then the opening post in the team
//! room with the topic, the facilitator and the confidentiality notice. Then the creator's
//! data, exported as a file in her direct room and erased.

use super::{Hearth, Login, Person, first_help, synapse, team_room};
use matrix_sdk::ruma::RoomVersionId;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_community_of_practice_gathers() {
    let Some(synapse) = synapse() else { return };
    let hearth = Hearth::start_with(&synapse, Login::Password, |config| {
        config.communities.reminder_minutes = vec![1];
    })
    .await;
    let (ana, bo) = tokio::join!(Person::new(&synapse, "ana"), Person::new(&synapse, "bo"));
    let team = team_room(&ana, &[&bo], &hearth, true, RoomVersionId::V12).await;
    let h = &hearth.id;
    let (ana_dm, bo_dm) = tokio::join!(first_help(&ana, &team, h), first_help(&bo, &team, h));

    let mut n = ana.count();
    ana.say(&team, "!cop create peer-work Learning from our work").await;
    let (room, _, _) = ana.expect(h, "Created the community peer-work", n).await;
    assert_eq!(room, ana_dm, "personal answers go to the direct room");
    // An anonymous topic is typed in the direct room: in the team room it would carry bo's name.
    for (room, command, answer) in [
        (&team, "!cop join peer-work", "Welcome to peer-work"),
        (&team, "!cop facilitate peer-work on", "facilitation rotation"),
        (&bo_dm, "!cop topic-anonymous peer-work @room is <b>this</b> ok?", "anonymously"),
        (&team, "!cop topics peer-work", "Topics for peer-work's next gathering"),
    ] {
        let m = bo.count();
        bo.say(room, command).await;
        bo.expect(h, answer, m).await;
    }
    let m = bo.count();
    n = ana.count();
    ana.say(&team, "!cop schedule peer-work in 2 minutes").await;
    ana.expect(h, "peer-work gathers", n).await;
    let (room, _, told) = bo.expect(h, "You're facilitating peer-work's gathering", m).await;
    assert_eq!(room, bo_dm, "{told}");

    // A minute before: the reminder and its calendar file, privately, to each member.
    let (room, _, reminder) = bo.expect(h, "peer-work gathers in 1 minute", m).await;
    assert_eq!(room, bo_dm);
    assert!(reminder.contains("1 topic asked for so far"), "{reminder}");
    let (room, _, _) = bo.expect(h, "peer-work.ics", m).await;
    assert_eq!(room, bo_dm);
    ana.expect(h, "peer-work gathers in 1 minute", n).await;

    // At the start, in the team room: the topic (unable to ping), the facilitator, the notice.
    // It is due a minute after the reminder, which is also how long `expect` waits: on a busy
    // machine a second late would fail, so the wait starts half a minute later (what arrives
    // meanwhile is still seen).
    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    let (room, _, post) = ana.expect(h, "peer-work is gathering now", n).await;
    assert_eq!(room, team);
    assert!(post.contains("is <b>this</b> ok?") && !post.contains("@room"), "{post}");
    assert!(post.contains(bo.id.as_str()), "the facilitator: {post}");
    assert!(post.contains("What people share here stays here"), "{post}");
    assert!(post.contains("leave out anything that could identify"), "{post}");

    // ana's data: exported as a file in her direct room, then erased after one question.
    n = ana.count();
    ana.say(&team, "!mydata export").await;
    let (room, _, _) = ana.expect(h, "hearth-my-data.json", n).await;
    assert_eq!(room, ana_dm, "privately");
    n = ana.count();
    ana.say(&team, "!mydata delete").await;
    ana.expect(h, "Erase everything hearth holds about you?", n).await;
    n = ana.count();
    ana.say(&ana_dm, "1").await;
    ana.expect(h, "hearth has erased everything it held about you", n).await;
    n = ana.count();
    ana.say(&team, "!mydata export").await;
    ana.expect(h, "hearth holds nothing about you", n).await;
    drop(hearth);
}
