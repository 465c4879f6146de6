-- 0002_registry: insured persons, their contacts, enrolment history, hospital stays, contributions, the fund
-- ledger and bulk imports.

CREATE TABLE persons (
  id {{pk}},
  id_number TEXT NOT NULL UNIQUE,      -- GB 11643, normalised (upper-case X)
  id_last4 TEXT NOT NULL,              -- for "last digits" searches
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date TEXT NOT NULL,            -- derived from the ID number
  phone TEXT,
  address TEXT,
  area_id BIGINT REFERENCES areas(id),
  lat_e6 BIGINT,                       -- WGS-84 micro-degrees
  lon_e6 BIGINT,
  death_date TEXT,                     -- from the civil registry feed
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX persons_area ON persons (area_id);
CREATE INDEX persons_last4 ON persons (id_last4);
CREATE INDEX persons_phone ON persons (phone);

-- Guardians and agents (监护人 / 代理人).
CREATE TABLE person_contacts (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  name TEXT NOT NULL,
  relation TEXT NOT NULL,
  phone TEXT,
  is_agent INTEGER NOT NULL DEFAULT 0 CHECK (is_agent IN (0, 1)),
  created_at BIGINT NOT NULL
);
CREATE INDEX person_contacts_person ON person_contacts (person_id);

-- Enrolment history: rows are never changed. The record in force on a day is the one with the latest
-- effective_from on or before it (ties: the latest recorded).
CREATE TABLE enrolments (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  category TEXT NOT NULL CHECK (category IN ('employee', 'resident')),
  assistance INTEGER NOT NULL DEFAULT 0 CHECK (assistance IN (0, 1)),  -- 医疗救助对象
  sponsored INTEGER NOT NULL DEFAULT 0 CHECK (sponsored IN (0, 1)),    -- 政府资助参保对象
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
  effective_from TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'demo')),
  recorded_at BIGINT NOT NULL,
  recorded_by TEXT
);
CREATE INDEX enrolments_person ON enrolments (person_id, effective_from, id);

CREATE TABLE hospital_stays (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  admitted TEXT NOT NULL,
  discharged TEXT,                     -- NULL while in hospital
  hospital TEXT,
  source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'demo')),
  recorded_at BIGINT NOT NULL,
  UNIQUE (person_id, admitted)
);

-- One row per person, year and payer: what that payer owes for that person's year of cover.
CREATE TABLE contributions (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  year INTEGER NOT NULL,
  payer TEXT NOT NULL CHECK (payer IN ('personal_account', 'pooled_fund', 'individual', 'finance')),
  amount_fen BIGINT NOT NULL,
  category TEXT NOT NULL,
  computed_at BIGINT NOT NULL,
  UNIQUE (year, person_id, payer)      -- the yearly run reads a year by ranges of persons
);
CREATE INDEX contributions_person ON contributions (person_id);

-- The fund's ledger: append-only postings with a running balance. seq and balance come from fund_head in the
-- same transaction, so the balance column is always the sum of all amounts up to that row.
CREATE TABLE fund_ledger (
  id BIGINT PRIMARY KEY,
  posted_at BIGINT NOT NULL,
  entry_date TEXT NOT NULL,            -- accounting date
  kind TEXT NOT NULL CHECK (kind IN ('income', 'spending', 'recovery', 'adjustment')),
  source TEXT NOT NULL,                -- income: the payer; spending: the funding source
  amount_fen BIGINT NOT NULL,          -- signed: income and recoveries positive, spending negative
  balance_fen BIGINT NOT NULL,
  ref_type TEXT,
  ref_id TEXT,
  note TEXT,
  posted_by TEXT
);
CREATE INDEX fund_ledger_date ON fund_ledger (entry_date);

CREATE TABLE fund_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  balance_fen BIGINT NOT NULL
);
INSERT INTO fund_head (id, seq, balance_fen) VALUES (1, 0, 0);

-- Bulk imports (from the command line or the web console) and their outcome.
CREATE TABLE imports (
  id {{pk}},
  kind TEXT NOT NULL CHECK (kind IN ('persons', 'enrolments', 'deaths', 'hospital_stays')),
  filename TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  encoding TEXT,
  total_rows BIGINT NOT NULL DEFAULT 0,
  ok_rows BIGINT NOT NULL DEFAULT 0,
  rejected_rows BIGINT NOT NULL DEFAULT 0,
  bytes_total BIGINT NOT NULL DEFAULT 0,
  bytes_done BIGINT NOT NULL DEFAULT 0,
  message TEXT,
  rejects_path TEXT,
  created_by TEXT,
  area_path TEXT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);
