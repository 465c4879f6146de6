-- 0007_settlement (PostgreSQL): approved and paid statements do not change. Of an approved statement only the payment
-- may still be recorded (payment_id once, status approved -> paid, paid_at, paid_by, updated_at); its items, lines
-- and settled visits can be neither changed, deleted nor added to.
CREATE OR REPLACE FUNCTION settlement_statement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n settlement_statements;
BEGIN
  IF OLD.status NOT IN ('approved', 'paid') THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an approved settlement statement cannot be deleted';
  END IF;
  n := NEW;
  n.status := OLD.status;
  n.payment_id := OLD.payment_id;
  n.paid_at := OLD.paid_at;
  n.paid_by := OLD.paid_by;
  n.updated_at := OLD.updated_at;
  IF n IS DISTINCT FROM OLD OR NOT (NEW.status = OLD.status OR (OLD.status = 'approved' AND NEW.status = 'paid'))
     OR (OLD.payment_id IS NOT NULL AND NEW.payment_id IS DISTINCT FROM OLD.payment_id) THEN
    RAISE EXCEPTION 'an approved settlement statement cannot change';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER settlement_statements_frozen BEFORE UPDATE OR DELETE ON settlement_statements
FOR EACH ROW EXECUTE FUNCTION settlement_statement_frozen();

-- items, lines and settled visits: checked once per statement through its transition tables (a draft's month of
-- rows is rewritten by a run without a check per row)
CREATE OR REPLACE FUNCTION settlement_content_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- nested: a query naming a transition table the trigger does not have is never planned
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF EXISTS (SELECT 1 FROM old_rows r JOIN settlement_statements s ON s.id = r.statement_id
               WHERE s.status IN ('approved', 'paid')) THEN
      RAISE EXCEPTION '% of an approved settlement statement cannot change', TG_TABLE_NAME;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    IF EXISTS (SELECT 1 FROM new_rows r JOIN settlement_statements s ON s.id = r.statement_id
               WHERE s.status IN ('approved', 'paid')) THEN
      RAISE EXCEPTION '% of an approved settlement statement cannot change', TG_TABLE_NAME;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER settlement_items_frozen_insert AFTER INSERT ON settlement_items
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_content_frozen();
CREATE TRIGGER settlement_items_frozen_update AFTER UPDATE ON settlement_items
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_content_frozen();
CREATE TRIGGER settlement_items_frozen_delete AFTER DELETE ON settlement_items
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_content_frozen();
CREATE TRIGGER settlement_lines_frozen_insert AFTER INSERT ON settlement_lines
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_content_frozen();
CREATE TRIGGER settlement_lines_frozen_update AFTER UPDATE ON settlement_lines
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_content_frozen();
CREATE TRIGGER settlement_lines_frozen_delete AFTER DELETE ON settlement_lines
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_content_frozen();

-- the settled visits of an approved statement's items (new ones are checked by the service)
CREATE OR REPLACE FUNCTION settlement_visits_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows r JOIN settlement_items i ON i.id = r.item_id
             JOIN settlement_statements s ON s.id = i.statement_id WHERE s.status IN ('approved', 'paid')) THEN
    RAISE EXCEPTION 'settlement_visits of an approved settlement statement cannot change';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER settlement_visits_frozen_update AFTER UPDATE ON settlement_visits
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_visits_frozen();
CREATE TRIGGER settlement_visits_frozen_delete AFTER DELETE ON settlement_visits
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_visits_frozen();
