-- 0008_visits_missed: the scheduled visits by day, for the maintenance job that marks those of past days missed
-- (visits_mark_missed) without reading the whole history of visits: only a week or so of visits is ever scheduled.
CREATE INDEX visits_scheduled ON visits (visit_date) WHERE status = 'scheduled';
