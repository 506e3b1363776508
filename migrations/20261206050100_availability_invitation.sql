-- Whether hearth has invited the member, once, to take debrief requests (`/available on`):
-- after their first green check-in or at a shift start, only while they are not available.
-- Also set when they use `/available` themselves, so nobody is told what they already chose.
ALTER TABLE members ADD COLUMN available_invited INTEGER NOT NULL DEFAULT 0
    CHECK (available_invited IN (0, 1));
