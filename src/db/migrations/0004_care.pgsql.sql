-- 0004_care (PostgreSQL): imports of caregivers.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
  CHECK (kind IN ('persons', 'enrolments', 'deaths', 'hospital_stays', 'caregivers'));
