-- An action item's due date (the team's local date, YYYY-MM-DD), when one was given.
ALTER TABLE agenda_items ADD COLUMN due TEXT;
