-- Team weather in batches, with nothing on disk that links a colour to anyone.
--
-- `weather_counts` now holds each day's *published* figures: what /weather shows. They are
-- replaced only when at least the team's threshold of people have added or changed a colour
-- since the last publication, so no single check-in (or change) can be seen; `published_at`
-- says when, and is cleared when the day ends. Counts from before this migration count as
-- published; on the day of the upgrade, the next publication counts only colours added since.
ALTER TABLE weather_counts ADD COLUMN published_at TEXT;
-- Housekeeping looks for the days whose time of publication is still kept.
CREATE INDEX weather_counts_published ON weather_counts (team_id) WHERE published_at IS NOT NULL;

-- The old per-person rows were keyed by sha256(salt, member id) with the salt beside them, so
-- anyone holding the database could link them to members: they and their salts go.
DROP TABLE weather_today;
DROP TABLE weather_salts;

-- While a day lasts: one row per colour added. `code` is HMAC-SHA256 under a key that exists
-- only in the running hearth's memory (over team, day and platform user id); `run` is that
-- run's random number, so that people are counted within one run only; `pending` says whether
-- the colour was added or changed since the day's figures were last published. No rowid: the
-- rows are stored in code order, so they do not say who came first. Deleted when the day ends.
CREATE TABLE weather_people (
    team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,
    code        BLOB    NOT NULL,
    run         INTEGER NOT NULL,
    colour      TEXT    NOT NULL CHECK (colour IN ('green', 'yellow', 'orange', 'red')),
    pending     INTEGER NOT NULL CHECK (pending IN (0, 1)),
    PRIMARY KEY (team_id, day, code)
) WITHOUT ROWID;
