-- The scheduler: schedules with their next run, and one row per fired occurrence.
-- Instants here are Unix milliseconds (UTC): compared and indexed on every tick.

CREATE TABLE schedules (
    id          INTEGER PRIMARY KEY,
    -- NULL for hearth's own work (housekeeping); otherwise the team it belongs to.
    team_id     INTEGER REFERENCES teams (id) ON DELETE CASCADE,
    -- NULL when it concerns the whole team rather than one person.
    member_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    -- What to do, as JSON: ids and choices, never free text.
    payload     TEXT    NOT NULL,
    -- The recurrence in the "when" language; NULL for a one-shot.
    pattern     TEXT,
    timezone    TEXT    NOT NULL,
    -- NULL once a one-shot has fired.
    next_run    INTEGER,
    last_run    INTEGER,
    created_at  TEXT    NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_run) WHERE next_run IS NOT NULL;
CREATE INDEX schedules_owner ON schedules (team_id, kind);

-- The key (schedule, due instant) is what makes a second firing of one occurrence impossible.
CREATE TABLE schedule_runs (
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    due_at      INTEGER NOT NULL,
    status      TEXT    NOT NULL
        CHECK (status IN ('claimed', 'delivered', 'failed', 'skipped', 'quiet', 'done')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- The kind of delivery error (e.g. 'forbidden'), never message text.
    error       TEXT,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, due_at)
);
CREATE INDEX schedule_runs_claimed ON schedule_runs (due_at) WHERE status = 'claimed';
CREATE INDEX schedule_runs_age ON schedule_runs (updated_at);

-- Quiet hours in the team's timezone, like "22:00-07:00": nudges are not sent then.
ALTER TABLE teams ADD COLUMN quiet_hours TEXT;
