-- 0005_visits: service delivery: weekly visit patterns, visits with their electronic verification (the six data
-- elements, device and server times, idempotency keys for offline delivery), exceptions with the provider's
-- explanation and the bureau's decision, ratings and disputes, family-care attestations, institutional presence,
-- and complaints.

-- A plan's recurring weekly schedule: one row per weekday and start time.
CREATE TABLE visit_patterns (
  id {{pk}},
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- ISO: 1 Monday .. 7 Sunday
  start_time TEXT NOT NULL,                                   -- 'HH:MM'
  caregiver_id BIGINT NOT NULL REFERENCES caregivers(id),
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (plan_id, weekday, start_time)
);

CREATE TABLE visits (
  id {{pk}},
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  caregiver_id BIGINT NOT NULL REFERENCES caregivers(id),
  mode TEXT NOT NULL CHECK (mode IN ('home', 'family', 'institution')),
  visit_date TEXT NOT NULL,                 -- the day of the visit (scheduled, or of the check-in)
  planned_start TEXT,                       -- 'HH:MM' when scheduled
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'done', 'missed', 'cancelled')),
  -- check-in: the event time (device time for a record delivered late), when the server received it, the fix
  checkin_key TEXT UNIQUE,
  checkin_at BIGINT,
  checkin_device_at BIGINT,
  checkin_received_at BIGINT,
  checkin_lat_e6 BIGINT,
  checkin_lon_e6 BIGINT,
  checkin_accuracy_m INTEGER,
  checkout_key TEXT UNIQUE,
  checkout_at BIGINT,
  checkout_device_at BIGINT,
  checkout_received_at BIGINT,
  checkout_lat_e6 BIGINT,
  checkout_lon_e6 BIGINT,
  checkout_accuracy_m INTEGER,
  items TEXT,                               -- JSON: the item codes performed
  notes TEXT,
  audio_sha256 TEXT,
  audio_bytes BIGINT,
  audio_seconds INTEGER,
  late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),   -- a record delivered late (sent from the offline queue)
  minutes INTEGER,
  verify_state TEXT NOT NULL DEFAULT 'pending' CHECK (verify_state IN ('pending', 'verified', 'exception')),
  reasons INTEGER NOT NULL DEFAULT 0,       -- bit mask of the exception reasons (rules/verify.h)
  verified_at BIGINT,
  -- an exception: the provider explains, the bureau decides
  review_state TEXT CHECK (review_state IN ('open', 'explained', 'accepted', 'rejected')),
  explanation TEXT,
  resolution TEXT,
  explained_by TEXT,
  explained_at BIGINT,
  decision_note TEXT,
  decided_by TEXT,
  decided_at BIGINT,
  disputed INTEGER NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
  rating_token TEXT UNIQUE,                 -- the short link for the beneficiary's rating
  unlocked_until BIGINT,                    -- a bureau unlock: corrections allowed until then
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX visits_caregiver ON visits (caregiver_id, visit_date);
CREATE INDEX visits_day ON visits (visit_date, provider_id);
CREATE INDEX visits_plan ON visits (plan_id, visit_date);
CREATE INDEX visits_review ON visits (verify_state, review_state);
CREATE INDEX visits_person ON visits (person_id, visit_date);

CREATE TABLE visit_ratings (
  id {{pk}},
  visit_id BIGINT NOT NULL UNIQUE REFERENCES visits(id),
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  tags TEXT,                                -- JSON array of tags
  comment TEXT,
  dispute TEXT CHECK (dispute IN ('not_served', 'shorter')),
  rated_by TEXT NOT NULL,                   -- a user name, or 'link' for the short link
  rated_at BIGINT NOT NULL
);

-- Family care: the monthly attestation by the family caregiver and the beneficiary or agent.
CREATE TABLE family_attestations (
  id {{pk}},
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  month TEXT NOT NULL,                      -- 'YYYY-MM'
  caregiver_days INTEGER NOT NULL,          -- days of care the family caregiver attests
  beneficiary_name TEXT NOT NULL,
  beneficiary_relation TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('in_person', 'signature', 'phone', 'online')),
  visits_required INTEGER NOT NULL,
  visits_done INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  UNIQUE (plan_id, month)
);

-- Institutional care: one presence status per resident and day.
CREATE TABLE presence (
  id {{pk}},
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  day TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in', 'out', 'hospital', 'leave')),
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  UNIQUE (person_id, day)
);
CREATE INDEX presence_provider ON presence (provider_id, day);

CREATE TABLE complaints (
  id {{pk}},
  source TEXT NOT NULL CHECK (source IN ('portal', 'hotline', 'inspection')),
  category TEXT NOT NULL,
  provider_id BIGINT REFERENCES providers(id),
  caregiver_id BIGINT REFERENCES caregivers(id),
  visit_id BIGINT REFERENCES visits(id),
  person_id BIGINT REFERENCES persons(id),
  complainant_name TEXT,
  complainant_phone TEXT,
  description TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'processing', 'replied', 'closed')),
  deadline TEXT NOT NULL,
  reply TEXT,
  replied_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX complaints_provider ON complaints (provider_id, status);
CREATE INDEX complaints_status ON complaints (status, deadline);

CREATE TABLE complaint_notes (
  id {{pk}},
  complaint_id BIGINT NOT NULL REFERENCES complaints(id),
  note TEXT NOT NULL,
  written_by TEXT NOT NULL,
  written_at BIGINT NOT NULL
);
CREATE INDEX complaint_notes_complaint ON complaint_notes (complaint_id);
