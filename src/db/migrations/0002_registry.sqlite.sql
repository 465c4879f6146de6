-- 0002_registry (SQLite): the fund ledger is append-only.
CREATE TRIGGER fund_ledger_no_update BEFORE UPDATE ON fund_ledger
BEGIN SELECT RAISE(ABORT, 'fund_ledger is append-only'); END;
CREATE TRIGGER fund_ledger_no_delete BEFORE DELETE ON fund_ledger
BEGIN SELECT RAISE(ABORT, 'fund_ledger is append-only'); END;
CREATE INDEX persons_name ON persons (name);
