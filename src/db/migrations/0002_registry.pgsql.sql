-- 0002_registry (PostgreSQL): the fund ledger is append-only; names compare byte-wise (code point order) so a
-- prefix search is a range scan whatever the database's locale.
CREATE TRIGGER fund_ledger_no_update BEFORE UPDATE OR DELETE ON fund_ledger
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
ALTER TABLE persons ALTER COLUMN name TYPE TEXT COLLATE "C";
CREATE INDEX persons_name ON persons (name);
