-- The "when" language: `every 2nd tuesday 14:00` now means the 2nd Tuesday of each month, as
-- people read it. Until now it meant every other week, and recurrences were stored in their
-- canonical spelling, `every 2nd tue 14:00 from 2026-11-23` (only fortnightly rows carried
-- `2nd`, and always with `from`). Those rows keep their meaning under the new spelling of the
-- same rhythm: `every 2 weeks tue 14:00 from 2026-11-23`.

UPDATE schedules SET pattern = 'every 2 weeks ' || substr(pattern, 11)
WHERE pattern LIKE 'every 2nd % from %';

UPDATE supervision_series SET pattern = 'every 2 weeks ' || substr(pattern, 11)
WHERE pattern LIKE 'every 2nd % from %';

UPDATE communities SET pattern = 'every 2 weeks ' || substr(pattern, 11)
WHERE pattern LIKE 'every 2nd % from %';
