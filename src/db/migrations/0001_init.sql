-- 0001_init: areas, providers (minimal, extended by later migrations), users, sessions, API tokens, audit trail.
-- Times are BIGINT Unix seconds (UTC); dates TEXT 'YYYY-MM-DD'; enums TEXT with CHECK; booleans INTEGER 0/1.

CREATE TABLE areas (
  id {{pk}},
  parent_id BIGINT REFERENCES areas(id),
  level TEXT NOT NULL CHECK (level IN ('region', 'district', 'street', 'neighbourhood')),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  path TEXT NOT NULL,            -- '/1/4/17/': ids from the root, for subtree filters
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX areas_parent ON areas (parent_id);
CREATE INDEX areas_path ON areas (path);

CREATE TABLE providers (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  area_id BIGINT REFERENCES areas(id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'barred', 'suspended', 'terminated')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE users (
  id {{pk}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'bureau', 'auditor', 'intake', 'coordinator', 'assessor', 'expert',
    'committee', 'nurse', 'provider_admin', 'caregiver', 'dept', 'applicant')),
  area_id BIGINT REFERENCES areas(id),
  provider_id BIGINT REFERENCES providers(id),
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  last_login_at BIGINT,
  previous_login_at BIGINT,          -- the sign-in before the last one, for the "last signed in" notice
  password_changed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK ((area_id IS NOT NULL AND provider_id IS NULL) OR (area_id IS NULL AND provider_id IS NOT NULL))
);
CREATE INDEX users_area ON users (area_id);
CREATE INDEX users_provider ON users (provider_id);

CREATE TABLE sessions (
  id {{pk}},
  token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the cookie token; the token itself is never stored
  csrf_token TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,        -- absolute expiry
  source_ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id {{pk}},
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,              -- first characters of the token, shown to tell tokens apart
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'bureau', 'auditor', 'intake', 'coordinator', 'assessor', 'expert',
    'committee', 'nurse', 'provider_admin', 'caregiver', 'dept', 'applicant')),
  area_id BIGINT REFERENCES areas(id),
  provider_id BIGINT REFERENCES providers(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  last_used_at BIGINT,
  CHECK ((area_id IS NOT NULL AND provider_id IS NULL) OR (area_id IS NULL AND provider_id IS NOT NULL))
);

-- The audit trail: append-only, hash-chained. id comes from audit_head.seq inside the same transaction, so ids are
-- gapless and the chain order is the id order.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'token', 'system', 'anonymous')),
  user_id BIGINT,
  username TEXT,
  role TEXT,
  scope_path TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  source_ip TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed', 'error')),
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_user ON audit_log (user_id, id);
CREATE INDEX audit_action ON audit_log (action, id);
CREATE INDEX audit_target ON audit_log (target_type, target_id, id);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
