-- The lead's own age and, apart, the age of the other owner living there (a spouse or
-- partner): the age gate is on the younger of the two.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS co_borrower_age smallint
    CHECK (co_borrower_age BETWEEN 18 AND 120);
