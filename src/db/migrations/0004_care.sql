-- 0004_care: designated providers (full record, status history, agreements with service areas), caregivers
-- (employment history, certificates, suspensions; family caregivers tied to one beneficiary), family accounts
-- linked to the persons they act for, and care plans with their items.

-- The assessment conclusion is due this many working days after an application is accepted (set on acceptance).
ALTER TABLE applications ADD COLUMN conclusion_due TEXT;

ALTER TABLE providers ADD COLUMN kind TEXT NOT NULL DEFAULT 'home_care'
  CHECK (kind IN ('home_care', 'elderly_institution', 'medical', 'ltc_facility'));
ALTER TABLE providers ADD COLUMN licence_no TEXT;
ALTER TABLE providers ADD COLUMN contact_name TEXT;
ALTER TABLE providers ADD COLUMN contact_phone TEXT;
ALTER TABLE providers ADD COLUMN address TEXT;
ALTER TABLE providers ADD COLUMN lat_e6 BIGINT;
ALTER TABLE providers ADD COLUMN lon_e6 BIGINT;
ALTER TABLE providers ADD COLUMN beds INTEGER;
ALTER TABLE providers ADD COLUMN barred_until TEXT;          -- while status = 'barred': no new clients until
ALTER TABLE providers ADD COLUMN status_reason TEXT;
ALTER TABLE providers ADD COLUMN credit_grade TEXT;          -- set by the credit evaluation (later); NULL = 未评级

-- Every status change of a provider, newest last.
CREATE TABLE provider_status_log (
  id {{pk}},
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  status TEXT NOT NULL CHECK (status IN ('active', 'barred', 'suspended', 'terminated')),
  until_date TEXT,
  reason TEXT,
  effective_on TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at BIGINT NOT NULL
);
CREATE INDEX provider_status_log_provider ON provider_status_log (provider_id, id);

-- Service agreements (服务协议) between the bureau and a provider.
CREATE TABLE agreements (
  id {{pk}},
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  number TEXT NOT NULL UNIQUE,
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  modes TEXT NOT NULL,                 -- comma-separated care modes: home, family, institution
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  region_name TEXT,                    -- the service region's name, where the scheme assigns one per region
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
  terminated_on TEXT,
  terminated_reason TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX agreements_provider ON agreements (provider_id);

-- The streets an agreement covers.
CREATE TABLE agreement_areas (
  agreement_id BIGINT NOT NULL REFERENCES agreements(id),
  area_id BIGINT NOT NULL REFERENCES areas(id),
  PRIMARY KEY (agreement_id, area_id)
);
CREATE INDEX agreement_areas_area ON agreement_areas (area_id);

CREATE TABLE caregivers (
  id {{pk}},
  id_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date TEXT NOT NULL,
  phone TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'family')),
  provider_id BIGINT REFERENCES providers(id),   -- current employer (staff); NULL for family caregivers
  person_id BIGINT REFERENCES persons(id),       -- family caregivers: the one beneficiary they care for
  relation TEXT,                                 -- family caregivers: relation to the beneficiary
  user_id BIGINT REFERENCES users(id),           -- the account they sign in with (phone app)
  training_hours INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
  suspended_until TEXT,
  terminated_on TEXT,
  status_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX caregivers_provider ON caregivers (provider_id);
CREATE INDEX caregivers_person ON caregivers (person_id);
CREATE INDEX caregivers_user ON caregivers (user_id);

-- Employment history: one open row (until_date NULL) at most per caregiver.
CREATE TABLE caregiver_employments (
  id {{pk}},
  caregiver_id BIGINT NOT NULL REFERENCES caregivers(id),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  from_date TEXT NOT NULL,
  until_date TEXT
);
CREATE INDEX caregiver_employments_cg ON caregiver_employments (caregiver_id, from_date);
CREATE INDEX caregiver_employments_provider ON caregiver_employments (provider_id);

CREATE TABLE caregiver_certificates (
  id {{pk}},
  caregiver_id BIGINT NOT NULL REFERENCES caregivers(id),
  kind TEXT NOT NULL CHECK (kind IN ('care_worker', 'nurse', 'health_aide', 'family_training', 'other')),
  number TEXT NOT NULL,
  skill_level INTEGER NOT NULL CHECK (skill_level BETWEEN 0 AND 5),   -- 0 none, 5 初级 .. 1 高级技师
  issued_on TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, number)
);
CREATE INDEX caregiver_certificates_cg ON caregiver_certificates (caregiver_id);

-- Settlement suspensions (暂停结算) and their periods.
CREATE TABLE caregiver_suspensions (
  id {{pk}},
  caregiver_id BIGINT NOT NULL REFERENCES caregivers(id),
  from_date TEXT NOT NULL,
  until_date TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at BIGINT NOT NULL
);
CREATE INDEX caregiver_suspensions_cg ON caregiver_suspensions (caregiver_id);

-- Family accounts (role applicant) and the persons they act for.
CREATE TABLE user_persons (
  user_id BIGINT NOT NULL REFERENCES users(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  relation TEXT NOT NULL,
  PRIMARY KEY (user_id, person_id)
);
CREATE INDEX user_persons_person ON user_persons (person_id);

-- Care plans (护理计划). A plan applies from effective_from to ended_on (inclusive; NULL while open); one plan per
-- person is active on any day. 'confirmed' plans start on a later day (a provider switch from the next month).
CREATE TABLE care_plans (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  certification_id BIGINT NOT NULL REFERENCES certifications(id),
  level INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('home', 'family', 'institution')),
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  agreement_id BIGINT NOT NULL REFERENCES agreements(id),   -- the agreement it is served under
  caregiver_id BIGINT REFERENCES caregivers(id),          -- preferred caregiver (optional)
  family_caregiver_id BIGINT REFERENCES caregivers(id),   -- family care: the trained relative
  visits_per_week INTEGER NOT NULL,
  minutes_per_week INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'active', 'superseded', 'ended', 'cancelled')),
  effective_from TEXT,
  ended_on TEXT,
  end_reason TEXT,
  supersedes_id BIGINT REFERENCES care_plans(id),
  note TEXT,
  drafted_by TEXT NOT NULL,
  drafted_at BIGINT NOT NULL,
  confirmed_by_name TEXT,
  confirmed_relation TEXT,
  confirmed_method TEXT CHECK (confirmed_method IN ('in_person', 'signature', 'phone', 'online')),
  confirmed_by_user TEXT,
  confirmed_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX care_plans_person ON care_plans (person_id, status);
-- one plan in force and one waiting (a draft, or confirmed to start later) per person at most
CREATE UNIQUE INDEX care_plans_one_active ON care_plans (person_id) WHERE status = 'active';
CREATE UNIQUE INDEX care_plans_one_pending ON care_plans (person_id) WHERE status IN ('draft', 'confirmed');
CREATE INDEX care_plans_provider ON care_plans (provider_id, status);
CREATE INDEX care_plans_agreement ON care_plans (agreement_id, status);
CREATE INDEX care_plans_status ON care_plans (status, effective_from);

CREATE TABLE care_plan_items (
  id {{pk}},
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  code TEXT NOT NULL,
  per_week INTEGER NOT NULL,
  minutes INTEGER NOT NULL
);
CREATE INDEX care_plan_items_plan ON care_plan_items (plan_id);
