-- Shifts, availability, the coordinator and supervisor, and on-demand debrief requests.
-- Instants are Unix milliseconds (UTC), as in the scheduler's tables.

-- Where end-of-shift debriefs open, how long before the shift ends, and how long a debrief
-- request waits for someone to accept before the requester is told.
ALTER TABLE teams ADD COLUMN debrief_channel TEXT;
ALTER TABLE teams ADD COLUMN debrief_lead_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (debrief_lead_minutes BETWEEN 1 AND 120);
ALTER TABLE teams ADD COLUMN request_wait_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (request_wait_minutes BETWEEN 1 AND 240);
-- Platform user ids of the people in these roles (one each), named by a team admin.
ALTER TABLE teams ADD COLUMN coordinator TEXT;
ALTER TABLE teams ADD COLUMN supervisor TEXT;

-- Whether the member takes on-demand debrief requests; at `available_until` it flips.
ALTER TABLE members ADD COLUMN available INTEGER NOT NULL DEFAULT 0 CHECK (available IN (0, 1));
ALTER TABLE members ADD COLUMN available_until INTEGER;
-- The end of a shift started (or ended, when it is past) by hand; NULL if never used.
ALTER TABLE members ADD COLUMN shift_until INTEGER;
-- "Capacity reduced": no debrief requests are sent to them; the reason is never asked.
ALTER TABLE members ADD COLUMN capacity_low INTEGER NOT NULL DEFAULT 0 CHECK (capacity_low IN (0, 1));

-- An open on-demand debrief request. The row is deleted when the request closes (accepted,
-- cancelled, or nobody free in time); only the counts below remain. The note is never stored.
CREATE TABLE debrief_requests (
    id              INTEGER PRIMARY KEY,
    team_id         INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    requester_id    INTEGER NOT NULL UNIQUE REFERENCES members (id) ON DELETE CASCADE,
    -- The one teammate asked, when the requester named someone.
    target_id       INTEGER REFERENCES members (id) ON DELETE CASCADE,
    show_name       INTEGER NOT NULL CHECK (show_name IN (0, 1)),
    tell_supervisor INTEGER NOT NULL CHECK (tell_supervisor IN (0, 1)),
    -- Part of the token on the accept buttons; a stale or forged button finds nothing.
    nonce           TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);

-- How requests ended, per team and local day: counts only.
CREATE TABLE debrief_request_counts (
    team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('accepted', 'cancelled', 'unanswered')),
    requests    INTEGER NOT NULL CHECK (requests >= 0),
    PRIMARY KEY (team_id, day, outcome)
);
