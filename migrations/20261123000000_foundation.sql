-- The foundation: teams, members, flow sessions, team weather and personal check-in history.
-- Append-only: change the schema with a new migration file, never by editing this one.
-- Times are UTC RFC 3339 text; days are the team's local date (YYYY-MM-DD).

CREATE TABLE teams (
    id                  INTEGER PRIMARY KEY,
    platform            TEXT    NOT NULL,
    platform_team_id    TEXT    NOT NULL,
    timezone            TEXT    NOT NULL,
    locale              TEXT    NOT NULL,
    weather_min_people  INTEGER NOT NULL CHECK (weather_min_people >= 3),
    -- Support and crisis resources written by the team; NULL shows hearth's default text.
    resources           TEXT,
    created_at          TEXT    NOT NULL,
    UNIQUE (platform, platform_team_id)
);

CREATE TABLE members (
    id                  INTEGER PRIMARY KEY,
    team_id             INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    platform_user_id    TEXT    NOT NULL,
    -- Personal check-in history: NULL = not asked yet, 0 = no, 1 = keep.
    keep_history        INTEGER CHECK (keep_history IN (0, 1)),
    created_at          TEXT    NOT NULL,
    UNIQUE (team_id, platform_user_id)
);

-- A conversation in progress: the step and the choices so far, never free text.
CREATE TABLE flow_sessions (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL UNIQUE REFERENCES members (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL,
    nonce       TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX flow_sessions_expiry ON flow_sessions (expires_at);

-- Team weather keeps counts only. While a day lasts, `weather_today` remembers which colour a
-- person added (by a hash salted with that day's random salt) so a second check-in replaces the
-- first instead of counting twice. When the day ends both the salt and those rows are deleted,
-- and nothing left can be linked to anyone.
CREATE TABLE weather_counts (
    team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,
    colour      TEXT    NOT NULL CHECK (colour IN ('green', 'yellow', 'orange', 'red')),
    people      INTEGER NOT NULL CHECK (people >= 0),
    PRIMARY KEY (team_id, day, colour)
);

CREATE TABLE weather_salts (
    team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,
    salt        BLOB    NOT NULL,
    PRIMARY KEY (team_id, day)
);

CREATE TABLE weather_today (
    team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,
    person_hash BLOB    NOT NULL,
    colour      TEXT    NOT NULL,
    PRIMARY KEY (team_id, day, person_hash)
);

-- Personal history: only for people who chose to keep it; only they see it.
CREATE TABLE checkin_history (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    colour      TEXT    NOT NULL CHECK (colour IN ('green', 'yellow', 'orange', 'red'))
);
CREATE INDEX checkin_history_member ON checkin_history (member_id, at);
CREATE INDEX checkin_history_at ON checkin_history (at);
