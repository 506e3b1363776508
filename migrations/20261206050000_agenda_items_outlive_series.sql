-- Agenda items and supervision series, rebuilt for two promises.
--
-- Their numbers are never given out twice (AUTOINCREMENT): people vote on, close and share
-- items, and cancel or restyle series, by number, so after an item or a series is erased an
-- old `/agenda vote 7` or `/supervision cancel 2` must find nothing rather than land on a newer
-- one that happens to get the same number.
--
-- Items belong to their authors, not to the series: when a series ends (cancelled, or its
-- supervisor erased their data) its items are no longer deleted with it. Each stays with its
-- author, private, with `series_id` NULL and `series_ended_at` set, until the author's next
-- supervision session takes it up (or it is deleted `retention.agenda_days` after the series
-- ended). An item still goes with its author (`/mydata delete`) and with the team.
--
-- SQLite changes neither a key nor a reference in place, so both tables are rebuilt. Dropping
-- the old items deletes the votes on them (ON DELETE CASCADE), so rows are set aside first.

CREATE TEMP TABLE agenda_votes_kept AS SELECT item_id, member_id FROM agenda_votes;
CREATE TEMP TABLE agenda_items_kept AS
    SELECT id, series_id, author_id, kind, text, private, owner, status, session_at,
           created_at, closed_at, due
    FROM agenda_items;
DROP TABLE agenda_items;

CREATE TABLE supervision_series_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id         INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- The "when" as typed back (a recurrence), or NULL for a single session at `once_at`.
    pattern         TEXT,
    once_at         INTEGER,
    timezone        TEXT    NOT NULL,
    -- Where a group series is posted; NULL for one-to-one.
    channel         TEXT,
    -- Platform user ids: who supervises, and the supervisee of a one-to-one series.
    supervisor      TEXT    NOT NULL,
    supervisee      TEXT,
    style           TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    gap_notified    INTEGER NOT NULL DEFAULT 0 CHECK (gap_notified IN (0, 1)),
    CHECK ((pattern IS NULL) != (once_at IS NULL)),
    CHECK ((channel IS NULL) != (supervisee IS NULL))
);
INSERT INTO supervision_series_rebuilt
    (id, team_id, pattern, once_at, timezone, channel, supervisor, supervisee, style,
     created_at, gap_notified)
SELECT id, team_id, pattern, once_at, timezone, channel, supervisor, supervisee, style,
       created_at, gap_notified
FROM supervision_series;
DROP TABLE supervision_series;
ALTER TABLE supervision_series_rebuilt RENAME TO supervision_series;
CREATE INDEX supervision_series_team ON supervision_series (team_id);

CREATE TABLE agenda_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    series_id       INTEGER REFERENCES supervision_series (id) ON DELETE SET NULL,
    author_id       INTEGER REFERENCES members (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('item', 'action')),
    text            TEXT    NOT NULL,
    private         INTEGER NOT NULL CHECK (private IN (0, 1)),
    -- An action's owner (platform user id).
    owner           TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    -- The session it was added for (Unix ms).
    session_at      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    closed_at       INTEGER,
    -- An action's due date (the team's local date, YYYY-MM-DD), when one was given.
    due             TEXT,
    -- When the series it was in ended (Unix ms); NULL while it is in one.
    series_ended_at INTEGER
);
INSERT INTO agenda_items
    (id, series_id, author_id, kind, text, private, owner, status, session_at, created_at,
     closed_at, due)
SELECT id, series_id, author_id, kind, text, private, owner, status, session_at, created_at,
       closed_at, due
FROM agenda_items_kept;
CREATE INDEX agenda_items_series ON agenda_items (series_id, status);
CREATE INDEX agenda_items_author ON agenda_items (author_id);

INSERT INTO agenda_votes (item_id, member_id) SELECT item_id, member_id FROM agenda_votes_kept;
DROP TABLE agenda_votes_kept;
DROP TABLE agenda_items_kept;
