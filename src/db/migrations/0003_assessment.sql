-- 0003_assessment: applications, pre-screening, the assessor pool and reproducible draws, assessments with their
-- evidence and quality flags, committee reviews, expert confirmations, certified levels, notices (outbox) and
-- follow-up samples.

-- The expert pool (评估专家库): experts and assessors, each serving an area's subtree.
CREATE TABLE assessors (
  id {{pk}},
  user_id BIGINT REFERENCES users(id),        -- the account they sign in with
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('expert', 'assessor')),
  core INTEGER NOT NULL DEFAULT 0 CHECK (core IN (0, 1)),   -- core expert (核心专家), sent on re-visits
  organisation TEXT NOT NULL,
  provider_id BIGINT REFERENCES providers(id),  -- employed by a care provider: excluded from draws
  area_id BIGINT NOT NULL REFERENCES areas(id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX assessors_user ON assessors (user_id);

CREATE TABLE applications (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  area_id BIGINT REFERENCES areas(id),         -- the person's area when applying
  type TEXT NOT NULL CHECK (type IN ('first', 'renewal', 'change', 'appeal')),
  status TEXT NOT NULL CHECK (status IN ('submitted', 'rejected', 'accepted', 'assigned', 'in_review',
    'awaiting_confirmation', 'publicised', 'certified', 'withdrawn')),
  appeal_of BIGINT REFERENCES applications(id),
  green_channel INTEGER NOT NULL DEFAULT 0 CHECK (green_channel IN (0, 1)),
  green_reason TEXT,
  pledge_signed INTEGER NOT NULL DEFAULT 0 CHECK (pledge_signed IN (0, 1)),
  self_assessment TEXT,                        -- JSON answers of the self-assessment form
  gate TEXT,                                   -- its letter, A-G
  disability_since TEXT,                       -- onset, for the duration rule
  applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('self', 'agent', 'staff')),
  agent_name TEXT,
  agent_relation TEXT,
  agent_phone TEXT,
  agent_email TEXT,
  note TEXT,
  submitted_by TEXT NOT NULL,
  submitted_at BIGINT NOT NULL,
  submitted_on TEXT NOT NULL,
  due_date TEXT NOT NULL,                      -- the pre-screening answer is due by this working day
  prescreen TEXT,                              -- JSON: the checks as they stood at the decision
  reject_reasons TEXT,                         -- JSON [{code, message}]
  decided_by TEXT,
  decided_at BIGINT,
  level INTEGER,                               -- the concluded level
  concluded_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX applications_person ON applications (person_id, id);
CREATE INDEX applications_status ON applications (status, due_date);
CREATE INDEX applications_area ON applications (area_id);

-- Materials, stored by SHA-256 under the data directory (files/xx/<sha256>).
CREATE TABLE application_materials (
  id {{pk}},
  application_id BIGINT NOT NULL REFERENCES applications(id),
  kind TEXT NOT NULL CHECK (kind IN ('discharge_summary', 'outpatient_record', 'disability_certificate', 'pledge',
    'other')),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX application_materials_app ON application_materials (application_id);

-- A draw: its seed and candidate lists are kept so that anyone can re-run it and get the same pair.
CREATE TABLE assignments (
  id {{pk}},
  application_id BIGINT NOT NULL REFERENCES applications(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('assessment', 'revisit', 'appeal')),
  seed TEXT NOT NULL,                          -- unsigned 64-bit, in decimal
  experts TEXT NOT NULL,                       -- JSON: candidate expert ids, ascending
  assessors TEXT NOT NULL,                     -- JSON: candidate assessor ids, ascending
  excluded TEXT NOT NULL,                      -- JSON: [{id, reason}]
  expert_id BIGINT NOT NULL REFERENCES assessors(id),
  assessor_id BIGINT NOT NULL REFERENCES assessors(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'done', 'replaced')),
  drawn_by TEXT NOT NULL,
  drawn_at BIGINT NOT NULL
);
CREATE INDEX assignments_app ON assignments (application_id, status);
CREATE INDEX assignments_expert ON assignments (expert_id, status);
CREATE INDEX assignments_assessor ON assignments (assessor_id, status);
CREATE INDEX assignments_status ON assignments (status);

CREATE TABLE assessments (
  id {{pk}},
  application_id BIGINT NOT NULL REFERENCES applications(id),
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  form TEXT NOT NULL,                          -- the form as submitted
  result TEXT,                                 -- totals and grades computed by the standard
  level INTEGER NOT NULL,
  visit_start BIGINT NOT NULL,
  visit_end BIGINT NOT NULL,
  visit_lat_e6 BIGINT,
  visit_lon_e6 BIGINT,
  video_ref TEXT,
  video_sha256 TEXT,
  video_seconds INTEGER,
  present TEXT,                                -- JSON: persons present
  flags TEXT NOT NULL,                         -- JSON: quality-review flags
  submitted_by TEXT NOT NULL,
  submitted_at BIGINT NOT NULL
);
CREATE INDEX assessments_app ON assessments (application_id);
CREATE INDEX assessments_assignment ON assessments (assignment_id);

-- Committee decisions on flagged assessments.
CREATE TABLE reviews (
  id {{pk}},
  application_id BIGINT NOT NULL REFERENCES applications(id),
  assessment_id BIGINT NOT NULL REFERENCES assessments(id),
  decision TEXT NOT NULL CHECK (decision IN ('uphold', 'amend', 'revisit')),
  level INTEGER,
  reason TEXT,
  decided_by TEXT NOT NULL,
  decided_at BIGINT NOT NULL
);

-- Experts confirming a conclusion (at least two).
CREATE TABLE confirmations (
  id {{pk}},
  application_id BIGINT NOT NULL REFERENCES applications(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  level INTEGER NOT NULL,
  confirmed_at BIGINT NOT NULL,
  UNIQUE (application_id, user_id)
);

-- Concluded and certified levels.
CREATE TABLE certifications (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id),
  level INTEGER NOT NULL,
  level_name TEXT NOT NULL,
  qualifies INTEGER NOT NULL CHECK (qualifies IN (0, 1)),
  concluded_on TEXT NOT NULL,
  published_until TEXT NOT NULL,               -- end of publication (公示)
  appeal_until TEXT NOT NULL,                  -- last day to ask for a review (复核)
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('publicised', 'certified', 'superseded')),
  final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),   -- the result of an appeal
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX certifications_person ON certifications (person_id, id);
CREATE INDEX certifications_status ON certifications (status, valid_until);

-- The outbox: notices to applicants and agents, sent by the notifier in the background.
CREATE TABLE notices (
  id {{pk}},
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient TEXT NOT NULL,
  subject TEXT,
  body TEXT NOT NULL,
  ref_type TEXT,
  ref_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX notices_pending ON notices (status, next_attempt_at);

-- Follow-up visits (回访抽查) of certified persons, drawn reproducibly per street.
CREATE TABLE followup_samples (
  id {{pk}},
  seed TEXT NOT NULL,
  per_street INTEGER NOT NULL,
  population INTEGER NOT NULL,
  drawn_by TEXT NOT NULL,
  drawn_at BIGINT NOT NULL
);

CREATE TABLE followups (
  id {{pk}},
  sample_id BIGINT NOT NULL REFERENCES followup_samples(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  certification_id BIGINT NOT NULL REFERENCES certifications(id),
  street_id BIGINT NOT NULL REFERENCES areas(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'consistent', 'inconsistent', 'not_home', 'deceased')),
  visited_on TEXT,
  visited_by TEXT,
  notes TEXT
);
CREATE INDEX followups_sample ON followups (sample_id);
