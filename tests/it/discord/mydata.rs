//! `/mydata` on Discord: the export is an ephemeral reply with the JSON file attached, seen
//! by nobody else; erasing asks with buttons, and afterwards an export finds nothing.

use super::{Team, sub};
use insta::assert_snapshot;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_data_exported_then_erased() {
    let mut team = Team::start().await;
    let name = ("name", "peer-work");
    team.slash("cop", sub("create", &[name]), "/cop create peer-work").await;
    let topic = ("text", "Boundaries after hours");
    team.slash("cop", sub("topic", &[name, topic]), "/cop topic peer-work Boundaries after hours")
        .await;

    let export = team.slash("mydata", sub("export", &[]), "/mydata export").await;
    let with_file: Vec<_> = export.iter().filter(|m| !m.attachments.is_empty()).collect();
    assert_eq!(with_file.len(), 1, "{export:?}");
    assert!(with_file[0].is_ephemeral(), "only ana sees her data");
    let file = &with_file[0].attachments[0];
    assert_eq!(file.filename, "hearth-my-data.json");
    let data: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
    assert_eq!(data["platform"], "discord");
    assert_eq!(data["user_id"], team.ana.to_string());
    assert_eq!(data["teams"][0]["community_topics"][0]["text"], "Boundaries after hours");

    let asked = team.slash("mydata", sub("delete", &[]), "/mydata delete").await;
    team.click(&asked, "|erase").await;
    let again = team.slash("mydata", sub("export", &[]), "/mydata export").await;
    assert!(again.iter().all(|m| m.attachments.is_empty()), "{again:?}");
    assert!(team.fake.mention_risks().is_empty());
    assert!(team.fake.unknown_routes().is_empty(), "{:?}", team.fake.unknown_routes());
    assert_snapshot!(crate::cop::numbered_in_order(&team.transcript));
}
