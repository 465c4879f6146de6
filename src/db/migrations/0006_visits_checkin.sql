-- 0006_visits_checkin: visits by check-in time, for the month's bulk verification ('ltci visits verify') and every
-- "checked in between" query (without it each day of a month scans the whole table), carrying the caregiver, plan and
-- person so that the month's ids are read from the index alone; and the review index narrowed
-- to exceptions, the only visits that are ever looked up by their review (a verified visit, nineteen in twenty, no
-- longer moves around an index when its outcome is written).
CREATE INDEX visits_checkin ON visits (checkin_at, caregiver_id, plan_id, person_id);
DROP INDEX visits_review;
CREATE INDEX visits_exceptions ON visits (review_state, visit_date) WHERE verify_state = 'exception';
