-- 0007_settlement (SQLite): approved and paid statements do not change. Of an approved statement only the payment
-- may still be recorded (payment_id once, status approved -> paid, paid_at, paid_by, updated_at); its items, lines
-- and settled visits can be neither changed, deleted nor added to.
CREATE TRIGGER settlement_statements_frozen BEFORE UPDATE ON settlement_statements
WHEN OLD.status IN ('approved', 'paid') AND NOT (
  (NEW.status = OLD.status OR (OLD.status = 'approved' AND NEW.status = 'paid'))
  AND (OLD.payment_id IS NULL OR NEW.payment_id IS OLD.payment_id)
  AND NEW.id IS OLD.id AND NEW.batch_id IS OLD.batch_id AND NEW.month IS OLD.month
  AND NEW.provider_id IS OLD.provider_id AND NEW.number IS OLD.number AND NEW.scheme_id IS OLD.scheme_id
  AND NEW.scheme_version IS OLD.scheme_version AND NEW.credit_grade IS OLD.credit_grade
  AND NEW.quality_permille IS OLD.quality_permille AND NEW.beneficiaries IS OLD.beneficiaries
  AND NEW.items IS OLD.items AND NEW.visits_payable IS OLD.visits_payable
  AND NEW.visits_rejected IS OLD.visits_rejected AND NEW.visits_unqualified IS OLD.visits_unqualified
  AND NEW.visits_pending IS OLD.visits_pending AND NEW.base_fen IS OLD.base_fen
  AND NEW.deductions_fen IS OLD.deductions_fen AND NEW.adjustments_fen IS OLD.adjustments_fen
  AND NEW.quality_fen IS OLD.quality_fen AND NEW.total_fen IS OLD.total_fen AND NEW.fund_fen IS OLD.fund_fen
  AND NEW.supplementary_fen IS OLD.supplementary_fen AND NEW.assistance_fen IS OLD.assistance_fen
  AND NEW.provider_fen IS OLD.provider_fen AND NEW.family_fen IS OLD.family_fen
  AND NEW.beneficiary_fen IS OLD.beneficiary_fen AND NEW.lines IS OLD.lines AND NEW.runs IS OLD.runs
  AND NEW.computed_at IS OLD.computed_at AND NEW.computed_by IS OLD.computed_by
  AND NEW.claimed_at IS OLD.claimed_at AND NEW.claimed_by IS OLD.claimed_by
  AND NEW.first_reviewer_id IS OLD.first_reviewer_id AND NEW.first_reviewed_by IS OLD.first_reviewed_by
  AND NEW.first_reviewed_at IS OLD.first_reviewed_at AND NEW.first_review_note IS OLD.first_review_note
  AND NEW.second_reviewer_id IS OLD.second_reviewer_id AND NEW.second_reviewed_by IS OLD.second_reviewed_by
  AND NEW.second_reviewed_at IS OLD.second_reviewed_at AND NEW.second_review_note IS OLD.second_review_note
  AND NEW.approver_id IS OLD.approver_id AND NEW.approved_by IS OLD.approved_by
  AND NEW.approved_at IS OLD.approved_at AND NEW.entry_date IS OLD.entry_date
  AND NEW.reopen_reason IS OLD.reopen_reason)
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
CREATE TRIGGER settlement_statements_no_delete BEFORE DELETE ON settlement_statements
WHEN OLD.status IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot be deleted'); END;

CREATE TRIGGER settlement_items_frozen_insert BEFORE INSERT ON settlement_items
WHEN (SELECT status FROM settlement_statements WHERE id = NEW.statement_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
CREATE TRIGGER settlement_items_frozen_update BEFORE UPDATE ON settlement_items
WHEN (SELECT status FROM settlement_statements WHERE id = OLD.statement_id) IN ('approved', 'paid')
  OR (SELECT status FROM settlement_statements WHERE id = NEW.statement_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
CREATE TRIGGER settlement_items_frozen_delete BEFORE DELETE ON settlement_items
WHEN (SELECT status FROM settlement_statements WHERE id = OLD.statement_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;

CREATE TRIGGER settlement_lines_frozen_insert BEFORE INSERT ON settlement_lines
WHEN (SELECT status FROM settlement_statements WHERE id = NEW.statement_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
CREATE TRIGGER settlement_lines_frozen_update BEFORE UPDATE ON settlement_lines
WHEN (SELECT status FROM settlement_statements WHERE id = OLD.statement_id) IN ('approved', 'paid')
  OR (SELECT status FROM settlement_statements WHERE id = NEW.statement_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
CREATE TRIGGER settlement_lines_frozen_delete BEFORE DELETE ON settlement_lines
WHEN (SELECT status FROM settlement_statements WHERE id = OLD.statement_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;

-- the settled visits: no row of an approved statement's items changes or goes (new rows are checked by the service:
-- a trigger on each of ten million inserts would double the run)
CREATE TRIGGER settlement_visits_frozen_update BEFORE UPDATE ON settlement_visits
WHEN (SELECT s.status FROM settlement_items i JOIN settlement_statements s ON s.id = i.statement_id
      WHERE i.id = OLD.item_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
CREATE TRIGGER settlement_visits_frozen_delete BEFORE DELETE ON settlement_visits
WHEN (SELECT s.status FROM settlement_items i JOIN settlement_statements s ON s.id = i.statement_id
      WHERE i.id = OLD.item_id) IN ('approved', 'paid')
BEGIN SELECT RAISE(ABORT, 'an approved settlement statement cannot change'); END;
