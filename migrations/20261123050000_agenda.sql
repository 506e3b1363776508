-- Supervision agendas: items the supervisees add (private to their author until shared) and
-- action items, with one vote per person. An item belongs to a series and to the session it
-- was added for; an open item from a session that has passed carries over to the next.
-- Kept for a year after it is done or dropped (housekeeping).

CREATE TABLE agenda_items (
    id          INTEGER PRIMARY KEY,
    series_id   INTEGER NOT NULL REFERENCES supervision_series (id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('item', 'action')),
    text        TEXT    NOT NULL,
    private     INTEGER NOT NULL CHECK (private IN (0, 1)),
    -- An action's owner (platform user id).
    owner       TEXT,
    status      TEXT    NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    -- The session it was added for (Unix ms).
    session_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX agenda_items_series ON agenda_items (series_id, status);

CREATE TABLE agenda_votes (
    item_id     INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, member_id)
);
