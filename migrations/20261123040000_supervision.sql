-- Supervision series: a group series posted in a team channel, or a one-to-one series with one
-- supervisee. Their times live in the schedule rows of their reminders; the style is the
-- supervisees' choice.

CREATE TABLE supervision_series (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- The "when" as typed back (a recurrence), or NULL for a single session at `once_at`.
    pattern     TEXT,
    once_at     INTEGER,
    timezone    TEXT    NOT NULL,
    -- Where a group series is posted; NULL for one-to-one.
    channel     TEXT,
    -- Platform user ids: who supervises, and the supervisee of a one-to-one series.
    supervisor  TEXT    NOT NULL,
    supervisee  TEXT,
    style       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CHECK ((pattern IS NULL) != (once_at IS NULL)),
    CHECK ((channel IS NULL) != (supervisee IS NULL))
);
CREATE INDEX supervision_series_team ON supervision_series (team_id);
