-- 0007_settlement: monthly settlement to providers (DOMAIN.md 3.7): a batch per month, a statement per provider and
-- month with its four steps (claim, first review, second review, approval) and payment, the beneficiary-months
-- (items) behind it with the days and visits they were computed from, the statement lines, the providers'
-- objections to lines, manual adjustments carried into a later month, and payment exports. Also the holders of the
-- supplementary insurance (舟惠保) and the providers' bank accounts. Append-only rules for approved statements are in
-- the per-engine files.

-- Where a provider is paid (the bank file of a payment export).
ALTER TABLE providers ADD COLUMN bank_name TEXT;       -- 开户银行
ALTER TABLE providers ADD COLUMN bank_account TEXT;    -- 银行账号
ALTER TABLE providers ADD COLUMN account_name TEXT;    -- 户名 (NULL: the provider's name)

-- Who holds the supplementary insurance (惠民型补充保险, Zhoushan's 舟惠保) and when: the insurer's roster of policy
-- holders, one row per policy year. A beneficiary-month gets the supplement when a policy covers any day of it.
CREATE TABLE supplementary_policies (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  insurer TEXT NOT NULL,               -- the product or insurer (舟惠保)
  policy_no TEXT NOT NULL UNIQUE,
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'demo')),
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  CHECK (valid_until >= valid_from)
);
CREATE INDEX supplementary_policies_person ON supplementary_policies (person_id, valid_from);

-- Ids of items and lines are reserved in blocks from this row (UPDATE ... RETURNING) so that a run writes them with
-- COPY and never reuses the id of a line a replaced draft had; the UPDATE also serialises settlement runs.
CREATE TABLE settlement_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  next_item BIGINT NOT NULL,
  next_line BIGINT NOT NULL,
  runs BIGINT NOT NULL
);
INSERT INTO settlement_head (id, next_item, next_line, runs) VALUES (1, 1, 1, 0);

-- One batch per month: when it was run and under which scheme.
CREATE TABLE settlement_batches (
  id {{pk}},
  month TEXT NOT NULL UNIQUE,          -- 'YYYY-MM'
  scheme_id TEXT NOT NULL,
  scheme_version TEXT NOT NULL,
  runs INTEGER NOT NULL DEFAULT 0,
  last_run_at BIGINT,
  last_run_by TEXT,
  created_at BIGINT NOT NULL
);

-- Payment exports: the approved statements of a month sent to the bank together, then confirmed paid.
CREATE TABLE settlement_payments (
  id {{pk}},
  month TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('exported', 'paid')),
  statements INTEGER NOT NULL,
  total_fen BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  paid_on TEXT,
  bank_reference TEXT,
  paid_by TEXT,
  paid_at BIGINT
);
CREATE INDEX settlement_payments_month ON settlement_payments (month);

