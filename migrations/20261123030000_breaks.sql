-- Breaks: when a person last started one and their optional nudges; which exercises and
-- puzzles they saw lately, so they do not repeat. Nothing about breaks is shown to anyone else.
-- Instants are Unix milliseconds (UTC).

ALTER TABLE members ADD COLUMN last_break_at INTEGER;
-- Minutes between automatic break nudges during a shift; NULL = no nudges.
ALTER TABLE members ADD COLUMN break_nudge_minutes INTEGER
    CHECK (break_nudge_minutes IS NULL OR break_nudge_minutes BETWEEN 30 AND 480);
-- Nudges sent in the shift identified by `break_nudge_shift` (that shift's start or end).
ALTER TABLE members ADD COLUMN break_nudges_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN break_nudge_shift INTEGER;
-- No nudge before this instant (after a nudge, a snooze, a break, or a shift started by hand).
ALTER TABLE members ADD COLUMN break_nudge_after INTEGER;

-- Exercise and puzzle ids ("breathe:2", "riddle:7", "word:31") a person was shown, kept a week.
CREATE TABLE break_seen (
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    item        TEXT    NOT NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (member_id, item)
);
CREATE INDEX break_seen_age ON break_seen (seen_at);
