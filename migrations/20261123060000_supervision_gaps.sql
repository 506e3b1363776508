-- Gap planning: the team's backup supervisor, and whether a series' "no session ahead" notice
-- was sent (so it is sent once, until sessions are planned again).
ALTER TABLE teams ADD COLUMN backup_supervisor TEXT;
ALTER TABLE supervision_series ADD COLUMN gap_notified INTEGER NOT NULL DEFAULT 0
    CHECK (gap_notified IN (0, 1));