-- A provider's statement of a month. draft (computed, internal) -> claimed (published to the provider, who may object
-- line by line) -> first_reviewed -> second_reviewed (by another person) -> approved (immutable; posted to the fund
-- ledger) -> paid. A draft is replaced whole by a re-run; from claimed on the run leaves it alone (reopen sends it
-- back to draft before approval).
CREATE TABLE settlement_statements (
  id {{pk}},
  batch_id BIGINT NOT NULL REFERENCES settlement_batches(id),
  month TEXT NOT NULL,
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  number TEXT NOT NULL UNIQUE,         -- JS202610-P0001
  status TEXT NOT NULL CHECK (status IN ('draft', 'claimed', 'first_reviewed', 'second_reviewed', 'approved', 'paid')),
  scheme_id TEXT NOT NULL,
  scheme_version TEXT NOT NULL,
  credit_grade TEXT,                   -- the provider's grade when computed (NULL: none, the default factor)
  quality_permille INTEGER NOT NULL,
  beneficiaries INTEGER NOT NULL,
  items INTEGER NOT NULL,              -- beneficiary-months (a plan change within the month makes two)
  visits_payable INTEGER NOT NULL,
  visits_rejected INTEGER NOT NULL,
  visits_unqualified INTEGER NOT NULL,
  visits_pending INTEGER NOT NULL,     -- exceptions not yet decided when computed: not settled in this statement
  base_fen BIGINT NOT NULL,            -- lines of kind base
  deductions_fen BIGINT NOT NULL,      -- shortfall and deductions (negative)
  adjustments_fen BIGINT NOT NULL,
  quality_fen BIGINT NOT NULL,
  total_fen BIGINT NOT NULL,           -- the sum of the lines
  fund_fen BIGINT NOT NULL,            -- by source
  supplementary_fen BIGINT NOT NULL,
  assistance_fen BIGINT NOT NULL,
  provider_fen BIGINT NOT NULL,        -- by payee
  family_fen BIGINT NOT NULL,
  beneficiary_fen BIGINT NOT NULL,
  lines INTEGER NOT NULL,
  runs INTEGER NOT NULL,
  computed_at BIGINT NOT NULL,
  computed_by TEXT NOT NULL,
  claimed_at BIGINT,
  claimed_by TEXT,
  first_reviewer_id BIGINT REFERENCES users(id),
  first_reviewed_by TEXT,
  first_reviewed_at BIGINT,
  first_review_note TEXT,
  second_reviewer_id BIGINT REFERENCES users(id),
  second_reviewed_by TEXT,
  second_reviewed_at BIGINT,
  second_review_note TEXT,
  approver_id BIGINT REFERENCES users(id),
  approved_by TEXT,
  approved_at BIGINT,
  entry_date TEXT,                     -- the fund ledger's accounting date of the approval's postings
  payment_id BIGINT REFERENCES settlement_payments(id),
  paid_at BIGINT,
  paid_by TEXT,
  reopen_reason TEXT,                  -- the last reason it was sent back to draft
  updated_at BIGINT NOT NULL,
  UNIQUE (month, provider_id)
);
CREATE INDEX settlement_statements_provider ON settlement_statements (provider_id, month);
CREATE INDEX settlement_statements_payment ON settlement_statements (payment_id);

-- A beneficiary-month under one care plan: the facts settle_month was given (days, visits, flags) and its total.
CREATE TABLE settlement_items (
  id {{key}},                          -- reserved from settlement_head
  statement_id BIGINT NOT NULL REFERENCES settlement_statements(id),
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  month TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('home', 'family', 'institution')),
  level INTEGER NOT NULL,
  plan_from TEXT NOT NULL,
  plan_until TEXT,
  days_in_month INTEGER NOT NULL,
  entitled_days INTEGER NOT NULL,
  entitled_mask BIGINT NOT NULL,       -- bit d-1 set when day d of the month is entitled: the days behind the amount
  paid_days INTEGER NOT NULL,
  day_divisor INTEGER NOT NULL,
  hospital_days INTEGER NOT NULL,      -- days of the plan and certification lost to hospital stays
  death_date TEXT,
  required_visits INTEGER NOT NULL,
  shortfall_visits INTEGER NOT NULL,
  forgiven INTEGER NOT NULL CHECK (forgiven IN (0, 1)),
  visits_payable INTEGER NOT NULL,
  visits_rejected INTEGER NOT NULL,
  visits_unqualified INTEGER NOT NULL,
  visits_pending INTEGER NOT NULL,
  minutes_payable INTEGER NOT NULL,
  minutes_rejected INTEGER NOT NULL,
  minutes_unqualified INTEGER NOT NULL,
  absent_days INTEGER NOT NULL,
  home_month INTEGER NOT NULL,
  supplementary INTEGER NOT NULL CHECK (supplementary IN (0, 1)),
  assistance INTEGER NOT NULL CHECK (assistance IN (0, 1)),
  attested INTEGER CHECK (attested IN (0, 1)),      -- family care only
  quality_base_fen BIGINT NOT NULL,
  total_fen BIGINT NOT NULL,
  UNIQUE (statement_id, plan_id)
);
CREATE INDEX settlement_items_person ON settlement_items (person_id, month);

