-- 0004_care (SQLite): imports of caregivers. SQLite cannot change a CHECK constraint, so the imports table is
-- rebuilt with the wider list of kinds (nothing refers to it).
CREATE TABLE imports_new (
  id {{pk}},
  kind TEXT NOT NULL CHECK (kind IN ('persons', 'enrolments', 'deaths', 'hospital_stays', 'caregivers')),
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
INSERT INTO imports_new SELECT id, kind, filename, status, encoding, total_rows, ok_rows, rejected_rows, bytes_total,
  bytes_done, message, rejects_path, created_by, area_path, created_at, started_at, finished_at FROM imports;
DROP TABLE imports;
ALTER TABLE imports_new RENAME TO imports;
