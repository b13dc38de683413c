-- The member an account belongs to (self-service: a 党员 checks in and asks for leave as
-- themselves). Set by an administrator of the organisation department within their subtree
-- (member module, PUT /api/v1/accounts/{id}/member); one account per member at most. No foreign
-- key: the platform's tables come before the member registry's, whose store checks the id.
ALTER TABLE account ADD COLUMN member_id BIGINT;
CREATE UNIQUE INDEX account_member ON account (member_id) WHERE member_id IS NOT NULL;