-- The lines: amount = round(unit_fen x quantity x rate_pm / (divisor x 1000)) unless balanced (rules/settle.h).
-- item_id NULL: the statement's quality line.
CREATE TABLE settlement_lines (
  id {{key}},                          -- reserved from settlement_head
  statement_id BIGINT NOT NULL REFERENCES settlement_statements(id),
  item_id BIGINT REFERENCES settlement_items(id),
  seq INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('fund', 'supplementary', 'assistance')),
  payee TEXT NOT NULL CHECK (payee IN ('provider', 'family_caregiver', 'beneficiary')),
  kind TEXT NOT NULL CHECK (kind IN ('base', 'shortfall', 'deduction_rejected', 'deduction_unqualified', 'adjustment',
    'quality')),
  reason TEXT NOT NULL,
  unit TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_fen BIGINT NOT NULL,
  divisor BIGINT NOT NULL,
  rate_pm INTEGER NOT NULL,
  amount_fen BIGINT NOT NULL,
  balanced INTEGER NOT NULL CHECK (balanced IN (0, 1)),
  label TEXT NOT NULL,
  reference TEXT NOT NULL,
  ref_line_id BIGINT REFERENCES settlement_lines(id),   -- an adjustment: the line of an earlier statement it corrects
  adjustment_id BIGINT                                   -- an adjustment: its settlement_adjustments row
);
CREATE INDEX settlement_lines_statement ON settlement_lines (statement_id, item_id, seq);
CREATE INDEX settlement_lines_item ON settlement_lines (item_id, seq);
CREATE INDEX settlement_lines_ref ON settlement_lines (ref_line_id);

-- Which item each visit was settled in and as what (payable, rejected, unqualified), with the minutes counted: the
-- visits behind a line are its item's visits of the kind the line counts. A visit is settled at most once (the key).
-- No foreign keys: ten million rows a month are written by COPY and only ever read by item or by visit.
CREATE TABLE settlement_visits (
  visit_id {{key}},
  item_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('payable', 'rejected', 'unqualified')),
  minutes INTEGER NOT NULL
);

-- A provider's objection to a line of its claimed statement, and the bureau's answer. The line is kept as text too:
-- a statement sent back to draft and computed again gets new lines.
CREATE TABLE settlement_objections (
  id {{pk}},
  statement_id BIGINT NOT NULL REFERENCES settlement_statements(id),
  line_id BIGINT REFERENCES settlement_lines(id),
  item_id BIGINT,
  person_id BIGINT REFERENCES persons(id),
  line_label TEXT NOT NULL,
  line_amount_fen BIGINT NOT NULL,
  reason TEXT NOT NULL,
  claimed_fen BIGINT,                  -- the amount the provider thinks right (optional)
  status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'dismissed')),
  raised_by TEXT NOT NULL,
  raised_at BIGINT NOT NULL,
  answer TEXT,
  answered_by TEXT,
  answered_at BIGINT
);
CREATE INDEX settlement_objections_statement ON settlement_objections (statement_id, status);

-- Manual adjustments (corrections of an approved month, amounts recovered): carried by the statement of a later month
-- of the same provider as an adjustment line of the beneficiary-month of the plan.
CREATE TABLE settlement_adjustments (
  id {{pk}},
  month TEXT NOT NULL,                 -- the month whose statement carries it
  provider_id BIGINT NOT NULL REFERENCES providers(id),
  plan_id BIGINT NOT NULL REFERENCES care_plans(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  source TEXT NOT NULL CHECK (source IN ('fund', 'supplementary', 'assistance')),
  payee TEXT NOT NULL CHECK (payee IN ('provider', 'family_caregiver', 'beneficiary')),
  amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
  reason TEXT NOT NULL,
  reference TEXT NOT NULL,
  ref_line_id BIGINT REFERENCES settlement_lines(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'cancelled')),   -- settled: its statement approved
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  cancelled_by TEXT,
  cancelled_at BIGINT
);
CREATE INDEX settlement_adjustments_month ON settlement_adjustments (month, provider_id);
CREATE INDEX settlement_adjustments_ref ON settlement_adjustments (ref_line_id);
