-- Communities of practice. A community belongs to the team that created it (its home) and is
-- open to the other teams hearth serves on the same platform only if its organisers say so.
-- Its members (with their place in the facilitation rotation), topic requests for gatherings
-- (anonymous ones carry no author at all) with one vote per person, and shared resources.
-- Everything here is kept while the community exists; a member's rows go with them.

CREATE TABLE communities (
    id              INTEGER PRIMARY KEY,
    team_id         INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- Normalised: lower-case letters, digits and hyphens.
    name            TEXT    NOT NULL,
    -- What it is about, in its founders' words; optional.
    about           TEXT,
    open            INTEGER NOT NULL DEFAULT 0 CHECK (open IN (0, 1)),
    created_by      INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    -- Its gatherings: a recurrence as typed back, or one gathering at `once_at` (Unix ms);
    -- both NULL until scheduled. In the home team's timezone.
    pattern         TEXT,
    once_at         INTEGER,
    timezone        TEXT    NOT NULL,
    -- Where gatherings open: a channel of the home team.
    channel         TEXT,
    -- One gathering called off: its start (Unix ms).
    cancelled_at    INTEGER,
    -- Who facilitates the next gathering.
    facilitator_id  INTEGER REFERENCES members (id) ON DELETE SET NULL,
    UNIQUE (team_id, name),
    CHECK (pattern IS NULL OR once_at IS NULL)
);

CREATE TABLE community_members (
    community_id        INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    member_id           INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    joined_at           INTEGER NOT NULL,
    -- In the facilitation rotation (they opted in), and when they last facilitated.
    facilitates         INTEGER NOT NULL DEFAULT 0 CHECK (facilitates IN (0, 1)),
    last_facilitated_at INTEGER,
    PRIMARY KEY (community_id, member_id)
);
CREATE INDEX community_members_member ON community_members (member_id);

-- Topics asked for the next gathering. Posted when it starts, then deleted.
CREATE TABLE community_topics (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- NULL for an anonymous topic: nothing links it to anyone, not even a time.
    author_id       INTEGER REFERENCES members (id) ON DELETE CASCADE,
    text            TEXT    NOT NULL
);
CREATE INDEX community_topics_community ON community_topics (community_id);

CREATE TABLE community_topic_votes (
    topic_id    INTEGER NOT NULL REFERENCES community_topics (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (topic_id, member_id)
);

CREATE TABLE community_resources (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    author_id       INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    text            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX community_resources_community ON community_resources (community_id);
