//! Two people connected for a debrief on Discord: the private thread really opens (the people
//! added, then closed to invitations, hearth gone), and when Discord refuses a step, nothing
//! of the thread is left to them and each hears the truth privately, with the other's
//! mention, through the real core.

use super::{Team, WAIT, debrief_requested};
use fake_discord::Message;
use insta::assert_snapshot;

/// What Discord refuses, one case at a time.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    /// Opening a thread in the debrief channel (no Create Private Threads there).
    Create,
    /// Adding the second person (ana, added first, must be taken out again).
    AddMember,
    /// Closing the thread to invitations. The fake never refuses this to the thread's
    /// creator, so an unanswered rate limit stands in for a refusal.
    CloseToInvitations,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_private_thread_is_undone_and_both_are_told_the_truth() {
    let mut first = None;
    for refusal in [Refusal::Create, Refusal::AddMember, Refusal::CloseToInvitations] {
        let mut team = Team::start().await;
        let (bo, to_bo) = debrief_requested(&mut team, "").await;
        match refusal {
            Refusal::Create => team.fake.set_bot_may_post(team.channel, false),
            Refusal::AddMember => team.fake.refuse_thread_member(bo, true),
            Refusal::CloseToInvitations => {
                team.fake.inject_rate_limit(Some("PATCH"), "channels/", 0.1, 1);
            }
        }
        team.actor = (bo, "bo");
        let (accepted, _) = team.click(&to_bo, "|accept").await;
        let to_ana = team.fake.wait_for_dms_to(team.ana, 3, WAIT).await;
        let to_ana = to_ana.unwrap_or_else(|e| panic!("{refusal:?}: {e:?}\n{}", team.transcript));
        for dm in &to_ana {
            team.transcript.push_str(&format!("(DM to ana) {}\n", dm.content));
        }

        let sorry = "I couldn't open the private thread for you after all";
        let told_bo: Vec<&Message> =
            accepted.iter().filter(|m| m.content.contains(sorry)).collect();
        assert_eq!(told_bo.len(), 1, "{refusal:?}\n{}", team.transcript);
        assert!(told_bo[0].content.contains(&format!("<@{}>", team.ana)), "{refusal:?}");
        let told_ana: Vec<&Message> = to_ana.iter().filter(|m| m.content.contains(sorry)).collect();
        assert_eq!(told_ana.len(), 1, "{refusal:?}\n{}", team.transcript);
        assert!(told_ana[0].content.contains(&format!("<@{bo}>")), "{refusal:?}");
        // Nothing of a thread is left to anyone, hearth included, and nothing was posted in it.
        let threads = team.fake.threads_in(team.channel);
        assert_eq!(threads.len(), usize::from(!matches!(refusal, Refusal::Create)), "{refusal:?}");
        for thread in threads {
            assert!(team.fake.thread_members(thread.id).is_empty(), "{refusal:?}: {thread:?}");
            assert!(team.fake.messages_in(thread.id).is_empty(), "{refusal:?}");
        }
        assert!(team.fake.mention_risks().is_empty(), "{:?}", team.fake.mention_risks());
        assert!(team.fake.unknown_routes().is_empty(), "{:?}", team.fake.unknown_routes());
        let transcript = team
            .transcript
            .replace(&format!("<@{}>", team.ana), "<@ana>")
            .replace(&format!("<@{bo}>"), "<@bo>");
        // Whichever step was refused, people see the same thing.
        match &first {
            None => {
                assert_snapshot!(transcript);
                first = Some(transcript);
            }
            Some(first) => assert_eq!(*first, transcript, "{refusal:?}"),
        }
    }
}
